"""Links MkDocs cannot follow: its warning (`strict` makes it fail the build) names the page; this adds the line.

MkDocs checks a page's links while rendering it and its anchors after the whole site is
rendered, and says "Doc file 'x.md' contains a link 'y.md', but ...". A logging filter on the
logger that says it prefixes the message with `docs/x.md, line N:`, the line where the link is
written.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from page_examples import line_of

_LOGGER = "mkdocs.structure.pages"
_LINK_WARNING = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?:a|an unrecognized relative) link "
                           r"'(?P<link>[^']+)'")


class LinkLines(logging.Filter):
    """Prefixes MkDocs' warnings about a link with the page's path and the link's line."""

    def __init__(self, docs_dir: Path) -> None:
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        found = _LINK_WARNING.match(message)
        where = self.where(found["page"], found["link"]) if found else None
        if where is not None:
            record.msg, record.args = f"{where}: {message}", ()
        return True  # the warning is only reworded, never dropped

    def where(self, page: str, link: str) -> str | None:
        """`docs/page.md, line N` for the first place `link` is written as a link target in the page."""
        source = self.docs_dir / page
        try:
            text = source.read_text(encoding="utf-8")
        except OSError:
            return None
        written = re.search(rf"\]\(\s*<?{re.escape(link)}[\s>)]|\]:\s*<?{re.escape(link)}\s|"
                            rf"""\b(?:href|src)=["']{re.escape(link)}["']""", text)
        return f"{os.path.relpath(source)}, line {line_of(text, written.start())}" if written else None


def name_lines(config: MkDocsConfig) -> None:
    """Install the filter for this build (replacing the one a previous `mkdocs serve` build installed)."""
    logger = logging.getLogger(_LOGGER)
    # by name: `mkdocs serve` loads this module afresh for each build, with a new class
    for old in [f for f in logger.filters if type(f).__name__ == LinkLines.__name__]:
        logger.removeFilter(old)
    logger.addFilter(LinkLines(Path(config.docs_dir)))
