"""Browsing the built site: finding its pages, visiting one, and what a visit records.

`visit()` loads one page in its own browser context and records what tests/browser/test_site.py
judges: console errors, requests to other hosts, diagrams, math, diagram colours in both
palettes, and what each Python example's copy button put on the clipboard. The fixtures that
own the browser and the server are in conftest.py.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from mkdocs.structure.files import File

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "test-artifacts" / "browser"  # gitignored: screenshots for people to look at
PROBE = Path(__file__).with_name("probe.js")
LOCAL_HOST = "127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
Palette = Literal["light", "dark"]
SCHEMES: dict[Palette, str] = {"light": "default", "dark": "slate"}  # Material's palette names
Screenshots = Literal["", "page", "diagrams"]  # none, the top of the page, the top and its diagrams
SAMPLES_PER_DIAGRAM = 60  # text and stroke elements whose colours are read, per diagram and palette
SCREENSHOT_DIAGRAMS = 4  # diagrams photographed on each key page that has them
SUMMARY: list[str] = []  # lines for the end of the test run: what the suite covered and how long it took


@dataclass(frozen=True)
class SitePage:
    """One page of the built site: its URL path, its HTML file, and the docs/ file it came from."""

    url: str  # relative to the site root: "" for the home page, "value/" ...
    html: Path
    source: Path | None  # docs/*.md or docs/**/*.ipynb; None for pages no single file makes

    @property
    def name(self) -> str:
        """How messages name the page: its source file, else its URL."""
        if self.source is None:
            return f"/{self.url}"
        return self.source.relative_to(ROOT).as_posix() if self.source.is_relative_to(ROOT) else str(self.source)


@dataclass
class CopiedBlock:
    """A Python example and what its copy button put on the clipboard (None: nothing could be copied)."""

    index: int
    kind: Literal["fence", "cell"]  # a Material code block, or a notebook code cell
    language: str
    displayed: str  # the block's text as shown, prompts and output included
    copied: str | None
    problem: str = ""  # why nothing was copied


@dataclass
class PageReport:
    """What one visit of one page found."""

    page: SitePage
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    diagrams: list[dict[str, Any]] = field(default_factory=list)
    math: dict[str, Any] = field(default_factory=dict)
    prose: str = ""  # the page's text outside code, diagrams and MathML
    backgrounds: dict[Palette, str] = field(default_factory=dict)  # <body> background colour
    colours: dict[Palette, list[dict[str, Any]]] = field(default_factory=dict)  # diagramColours()
    blocks: list[CopiedBlock] = field(default_factory=list)
    seconds: float = 0.0


def find_chromium() -> str | None:
    """Debian's chromium (or $CHROMIUM): Playwright's own browser download cannot be used here."""
    candidates = [os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser"]
    return next((found for name in candidates if name and (found := shutil.which(name))), None)


def is_local(url: str) -> bool:
    """A request that stays on this machine's site server (data: and blob: URLs go nowhere)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == LOCAL_HOST


def source_pages() -> dict[str, Path]:
    """docs/ files that become pages, by the HTML file MkDocs writes for them."""
    sources = {}
    for path in sorted(DOCS.rglob("*")):
        relative = path.relative_to(DOCS)
        if path.suffix not in (".md", ".ipynb") or any(part.startswith(("_", ".")) for part in relative.parts):
            continue  # _hooks/, _overrides/ and the like are excluded from the site (exclude_docs)
        # mkdocs-jupyter gives a notebook the URL its Markdown twin would have
        twin = File(relative.with_suffix(".md").as_posix(), str(DOCS), "site", use_directory_urls=True)
        sources[twin.dest_uri] = path
    return sources


def discover_pages(site: Path) -> list[SitePage]:
    """Every index.html of the built site is a page."""
    sources = source_pages()
    pages = []
    for html in sorted(site.rglob("index.html")):
        relative = html.relative_to(site).as_posix()
        url = relative.removesuffix("index.html")
        pages.append(SitePage(url=url, html=html, source=sources.get(relative)))
    return pages


