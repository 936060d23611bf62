"""Sybil runs every Python example in docs/**/*.md and README.md as a test (one namespace per page)."""

from __future__ import annotations

import os

from sybil import Sybil

# the parsers live with the build hook, which runs the same examples to draw live diagrams
# (docs/_hooks is on pytest's pythonpath, pyproject.toml)
from page_examples import example_parsers

os.environ.setdefault("MPLBACKEND", "Agg")  # examples that plot need no display

# Path.match treats "**" like "*" before Python 3.13, so each root gets its own Sybil:
# "*.md" under docs/ matches at any depth, and README.md only at the top.
pytest_collect_file = (
    Sybil(parsers=example_parsers(), path="docs", patterns=["*.md"])
    + Sybil(parsers=example_parsers(), path=".", filenames=["README.md"])
).pytest()
