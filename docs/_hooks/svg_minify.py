"""SVG made smaller at build time, drawing the same: for inline diagrams and notebook plots.

The build calls it (dot_fences, live_diagrams, notebook_pages); diagrams redrawn in the reader's
browser after an edit are not minified (this module is not shipped to the page).

What goes: the XML declaration and DOCTYPE, comments, `<metadata>`, whitespace between tags and in
styles, identity transforms (Graphviz's `scale(1 1) rotate(0)`), trailing zeros (`14.00`), a
presentation attribute that the element's own `style` overrides, `xml:space="preserve"` on a text
with no spaces to preserve, and, inside HTML, the namespace declarations its parser does not need.

What shrinks: coordinates are rounded to a grid finer than 0.1 px at the drawn size (one decimal
for Graphviz's and matplotlib's points, see `_decimals`); path data takes relative steps between
those rounded points; a `<polygon>` or `<polyline>` becomes the `<path>` SVG defines it to be; and
an attribute that the texts or shapes of a top-level group repeat (`font-family="Times,serif"` on
every label) is said once, on the group, for them to inherit (see `_hoist`). Transforms keep
their numbers (matplotlib scales its glyphs by factors such as 0.015625 that must stay exact), the
root keeps `width`, `height` and `viewBox` as written.

What stays: every element (a polygon as a path), `id` (links, styles and scripts point at them),
`class`, `<title>`, `<desc>`, `role` and `aria-*` attributes, and text content. Chromium draws
the result within 0.07 px of the original, less than the diagram moved by a fraction of a pixel
shifts its anti-aliasing.

An image's SVG can then travel as a `data:` URL in UTF-8 instead of base64, which gzip compresses
about as well as the SVG itself (base64 hides the repetitions gzip finds).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote

_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->|<metadata\b.*?</metadata>", re.S)
_BETWEEN_TAGS = re.compile(r">\s+<")
# a start, end or empty-element tag; a quoted attribute value may hold ">"
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*(/?)>")
_ATTRIBUTE = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COORDINATES = frozenset({"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry"})
_PLAIN_NUMBERS = frozenset({"font-size", "stroke-width", "stroke-miterlimit", "opacity", "fill-opacity",
                            "stroke-opacity"})
_IDENTITY = re.compile(r"\s*(?:scale\(\s*1(?:[\s,]+1)?\s*\)|rotate\(\s*-?0(?:[\s,]+[-+\d.eE]+){0,2}\s*\)"
                       r"|translate\(\s*0(?:[\s,]+0)?\s*\))")
_STYLE_SPACE = re.compile(r"(\"[^\"]*\"|'[^']*')|\s*([:;,{}])\s*")  # quoted strings are left alone
_SPACE_TO_KEEP = re.compile(r"^[ \t\n\r]|[ \t\n\r]$|[ \t\n\r]{2}|[\t\n\r]")
_HTML_IGNORES = frozenset({"xmlns", "xmlns:xlink", "version"})  # on an <svg> that HTML's parser reads
_SHAPES = frozenset({"path", "polygon", "polyline", "ellipse", "circle", "rect", "line", "use"})
_TEXTS = frozenset({"text", "tspan", "textPath"})
# inherited presentation attributes a group can carry for its children: the elements each paints
_INHERITED = {"fill": _SHAPES | _TEXTS, "font-family": _TEXTS, "font-size": _TEXTS, "text-anchor": _TEXTS}
# numbers per segment of each path command; an arc ("A", with flags among its numbers) is left as written
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "Z": 0}
_PATH_TOKEN = re.compile(rf"([MLHVCSQTZmlhvcsqtz])|({_NUMBER.pattern})|([^\s,])")
_PATH_SPACE = re.compile(r"\s*([A-Za-z])\s*")
# characters a data: URL inside a double-quoted HTML attribute must not carry as they are
_URL_SAFE = " !$'()*+,-./:;=?@[]^_`{|}~"


@dataclass
class _Tag:
    """One tag of the SVG with its attributes in order (None: an attribute written without a value)."""

    name: str
    attributes: dict[str, str | None]
    closing: bool = False
    empty: bool = False

    @classmethod
    def parse(cls, match: re.Match[str]) -> _Tag:
        attributes = {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(match[3])}
        return cls(match[2], attributes, closing=match[1] == "/", empty=match[4] == "/")

    def __str__(self) -> str:
        if self.closing:
            return f"</{self.name}>"
        parts = [self.name] + [name if value is None else f'{name}="{value}"' if '"' not in value
                               else f"{name}='{value}'" for name, value in self.attributes.items()]
        return f"<{' '.join(parts)}{'/' if self.empty else ''}>"

    def styled(self) -> set[str]:
        """The properties the element's `style` attribute sets."""
        style = self.attributes.get("style") or ""
        return {part.split(":")[0].strip() for part in style.split(";") if ":" in part}

    def sets(self, name: str) -> bool:
        """Whether the element sets property `name` itself, as an attribute or in its `style`."""
        return name in self.attributes or name in self.styled()


