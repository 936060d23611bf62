"""TeX's layout rules that latex2mathml's MathML leaves out, restored so that Chromium sets it as TeX would.

Seen in Chromium with an OpenType MATH font (docs/_hooks/math_font.py):
- `f'` came out as `<msup><mi>f</mi><mi>&#x2032;</mi></msup>`: the prime glyph is already raised, so as
  a superscript it sat above the letter. It becomes `f` followed by the prime.
- `\\lim_{h \\to 0}` and `\\sum_i` came out as subscripts; TeX puts a large operator's limits under
  it in display style. They become `munder`/`munderover` with `movablelimits`, which MathML Core
  turns back into subscripts in inline math, as TeX does.
- `\\ln x`, `\\tanh^2 a`: TeX puts a thin space (3mu) between an operator name and an ordinary
  neighbour, none before an opening parenthesis; latex2mathml puts none at all. `\\max` and
  `\\operatorname{relu}` came out as `<mo>`, which MathML spaces as a relation (0.28em on each side).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

MATHML = "http://www.w3.org/1998/Math/MathML"
ET.register_namespace("", MATHML)
PRIMES = {"\u2032", "\u2033", "\u2034"}  # prime, double prime, triple prime
LIMIT_OPERATORS = {"lim", "max", "min", "sup", "inf", "\u2211", "\u220f"}  # and ∑, ∏
# TeX's named functions (\ln, \tanh...) that latex2mathml writes as a multi-letter <mi>
FUNCTION_NAMES = {"arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg", "det", "dim", "exp",
                  "gcd", "hom", "ker", "lg", "ln", "log", "sec", "sin", "sinh", "tan", "tanh"}
THIN_SPACE = "0.1667em"  # TeX's \, (3mu)
# elements whose children are read one after another (the others give each child a role: base, script...)
_SEQUENCES = {"math", "mrow", "mtd", "msqrt", "mstyle", "mpadded", "mphantom", "menclose", "merror"}


def _tag(element: ET.Element) -> str:
    return element.tag.removeprefix(f"{{{MATHML}}}")


def _new(tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.Element(f"{{{MATHML}}}{tag}", attributes)
    element.text = text
    return element


def _is_operator_name(element: ET.Element) -> bool:
    """`\\ln`, `\\max`, `\\operatorname{relu}`: letters set upright, spaced as TeX's Op atom."""
    text = (element.text or "").strip()
    return _tag(element) in ("mi", "mo") and len(text) > 1 and text.isascii() and text.isalpha()


def _is_operator_name_unit(element: ET.Element) -> bool:
    """An operator name alone or with its scripts or limits (`\\tanh^2`, `\\lim_{h \\to 0}`)."""
    if _tag(element) in ("msup", "msub", "msubsup", "munder", "munderover") and len(element):
        return _is_operator_name(element[0])
    return _is_operator_name(element)


def _fix_children(parent: ET.Element) -> None:
    """Primes, limits and operator names among `parent`'s children, then the spacing of a sequence."""
    children: list[ET.Element] = []
    for child in parent:
        _fix_children(child)
        tag = _tag(child)
        if tag == "msup" and len(child) == 2 and _tag(child[1]) == "mi" and child[1].text in PRIMES:
            children += [child[0], _new("mo", child[1].text, lspace="0em", rspace="0em")]
            continue
        if tag == "msubsup" and len(child) == 3 and _tag(child[2]) == "mi" and child[2].text in PRIMES:
            primed = _new("mrow")
            primed.extend([child[0], _new("mo", child[2].text, lspace="0em", rspace="0em")])
            scripted = _new("msub")
            scripted.extend([primed, child[1]])
            children.append(scripted)
            continue
        if tag in ("msub", "msubsup") and _tag(child[0]) == "mo" and (child[0].text or "").strip() in LIMIT_OPERATORS:
            child.tag = f"{{{MATHML}}}{'munder' if tag == 'msub' else 'munderover'}"
            child[0].set("movablelimits", "true")
        if _tag(parent) in _SEQUENCES and tag == "mo" and _is_operator_name(child):
            child.tag = f"{{{MATHML}}}mi"  # an operator name without limits: spaced by _spaced, not as a relation
        children.append(child)
    for child in children:
        if _tag(child) in ("munder", "munderover") and _is_operator_name(child[0]):
            # `lim` with limits stays an <mo> (movablelimits needs one); _spaced gives it TeX's spacing
            child[0].set("lspace", "0em")
            child[0].set("rspace", "0em")
    if _tag(parent) in _SEQUENCES:
        children = _spaced(children)
    for child in list(parent):
        parent.remove(child)
    parent.extend(children)


def _spaced(children: list[ET.Element]) -> list[ET.Element]:
    """A thin space between an operator name and an ordinary neighbour (not an operator such as `(` or `=`)."""
    spaced: list[ET.Element] = []
    for index, child in enumerate(children):
        if _is_operator_name_unit(child):
            before = children[index - 1] if index else None
            if before is not None and _tag(before) not in ("mo", "mspace") and not _is_operator_name_unit(before):
                spaced.append(_new("mspace", width=THIN_SPACE))
            spaced.append(child)
            after = children[index + 1] if index + 1 < len(children) else None
            if after is not None and _tag(after) not in ("mo", "mspace"):
                spaced.append(_new("mspace", width=THIN_SPACE))
        else:
            spaced.append(child)
    return spaced


def tex_layout(mathml: str) -> str:
    """latex2mathml's `<math>` with primes, limits and operator-name spacing set as TeX sets them."""
    root = ET.fromstring(mathml)
    _fix_children(root)
    return ET.tostring(root, encoding="unicode", short_empty_elements=False)
