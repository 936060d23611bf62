"""Notebook pages share one style sheet, purged of the rules no notebook page uses, instead of inlining Jupyter's.

nbconvert's template writes about 590 KB of CSS into every notebook page (JupyterLab's whole
theme, its Pygments colours, mermaid's rules); almost all of it is for widgets, menus and
variables the pages never use. This module takes those `<style>` blocks out of each notebook
page, links one file, `assets/stylesheets/notebooks.css`, in their place (the browser caches it
across pages), and writes that file after the build with only:

- the rules with at least one selector whose classes and ids all occur in some notebook page's
  HTML (a conservative test: pseudo-classes' arguments and attribute selectors are not used to
  drop a selector, so `.a:not(.b)` stays whenever `.a` occurs);
- the custom properties (`--name: ...`) that a kept declaration or a page's inline style reads
  through `var(--name)`, directly or through another kept property;
- at-rules other than @media/@supports (whose contents are purged the same way) as they are.

mkdocs-jupyter also writes its Pygments CSS a second time as a Python list's repr inside a
`<style>` (not CSS at all: a browser ignores it); that block goes too. tinycss2 parses the CSS
(a dependency of nbconvert's sanitiser, pinned in the docs extra).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tinycss2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

SHEET = "assets/stylesheets/notebooks.css"
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
_CLASS_ATTR = re.compile(r"""\sclass=(?:"([^"]*)"|'([^']*)')""")
_ID_ATTR = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
# a selector's parts that never make it fail to match on their own: [attr...] and (arguments)
_NOT_NAMES = re.compile(r"\[[^\]]*\]|\((?:[^()]|\([^()]*\))*\)")
_SELECTOR_NAME = re.compile(r"([.#])(-?[_a-zA-Z][\w-]*)")
_PURGED_AT_RULES = {"media", "supports", "container", "layer"}


@dataclass
class _Sheet:
    """What the notebook pages of one build gave: their CSS (each distinct block once) and the names they use."""

    blocks: dict[str, str] = field(default_factory=dict)  # sha256 -> CSS, in first-seen order
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    variables: set[str] = field(default_factory=set)

    def clear(self) -> None:
        self.blocks.clear()
        self.classes.clear()
        self.ids.clear()
        self.variables.clear()


SHEET_STATE = _Sheet()


def start() -> None:
    """A new build: forget the previous build's pages."""
    SHEET_STATE.clear()


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """A notebook page's full HTML with its `<style>` blocks replaced by one link to the shared sheet.

    Args:
        output: the page as MkDocs writes it (on_post_page).
        page: the page; anything but a notebook is returned unchanged.
        config: the site's configuration (MkDocs passes it; unused).

    Returns:
        The page without inline styles, the shared sheet linked at the end of its head.
    """
    if not getattr(page, "nb_url", None) and not page.file.src_uri.endswith(".ipynb"):
        return output
    for css in _STYLE.findall(output):
        if not css.lstrip().startswith("['"):  # the Pygments CSS again, as a Python list's repr: not CSS
            SHEET_STATE.blocks.setdefault(hashlib.sha256(css.encode()).hexdigest(), css)
    output = _STYLE.sub("", output)
    SHEET_STATE.classes.update(name for a, b in _CLASS_ATTR.findall(output) for name in (a or b).split())
    SHEET_STATE.ids.update(a or b for a, b in _ID_ATTR.findall(output))
    SHEET_STATE.variables.update(_VAR.findall(output))
    link = f'<link rel="stylesheet" href="{get_relative_url(SHEET, page.url)}">'
    if "</head>" not in output:
        raise PluginError(f"{page.file.src_uri}: no </head> to link {SHEET} from")
    return output.replace("</head>", link + "\n</head>", 1)


def write(config: MkDocsConfig) -> None:
    """Write the shared, purged sheet into the site (nothing when the build had no notebook page)."""
    if not SHEET_STATE.blocks:
        return
    css = purge("\n".join(SHEET_STATE.blocks.values()), SHEET_STATE.classes, SHEET_STATE.ids, SHEET_STATE.variables)
    target = Path(config.site_dir) / SHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(css, encoding="utf-8")


