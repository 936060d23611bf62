"""Shared fixtures: the site built once per test run with `mkdocs build --strict`; Hypothesis profiles."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from browser_visit import SUMMARY
from node_packages import exclusive  # docs/_hooks: the lock the build's npm and runtime caches use
from site_builds import Build, SiteBuild, mkdocs_build

ROOT = Path(__file__).resolve().parent.parent

# Property tests explore new random cases on every local run; in CI (CI=true) they replay a fixed
# sequence, so a submission's result does not depend on the luck of the draw.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """The whole site, built strictly once per test run, whether the build passed or not.

    Under pytest-xdist each worker has a session of its own: the first one to need the site builds
    it into the run's shared temporary folder, and the others wait for that build and read its record.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the workers' folders (popen-gw0, popen-gw1 ...) sit side by side in it
    record = shared / "site-build.json"
    with exclusive(shared / "site-build.lock"):
        if not record.exists():
            result = mkdocs_build(ROOT / "mkdocs.yml", shared / "site")
            record.write_text(json.dumps({"returncode": result.returncode, "log": result.stderr}), encoding="utf-8")
    recorded = json.loads(record.read_text(encoding="utf-8"))
    return SiteBuild(recorded["returncode"], recorded["log"], shared / "site")


@pytest.fixture(scope="session")
def built_site(site_build: SiteBuild) -> Path:
    """The whole site, built strictly into a temporary folder; a failed build fails the tests that use it."""
    if site_build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {site_build.returncode}):\n{site_build.log[-6000:]}",
                    pytrace=False)
    return site_build.site


@pytest.fixture(scope="session")
def mkdocs_builder() -> Build:
    """`mkdocs_build(config_file, site_dir, env=None)`, for tests that build sites of their own."""
    return mkdocs_build


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run one file that needs the site first, then every file that needs none, then the other site files.

    pytest-xdist hands out whole files in this order (`--dist loadfile --no-loadscope-reorder`): the
    worker that gets the first file builds the site while the others run the tests that need no site,
    instead of all of them waiting for the build at once. Without workers the order changes nothing.
    """
    files: dict[Path, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.path, []).append(item)
    needs_site = [path for path, tested in files.items()
                  if any("site_build" in getattr(item, "fixturenames", ()) for item in tested)]
    order = needs_site[:1] + [path for path in files if path not in needs_site] + needs_site[1:]
    items[:] = [item for path in order for item in files[path]]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A pytest-xdist worker sends its summary lines (browser_visit.SUMMARY) to the main process."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["summary"] = list(SUMMARY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist's main process receives a finished worker's summary lines."""
    SUMMARY.extend(getattr(node, "workeroutput", {}).get("summary", []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """What the browser suite covered, and how long its visits took (browser_visit.SUMMARY)."""
    for line in SUMMARY:
        terminalreporter.write_line(line)
