"""Diagrams as inline SVG that follows the site's light/dark palette: Graphviz (cached) and matplotlib.

Graphviz draws in black on white and matplotlib in near-black; both are rewritten so that
lines and text use `currentColor` (the page's text colour in either scheme) on a transparent
background (text on a node filled with a colour stays black, legible on that fill in both
schemes), and every SVG gets a `<title>` that screen readers announce.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from micrograd.draw import graphviz_version, render_svg

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

# matplotlib draws its foreground and legend background in these sentinel colours, which the
# SVG then maps to the page's own colours (a figure made elsewhere keeps whatever it set)
MPL_FOREGROUND, MPL_BACKGROUND = "#010101", "#fefefe"
MPL_RC: dict[RcKeyType, Any] = {
    **dict.fromkeys(["text.color", "axes.edgecolor", "axes.labelcolor", "xtick.color", "ytick.color",
                     "patch.edgecolor"], MPL_FOREGROUND),
    "legend.facecolor": MPL_BACKGROUND,
    "svg.fonttype": "none",  # text stays text: selectable, searchable, in the page's fonts' fallback
    "svg.hashsalt": "micrograd-docs",  # the same figure gives the same SVG on every build
}

_PROLOGUE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->|<metadata>.*?</metadata>|<title>.*?</title>", re.S)
_GRAPHVIZ_BACKGROUND = re.compile(r'<polygon fill="white" stroke="(?:none|transparent)"[^>]*/>')
_BARE_TEXT = re.compile(r"<text(?![^>]*\bfill=)")
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_SVG_WIDTH = re.compile(r'\bwidth="([\d.]+)pt"')
LEGIBLE_SCALE = 0.6  # a wide diagram shrinks to fit the page down to this scale, then scrolls sideways
_ID_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)')
_GRAPHVIZ_GROUP = re.compile(r'(?=<g id="[^"]*" class="(?:node|edge|cluster)")')
_EDGE_GROUP = re.compile(r'<g id="[^"]*" class="edge"')
_FILLED_SHAPE = re.compile(r'<(?:polygon|ellipse|path)\b[^>]*\bfill="(?!none"|transparent")')


class DiagramCache:
    """Graphviz SVG on disk, keyed by a hash of the Graphviz version and the DOT source."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rendered = 0  # renders by Graphviz in this build
        self.reused = 0  # diagrams read back from the cache

    def graphviz_svg(self, dot_source: str) -> str:
        """The SVG Graphviz draws for `dot_source`; ValueError naming Graphviz's complaint if invalid."""
        key = hashlib.sha256(f"{_graphviz_version()}\0{dot_source}".encode()).hexdigest()
        path = self.folder / f"{key}.svg"
        if path.exists():
            self.reused += 1
            return path.read_text(encoding="utf-8")
        svg = render_svg(dot_source)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")  # rename is atomic: no half-written entry
        partial.write_text(svg, encoding="utf-8")
        partial.replace(path)
        self.rendered += 1
        return svg


@functools.cache
def _graphviz_version() -> str:
    """Graphviz's version, asked once per process (it costs a render)."""
    return graphviz_version()


def figure_svg(figure: Figure) -> str:
    """A matplotlib Figure as SVG text with a transparent background."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True, bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def themed_svg(svg: str, title: str, uid: str) -> str:
    """Inline-ready SVG: palette colours, no background, ids prefixed by `uid`, a `<title>` and role=img."""
    svg = _PROLOGUE.sub("", svg)
    svg = _GRAPHVIZ_BACKGROUND.sub("", svg, count=1)
    svg = "".join(_dark_text_on_fills(group) for group in _GRAPHVIZ_GROUP.split(svg))
    svg = svg.replace('"black"', '"currentColor"').replace(MPL_FOREGROUND, "currentColor")
    svg = svg.replace(MPL_BACKGROUND, "var(--md-default-bg-color)")
    svg = _BARE_TEXT.sub('<text fill="currentColor"', svg)
    # several diagrams share a page: their ids (graph0, node1, clip paths) must not collide
    svg = _ID_REFERENCE.sub(lambda m: f"{m.group(1)}{uid}-", svg)
    # matplotlib's unscoped `*{...}` rule would otherwise style the whole page
    svg = svg.replace("*{stroke-linejoin", f"#{uid} *{{stroke-linejoin")
    label = html.escape(title, quote=True)
    svg = _SVG_OPEN.sub(
        lambda m: f'<svg id="{uid}" class="diagram-svg" role="img" aria-label="{label}"'
                  f'{_min_width(m.group(1))}{m.group(1)}>'
                  f"<title>{label}</title>",
        svg, count=1,
    )
    return f'<figure class="diagram">{svg.strip()}</figure>'


def _min_width(attributes: str) -> str:
    """A style attribute that keeps a wide SVG from shrinking below LEGIBLE_SCALE of its drawn size."""
    width = _SVG_WIDTH.search(attributes)
    return f' style="min-width: {float(width.group(1)) * LEGIBLE_SCALE:.0f}pt"' if width else ""


def _dark_text_on_fills(group: str) -> str:
    """A Graphviz node or cluster with a fill colour keeps black text: the page's colour may be light on it."""
    if _EDGE_GROUP.match(group):  # an arrowhead is a filled polygon, but an edge label sits on the page
        return group
    return _BARE_TEXT.sub('<text fill="#000000"', group) if _FILLED_SHAPE.search(group) else group
