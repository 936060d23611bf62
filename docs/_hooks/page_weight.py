"""A built page's first-visit weight: the bytes, as gzip, that a browser with an empty cache fetches to show it.

Computed from the built site alone (no browser, no clock), so a test can hold every page to a
budget: the page's HTML, every file its HTML makes the browser load (styles, scripts, images,
icons), what those style sheets load in turn (fonts, images, @import), and the files the theme's
script fetches by itself at start-up (Material's search worker and search index, unless the build
made search load on first use: see lazy_search). Each file counts once per page, at gzip level 6
(what a static host that compresses sends; brotli would be smaller). Data URLs count as part of
the file they are in. Scripts that load more only when the reader acts (the Run controls'
runtime, the search index after this build's change) do not count: nothing fetches them on a
first visit.
"""

from __future__ import annotations

import functools
import gzip
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

GZIP_LEVEL = 6
# <link rel=...> values that name a related page rather than make the browser fetch something
_NOT_FETCHED_LINKS = {"canonical", "alternate", "next", "prev", "author", "license", "help", "search"}
# tag -> attributes whose URL the browser loads by itself, without a click
_FETCHED = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "embed": ("src",), "object": ("data",), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "input": ("src",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"), "feimage": ("href",),
    "link": ("href",),
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
# what Material's bundle fetches at start-up when search loads eagerly: its worker, then the index
_THEME_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")
_SEARCH_WORKER = "assets/javascripts/workers/search.*.min.js"
_SEARCH_INDEX = "search/search_index.json"
LAZY_SEARCH_MARK = "/* search loads on first use (docs/_hooks/lazy_search.py) */"
# A browser fetches an @font-face font only when the page has text set in it. The site's one such font
# is the math font (docs/stylesheets/math.css), and only MathML is set in it: it counts for the pages
# that have a <math> element. A font not named here counts wherever a style sheet names it.
FONT_USED_BY = {"assets/fonts/noto-sans-math.woff2": "<math"}


def _urls_in_srcset(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


class _FetchedURLs(HTMLParser):
    """Collects, from one HTML page, every URL the browser would load on its own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._in_style = tag == "style"
        if tag == "link" and set(values.get("rel", "").lower().split()) <= _NOT_FETCHED_LINKS and values.get("rel"):
            return
        for name in _FETCHED.get(tag, ()):
            if name in values:
                self.urls += _urls_in_srcset(values[name]) if name == "srcset" else [values[name]]
        self.urls += css_urls(values.get("style", ""))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += css_urls(data)


def css_urls(css: str) -> list[str]:
    """Every url(...) and @import target in a style sheet."""
    return [a or b for a, b in _CSS_URL.findall(css)]


def fetched_urls(page_html: str) -> list[str]:
    """Every URL a browser loads by itself when it opens this HTML: scripts, styles, fonts, images, frames."""
    parser = _FetchedURLs()
    parser.feed(page_html)
    return parser.urls


@functools.lru_cache(maxsize=512)
def gzip_size(file: Path) -> int:
    """The file's size as gzip at GZIP_LEVEL."""
    return len(gzip.compress(file.read_bytes(), GZIP_LEVEL))


def _local_file(site: Path, referrer: Path, url: str) -> Path | None:
    """The site file a URL found in `referrer` names, or None for a data URL, an anchor or another host's URL."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    base = site if parts.path.startswith("/") else referrer.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_relative_to(site.resolve()) and target.is_file() else None


def first_visit(site: Path, page: Path) -> dict[str, int]:
    """What a first visit to `page` fetches, as {path within the site: gzip bytes}.

    Args:
        site: the built site's folder.
        page: one of its HTML files.

    Returns:
        Each fetched file once, the page itself first.
    """
    site = site.resolve()
    page_html = page.read_text(encoding="utf-8")
    weights: dict[str, int] = {}
    pending = [page.resolve()]
    while pending:
        file = pending.pop(0)
        name = PurePosixPath(file.relative_to(site)).as_posix()
        if name in weights or (name in FONT_USED_BY and FONT_USED_BY[name] not in page_html):
            continue
        weights[name] = gzip_size(file)
        if file.suffix == ".html":
            found = [_local_file(site, file, url) for url in fetched_urls(file.read_text(encoding="utf-8"))]
        elif file.suffix == ".css":
            found = [_local_file(site, file, url) for url in css_urls(file.read_text(encoding="utf-8"))]
        elif _THEME_BUNDLE.search(name) and LAZY_SEARCH_MARK not in file.read_text(encoding="utf-8"):
            found = [*sorted(site.glob(_SEARCH_WORKER)), site / _SEARCH_INDEX]
        else:
            found = []
        pending += [target for target in found if target is not None and target.is_file()]
    return weights


def site_pages(site: Path) -> list[Path]:
    """Every page of the built site (its index.html files and 404.html), in path order."""
    return sorted(path for path in site.rglob("*.html") if path.name in {"index.html", "404.html"})
