#!/usr/bin/env python3
"""Benchmark the main thread's long tasks while a built page loads, and name what they ran.

    .venv/bin/python benchmarks/long_tasks.py --site /tmp/site
    .venv/bin/python benchmarks/long_tasks.py --site before=/tmp/site-a --site after=/tmp/site-b --runs 5
    .venv/bin/python benchmarks/long_tasks.py --site /tmp/site --pages more-ops/ nn/ --desktop

What a reader's phone spends on the page's own work, without Lighthouse: each site is served
gzip-compressed from 127.0.0.1 (as benchmarks/lighthouse.py serves it), and Debian's Chromium
(/usr/bin/chromium, or $CHROMIUM) loads each page in a fresh browser context (empty cache) at
Lighthouse's mobile size (412 x 823 CSS px, 1.75 device pixels per px, touch) with the CPU
slowed down 4 times (CDP `Emulation.setCPUThrottlingRate`; `--desktop`: 1350 x 940, no
slowdown). Lighthouse's simulated mobile run multiplies what it observes by 4 too, so the
numbers here are of the same size as its total blocking time, but not the same number: it
simulates the network as well, and counts tasks from the first contentful paint to the time
to interactive.

A Chromium trace of the load (until the page's Run controls are in place and no long task has
ended for 1.5 s) gives every task of the page's main thread. A task over 50 ms is a long task;
its time over 50 ms blocks the reader (Lighthouse's definition of total blocking time). Per page
and site the table gives medians over the runs of:

- `TBT`: the blocking time of the tasks after the first contentful paint (a task that started
  before it counts from it), `all`: of every task since the navigation;
- `long`: the number of long tasks, and the longest one (ms);
- the milliseconds spent inside long tasks, by what ran: a script file (its own work and the
  style and layout it forced), or the browser's `parse HTML`, `style & layout`, `paint` and
  `other`. The site's own scripts (controls.js, diagram-zoom.js, accessibility.js, copy_text.js)
  are always listed, also at 0, the rest only the largest.

With several `--site`s, every page is loaded from each site in turn, alternating which goes
first, so that a busy spell of the (shared) machine falls on all of them alike. The load
average is printed before and after. This is a benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_hooks"))

from lighthouse import _GzipHandler  # noqa: E402  (benchmarks/, the script's own folder)
from run_in_page import CHROMIUM_ARGS, serve  # noqa: E402

PAGES = ["more-ops/", "training/", "automatic-backward/", "nn/", "notebooks/moons/"]
OWN_SCRIPTS = ["controls.js", "diagram-zoom.js", "accessibility.js", "copy_text.js"]  # always in the table
LONG = 50.0  # ms: a task longer than this is a long task; the time beyond it blocks input
QUIET = 1500  # ms without a long task ending before the trace stops
MOBILE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True,
          "has_touch": True}
DESKTOP = {"viewport": {"width": 1350, "height": 940}}
CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "v8.execute",
              "blink.user_timing", "loading"]
TASKS = {"RunTask", "ThreadControllerImpl::RunTask"}
# events that run a script: their URL names the file whose work (and forced style and layout) it is
SCRIPT_EVENTS = {"EvaluateScript", "FunctionCall", "v8.compile", "v8.compileModule", "v8.evaluateModule",
                 "TimerFire", "FireAnimationFrame"}
STYLE_LAYOUT = {"UpdateLayoutTree", "RecalculateStyles", "Layout", "ParseAuthorStyleSheet", "InvalidateLayout",
                "ScheduleStyleRecalculation", "IntersectionObserverController::computeIntersections"}
PAINT = {"Paint", "PrePaint", "Layerize", "UpdateLayer", "UpdateLayerTree", "CompositeLayers", "Commit",
         "RasterTask", "PaintImage", "Decode Image", "ImageDecodeTask"}
# the page is settled when its Run controls are in place (all of them, on a page that has any)
# and no long task has ended for QUIET ms
WATCH_LONG_TASKS = """window.__longTaskEnd = 0;
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) {
    window.__longTaskEnd = Math.max(window.__longTaskEnd, task.startTime + task.duration);
  }
}).observe({type: "longtask", buffered: true});"""
SETTLED = """quiet => {
  const blocks = document.querySelectorAll("[data-run]").length + document.querySelectorAll("[data-run-needs]").length;
  const controls = document.querySelectorAll("[data-run-control=run], [data-run-control=why]").length;
  const loaded = performance.timing.loadEventEnd - performance.timeOrigin;
  return document.readyState === "complete" && controls === blocks
    && performance.now() - Math.max(window.__longTaskEnd, loaded) > quiet;
}"""


@dataclass
class Load:
    """One page load's long tasks: blocking time after the first contentful paint and overall, and
    the milliseconds inside long tasks by what ran."""

    tbt: float = 0.0
    tbt_all: float = 0.0
    long: int = 0
    longest: float = 0.0
    sources: dict[str, float] = field(default_factory=lambda: defaultdict(float))


@dataclass
class _Event:
    name: str
    start: float  # ms
    end: float
    url: str
    children: list[_Event] = field(default_factory=list)


def _intervals(events: list[dict[str, Any]]) -> list[_Event]:
    """The thread's complete events and begin/end pairs as intervals, in ms, sorted by start (outer first)."""
    found: list[_Event] = []
    open_: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.get("ts", 0)):
        phase = event.get("ph")
        if phase == "X" and "dur" in event:
            found.append(_Event(event["name"], event["ts"] / 1000, (event["ts"] + event["dur"]) / 1000, _url(event)))
        elif phase == "B":
            open_[event["name"]].append(event)
        elif phase == "E" and open_[event["name"]]:
            begin = open_[event["name"]].pop()
            found.append(_Event(begin["name"], begin["ts"] / 1000, event["ts"] / 1000, _url(begin)))
    found.sort(key=lambda e: (e.start, -e.end))
    return found