def purge(css: str, classes: set[str], ids: set[str], variables: Iterable[str] = ()) -> str:
    """The style sheet `css` with only what a page using `classes` and `ids` can apply, minified.

    Args:
        css: the style sheet.
        classes: the class names that occur in the pages.
        ids: the element ids that occur in the pages.
        variables: custom properties the pages read themselves (`var(--name)` in a style attribute).

    Returns:
        The kept rules, one per line; custom properties nobody reads are gone.

    Raises:
        PluginError: the CSS does not parse (naming tinycss2's message).
    """
    def used(selector: str) -> bool:
        if "\\" in selector:  # an escaped name is kept: this test does not read escapes
            return True
        return all(name in (classes if kind == "." else ids)
                   for kind, name in _SELECTOR_NAME.findall(_NOT_NAMES.sub("", selector)))

    rules = _kept(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), used)
    read = set(variables)
    declared: dict[str, list[str]] = {}
    for style in _styles(rules):
        for name, value in style.declarations:
            if name.startswith("--"):
                declared.setdefault(name, []).append(value)
            else:
                read.update(_VAR.findall(value))
    read.update(name for rule in rules if isinstance(rule, str) for name in _VAR.findall(rule))
    pending = list(read)
    while pending:  # a kept property's value may read others
        for value in declared.get(pending.pop(), []):
            fresh = set(_VAR.findall(value)) - read
            read |= fresh
            pending += fresh
    return "\n".join(_serialize(rules, read)) + "\n"


@dataclass
class _Style:
    """A style rule kept: its selectors (those that can match), its declarations as (property, value)."""

    selectors: str
    declarations: list[tuple[str, str]]


@dataclass
class _Block:
    """An @media (or @supports...) rule kept: its prelude and the rules kept inside it."""

    prelude: str
    rules: list[_Style | _Block | str]


def _kept(nodes: list[Any], used: Callable[[str], bool]) -> list[_Style | _Block | str]:
    """The rules of `nodes` that can apply (an at-rule this module does not purge is kept as its text)."""
    kept: list[_Style | _Block | str] = []
    for node in nodes:
        if node.type == "error":
            raise PluginError(f"notebook CSS does not parse: {node.message} (line {node.source_line})")
        if node.type == "qualified-rule":
            selectors = [s for s in _split_selectors(node.prelude) if used(s)]
            if selectors:
                declarations = [(d.name, _compact(d.value) + (" !important" if d.important else ""))
                                for d in tinycss2.parse_declaration_list(node.content, skip_comments=True,
                                                                         skip_whitespace=True)
                                if d.type == "declaration"]
                kept.append(_Style(",".join(selectors), declarations))
        elif node.type == "at-rule" and node.lower_at_keyword in _PURGED_AT_RULES and node.content is not None:
            inner = _kept(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), used)
            if inner:
                kept.append(_Block(f"@{node.at_keyword} {_compact(node.prelude)}", inner))
        elif node.type == "at-rule" and node.lower_at_keyword != "charset":
            kept.append(str(node.serialize()))
    return kept


def _split_selectors(prelude: list[Any]) -> list[str]:
    """A selector list's selectors (commas inside :is(...) and the like stay in theirs)."""
    selectors: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return [text for text in map(_compact, selectors) if text]


def _styles(rules: list[_Style | _Block | str]) -> Iterator[_Style]:
    for rule in rules:
        if isinstance(rule, _Block):
            yield from _styles(rule.rules)
        elif isinstance(rule, _Style):
            yield rule


def _serialize(rules: list[_Style | _Block | str], read: set[str]) -> Iterator[str]:
    """The rules as CSS, one per line, without the custom properties outside `read` (nor rules left empty)."""
    for rule in rules:
        if isinstance(rule, str):
            yield rule
        elif isinstance(rule, _Block):
            inner = list(_serialize(rule.rules, read))
            if inner:
                yield rule.prelude + "{" + "".join(inner) + "}"
        else:
            declarations = ";".join(f"{name}:{value}" for name, value in rule.declarations
                                    if not name.startswith("--") or name in read)
            if declarations:
                yield f"{rule.selectors}{{{declarations}}}"


def _compact(tokens: list[Any]) -> str:
    """The tokens as CSS, each run of whitespace between them one space (whitespace in strings stays)."""
    return "".join(" " if token.type == "whitespace" else str(token.serialize()) for token in tokens).strip()
