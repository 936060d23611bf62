"""Building a site the way the tests do: `mkdocs build --strict` in a fresh process, with a time limit.

The session's build of the whole site (the `site_build` and `built_site` fixtures in conftest.py)
and the tests that build sites of their own (`mkdocs_builder`) all go through `mkdocs_build`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

# A whole build takes one to three minutes. mkdocs-jupyter has no timeout of its own, so a notebook cell
# that never ends would hang the test run: the build is stopped instead, and fails.
BUILD_TIMEOUT = 900

Build = Callable[..., subprocess.CompletedProcess[str]]


def mkdocs_build(config_file: Path, site_dir: Path, env: Mapping[str, str] | None = None,
                 timeout: float = BUILD_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` in a fresh process (hooks keep module state) and capture its log.

    The build gets the environment a reader's build has: without the MPLBACKEND=Agg that the root
    conftest sets for the examples, under which a notebook shows no plots (pass it in `env` to
    build as the tests' environment would). A build still running after `timeout` seconds is
    killed, and returns -SIGKILL with its log so far and a line saying so.
    """
    inherited = {name: value for name, value in os.environ.items() if name != "MPLBACKEND"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config_file), "--site-dir", str(site_dir)]
    with subprocess.Popen(command, cwd=config_file.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env={**inherited, "NO_MKDOCS_2_WARNING": "1", **(env or {})}) as build:
        try:
            stdout, stderr = build.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            build.kill()  # a notebook kernel it started exits by itself once its parent is gone (ipykernel)
            stdout, stderr = build.communicate()
            stderr += f"\nthe build ran past {timeout:.0f} s and was stopped\n"
    return subprocess.CompletedProcess(command, build.returncode, stdout, stderr)


@dataclass(frozen=True)
class SiteBuild:
    """A build of the whole site: its exit code, its log (stderr) and the folder it was written to."""

    returncode: int
    log: str
    site: Path
