"""TeX written as `$...$` / `$$...$$` turned into MathML at build time, so no page loads a math script."""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

# pymdownx.arithmatex in generic mode wraps TeX, HTML-escaped, in these two shapes
_ARITHMATEX = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>|<div class="arithmatex">\\\[(?P<block>.*?)\\\]</div>',
    re.S,
)
# latex2mathml keeps a command it does not know as literal text, e.g. <mi>\foo</mi>
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")


class MathError(ValueError):
    """TeX that latex2mathml cannot turn into MathML; the message quotes the TeX."""


def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for one TeX formula; MathError when the TeX is malformed or uses an unknown command."""
    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises a family of exceptions with terse messages
        raise MathError(f"cannot convert TeX {tex.strip()!r}: {type(error).__name__} {error}".rstrip()) from None
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise MathError(f"cannot convert TeX {tex.strip()!r}: unknown command {unknown.group(1)}")
    return mathml


def arithmatex_to_mathml(page_html: str) -> tuple[str, list[tuple[str, str]]]:
    """The page with each arithmatex span/div replaced by MathML, and (TeX, message) for each failure."""
    failures: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        display = match.group("block") is not None
        tex = html.unescape(match.group("block") if display else match.group("inline"))
        try:
            return tex_to_mathml(tex, display)
        except MathError as error:
            failures.append((tex, str(error)))
            return match.group(0)

    return _ARITHMATEX.sub(replace, page_html), failures
