"""Search loads on first use: Material's worker and its index are fetched when the reader opens search.

Material's bundle starts its search worker and fetches `search/search_index.json` as soon as any
page loads (over http; from file:// it already waits for the search toggle). The index holds the
text of every page, 96 KB as gzip here, and the worker 12 KB more: most of a page's first visit
for a search the reader may never make. After the build this module changes three spots of the
site's copy of the bundle:

- the index is requested when the search toggle first turns on (clicking or focusing the search
  field, or the `/` `s` `f` keys, all turn it on), not at load; once, not on every opening;
- the worker is a stand-in until its first message (the index) is posted, then the real one;
- the highlighting of a result's words on the page it opens (`?h=` in its address) reads the
  index only on such a page.

Searching then works as before, also offline: the index is a file of the site. Each page's
search dialog also gets the name it lacks (`aria-label`). Material's minified code names things
differently in each release, so the change is found by patterns over the code's shape; if a
release changes that shape the build stops naming this module, rather
than ship a bundle that fetches everything at load.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from page_weight import LAZY_SEARCH_MARK

# in the function that sets the worker up: `let r=Mn(e);return L($(location.protocol!=="file:"),Je("search"))
# .pipe(Re(o=>o),...` -- make a worker, then start it at once over http or when the search toggle turns on
_EAGER_START = re.compile(
    r'let (?P<worker>[\w$]+)=(?P<make>[\w$]+)\((?P<url>[\w$]+)\);'
    r'return (?P<merge>[\w$]+)\((?P<of>[\w$]+)\(location\.protocol!=="file:"\),(?P<toggle>[\w$]+\("search"\))\)'
    r'\.pipe\((?P<filter>[\w$]+)\((?P<v>[\w$]+)=>(?P=v)\),')
# the search highlight (`?h=` in the address) combines the index with the address at load, which fetches it
_HIGHLIGHT = re.compile(r'(\{index\$:(?P<index>[\w$]+),location\$:[\w$]+\}\)\{return [\w$]+\(\[)(?P=index),')
# `index$ = document.forms.namedItem("search") ? fetchIndex() : NEVER`: the name of NEVER
_NEVER = re.compile(r'document\.forms\.namedItem\("search"\)\?[\w$]+\(\):(?P<never>[\w$]+)[,;]')
_SOURCE_MAP = "\n//# sourceMappingURL="
# a Worker that exists only once something is posted to it; it passes the real one's messages on
_LAZY_WORKER = ('new(class extends EventTarget{postMessage(m){if(!this.w){this.w=new Worker(URL);'
                'this.w.onmessage=e=>this.dispatchEvent(new MessageEvent("message",{data:e.data}))}'
                'this.w.postMessage(m)}})')


def lazy(bundle: str) -> str:
    """The bundle's code with search started on the toggle's first opening, by a worker made on first use.

    Raises:
        PluginError: the code's shape is not the one this module knows (found zero or several times).
    """
    for name, pattern in (("starts search", _EAGER_START), ("highlights results", _HIGHLIGHT), ("names NEVER", _NEVER)):
        found = len(pattern.findall(bundle))
        if found != 1:
            raise PluginError(f"lazy_search: Material's bundle {name} in a way this module does not know (found "
                              f"{found} times); docs/_hooks/lazy_search.py needs updating for this release")
    never = _NEVER.search(bundle)["never"]  # type: ignore[index]

    def start_on_first_opening(m: re.Match[str]) -> str:
        v = m["v"]
        worker = _LAZY_WORKER.replace("URL", m["url"])
        return (f'let {m["worker"]}={m["make"]}({m["url"]},{worker});'
                f'return {m["toggle"]}.pipe({m["filter"]}((d=>{v}=>{v}&&!d&&(d=!0))(!1)),')

    def highlight_only_from_a_result(m: re.Match[str]) -> str:
        # without ?h= there is nothing to highlight: combine with NEVER, which fetches nothing
        return f'{m[1]}(new URL(location.href).searchParams.get("h")?{m["index"]}:{never}),'

    code = _HIGHLIGHT.sub(highlight_only_from_a_result, _EAGER_START.sub(start_on_first_opening, bundle))
    code, map_comment, map_url = code.rpartition(_SOURCE_MAP)
    if not map_comment:
        return code + map_url + "\n" + LAZY_SEARCH_MARK + "\n"
    # the mark goes below the code, so the source map's lines still match
    return code + "\n" + LAZY_SEARCH_MARK + map_comment + map_url


_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def name_dialog(output: str) -> str:
    """The page with Material's search dialog named (`aria-label`), as a dialog must be for a screen reader."""
    return output.replace(_DIALOG, _DIALOG[:-1] + ' aria-label="Search">', 1)


def patch_site(config: MkDocsConfig) -> None:
    """Rewrite the built site's Material bundle (there is exactly one) so that search loads on first use,
    and name the search dialog in every page.

    A site with another theme (a test's small site) is left alone.

    Raises:
        PluginError: no bundle, several, or one of unknown shape.
    """
    if config.theme.name != "material":  # another theme has no such bundle
        return
    bundles = sorted((Path(config.site_dir) / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise PluginError(f"lazy_search: expected one Material bundle in assets/javascripts, found {len(bundles)}")
    code = bundles[0].read_text(encoding="utf-8")
    if LAZY_SEARCH_MARK not in code:  # `mkdocs serve` keeps an unchanged theme file between builds
        bundles[0].write_text(lazy(code), encoding="utf-8")
    for page in Path(config.site_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _DIALOG in text:
            page.write_text(name_dialog(text), encoding="utf-8")
