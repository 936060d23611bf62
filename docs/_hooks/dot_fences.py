"""```dot fences: Graphviz source in a page, drawn as inline SVG by pymdownx.superfences.

Options: `title="..."`, the diagram's accessible name; `source="closed"` (or `"open"`) shows
the DOT source under the diagram in a collapsible block, closed (or open) at first.
"""

from __future__ import annotations

import functools
from html import escape
from typing import Any

from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException
from sybil import Document

import svg_minify
from page_examples import fences, line_of
from page_state import PageState
from svg_diagrams import themed_svg


class DiagramError(SuperFencesException, PluginError):
    """A fence that cannot be drawn: superfences lets it through and MkDocs aborts with its message."""


def on_markdown(markdown: str, page: PageState) -> str:
    """Bind the page's ```dot fences to this page: superfences calls back with no page of its own.

    MkDocs makes a new Markdown converter for every page from `mdx_configs`, so the fence
    registered here, with `page` bound by functools.partial, is the one that page's render uses.
    """
    custom = page.config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    custom[:] = [fence for fence in custom if fence.get("name") != "dot"]
    custom.append({"name": "dot", "class": "diagram", "format": functools.partial(format_fence, page),
                   "validator": functools.partial(validate_fence, page)})
    return markdown


def on_html(html: str, page: PageState) -> str:
    """Nothing to do: superfences put the SVG in place while rendering."""
    return html


def validate_fence(page: PageState, language: str, inputs: dict[str, str], options: dict[str, str],
                   attrs: dict[str, str], md: Any) -> bool:
    """A ```dot fence takes `title="..."` (the diagram's accessible name) and `source="open"|"closed"`."""
    for key, value in inputs.items():
        if key not in ("title", "source"):
            raise DiagramError(f"{page.path}: a dot fence accepts title=\"...\" and source=\"open\"|\"closed\", "
                               f"not {key}={value!r}")
        if key == "source" and value not in ("open", "closed"):
            raise DiagramError(f"{page.path}: a dot fence's source= is \"open\" or \"closed\", not {value!r}")
        options[key] = value
    return True


def format_fence(page: PageState, src: str, language: str, class_name: str, options: dict[str, str], md: Any,
                 **kwargs: Any) -> str:
    """Inline SVG for a ```dot fence; DiagramError naming page and line when Graphviz rejects it."""
    try:
        svg = page.cache.graphviz_svg(src)
    except ValueError as error:
        raise DiagramError(f"{page.path}, line {_fence_line(page, src)}: {error}") from None
    figure = svg_minify.minify(themed_svg(svg, options.get("title", "Graph diagram"), page.next_id()), in_html=True)
    if "source" not in options:
        return figure
    shown = " open" if options["source"] == "open" else ""
    return (f'{figure}<details class="note diagram-source"{shown}><summary>DOT source</summary>'
            f'<div class="highlight"><pre><code>{escape(src.strip())}</code></pre></div></details>')


def _fence_line(page: PageState, src: str) -> int | str:
    """The line of the ```dot fence whose content is `src`, in the page as written."""
    for fence in fences(Document(page.text, page.path)):
        if fence.lexemes["info"].split()[:1] == ["dot"] and fence.lexemes["source"].strip() == src.strip():
            return line_of(page.text, fence.start)
    return "?"
