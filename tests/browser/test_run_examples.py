"""Run, Edit, Reset and Stop on the built site in Chromium: every example the browser can run replays
there and matches its page, an edit redraws the diagrams after it, Stop and the time limit end a
run that never finishes, nothing is fetched from another host, and without JavaScript the page is
the static page.

One browser context serves the tests that run Python, so the runtime is downloaded and compiled
once (Playwright's routing would turn the HTTP cache off: requests are recorded instead).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from browser_visit import PROBE, SUMMARY, VIEWPORT, SitePage, is_local

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

PAGES_AT_ONCE = 2  # pages replaying at the same time, each in its own tab and worker
RUN_TIMEOUT = 90_000  # ms: a cold start on two busy cores takes seconds, not this
# a block's run is over when the box below it says something else than that it is running
FINISHED = """k => {
  const box = document.querySelector(`[data-run='${k}']`).nextElementSibling;
  return box && box.classList.contains('run-output') && !/^(Running|Starting)/.test(box.querySelector('.run-status').textContent);
}"""
# clicks Run on each block in turn, each once the one before has finished; their boxes' status and text
RUN_IN_TURN = """async ([indices, limit]) => {
  const results = [];
  for (const k of indices) {
    const block = document.querySelector(`[data-run='${k}']`);
    __siteProbe.reveal(block);
    const started = Date.now();
    block.querySelector('[data-run-control=run]').click();
    const box = () => block.nextElementSibling;
    const finished = () => box()?.classList.contains('run-output') && !/^(Running|Starting)/.test(box().querySelector('.run-status').textContent);
    while (!finished() && Date.now() - started < limit) await new Promise(resolve => setTimeout(resolve, 20));
    results.push(finished() ? {index: k, status: box().dataset.status, text: box().innerText} : {index: k, status: 'timeout', text: ''});
  }
  return results;
}"""
# controls.js adds the controls in short tasks after DOMContentLoaded and says when every block has them
CONTROLS_READY = ("document.documentElement.dataset.runControls === 'ready' && "
                  "document.querySelectorAll('[data-run-control=run]').length === "
                  "document.querySelectorAll('[data-run]').length")


@pytest.fixture(scope="module")
def requests_seen() -> list[str]:
    """Every URL the run tests' pages asked for."""
    return []


