"""Links MkDocs cannot follow: its warning (`strict` makes it fail the build) names the page; this adds the line.

MkDocs checks a page's links while rendering it and its anchors after the whole site is
rendered, and says "Doc file 'x.md' contains a link 'y.md', but ..."; mkdocs-autorefs says
"x.md: Could not find cross-reference target 'micrograd.nope'" for an API link. A logging filter
on the loggers that say so prefixes the message with `docs/x.md, line N:`, the line where the
link is written.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from page_examples import line_of

_LINK_WARNING = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?:a|an unrecognized relative) link "
                           r"'(?P<link>[^']+)'")
_REF_WARNING = re.compile(r"(?P<page>[^\s:]+\.md): Could not find cross-reference target '(?P<ref>[^']+)'")


class LinkLines(logging.Filter):
    """Prefixes MkDocs' warnings about a link with the page's path and the link's line."""

    def __init__(self, docs_dir: Path) -> None:
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        link, ref = _LINK_WARNING.match(message), _REF_WARNING.search(message)
        where = (self.where(link["page"], _written_link(link["link"])) if link
                 else self.where(ref["page"], _written_ref(ref["ref"])) if ref else None)
        if where is not None:
            record.msg, record.args = f"{where}: {message}", ()
        return True  # the warning is only reworded, never dropped

    def where(self, page: str, written: re.Pattern[str]) -> str | None:
        """`docs/page.md, line N` for the first place in the page that `written` matches."""
        source = self.docs_dir / page
        try:
            text = source.read_text(encoding="utf-8")
        except OSError:
            return None
        found = written.search(text)
        return f"{os.path.relpath(source)}, line {line_of(text, found.start())}" if found else None


def _written_link(link: str) -> re.Pattern[str]:
    """`link` written as a link's target: `](link)`, `[ref]: link`, `href="link"`."""
    return re.compile(rf"\]\(\s*<?{re.escape(link)}[\s>)]|\]:\s*<?{re.escape(link)}\s|"
                      rf"""\b(?:href|src)=["']{re.escape(link)}["']""")


def _written_ref(ref: str) -> re.Pattern[str]:
    """`ref` written as mkdocs-autorefs' link target: `[text][ref]` or `[ref][]`."""
    return re.compile(rf"\]\[{re.escape(ref)}\]|\[`?{re.escape(ref)}`?\]\[\]")


def name_lines(config: MkDocsConfig) -> None:
    """Install the filter for this build (replacing the one a previous `mkdocs serve` build installed)."""
    autorefs = config.plugins.get("autorefs")
    loggers = ["mkdocs.structure.pages", *([f"mkdocs.plugins.{type(autorefs).__module__}"] if autorefs else [])]
    for name in loggers:
        logger = logging.getLogger(name)
        # by name: `mkdocs serve` loads this module afresh for each build, with a new class
        for old in [f for f in logger.filters if type(f).__name__ == LinkLines.__name__]:
            logger.removeFilter(old)
        logger.addFilter(LinkLines(Path(config.docs_dir)))
