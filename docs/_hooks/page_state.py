"""What one page's features share while it is built (its source, its messages, its HTML waiting for a place),
and what one build shares (SiteBuild: the Graphviz cache, the pages between their two events).

The dispatcher (site_hook.py) creates a `PageState` when MkDocs hands it a page's Markdown and
passes it to every feature, then to the same features again with the page's HTML; nothing about a
page outlives its build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from page_examples import line_of
from svg_diagrams import DiagramCache


@dataclass
class PageState:
    """One page while it is built.

    `placeholders` exists because the Markdown step cannot hold finished HTML: Python-Markdown
    would re-parse an inline SVG (its `*`, `_`, indentation), so a feature that makes HTML while
    reading Markdown writes a token there and `fill_placeholders` swaps the HTML in afterwards.
    """

    path: str  # the source, relative to the working directory, for messages
    text: str  # the source as written, front matter included (line numbers refer to it); a notebook's JSON
    is_notebook: bool
    config: MkDocsConfig
    cache: DiagramCache  # Graphviz output, shared by the build's pages
    placeholders: dict[str, str] = field(default_factory=dict)  # token -> HTML
    copies: dict[str, str] = field(default_factory=dict)  # data-copy-id -> what the copy button copies
    _ids: int = 0

    @classmethod
    def of(cls, page: Page, config: MkDocsConfig, cache: DiagramCache) -> PageState:
        """The state of a page whose build starts: its Markdown source read as written."""
        source = page.file.abs_src_path
        path = os.path.relpath(source or page.file.src_uri)
        text = Path(source).read_text(encoding="utf-8") if source else ""
        # anything else is a notebook, which mkdocs-jupyter renders
        return cls(path, text, source is None or not source.endswith(".md"), config, cache)

    def next_id(self) -> str:
        """An id for the next diagram, unique on this page and stable from build to build."""
        self._ids += 1
        return f"diagram-{self._ids}"

    def placeholder(self, html: str) -> str:
        """A token to put in the Markdown where `html` belongs."""
        token = f"MICROGRADDIAGRAM{len(self.placeholders)}X"
        self.placeholders[token] = html
        return token

    def fill_placeholders(self, html: str) -> str:
        """The page's HTML with each token replaced by its HTML (a token alone in a paragraph loses the <p>)."""
        for token, fragment in self.placeholders.items():
            html = html.replace(f"<p>{token}</p>", fragment).replace(token, fragment)
        return html

    def where(self, offset: int) -> str:
        """`path, line N` for a character offset into the source as written."""
        return f"{self.path}, line {line_of(self.text, offset)}"


class SiteBuild:
    """What lives for one build: the Graphviz cache, and each page's state between its two events."""

    def __init__(self) -> None:
        self.cache = DiagramCache.under(Path("."))
        self.pages: dict[str, PageState] = {}

    def start(self, config: MkDocsConfig) -> None:
        """A new build (`mkdocs serve` starts one on each change): a fresh cache handle, no pages."""
        self.cache = DiagramCache.under(Path(config.config_file_path).parent)
        self.pages.clear()
