"""The run controls script (docs/_hooks/run_in_page/controls.js) on small pages made here, in Chromium.

No site build: each test serves a page that has what the build and Material give a real one (the
JSON island, blocks marked data-run / data-run-needs, a `.md-code__nav` with a copy button made by
a stand-in for Material's DOMContentLoaded handler) beside the real controls.js and a worker that
does nothing. They check what the script promises: every block gets its controls in the nav's
order, none during the task that runs DOMContentLoaded's handlers (they come in later, short
tasks), and `<html data-run-controls="ready">` only once every block has them.
"""

from __future__ import annotations

import functools
import html
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser_visit import LOCAL_HOST, ROOT, VIEWPORT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CONTROLS = ROOT / "docs" / "_hooks" / "run_in_page" / "controls.js"
READY = "document.documentElement.dataset.runControls === 'ready'"
# each block's nav, as the names of its buttons in order (Material's copy button is "copy")
NAVS = """() => [...document.querySelectorAll('[data-run], [data-run-needs]')].map(block =>
  [...block.querySelector('.md-code__nav')?.children ?? []].map(b => b.dataset.runControl || b.dataset.mdType))"""


def page(runnable: int, needs: int = 0, late: tuple[int, ...] = (), never: tuple[int, ...] = ()) -> str:
    """A page with `runnable` blocks and then `needs` blocks the browser cannot run. Material's stand-in
    gives each block its nav at DOMContentLoaded; those numbered in `late` get theirs 300 ms later,
    those in `never` none. A deferred script after controls.js records how many controls there were
    when DOMContentLoaded's handlers ran (the stand-in's runs first, controls.js's in between)."""
    blocks = [f'<div class="language-python highlight" data-run="{k}"><pre><code>print({k})\n</code></pre></div>'
              for k in range(runnable)]
    blocks += [f'<div class="language-python highlight" data-run-needs="it needs torch {k}">'
               f'<pre><code>import torch\n</code></pre></div>' for k in range(needs)]
    material = """
      const navs = (blocks) => blocks.forEach(block => {
        const nav = document.createElement('nav');
        nav.className = 'md-code__nav';
        const copy = document.createElement('button');
        copy.className = 'md-code__button';
        copy.dataset.mdType = 'copy';
        nav.append(copy);
        block.querySelector('pre').prepend(nav);
      });
      document.addEventListener('DOMContentLoaded', () => {
        const all = [...document.querySelectorAll('[data-run], [data-run-needs]')];
        navs(all.filter((_, k) => !LATE.includes(k) && !NEVER.includes(k)));
        setTimeout(() => navs(all.filter((_, k) => LATE.includes(k))), 300);
      });""".replace("LATE", json.dumps(list(late))).replace("NEVER", json.dumps(list(never)))
    island = html.escape(json.dumps({"page": "pages/page.json", "diagrams": []}), quote=False)
    return f"""<!doctype html><html><head><title>controls</title></head><body><article>
{''.join(blocks)}
<script type="application/json" id="run-page">{island}</script>
<script>{material}</script>
<script src="/assets/run/controls.js" defer></script>
<script src="/after.js" defer></script>
</article></body></html>"""


AFTER = """document.addEventListener('DOMContentLoaded', () => {
  window.__controlsDuringDOMContentLoaded = document.querySelectorAll('[data-run-control]').length;
});"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """The browser records what it fetched; the server's log would be noise."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A folder served on 127.0.0.1 holding controls.js, a worker that does nothing, and the pages the tests write."""
    folder = tmp_path_factory.mktemp("controls")
    (folder / "assets" / "run").mkdir(parents=True)
    (folder / "assets" / "run" / "controls.js").write_text(CONTROLS.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "assets" / "run" / "worker.mjs").write_text("self.onmessage = () => {};\n", encoding="utf-8")
    (folder / "after.js").write_text(AFTER, encoding="utf-8")
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_Quiet, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{server.server_address[1]}/", folder
    server.shutdown()
    server.server_close()