def minify(svg: str, *, in_html: bool = False) -> str:
    """The same drawing in fewer bytes (what is removed and kept: see the module's docstring).

    Args:
        svg: an SVG document, or HTML around an `<svg>` element (a diagram's `<figure>`).
        in_html: the SVG goes inline into an HTML page, whose parser needs no namespace declarations.

    Returns:
        The same drawing, on one line unless a text has line breaks.

    Raises:
        ValueError: the text has no `<svg` element.
    """
    if "<svg" not in svg:
        raise ValueError("not SVG: no <svg element in the text")
    svg = _BETWEEN_TAGS.sub("><", _PROLOGUE.sub("", svg).strip())
    pieces: list[str | _Tag] = []
    done = 0
    for match in _TAG.finditer(svg):
        pieces += [svg[done:match.start()], _Tag.parse(match)]
        done = match.end()
    pieces.append(svg[done:])
    root = next((p for p in pieces if isinstance(p, _Tag) and p.name == "svg" and not p.closing), None)
    if root is None:
        raise ValueError("not SVG: no <svg element in the text")
    decimals, styles = _decimals(root), []
    for index, piece in enumerate(pieces):
        if isinstance(piece, _Tag) and not piece.closing:
            _shorten(piece, decimals, pieces[index + 1:index + 3])
            if in_html and piece is root:
                piece.attributes = {k: v for k, v in piece.attributes.items() if k not in _HTML_IGNORES}
        elif isinstance(piece, str) and index and str(pieces[index - 1]).startswith("<style"):
            pieces[index] = _compact_style(piece)
            styles.append(pieces[index])
    _hoist([p for p in pieces if isinstance(p, _Tag)], "".join(map(str, styles)))
    return "".join(map(str, pieces))


def _decimals(root: _Tag) -> int:
    """Decimals that keep every coordinate within 0.1 CSS px of where it was, at the size the SVG is drawn.

    Rounding to d decimals moves a point by at most 0.5 * 10^-d user units; the root's `width`
    and `height` over its viewBox's turn a unit into px: 4/3 px for Graphviz and matplotlib
    (whose unit is the point), so one decimal (0.067 px; 0.53 px at the zoom overlay's largest, 8x).
    Without those numbers, two decimals. This assumes no group inside magnifies its contents.
    """
    box = (root.attributes.get("viewBox") or "").replace(",", " ").split()
    sizes = [re.fullmatch(r"\s*(\d+\.?\d*|\.\d+)\s*(px|pt)?\s*", root.attributes.get(side) or "")
             for side in ("width", "height")]
    if len(box) != 4 or None in sizes or float(box[2]) <= 0 or float(box[3]) <= 0:
        return 2
    px_per_unit = max(float(size[1]) * (4 / 3 if size[2] == "pt" else 1) / float(units)
                      for size, units in zip(sizes, box[2:]) if size is not None)
    return max(1, math.ceil(math.log10(px_per_unit * 0.5 / 0.1)))


