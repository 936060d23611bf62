"""SVG made smaller at build time, drawing the same: for inline diagrams and notebook plots.

The build calls it (dot_fences, live_diagrams, notebook_pages); diagrams redrawn in the reader's
browser after an edit are not minified (this module is not shipped to the page).

What goes: the XML declaration and DOCTYPE, comments, `<metadata>`, whitespace between tags,
spaces inside path data, and digits beyond the second decimal of coordinates (0.01 of a point or
pixel, far below what a screen shows) in path data and positions; not in transforms, where
matplotlib's glyphs are scaled by factors such as 0.015625 that must stay exact. What stays: every
element, `id` (links and styles point at them), `<title>`, `<desc>`, `role` and `aria-*` attributes,
text content, and the `width`, `height` and `viewBox` numbers as written.

An image's SVG can then travel as a `data:` URL in UTF-8 instead of base64, which gzip compresses
about as well as the SVG itself (base64 hides the repetitions gzip finds).
"""

from __future__ import annotations

import re
from urllib.parse import quote

_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->|<metadata\b.*?</metadata>", re.S)
_BETWEEN_TAGS = re.compile(r">\s+<")
_ROUNDED_ATTRIBUTES = re.compile(r'(\s(?:d|x|y|x1|y1|x2|y2|cx|cy|r|rx|ry|points)=")([^"]*)(")')
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")
_PATH_COMMAND_SPACE = re.compile(r"\s*([MLHVCSQTAZmlhvcsqtaz])\s*")
# characters a data: URL inside a double-quoted HTML attribute must not carry as they are
_URL_SAFE = " !$'()*+,-./:;=?@[]^_`{|}~"


def _round(match: re.Match[str]) -> str:
    text = f"{float(match[0]):.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _attribute(match: re.Match[str]) -> str:
    value = _LONG_NUMBER.sub(_round, match[2])
    if match[1].strip() == 'd="':
        value = _PATH_COMMAND_SPACE.sub(r"\1", " ".join(value.split()))
    return match[1] + value + match[3]


def minify(svg: str) -> str:
    """The same drawing in fewer bytes (what is removed and kept: see the module's docstring).

    Args:
        svg: an SVG document, or HTML around an `<svg>` element (a diagram's `<figure>`).

    Returns:
        The same without prologue, comments and metadata, on one line unless text has line breaks.

    Raises:
        ValueError: the text has no `<svg` element.
    """
    if "<svg" not in svg:
        raise ValueError("not SVG: no <svg element in the text")
    svg = _PROLOGUE.sub("", svg)
    svg = _BETWEEN_TAGS.sub("><", svg.strip())
    return _ROUNDED_ATTRIBUTES.sub(_attribute, svg)


def data_url(svg: str) -> str:
    """The SVG as a `data:image/svg+xml` URL in UTF-8, safe inside a double-quoted HTML attribute."""
    return "data:image/svg+xml," + quote(svg, safe=_URL_SAFE)
