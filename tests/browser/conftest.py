"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, and the built site served locally.

One browser for the session; every page visit gets its own context (browser_visit.visit).
The whole directory is skipped, with the reason, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import functools
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser_visit import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    LOCAL_HOST,
    SUMMARY,
    PageReport,
    SitePage,
    discover_pages,
    find_chromium,
    new_context,
    screenshot_plan,
    visit,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext



@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Chromium's path, or the whole browser suite skipped with how to get it."""
    path = find_chromium()
    if path is None:
        pytest.skip("browser tests need Chromium: `apt-get install chromium` (.ci/run does), "
                    "or set CHROMIUM=/path/to/chromium")
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python (the test extra)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are recorded by the browser; the server's own log would only be noise."""


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (a free port), as a reader's browser gets it."""
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(built_site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[SitePage]:
    """The built site's pages, found by walking it (never a list kept here)."""
    pages = discover_pages(built_site)
    if not any(page.url == "" for page in pages):
        pytest.fail(f"the built site in {built_site} has no home page (index.html)", pytrace=False)
    return pages


@pytest.fixture(scope="session")
def page_reports(browser: Browser, site_url: str, site_pages: list[SitePage]) -> list[PageReport]:
    """Every page visited once, in URL order."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)  # screenshots of pages that no longer exist would mislead
    plan = screenshot_plan(site_pages)
    started = time.monotonic()
    reports = [visit(browser, site_url, page, plan.get(page.url, "")) for page in site_pages]
    slowest = max(reports, key=lambda report: report.seconds)
    SUMMARY.append(
        f"browser: {len(reports)} pages, {sum(len(r.blocks) for r in reports)} Python examples copied, "
        f"{sum(len(r.diagrams) for r in reports)} diagrams, {sum(r.math['count'] for r in reports)} MathML formulas; "
        f"visits took {time.monotonic() - started:.1f} s (slowest: {slowest.page.name}, {slowest.seconds:.1f} s)")
    return reports


@pytest.fixture(scope="session")
def new_browser_context(browser: Browser, site_url: str) -> Callable[[list[str]], BrowserContext]:
    """A factory for a fresh context set up like the page visits' (for site-wide checks such as search)."""
    return lambda foreign: new_context(browser, site_url, foreign)