def _shorten(tag: _Tag, decimals: int, following: list[str | _Tag]) -> None:
    """One start tag's attributes, written shorter (in place); `following`: the two pieces after it."""
    styled = tag.styled() - {"style"}
    shortened: dict[str, str | None] = {}
    for name, value in tag.attributes.items():
        if name in styled:  # the style attribute wins over a presentation attribute
            continue
        if value is None:
            pass
        elif name in _COORDINATES:
            value = _NUMBER.sub(lambda m: _number(round(float(m[0]) * 10**decimals), decimals), value)
        elif name == "d":
            value = _path(value, decimals)
        elif name == "points" and tag.name in ("polygon", "polyline") and tag.empty:
            numbers = _NUMBER.findall(value)
            pairs = " ".join(f"{x} {y}" for x, y in zip(numbers[::2], numbers[1::2]))
            value = _path(f"M{pairs}{'Z' if tag.name == 'polygon' else ''}", decimals)
            tag.name, name = "path", "d"
        elif name in _PLAIN_NUMBERS:
            value = _NUMBER.sub(lambda m: _plain(m[0]), value)
        elif name == "transform":
            value = _IDENTITY.sub("", value).strip()
            if not value:
                continue
        elif name == "style":
            value = _compact_style(value)
        elif name == "xml:space" and value == "preserve" and _nothing_to_preserve(tag, following):
            continue
        shortened[name] = value
    tag.attributes = shortened


def _compact_style(css: str) -> str:
    return _STYLE_SPACE.sub(lambda m: m[1] or m[2], css).strip()


def _nothing_to_preserve(tag: _Tag, following: list[str | _Tag]) -> bool:
    """A `<text>` holding one run of text without leading, trailing, repeated or special spaces."""
    if tag.name != "text" or len(following) < 2 or not isinstance(following[0], str):
        return False
    end = following[1]
    return isinstance(end, _Tag) and end.closing and not _SPACE_TO_KEEP.search(unescape(following[0]))


def _path(d: str, decimals: int) -> str:
    """Path data in relative steps between its points rounded to `decimals`.

    Each point is made absolute and rounded first and the steps are taken between rounded
    points, so the rounding never adds up along the path. A line along an axis becomes `h` or
    `v`; a repeated command drops its letter. Data with an arc, or that does not parse, stays as
    written but for its spaces.
    """
    segments = _absolute_segments(d)
    if segments is None:
        return _PATH_SPACE.sub(r"\1", " ".join(d.split()))
    out: list[str] = []
    x = y = start_x = start_y = 0
    previous = ""
    for kind, coordinates in segments:
        if kind == "Z":
            out.append("z")
            x, y, previous = start_x, start_y, "z"
            continue
        points = [round(c * 10**decimals) for c in coordinates]
        end = (points[0], y) if kind == "H" else (x, points[0]) if kind == "V" else (points[-2], points[-1])
        steps = [p - (y if kind == "V" or (kind != "H" and i % 2) else x) for i, p in enumerate(points)]
        if kind == "L" and steps[1] == 0:
            kind, steps = "H", steps[:1]
        elif kind == "L" and steps[0] == 0:
            kind, steps = "V", steps[1:]
        letter = kind.lower() if out else "M"  # the first moveto's step from (0, 0) is its point
        # a repeated command needs no letter, nor a lineto after a relative moveto (its implicit command)
        if not ((letter == previous and letter != "m") or (letter == "l" and previous == "m")):
            out.append(letter)
        previous = letter
        for step in steps:
            number = _number(step, decimals)
            # a minus sign separates numbers, and so does a second decimal point (".5.5" is .5 and .5)
            if not out[-1].isalpha() and not number.startswith("-") and not (number[0] == "." and "." in out[-1]):
                out.append(" ")
            out.append(number)
        x, y = end
        if kind == "M":
            start_x, start_y = x, y
    return "".join(out)


