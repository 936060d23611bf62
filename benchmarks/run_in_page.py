#!/usr/bin/env python3
"""Benchmark running a page's examples in the browser: bytes and times, cold and warm.

    .venv/bin/python benchmarks/run_in_page.py                  # builds the site into a temporary folder
    .venv/bin/python benchmarks/run_in_page.py --site /tmp/site # an already built site
    .venv/bin/python benchmarks/run_in_page.py --page nn/ --rounds 5

The site is served from 127.0.0.1 by Python's http.server, which counts the bytes it sends (no
compression: the table also gives the gzip size of what was sent, as a static host that
compresses would send it; a file the browser revalidates from its cache counts 0). Chromium is
Debian's (/usr/bin/chromium, or $CHROMIUM), driven by Playwright.

- cold: a fresh browser profile (empty HTTP and code caches) loads the page, then Run is clicked
  on its first runnable block;
- warm: the same profile loads the page again (the runtime in the browser's cache) and Run is clicked.

For each it measures the bytes fetched before the click (the page, and of those the run
controls), the bytes the first Run fetched, the time from the click to the first output, and a
re-run of the same block (a fresh namespace replaying the blocks above it). Medians over the
rounds. A reader's pointer usually reaches the block before the click, which starts the runtime
early: a last line measures that too (cold, the pointer resting on the block for --point-first s).
Targets on a two-core machine: first output within 5 s cold, re-runs under 150 ms.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
# clicks Run on a block and resolves with the milliseconds until its box shows something other than "running"
CLICK_TO_OUTPUT = """async k => {
  const block = document.querySelector(`[data-run='${k}']`);
  const started = performance.now();
  block.querySelector('[data-run-control=run]').click();
  const finished = () => {
    const box = block.nextElementSibling;
    return box && box.classList.contains('run-output')
      && !/^(Running|Starting)/.test(box.querySelector('.run-status').textContent);
  };
  await new Promise(resolve => {
    const observer = new MutationObserver(() => finished() && (observer.disconnect(), resolve()));
    observer.observe(block.parentElement, {childList: true, subtree: true, characterData: true});
  });
  const box = block.nextElementSibling;
  return {ms: performance.now() - started, status: box.dataset.status, worker_ms: Number(box.dataset.ms),
          startup: JSON.parse(box.dataset.startup || "{}")};
}"""


SERVED: list[tuple[str, int]] = []  # (URL path, bytes of the body sent), in the order the server sent them


class _Counting(SimpleHTTPRequestHandler):
    def copyfile(self, source: Any, outputfile: Any) -> None:
        """Send the file, and note how many bytes went out (a 304 for a cached file sends none)."""
        data = source.read()
        outputfile.write(data)
        SERVED.append((urlsplit(self.path).path, len(data)))

    def log_message(self, format: str, *args: Any) -> None:
        """No request log: SERVED has what was sent."""


@contextmanager
def serve(site: Path, handler: type[SimpleHTTPRequestHandler] | None = None) -> Iterator[str]:
    """The site over HTTP on a free port of 127.0.0.1 (by default counting the bytes it sends)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler or _Counting, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Fetched:
    """What the server sent since `start`, by URL path: bytes (uncompressed here) and as gzip."""

    site: Path
    start: int = field(default_factory=lambda: len(SERVED))

    def total(self, within: str = "") -> tuple[int, int]:
        """(bytes, gzip bytes) of the paths containing `within`."""
        sent = [(path, size) for path, size in SERVED[self.start:] if within in path and size]
        return sum(size for _, size in sent), sum(_gzip_size(self.site, path) for path, _ in sent)


@functools.cache
def _gzip_size(site: Path, path: str) -> int:
    file = site / path.lstrip("/")
    if file.is_dir():
        file = file / "index.html"
    return len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else 0