@pytest.fixture
def open_page(browser: Browser, served: tuple[str, Path]) -> Iterator[Any]:
    """Writes a page (the arguments of page()) and opens it in a fresh context; the tab."""
    contexts = []

    def opener(name: str, **blocks: Any) -> Page:
        base, folder = served
        (folder / name).mkdir(exist_ok=True)
        (folder / name / "index.html").write_text(page(**blocks), encoding="utf-8")
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(10_000)
        contexts.append(context)
        tab = context.new_page()
        tab.goto(f"{base}{name}/")
        return tab

    yield opener
    for context in contexts:
        context.close()


def test_every_block_gets_its_controls_in_order_after_domcontentloaded(open_page: Any) -> None:
    tab = open_page("many", runnable=120, needs=2)
    tab.wait_for_function(READY)
    assert tab.evaluate(NAVS) == [["run", "stop", "edit", "reset", "copy"]] * 120 + [["why", "copy"]] * 2
    assert tab.evaluate("window.__controlsDuringDOMContentLoaded") == 0, \
        "controls were added in the task that runs DOMContentLoaded's handlers"
    labels = tab.evaluate("[...document.querySelectorAll('[data-run=\"6\"] [data-run-control]')]"
                          ".map(b => [b.getAttribute('aria-label'), b.title === b.getAttribute('aria-label'), b.hidden,"
                          " b.type, b.className])")
    assert labels == [["Run example 7 in your browser", True, False, "button", "md-code__button"],
                      ["Stop the run", True, True, "button", "md-code__button"],
                      ["Edit example 7", True, False, "button", "md-code__button"],
                      ["Reset example 7 to the page's code", True, True, "button", "md-code__button"]]
    assert tab.evaluate("[...document.styleSheets].some(sheet => [...sheet.cssRules].some(rule =>"
                        " rule.selectorText === '[data-run-control=\"run\"]'))"), "the controls' styles are missing"


def test_ready_waits_for_a_nav_that_comes_late_and_never_comes_without_one(open_page: Any) -> None:
    tab = open_page("late", runnable=3, needs=1, late=(1, 3))
    tab.wait_for_function("document.querySelectorAll('[data-run=\"0\"] [data-run-control]').length === 4")
    assert tab.evaluate(READY) is False, "ready before the late blocks had their controls"
    tab.wait_for_function(READY)
    assert tab.evaluate(NAVS) == [["run", "stop", "edit", "reset", "copy"]] * 3 + [["why", "copy"]]

    tab = open_page("never", runnable=3, never=(2,))
    tab.wait_for_function("document.querySelectorAll('[data-run-control=run]').length === 2")
    tab.wait_for_timeout(600)  # past the stand-in's late navs: nothing more is coming
    assert tab.evaluate(NAVS)[2] == [] and not tab.evaluate(READY), "ready although a block has no controls"


def test_the_controls_answer_clicks_and_the_worker_starts_on_focus(open_page: Any) -> None:
    tab = open_page("clicks", runnable=2, needs=1)
    tab.wait_for_function(READY)
    assert tab.evaluate("performance.getEntriesByType('resource').some(e => e.name.endsWith('/worker.mjs'))") is False
    tab.focus("[data-run='1'] [data-run-control=edit]")  # the focus reaching a control starts the runtime
    tab.wait_for_function("performance.getEntriesByType('resource').some(e => e.name.endsWith('/worker.mjs'))")
    tab.click("[data-run='1'] [data-run-control=edit]")
    assert tab.locator("[data-run='1'] textarea.run-editor").input_value() == "print(1)"
    assert tab.locator("[data-run='1'] code").is_hidden() and tab.locator("[data-run='1'] [data-run-control=reset]").is_visible()
    tab.click("[data-run='1'] [data-run-control=reset]")
    assert tab.locator("[data-run='1'] textarea").count() == 0 and tab.locator("[data-run='1'] code").is_visible()
    assert tab.evaluate("document.activeElement.dataset.runControl") == "edit"
    tab.click("[data-run-needs] [data-run-control=why]")
    assert tab.locator("[data-run-needs] + .run-output p").all_text_contents() == \
        ["This example does not run in the browser.", "it needs torch 0"]
    tab.click("[data-run='0'] [data-run-control=run]")
    assert tab.evaluate("[...document.querySelectorAll('[data-run-control=run]')].map(b => b.disabled)") == [True, True]
    assert tab.locator("[data-run='0'] [data-run-control=stop]").is_visible()
    assert tab.locator("[data-run='0'] + .run-output").inner_text().startswith("Running")
