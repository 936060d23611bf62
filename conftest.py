"""Sybil runs every Python example in docs/**/*.md and README.md as a test (one namespace per page)."""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import ClearNamespaceParser, PythonCodeBlockParser, SkipParser


def _parsers() -> list[object]:
    """The parsers every collected page uses (fresh instances per Sybil)."""
    # Sybil's fence lexer accepts an indented fence and strips the indent, so examples nested in
    # admonitions, details and tabs are collected too (tests/test_docs_examples.py checks it).
    return [
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
        ClearNamespaceParser(),
    ]


# Path.match treats "**" like "*" before Python 3.13, so each root gets its own Sybil:
# "*.md" under docs/ matches at any depth, and README.md only at the top.
pytest_collect_file = (
    Sybil(parsers=_parsers(), path="docs", patterns=["*.md"])
    + Sybil(parsers=_parsers(), path=".", filenames=["README.md"])
).pytest()
