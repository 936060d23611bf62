"""Shared fixtures: the site built once per test session with `mkdocs build --strict`; Hypothesis profiles."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# Property tests explore new random cases on every local run; in CI (CI=true) they replay a fixed
# sequence, so a submission's result does not depend on the luck of the draw.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


Build = Callable[..., subprocess.CompletedProcess[str]]


def mkdocs_build(config_file: Path, site_dir: Path,
                 env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` in a fresh process (hooks keep module state) and capture its log.

    The build gets the environment a reader's build has: without the MPLBACKEND=Agg that the root
    conftest sets for the examples, under which a notebook shows no plots (pass it in `env` to
    build as the tests' environment would).
    """
    inherited = {name: value for name, value in os.environ.items() if name != "MPLBACKEND"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "--config-file", str(config_file), "--site-dir", str(site_dir)],
        cwd=config_file.parent, capture_output=True, text=True,
        env={**inherited, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, built strictly into a temporary folder; the build fails the tests that use it."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{result.stderr[-6000:]}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def mkdocs_builder() -> Build:
    """`mkdocs_build(config_file, site_dir, env=None)`, for tests that build sites of their own."""
    return mkdocs_build