def _url(event: dict[str, Any]) -> str:
    args = event.get("args", {})
    data = args.get("data") or args.get("beginData") or {}
    url = data.get("url") or data.get("scriptName") or args.get("fileName") or ""
    return str(url)


def _tree(events: list[_Event]) -> list[_Event]:
    """Nest the intervals (each inside the last one that encloses it); the top-level ones."""
    roots: list[_Event] = []
    stack: list[_Event] = []
    for event in events:
        while stack and event.start >= stack[-1].end:
            stack.pop()
        (stack[-1].children if stack else roots).append(event)
        stack.append(event)
    return roots


def _attribute(event: _Event, script: str, into: dict[str, float]) -> None:
    """Add each event's own time (without its children's) to what it is: the script it runs in, or
    the browser's kind of work."""
    if event.name in SCRIPT_EVENTS and event.url:
        script = event.url.rsplit("/", 1)[-1].split("?")[0] or event.url
    own = (event.end - event.start) - sum(child.end - child.start for child in event.children)
    if script:
        kind = script
    elif event.name == "ParseHTML":
        kind = "parse HTML"
    elif event.name in STYLE_LAYOUT:
        kind = "style & layout"
    elif event.name in PAINT:
        kind = "paint"
    else:
        kind = "other"
    into[kind] += max(own, 0.0)
    for child in event.children:
        _attribute(child, script, into)


def analyse(trace: dict[str, Any], page_url: str) -> Load:
    """The long tasks of the renderer thread that parsed `page_url`, from a Chromium trace."""
    events: list[dict[str, Any]] = trace["traceEvents"] if isinstance(trace, dict) else trace
    by_thread: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by_thread[(event.get("pid", 0), event.get("tid", 0))].append(event)
    main = next((key for key, thread in by_thread.items() for e in thread
                 if e.get("name") == "ParseHTML" and _url(e).startswith(page_url)), None)
    if main is None:
        raise RuntimeError(f"no thread parsed {page_url} in the trace")
    thread = by_thread[main]
    marks = {e["name"]: e["ts"] / 1000 for e in sorted(thread, key=lambda e: -e.get("ts", 0))
             if e.get("name") in ("navigationStart", "firstContentfulPaint")}
    started = marks.get("navigationStart", 0.0)
    fcp = marks.get("firstContentfulPaint", started)
    load = Load()
    for task in _tree(_intervals(thread)):
        if task.name not in TASKS or task.end < started:
            continue
        duration = task.end - task.start
        load.tbt_all += max(duration - LONG, 0.0)
        load.tbt += max(task.end - max(task.start, fcp) - LONG, 0.0)
        if duration > LONG:
            load.long += 1
            load.longest = max(load.longest, duration)
            for child in task.children:
                _attribute(child, "", load.sources)
    return load


