"""The built site in a real browser: every page offline, with visible diagrams, rendered math,
legible diagrams in both palettes, and copy buttons that give code a fresh Python runs.

The pages are visited once (conftest.page_reports); each test judges one property on every
page, as a subtest per page, so a failure names the page and what is wrong on it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pytest

from browser_checks import (
    LEFTOVER_MARKUP,
    RAW_TEX,
    colour_problems,
    copied_code_plan,
    copy_problem,
    run_copied,
)
from browser_visit import ARTIFACTS, ROOT, SCHEMES, SUMMARY, PageReport, SitePage, source_pages

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext


def each_page(subtests: Any, reports: list[PageReport], check: Callable[[PageReport], None]) -> None:
    """Run `check` on every page as its own subtest, named by the page's source file."""
    for report in reports:
        with subtests.test(page=report.page.name):
            check(report)


# --- offline and quiet ------------------------------------------------------------------------


def excerpts(text: str, pattern: re.Pattern[str], margin: int) -> list[str]:
    """Each match of `pattern` in `text` with `margin` characters either side, on one line."""
    return [text[max(0, m.start() - margin):m.end() + margin].replace("\n", " ") for m in pattern.finditer(text)]


def test_every_docs_page_is_in_the_built_site(site_pages: list[SitePage]) -> None:
    found = {page.source for page in site_pages}
    missing = [path.relative_to(ROOT).as_posix() for path in source_pages().values() if path not in found]
    assert not missing, f"docs pages with no page in the built site (so the browser never checks them): {missing}"


def test_no_console_errors(page_reports: list[PageReport], subtests: Any) -> None:
    def check(report: PageReport) -> None:
        assert not report.console_errors, "console errors:\n" + "\n".join(report.console_errors)
    each_page(subtests, page_reports, check)


def test_no_request_leaves_localhost(page_reports: list[PageReport], subtests: Any) -> None:
    def check(report: PageReport) -> None:
        assert not report.foreign_requests, "requests to other hosts than 127.0.0.1:\n" + "\n".join(report.foreign_requests)
    each_page(subtests, page_reports, check)


# --- diagrams and math ------------------------------------------------------------------------


def test_diagrams_in_the_open_flow_are_visible(page_reports: list[PageReport], subtests: Any) -> None:
    def check(report: PageReport) -> None:
        hidden = [
            f"diagram {d['index'] + 1} ({d['id'] or 'no <svg>'}: {d['title'][:60]!r}) is "
            + ("missing its <svg>" if not d["hasSvg"] else f"not visible, {d['width']:.0f}x{d['height']:.0f} px")
            for d in report.diagrams
            if d["open"] and not (d["hasSvg"] and d["visible"] and d["width"] > 0 and d["height"] > 0)
        ]
        assert not hidden, "\n".join(hidden)
    each_page(subtests, page_reports, check)


def test_math_is_rendered(page_reports: list[PageReport], subtests: Any) -> None:
    def check(report: PageReport) -> None:
        raw = excerpts(report.prose, RAW_TEX, 30)
        assert not raw, "raw TeX shown as text (not rendered to MathML):\n" + "\n".join(f"...{r}..." for r in raw[:10])
        assert not report.math["collapsed"], f"MathML with no size in the open flow: {report.math['collapsed']}"
    each_page(subtests, page_reports, check)


def test_no_markup_left_in_the_text(page_reports: list[PageReport], subtests: Any) -> None:
    def check(report: PageReport) -> None:
        leftovers = excerpts(report.prose, LEFTOVER_MARKUP, 40)
        assert not leftovers, "markup shown as text:\n" + "\n".join(f"...{text}..." for text in leftovers[:10])
    each_page(subtests, page_reports, check)


# --- diagram colours in both palettes ---------------------------------------------------------