@pytest.fixture(scope="module")
def run_context(browser: Browser, requests_seen: list[str]) -> Iterator[BrowserContext]:
    """One context for the tests that run Python: the runtime comes from its HTTP cache after the first page."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(PROBE))
    context.on("request", lambda request: requests_seen.append(request.url))
    yield context
    context.close()


def runnable(site_pages: list[SitePage]) -> list[SitePage]:
    """The pages the build gave Run controls."""
    return [page for page in site_pages if 'id="run-page"' in page.html.read_text(encoding="utf-8")]


def open_page(context: BrowserContext, site_url: str, page: SitePage | str) -> Page:
    tab = context.new_page()
    tab.goto(site_url + (page if isinstance(page, str) else page.url))
    tab.wait_for_function(CONTROLS_READY)
    return tab


def block_index(tab: Page, text: str) -> int:
    """The data-run number of the runnable block whose code contains `text`."""
    index: int = tab.evaluate("t => Number([...document.querySelectorAll('[data-run]')]"
                              ".find(b => b.querySelector('code').textContent.includes(t)).dataset.run)", text)
    return index


def click(tab: Page, index: int, control: str) -> None:
    """Open what hides block `index` and click one of its controls, as a reader would."""
    button = tab.locator(f"[data-run='{index}'] [data-run-control={control}]")
    button.evaluate("el => __siteProbe.reveal(el)")
    button.click()


def run(tab: Page, index: int) -> dict[str, Any]:
    """Click Run on block `index`; the box below it once the run is over (status, text, ms)."""
    click(tab, index, "run")
    tab.wait_for_function(FINISHED, arg=index, timeout=RUN_TIMEOUT)
    return outcome(tab, index)


def outcome(tab: Page, index: int) -> dict[str, Any]:
    result: dict[str, Any] = tab.evaluate(
        "k => { const box = document.querySelector(`[data-run='${k}']`).nextElementSibling;"
        " return {status: box.dataset.status, text: box.innerText, ms: Number(box.dataset.ms)} }", index)
    return result


def test_every_runnable_example_replays_and_matches_its_page(run_context: BrowserContext, site_url: str,
                                                              site_pages: list[SitePage], subtests: Any) -> None:
    started = time.monotonic()
    counts = []
    pages = runnable(site_pages)
    for first in range(0, len(pages), PAGES_AT_ONCE):  # a few pages at a time: each starts its own Python
        batch = [(page, open_page(run_context, site_url, page)) for page in pages[first:first + PAGES_AT_ONCE]]
        for _, tab in batch:  # start the runs without waiting for them
            tab.evaluate("limit => { window.__runResults = (" + RUN_IN_TURN + ")([[...document.querySelectorAll("
                         "'[data-run]')].map(b => Number(b.dataset.run)), limit]); }", RUN_TIMEOUT)
        for page, tab in batch:
            with subtests.test(page=page.name):
                results = tab.evaluate("window.__runResults")
                reasons = tab.evaluate("[...document.querySelectorAll('[data-run-needs]')].length")
                counts.append(f"{page.name} {len(results)}" + (f" (+{reasons} without Run)" if reasons else ""))
                tab.close()
                problems = [f"block {r['index']}: {r['status']}\n{r['text']}" for r in results if r["status"] != "ok"]
                assert not problems, "\n\n".join(problems)
    SUMMARY.append(f"run in the page: {len(counts)} pages replayed block by block in "
                   f"{time.monotonic() - started:.0f} s: " + ", ".join(counts))


def test_an_edited_block_reruns_and_the_diagram_after_it_is_redrawn(run_context: BrowserContext,
                                                                     site_url: str) -> None:
    tab = open_page(run_context, site_url, "value/")
    figure = "document.getElementById('diagram-1').closest('figure')"
    edited = block_index(tab, 'f = Value(-2.0, label="f")')
    drawing = block_index(tab, "graph = draw_dot(L)")
    click(tab, edited, "edit")
    editor = tab.locator(f"[data-run='{edited}'] textarea")
    editor.fill(editor.input_value().replace("Value(-2.0", "Value(-5.0"))
    assert tab.evaluate(f"{figure}.classList.contains('run-stale')"), "the diagram after the edit is not marked stale"
    result = run(tab, edited)
    assert result["status"] == "ok" and "Value(data=-20.0, grad=0.0)" in result["text"], result
    assert run(tab, drawing)["status"] == "ok"
    redrawn = tab.locator("figure.diagram:has(.run-note)").first
    assert "Redrawn from your run" in redrawn.inner_text()
    labels = redrawn.locator("svg text").all_text_contents()
    assert "data -5.0000" in labels and "data -20.0000" in labels and "data -2.0000" not in labels
    assert redrawn.locator("svg text").first.get_attribute("fill") == "currentColor"  # the site's palette
    click(tab, edited, "reset")
    texts = tab.locator("figure.diagram").first.locator("svg text").all_text_contents()
    assert "data -2.0000" in texts, "Reset did not bring back the page's own diagram"
    tab.close()


def test_a_block_ending_with_a_graph_shows_it_inline(run_context: BrowserContext, site_url: str) -> None:
    tab = open_page(run_context, site_url, "value/")
    index = block_index(tab, "graph = draw_dot(L)")
    click(tab, index, "edit")
    tab.locator(f"[data-run='{index}'] textarea").fill(">>> draw_dot(L, rankdir='TB')")
    tab.keyboard.press("Control+Enter")  # runs the block being edited
    tab.wait_for_function(FINISHED, arg=index, timeout=RUN_TIMEOUT)
    assert outcome(tab, index)["status"] == "ok"
    graph = tab.locator(f"[data-run='{index}'] + .run-output figure.diagram svg")
    assert graph.count() == 1 and "data 4.0000" in graph.locator("text").all_text_contents()
    tab.close()


def test_stop_ends_an_endless_loop_and_the_next_run_starts_afresh(run_context: BrowserContext,
                                                                   site_url: str) -> None:
    tab = open_page(run_context, site_url, "value/")
    click(tab, 0, "edit")
    tab.locator("[data-run='0'] textarea").fill("while True:\n    pass")
    tab.locator("[data-run='0'] [data-run-control=run]").focus()
    tab.keyboard.press("Enter")  # the controls work from the keyboard
    tab.wait_for_function("document.querySelector(`[data-run='0'] + .run-output`)?.innerText.startsWith('Running')",
                          timeout=RUN_TIMEOUT)
    tab.wait_for_timeout(500)
    stopped_at = time.monotonic()
    click(tab, 0, "stop")
    tab.wait_for_function(FINISHED, arg=0, timeout=5_000)
    assert outcome(tab, 0)["status"] == "stopped" and time.monotonic() - stopped_at < 5
    assert tab.evaluate("1 + 1") == 2  # the page itself never stopped responding
    click(tab, 0, "reset")
    assert run(tab, 1)["status"] == "ok"  # a new worker replays block 0 from the page
    tab.close()


def test_a_run_past_the_time_limit_is_stopped(run_context: BrowserContext, site_url: str) -> None:
    tab = open_page(run_context, site_url, "value/")
    tab.evaluate("document.documentElement.dataset.runLimitSeconds = '1'")
    click(tab, 0, "edit")
    tab.locator("[data-run='0'] textarea").fill("while True:\n    pass")
    result = run(tab, 0)
    assert result["status"] == "stopped" and "time limit" in result["text"], result
    tab.close()


def test_no_request_left_the_site(requests_seen: list[str]) -> None:
    assert requests_seen, "the run tests made no requests"
    foreign = sorted({url for url in requests_seen if not is_local(url)})
    assert not foreign, f"requests to other hosts: {foreign}"
    assert any(url.endswith("pyodide.asm.wasm") for url in requests_seen), "the runtime was never loaded"


def test_a_page_nobody_runs_fetches_only_the_controls(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    fetched: list[tuple[str, int]] = []
    context.on("requestfinished", lambda request: fetched.append((request.url, request.sizes()["responseBodySize"])))
    tab = context.new_page()
    tab.goto(site_url + "value/", wait_until="networkidle")
    run_files = [(url, size) for url, size in fetched if "/assets/run/" in url]
    assert [re.sub(r".*/assets/run/", "", url) for url, _ in run_files] == ["controls.js"]
    assert run_files[0][1] < 20_000, f"the controls script weighs {run_files[0][1]} bytes"
    tab.hover("[data-run='0'] pre")  # the pointer reaching a block starts the runtime
    tab.wait_for_function("performance.getEntriesByType('resource').some(e => e.name.endsWith('/worker.mjs'))")
    context.close()


def test_without_javascript_there_are_no_controls_and_the_diagrams_stay(browser: Browser, site_url: str,
                                                                       site_pages: list[SitePage],
                                                                       subtests: Any) -> None:
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
    for page in runnable(site_pages):
        with subtests.test(page=page.name):
            tab = context.new_page()
            tab.goto(site_url + page.url)
            built = page.html.read_text(encoding="utf-8").count('<figure class="diagram">')
            assert tab.locator("[data-run-control], .run-output, .run-editor").count() == 0
            assert tab.locator("figure.diagram > svg").count() == built
            tab.close()
    context.close()