def measure(playwright: Any, chromium: str, url: str, site: Path, reruns: int,
            point_first: float = 0.0) -> dict[str, dict[str, Any]]:
    """One cold and one warm measurement in a fresh profile; the pointer rests on the block
    `point_first` seconds before the click (the runtime starts loading when it arrives)."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=chromium, args=CHROMIUM_ARGS,
                                                                headless=True, viewport={"width": 1280, "height": 900})
        try:
            for label in ("cold", "warm"):
                fetched = Fetched(site)
                tab = context.new_page()
                tab.goto(url, wait_until="networkidle")
                tab.wait_for_function("document.documentElement.dataset.runControls === 'ready'")
                before = fetched.total()
                controls = fetched.total("/assets/run/")
                fetched = Fetched(site)
                first = int(tab.evaluate("Number(document.querySelector('[data-run]').dataset.run)"))
                if point_first:
                    tab.hover(f"[data-run='{first}'] pre")
                    tab.wait_for_timeout(point_first * 1000)
                click = tab.evaluate(CLICK_TO_OUTPUT, first)
                tab.wait_for_load_state("networkidle")
                run_bytes = fetched.total()
                again = [tab.evaluate(CLICK_TO_OUTPUT, first) for _ in range(reruns)]
                results[label] = {
                    "before": before, "controls": controls, "run": run_bytes, "first_ms": click["ms"],
                    "status": click["status"], "rerun_ms": statistics.median(r["ms"] for r in again),
                    "rerun_worker_ms": statistics.median(r["worker_ms"] for r in again),
                    "startup": click["startup"],
                }
                tab.close()
        finally:
            context.close()
    return results


def build(into: Path) -> None:
    """mkdocs build --strict of this checkout into `into`."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(into)], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stderr[-3000:]}")


def kb(sizes: tuple[int, int]) -> str:
    return f"{sizes[0] / 1e3:,.0f} KB ({sizes[1] / 1e3:,.0f} KB gzip)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--page", default="value/", help="the page, relative to the site root (default value/)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh profiles, each measured cold then warm")
    parser.add_argument("--reruns", type=int, default=5, help="re-runs of the block per measurement")
    parser.add_argument("--point-first", type=float, default=1.0,
                        help="also measure cold with the pointer on the block this long before the click (0: not)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or Path(scratch) / "site"
        if args.site is None:
            print("building the site ...", file=sys.stderr)
            build(site)
        with serve(site) as root, sync_playwright() as playwright:
            rounds = [measure(playwright, chromium, root + args.page, site, args.reruns) for _ in range(args.rounds)]
            pointed = [measure(playwright, chromium, root + args.page, site, args.reruns, args.point_first)
                       for _ in range(args.rounds)] if args.point_first else []
    print(f"Page `{args.page}`, first runnable block; median of {args.rounds} rounds "
          f"(each a fresh Chromium profile: cold, then warm)\n")
    print("| | cold | warm |\n| --- | --- | --- |")
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("bytes before the first Run (whole page)", lambda r: kb(r["before"])),
        ("of which the run controls", lambda r: kb(r["controls"])),
        ("bytes the first Run fetched", lambda r: kb(r["run"])),
        ("click to first output", lambda r: f"{r['first_ms'] / 1e3:.2f} s"),
        ("re-run (click to output; in the worker)", lambda r: f"{r['rerun_ms']:.0f} ms; {r['rerun_worker_ms']:.0f} ms"),
    ]
    for name, cell in rows:
        cells = []
        for label in ("cold", "warm"):
            values = [r[label] for r in rounds]
            median = sorted(values, key=lambda r: r["first_ms"])[len(values) // 2]  # the round with the median start
            cells.append(cell(median))
        print(f"| {name} | {' | '.join(cells)} |")
    for label in ("cold", "warm"):
        stages = ", ".join(f"{stage} {[r[label]['startup'].get(stage, 0) for r in rounds]}"
                           for stage in ("runtime.json", "wheels", "viz", "pyodide", "imports"))
        print(f"\n{label}: the worker's start-up, ms from its start to each stage done, per round: {stages}")
    if pointed:
        firsts = sorted(r["cold"]["first_ms"] / 1e3 for r in pointed)
        print(f"\ncold, with the pointer on the block {args.point_first:g} s before the click: click to first output "
              f"{statistics.median(firsts):.2f} s (rounds: {', '.join(f'{t:.2f}' for t in firsts)} s)")
    statuses = {r[label]["status"] for r in rounds for label in ("cold", "warm")}
    print(f"\nstatus of the runs: {', '.join(sorted(statuses))}")


if __name__ == "__main__":
    main()
