"""A page's Python examples as Sybil reads them: the parsers pytest uses, and running a page up to a point.

The root conftest.py and the build hook share this module, so the build runs exactly the
examples that the tests run, in the same order and namespace, with the same skips.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from typing import Any
from unittest import SkipTest

from sybil import Document, Example, Region
from sybil.example import SybilFailure
from sybil.parsers.markdown import ClearNamespaceParser, PythonCodeBlockParser, SkipParser
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, RawFencedCodeBlockLexer

Parser = Callable[[Document], Iterable[Region]]
DOCTEST_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE
_INFO_LINE = re.compile(r"(?P<info>[^\n]*)$\n", re.MULTILINE)
_COMMENT_END = re.compile(r"[ \t]*--+>")


class ExampleError(Exception):
    """An example, or a diagram expression, failed; the message names the file and line."""


def fences(document: Document) -> list[Region]:
    """Every fenced block of the document, nested ones too, with its `info` string and `source`."""
    return list(RawFencedCodeBlockLexer(info_pattern=_INFO_LINE)(document))


def shown_spans(document: Document) -> list[tuple[int, int]]:
    """Spans of the fences that are not ```python: Markdown shown to the reader, never run."""
    return [(f.start, f.end) for f in fences(document) if f.lexemes["info"].strip() != "python"]


class OutsideShownSource:
    """A parser that drops what another parser finds inside a non-Python fence.

    Without it, a `<!-- skip: next -->` or a ```python fence that a page shows as syntax
    inside a ````markdown fence (docs/contributing.md does) would act on the page's real examples.
    """

    def __init__(self, parser: Parser) -> None:
        self.parser = parser

    def __call__(self, document: Document) -> Iterator[Region]:
        spans = shown_spans(document)
        for region in self.parser(document):
            if not any(start < region.start < end for start, end in spans):
                yield region


def example_parsers() -> list[Parser]:
    """Doctest (`>>>`) and plain ```python blocks, invisible blocks, skips and namespace clears."""
    # fresh instances every time: SkipParser keeps per-document state
    return [
        OutsideShownSource(PythonCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS)),
        OutsideShownSource(SkipParser()),
        OutsideShownSource(ClearNamespaceParser()),
    ]


def parse_page(text: str, path: str) -> Document:
    """The page as a Sybil Document with its examples, as `pytest docs/...` would collect it."""
    document = Document(text, path)
    for parser in example_parsers():
        for region in parser(document):
            document.add(region)
    return document


def directives(document: Document, name: str) -> list[Region]:
    """One-line `<!-- name: arguments -->` comments outside shown source, in page order, `-->` included."""
    lexer = DirectiveInHTMLCommentLexer(directive=re.escape(name), arguments=".+?")
    regions = sorted(OutsideShownSource(lexer)(document), key=lambda region: region.start)
    for region in regions:
        # Sybil's region stops before the closing `-->`; replacing only that much left it on the page
        closing = _COMMENT_END.match(document.text, region.end)
        if closing is not None:
            region.end = closing.end()
    return regions


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


class PageRun:
    """Runs a page's examples in order, in the page's one namespace, only as far as asked."""

    def __init__(self, text: str, path: str) -> None:
        self.document = parse_page(text, path)
        self._pending: Iterator[Example] = iter(self.document)
        self._next: Example | None = next(self._pending, None)

    @property
    def namespace(self) -> dict[str, Any]:
        """The names the examples run so far have defined."""
        return self.document.namespace

    def run_until(self, offset: int) -> None:
        """Run every example that starts before `offset`, honouring skips as pytest does."""
        while self._next is not None and self._next.start < offset:
            example, self._next = self._next, next(self._pending, None)
            try:
                example.evaluate()
            except SkipTest:  # a `skip:` directive said so, with its reason
                continue
            except SybilFailure as failure:  # a doctest whose output differs; names file and line
                raise ExampleError(str(failure)) from None
            except Exception as error:
                raise ExampleError(
                    f"{example.path}, line {example.line}: the example raised {type(error).__name__}: {error}"
                ) from error
