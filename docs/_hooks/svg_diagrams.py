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
import tempfile
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
_ID_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)')
_GRAPHVIZ_GROUP = re.compile(r'(?=<g id="[^"]*" class="(?:node|edge|cluster)")')
_EDGE_GROUP = re.compile(r'<g id="[^"]*" class="edge"')
_FILLED_SHAPE = re.compile(r'<(?:polygon|ellipse|path)\b[^>]*\bfill="(?!none"|transparent")')


CACHE_ENV = "MICROGRAD_DIAGRAM_CACHE"  # overrides the Graphviz cache folder (the tests use a fresh one)
# every attribute Graphviz knows (https://graphviz.org/doc/info/attrs.html); it ignores any other in silence
GRAPHVIZ_ATTRIBUTES = frozenset("""
    _background area arrowhead arrowsize arrowtail bb beautify bgcolor center charset class cluster clusterrank
    color colorscheme comment compound concentrate constraint Damping decorate defaultdist dim dimen dir
    diredgeconstraints distortion dpi edgehref edgetarget edgetooltip edgeURL epsilon esep fillcolor fixedsize
    fontcolor fontname fontnames fontpath fontsize forcelabels gradientangle group head_lp headclip headhref
    headlabel headport headtarget headtooltip headURL height href id image imagepath imagepos imagescale
    inputscale K label label_scheme labelangle labeldistance labelfloat labelfontcolor labelfontname
    labelfontsize labelhref labeljust labelloc labeltarget labeltooltip labelURL landscape layer layerlistsep
    layers layerselect layersep layout len levels levelsgap lhead lheight linelength lp ltail lwidth margin
    maxiter mclimit mindist minlen mode model newrank nodesep nojustify normalize notranslate nslimit nslimit1
    oneblock ordering orientation outputorder overlap overlap_scaling overlap_shrink pack packmode pad page
    pagedir pencolor penwidth peripheries pin pos quadtree quantum radius rank rankdir ranksep ratio rects
    regular remincross repulsiveforce resolution root rotate rotation samehead sametail samplepoints scale
    searchsize sep shape shapefile showboxes sides size skew smoothing sortv splines start style stylesheet
    tail_lp tailclip tailhref taillabel tailport tailtarget tailtooltip tailURL target TBbalance tooltip
    truecolor URL vertices viewport voro_margin weight width xdotversion xlabel xlp z
""".split())  # noqa: SIM905 (170 names read better unquoted)


class DiagramCache:
    """Graphviz SVG on disk, keyed by a hash of the Graphviz version, the checks a source passed and the DOT source."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rendered = 0  # renders by Graphviz in this build
        self.reused = 0  # diagrams read back from the cache

    @classmethod
    def under(cls, root: Path) -> DiagramCache:
        """The cache of the project at `root`: `.cache/diagrams`, or the folder CACHE_ENV names."""
        return cls(Path(os.environ.get(CACHE_ENV) or root / ".cache" / "diagrams"))

    def graphviz_svg(self, dot_source: str) -> str:
        """The SVG Graphviz draws for `dot_source`; ValueError naming Graphviz's complaint if invalid,
        or its warnings (an unknown shape), or an attribute Graphviz does not know (it ignores those)."""
        # the checks below are part of the key: an entry stored before them would skip them
        checks = ",".join(sorted(GRAPHVIZ_ATTRIBUTES))
        key = hashlib.sha256(f"{_graphviz_version()}\0{checks}\0{dot_source}".encode()).hexdigest()
        path = self.folder / f"{key}.svg"
        if path.exists():  # only a source that passed the checks below is ever stored
            self.reused += 1
            return path.read_text(encoding="utf-8")
        problems = graphviz_problems(dot_source)
        if problems:
            raise ValueError("Graphviz warns about the DOT source: " + "; ".join(problems))
        svg = render_svg(dot_source)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")  # rename is atomic: no half-written entry
        partial.write_text(svg, encoding="utf-8")
        partial.replace(path)
        self.rendered += 1
        return svg


def graphviz_problems(dot_source: str) -> list[str]:
    """Graphviz's warnings about `dot_source` (an unknown shape, say) and the attributes it would silently
    ignore, read with pygraphviz (when it is not installed, nothing can be checked: [])."""
    try:
        import pygraphviz
    except ImportError:
        return []
    with tempfile.TemporaryFile() as captured:
        saved = os.dup(2)  # the Graphviz library writes to file descriptor 2, beyond Python's sys.stderr
        os.dup2(captured.fileno(), 2)
        try:
            graph = pygraphviz.AGraph(string=dot_source)
            graph.draw(format="svg", prog="dot")
        except Exception:  # an error, not a warning: render_svg raises it with Graphviz's message
            return []
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        warnings = [line.strip() for line in captured.read().decode(errors="replace").splitlines()
                    if line.startswith("Warning")]
    declared = {*graph.graph_attr, *graph.node_attr, *graph.edge_attr}
    declared.update(name for subgraph in graph.subgraphs_iter() for name in subgraph.graph_attr)
    return warnings + [f"unknown attribute {name!r}" for name in sorted(declared - GRAPHVIZ_ATTRIBUTES)]


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
        lambda m: f'<svg id="{uid}" class="diagram-svg" role="img" aria-label="{label}"{m.group(1)}>'
                  f"<title>{label}</title>",
        svg, count=1,
    )
    return f'<figure class="diagram">{svg.strip()}</figure>'


def _dark_text_on_fills(group: str) -> str:
    """A Graphviz node or cluster with a fill colour keeps black text: the page's colour may be light on it."""
    if _EDGE_GROUP.match(group):  # an arrowhead is a filled polygon, but an edge label sits on the page
        return group
    return _BARE_TEXT.sub('<text fill="#000000"', group) if _FILLED_SHAPE.search(group) else group