def test_diagram_text_is_legible_in_both_palettes(page_reports: list[PageReport], subtests: Any) -> None:
    def check(report: PageReport) -> None:
        assert report.backgrounds["light"] != report.backgrounds["dark"], (
            f"switching data-md-color-scheme did not change the page background ({report.backgrounds})")
        problems = [f"{palette}: {problem}" for palette in SCHEMES
                    for diagram in report.colours[palette] for problem in colour_problems(palette, diagram)]
        assert not problems, f"{len(problems)} colour problems:\n" + "\n".join(problems[:20])
        sampled = sum(len(d["texts"]) for d in report.colours["light"])
        open_diagrams = sum(d["open"] for d in report.diagrams)
        assert open_diagrams == 0 or sampled > 0, "diagrams in the open flow have no <text> to check"
    each_page(subtests, page_reports, check)


# --- copy buttons -----------------------------------------------------------------------------


def test_copy_buttons_copy_only_code(page_reports: list[PageReport], subtests: Any) -> None:
    def check(report: PageReport) -> None:
        problems = [problem for block in report.blocks if (problem := copy_problem(block))]
        assert not problems, "\n\n".join(problems)
    each_page(subtests, page_reports, check)


# --- the copied code of each page runs ------------------------------------------------------------


def test_copied_code_of_each_page_runs(page_reports: list[PageReport], subtests: Any) -> None:
    with_code = [report for report in page_reports if report.blocks]
    plans = [copied_code_plan(report) for report in with_code]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores: one page's Python starts while another runs
        results = {report.page.name: result for report, result in zip(with_code, pool.map(run_copied, with_code, plans))}
    SUMMARY.append(
        f"copied code: {len(plans)} pages, {sum(u.kind == 'code' for plan in plans for u in plan.units)} pieces of copied code, "
        f"{sum(len(plan.left_out) for plan in plans)} left out as the docs tests skip them; "
        f"{sum(r.status == 'skipped' for r in results.values())} pages skipped; ran in {time.monotonic() - started:.1f} s")

    def check(report: PageReport) -> None:
        result = results[report.page.name]
        if result.status == "skipped":
            pytest.skip(f"the docs tests skip part of this page here: {result.detail}")
        assert result.status == "passed", result.detail
    each_page(subtests, with_code, check)


# --- site-wide ---------------------------------------------------------------------------------


def test_search_finds_backward(new_browser_context: Callable[[list[str]], BrowserContext], site_url: str) -> None:
    """Search works, and loads its worker and index only once the reader starts using it (lazy_search.py)."""
    foreign: list[str] = []
    context = new_browser_context(foreign)
    search_files: list[str] = []
    try:
        tab = context.new_page()
        tab.on("request", lambda request: search_files.append(request.url) if "search" in request.url else None)
        tab.goto(site_url, wait_until="networkidle")
        loaded_at_start = list(search_files)
        query = tab.locator("input.md-search__input")
        query.click()
        query.press_sequentially("backward")
        results = tab.locator(".md-search-result__item")
        results.first.wait_for(state="visible", timeout=15_000)
        links = [link.get_attribute("href") or "" for link in tab.locator(".md-search-result__item a").all()]
        tab.locator(".md-search-result__item a").first.click()
        tab.wait_for_load_state("load")
        # the result's page highlights the words searched for (it reads the index: it was asked for ?h=)
        tab.locator("mark[data-md-highlight]").first.wait_for(state="attached", timeout=15_000)
    finally:
        context.close()
    assert not loaded_at_start, f"the home page fetched search files before search was used: {loaded_at_start}"
    assert any("search_index.json" in url for url in search_files) and any("workers/search" in url for url in search_files)
    assert links, "searching for 'backward' shows no result"
    assert all(link.startswith(site_url) or not re.match(r"\w+:", link) for link in links), f"results lead off the site: {links}"
    assert not foreign, f"search requested other hosts: {foreign}"


def test_screenshots_are_written(page_reports: list[PageReport]) -> None:
    shots = sorted(path.name for path in ARTIFACTS.glob("*.png"))
    for palette in SCHEMES:
        assert f"home-{palette}.png" in shots, f"no screenshot of the home page in the {palette} palette in {ARTIFACTS}"
    if any(report.diagrams for report in page_reports):
        assert any("-diagram" in name for name in shots), f"no diagram screenshots in {ARTIFACTS}: {shots}"
