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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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


def on_page(output: str, page: Page) -> str:
    """A notebook page's full HTML with its `<style>` blocks replaced by one link to the shared sheet.

    Args:
        output: the page as MkDocs writes it (on_post_page).
        page: the page; anything but a notebook is returned unchanged.

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
    for values in _declarations(rules):
        for name, value in values:
            (declared.setdefault(name, []).append(value) if name.startswith("--") else read.update(_VAR.findall(value)))
    for rule in rules:
        if isinstance(rule, str):
            read.update(_VAR.findall(rule))
    pending = list(read)
    while pending:  # a kept property's value may read others
        for value in declared.get(pending.pop(), []):
            fresh = set(_VAR.findall(value)) - read
            read |= fresh
            pending += fresh
    return "\n".join(_serialize(rules, read)) + "\n"


# a rule kept: raw at-rule text, (selectors, [(property, value)]), or (at-rule prelude, [rules])
_Rule = str | tuple[str, list[tuple[str, str]]] | tuple[str, list["_Rule"]]


def _kept(nodes: list[tinycss2.ast.Node], used: object) -> list[_Rule]:
    kept: list[_Rule] = []
    for node in nodes:
        if node.type == "error":
            raise PluginError(f"notebook CSS does not parse: {node.message} (line {node.source_line})")
        if node.type == "qualified-rule":
            selectors = [s for s in _split_selectors(node.prelude) if used(s)]  # type: ignore[operator]
            if selectors:
                declarations = [(d.name, _compact(d.value) + (" !important" if d.important else ""))
                                for d in tinycss2.parse_declaration_list(node.content, skip_comments=True,
                                                                         skip_whitespace=True)
                                if d.type == "declaration"]
                kept.append((",".join(selectors), declarations))
        elif node.type == "at-rule" and node.lower_at_keyword in _PURGED_AT_RULES and node.content is not None:
            inner = _kept(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), used)
            if inner:
                kept.append((f"@{node.at_keyword} {_compact(node.prelude)}", inner))
        elif node.type == "at-rule" and node.lower_at_keyword != "charset":
            kept.append(node.serialize())
    return kept


def _split_selectors(prelude: list[tinycss2.ast.Node]) -> list[str]:
    """A selector list's selectors (commas inside :is(...) and the like stay in theirs)."""
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return [text for text in map(_compact, selectors) if text]


def _declarations(rules: list[_Rule]) -> Iterable[list[tuple[str, str]]]:
    for rule in rules:
        if isinstance(rule, tuple):
            head, body = rule
            if head.startswith("@"):
                yield from _declarations(body)  # type: ignore[arg-type]
            else:
                yield body  # type: ignore[misc]


def _serialize(rules: list[_Rule], read: set[str]) -> Iterable[str]:
    for rule in rules:
        if isinstance(rule, str):
            yield rule
            continue
        head, body = rule
        if head.startswith("@"):
            inner = list(_serialize(body, read))  # type: ignore[arg-type]
            if inner:
                yield head + "{" + "".join(inner) + "}"
            continue
        declarations = ";".join(f"{name}:{value}" for name, value in body  # type: ignore[misc]
                                if not name.startswith("--") or name in read)
        if declarations:
            yield f"{head}{{{declarations}}}"


def _compact(tokens: list[tinycss2.ast.Node]) -> str:
    """The tokens as CSS, each run of whitespace between them one space (whitespace in strings stays)."""
    return "".join(" " if token.type == "whitespace" else token.serialize() for token in tokens).strip()