def measure(browser: Any, url: str, desktop: bool, rate: float) -> Load:
    """Load `url` once in a fresh context, with the CPU slowed `rate` times, and analyse its trace."""
    context = browser.new_context(**(DESKTOP if desktop else MOBILE))
    try:
        tab = context.new_page()
        tab.add_init_script(WATCH_LONG_TASKS)
        if rate != 1:
            context.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": rate})
        browser.start_tracing(page=tab, categories=CATEGORIES)
        try:
            tab.goto(url, wait_until="load", timeout=120_000)
            tab.wait_for_function(SETTLED, arg=QUIET, timeout=120_000, polling=250)
        finally:
            trace = json.loads(browser.stop_tracing())
        return analyse(trace, url)
    finally:
        context.close()


def sites(specs: list[str]) -> Iterator[tuple[str, Path]]:
    """(label, folder) for each `--site` given as LABEL=PATH or PATH (labelled by its folder's name)."""
    for spec in specs:
        label, _, path = spec.rpartition("=")
        folder = Path(path)
        if not (folder / "index.html").is_file():
            raise SystemExit(f"--site {spec}: no built site there (no index.html)")
        yield label or folder.name, folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="append", required=True, help="a built site, LABEL=PATH or PATH (repeat)")
    parser.add_argument("--pages", nargs="*", default=PAGES, help="URL paths (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="loads per page and site (medians)")
    parser.add_argument("--desktop", action="store_true", help="desktop size and no CPU slowdown")
    parser.add_argument("--rate", type=float, help="CPU slowdown (default 4 on mobile, 1 on desktop)")
    options = parser.parse_args()
    rate = options.rate or (1.0 if options.desktop else 4.0)
    from playwright.sync_api import sync_playwright

    labelled = list(sites(options.site))
    loads: dict[tuple[str, str], list[Load]] = defaultdict(list)
    print(f"load average before: {os.getloadavg()}; {options.runs} runs per page and site, CPU slowdown {rate}x, "
          f"{'desktop' if options.desktop else 'mobile'}", flush=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                             args=CHROMIUM_ARGS, headless=True)
        servers = [serve(folder, _GzipHandler) for _, folder in labelled]
        bases = [server.__enter__() for server in servers]
        try:
            for run in range(options.runs):
                for page in options.pages:
                    order = list(range(len(labelled)))
                    if (run + options.pages.index(page)) % 2:
                        order.reverse()  # which site goes first alternates
                    for k in order:
                        load = measure(browser, bases[k] + page, options.desktop, rate)
                        loads[(labelled[k][0], page)].append(load)
                        print(f"run {run + 1} {page:22} {labelled[k][0]:10} TBT {load.tbt:5.0f}"
                              f"  all {load.tbt_all:5.0f}  long {load.long:2} (longest {load.longest:4.0f})  "
                              + _sources(load.sources, 4), flush=True)
        finally:
            for server in servers:
                server.__exit__(None, None, None)
            browser.close()
    print(f"load average after: {os.getloadavg()}\n")
    print(f"{'page':22} {'site':10} {'TBT':>5} {'all':>5} {'long':>4} {'longest':>7}  ms inside long tasks (median)")
    for page in options.pages:
        for label, _ in labelled:
            runs = loads[(label, page)]
            kinds = {kind for load in runs for kind in load.sources}
            sources = {kind: statistics.median(load.sources.get(kind, 0.0) for load in runs) for kind in kinds}
            own = ", ".join(f"{name} {sources.pop(name, 0.0):.0f}" for name in OWN_SCRIPTS)
            print(f"{page:22} {label:10} {statistics.median(r.tbt for r in runs):5.0f}"
                  f" {statistics.median(r.tbt_all for r in runs):5.0f} {statistics.median(r.long for r in runs):4.0f}"
                  f" {statistics.median(r.longest for r in runs):7.0f}  {own}; {_sources(sources, 4)}")


def _sources(sources: dict[str, float], top: int) -> str:
    ranked = sorted(sources.items(), key=lambda item: -item[1])[:top]
    return ", ".join(f"{kind} {ms:.0f}" for kind, ms in ranked if ms >= 1)


if __name__ == "__main__":
    main()