def new_context(browser: Browser, site_url: str, foreign: list[str]) -> BrowserContext:
    """A fresh browser context: clipboard allowed for the site, the probe installed, other hosts cut off.

    Every request to another host is appended to `foreign` and answered with a network error.
    """
    context = browser.new_context(viewport=VIEWPORT, color_scheme="light")
    context.set_default_timeout(15_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    context.add_init_script(path=str(PROBE))

    def record(url: str) -> None:
        if not is_local(url) and url not in foreign:
            foreign.append(url)

    context.on("request", lambda request: record(request.url))
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    return context


def slug(page: SitePage) -> str:
    """A file-name-safe name for the page: "home", "value", "notebooks-moons" ..."""
    return page.url.strip("/").replace("/", "-") or "home"


def copy_python_blocks(tab: Page) -> list[CopiedBlock]:
    """Click every Python example's copy button, as a reader would, and read the clipboard."""
    copied_blocks = []
    for block in tab.evaluate("__siteProbe.pythonBlocks()"):
        copied, problem = None, ""
        if not block["hasButton"]:
            problem = "the example has no copy button"
        else:
            button = tab.locator(f"[data-browser-test-copy='{block['index']}']")
            sentinel = f"(clipboard before copying block {block['index']})"
            # open what hides the block, and mark the clipboard so that a copy that does nothing shows
            button.evaluate("(el, text) => { __siteProbe.reveal(el); return navigator.clipboard.writeText(text); }", sentinel)
            button.click()
            deadline = time.monotonic() + 3
            while (copied := tab.evaluate("navigator.clipboard.readText()")) == sentinel and time.monotonic() < deadline:
                tab.wait_for_timeout(50)
            if copied == sentinel:
                copied, problem = None, "clicking the copy button left the clipboard unchanged"
        copied_blocks.append(CopiedBlock(block["index"], block["kind"], block["language"], block["displayed"], copied, problem))
    return copied_blocks


def take_screenshots(tab: Page, page: SitePage, palette: Palette, diagrams: bool) -> None:
    """The top of the page, and (on the diagram page) the first few diagrams, in one palette."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=ARTIFACTS / f"{slug(page)}-{palette}.png", animations="disabled")
    if diagrams:
        figures = tab.locator("article figure.diagram")
        for n in range(min(figures.count(), SCREENSHOT_DIAGRAMS)):
            if figures.nth(n).is_visible():
                figures.nth(n).screenshot(path=ARTIFACTS / f"{slug(page)}-diagram{n + 1}-{palette}.png", animations="disabled")


def visit(browser: Browser, site_url: str, page: SitePage, screenshots: Screenshots) -> PageReport:
    """Load one page in its own context and record everything test_site.py checks, with `screenshots`."""
    started = time.monotonic()
    report = PageReport(page)
    context = new_context(browser, site_url, report.foreign_requests)
    try:
        tab = context.new_page()
        tab.on("console", lambda message: message.type == "error" and report.console_errors.append(
            f"{message.text} (at {message.location.get('url')}:{message.location.get('lineNumber')})"))
        tab.on("pageerror", lambda error: report.console_errors.append(f"uncaught exception: {error}"))
        tab.on("websocket", lambda socket: is_local(socket.url) or report.foreign_requests.append(socket.url))
        tab.goto(site_url + page.url, wait_until="load")
        tab.wait_for_function("__siteProbe.copyButtonsReady() && __siteProbe.runControlsReady()")
        report.diagrams = tab.evaluate("__siteProbe.diagrams()")
        report.math = tab.evaluate("__siteProbe.math()")
        report.prose = tab.evaluate("__siteProbe.prose()")
        for palette, scheme in SCHEMES.items():
            report.backgrounds[palette] = tab.evaluate("scheme => __siteProbe.setScheme(scheme)", scheme)
            report.colours[palette] = tab.evaluate("limit => __siteProbe.diagramColours(limit)", SAMPLES_PER_DIAGRAM)
            if screenshots:
                take_screenshots(tab, page, palette, diagrams=screenshots == "diagrams")
        tab.evaluate("scheme => __siteProbe.setScheme(scheme)", SCHEMES["light"])
        report.blocks = copy_python_blocks(tab)
    finally:
        context.close()
    report.seconds = time.monotonic() - started
    return report


def screenshot_plan(pages: list[SitePage]) -> dict[str, Screenshots]:
    """Key pages to photograph: the home page, the page with the most diagrams, and the one with the most graphs."""
    html = {page.url: page.html.read_text(encoding="utf-8") for page in pages}
    plan: dict[str, Screenshots] = {"": "page"}
    for marker in ('<figure class="diagram"', ' class="graph"'):  # any diagram; a Graphviz graph
        most = max(html, key=lambda url: html[url].count(marker))
        if html[most].count(marker):
            plan[most] = "diagrams"
    return plan
