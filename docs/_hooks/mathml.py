"""TeX written as `$...$` / `$$...$$` turned into MathML at build time, so no page loads a math script.

A formula that does not convert stops the build naming where it was written: the page and
line, or for an API page the `.py` file and line of the docstring that holds it.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
from pathlib import Path

from latex2mathml.commands import MATRICES
from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

from math_layout import tex_layout
from page_examples import line_of
from page_state import PageState

# pymdownx.arithmatex in generic mode wraps TeX, HTML-escaped, in these two shapes
_ARITHMATEX = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>|<div class="arithmatex">\\\[(?P<block>.*?)\\\]</div>',
    re.S,
)
# latex2mathml keeps a command it does not know as literal text, e.g. <mi>\foo</mi>
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")
# latex2mathml drops an environment it does not know and keeps only its content
_ENVIRONMENT = re.compile(r"\\begin\s*\{([^}]*)\}")
KNOWN_ENVIRONMENTS = frozenset(name.lstrip("\\") for name in MATRICES)
_AUTODOC = re.compile(r"^:::[ \t]*([\w.]+)", re.MULTILINE)  # mkdocstrings' `::: package.module`


class MathError(ValueError):
    """TeX that latex2mathml cannot turn into MathML; the message quotes the TeX."""


def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for one TeX formula; MathError when the TeX is malformed or uses an unknown command or environment."""
    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises a family of exceptions with terse messages
        raise MathError(f"cannot convert TeX {tex.strip()!r}: {type(error).__name__} {error}".rstrip()) from None
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise MathError(f"cannot convert TeX {tex.strip()!r}: unknown command {unknown.group(1)}")
    environment = next((name for name in _ENVIRONMENT.findall(tex) if name not in KNOWN_ENVIRONMENTS), None)
    if environment is not None:
        raise MathError(f"cannot convert TeX {tex.strip()!r}: unknown environment {environment} "
                        f"(known: {', '.join(sorted(KNOWN_ENVIRONMENTS))})")
    return tex_layout(mathml)


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


def on_markdown(markdown: str, page: PageState) -> str:
    """Nothing to do: arithmatex marks the TeX while Markdown becomes HTML."""
    return markdown


def on_html(page_html: str, page: PageState) -> str:
    """The page with its TeX as MathML; PluginError naming the formula's file and line if one fails."""
    if page.is_notebook:
        return page_html
    page_html, failures = arithmatex_to_mathml(page_html)
    if failures:
        tex, message = failures[0]
        raise PluginError(f"{where_written(tex, page)}: {message}")
    return page_html


def where_written(tex: str, page: PageState) -> str:
    """`file, line N` of a formula: in the page, else in a docstring of a module the page documents
    (or, for what it re-exports, of another module of the same package)."""
    found = page.text.find(tex.strip())
    if found >= 0:
        return page.where(found)
    for module in dict.fromkeys(path for name in _AUTODOC.findall(page.text) for path in _module_files(name)):
        source = module.read_text(encoding="utf-8")
        # a docstring that is not a raw string writes each backslash of its TeX twice
        for written in (tex.strip(), tex.strip().replace("\\", "\\\\")):
            found = source.find(written)
            if found >= 0:
                return f"{os.path.relpath(module)}, line {line_of(source, found)}"
    return page.path


def _module_files(name: str) -> list[Path]:
    """The .py file of the module that `name` (a module, or an object inside one) lives in, then the
    other .py files of its top-level package, if it is in one."""
    parts = name.split(".")
    while parts:
        try:
            spec = importlib.util.find_spec(".".join(parts))
        except ModuleNotFoundError:  # `package.module.Class`: the parent is not a package
            spec = None
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            top = importlib.util.find_spec(parts[0])
            folders = list(top.submodule_search_locations or []) if top else []
            return [Path(spec.origin), *(path for folder in folders for path in sorted(Path(folder).rglob("*.py")))]
        parts.pop()
    return []