def _absolute_segments(d: str) -> list[tuple[str, list[float]]] | None:
    """Path data as segments in absolute coordinates (H holds an x, V a y, Z nothing); None if not parsed."""
    tokens = _PATH_TOKEN.findall(d)
    if not tokens or tokens[0][0] not in ("M", "m") or any(other for _, _, other in tokens):
        return None
    commands: list[tuple[str, list[float]]] = []
    for command, number, _ in tokens:
        if command:
            commands.append((command, []))
        else:
            commands[-1][1].append(float(number))
    segments: list[tuple[str, list[float]]] = []
    x = y = start_x = start_y = 0.0
    for command, numbers in commands:
        kind, relative, arity = command.upper(), command.islower(), _ARITY[command.upper()]
        if kind == "Z":
            if numbers:
                return None
            segments.append(("Z", []))
            x, y = start_x, start_y
            continue
        if not numbers or len(numbers) % arity:
            return None
        for first in range(0, len(numbers), arity):
            values = numbers[first:first + arity]
            if kind == "H":
                x = values[0] + (x if relative else 0)
                segments.append(("H", [x]))
            elif kind == "V":
                y = values[0] + (y if relative else 0)
                segments.append(("V", [y]))
            else:
                if relative:
                    values = [v + (y if i % 2 else x) for i, v in enumerate(values)]
                segments.append(("L" if kind == "M" and first else kind, values))  # a moveto's later pairs: linetos
                x, y = values[-2], values[-1]
                if kind == "M" and not first:
                    start_x, start_y = x, y
    return segments


def _number(units: int, decimals: int) -> str:
    """`units` of 10^-decimals as the shortest SVG number; for one decimal 5 -> ".5", -12 -> "-1.2", 30 -> "3"."""
    sign, (whole, fraction) = "-" if units < 0 else "", divmod(abs(units), 10**decimals)
    digits = f"{fraction:0{decimals}d}".rstrip("0")
    return f"{sign}{whole or ''}.{digits}" if digits else f"{sign}{whole}"


def _plain(number: str) -> str:
    """A number without trailing zeros: "14.00" -> "14", "0.50" -> "0.5"."""
    return re.sub(r"\.?0+$", "", number) if "." in number and "e" not in number.lower() else number


def _hoist(tags: list[_Tag], styles: str) -> None:
    """An attribute that the elements it paints in a top-level group repeat is set once on the group.

    Only where no element can inherit it by mistake: every element inside that the attribute
    paints (a text for `font-family`, a text or a shape for `fill`) sets it itself, as an
    attribute or in its style, and no stylesheet in the SVG names it (a rule on a group would
    beat the group's attribute but not the element's own). The most frequent value goes to the
    group and comes off the elements that had it; the others keep theirs. The page's own
    stylesheets style no element inside a diagram.
    """
    depth, top = 0, -1
    groups: list[tuple[_Tag, list[_Tag]]] = []
    for tag in tags:
        if tag.closing:
            depth -= 1
            continue
        if tag.name == "svg" and top < 0:
            top = depth + 1
        elif depth == top and tag.name == "g":
            groups.append((tag, []))
        elif depth > top >= 0 and groups:
            groups[-1][1].append(tag)
        depth += not tag.empty
    for group, members in groups:
        if any(member.name == "foreignObject" for member in members):
            continue  # the HTML inside inherits fonts too
        for name, painted in _INHERITED.items():
            targets = [member for member in members if member.name in painted]
            named = name in styles or (name.startswith("font") and "font:" in styles)
            if not targets or named or name in group.attributes or not all(t.sets(name) for t in targets):
                continue
            counted = Counter(t.attributes[name] for t in targets if t.attributes.get(name) is not None)
            value, count = counted.most_common(1)[0] if counted else ("", 0)
            if count < 2:
                continue
            for target in targets:
                if target.attributes.get(name) == value:
                    del target.attributes[name]
            group.attributes[name] = value


def data_url(svg: str) -> str:
    """The SVG as a `data:image/svg+xml` URL in UTF-8, safe inside a double-quoted HTML attribute."""
    return "data:image/svg+xml," + quote(svg, safe=_URL_SAFE)
