"""Static checks as tests: mypy --strict on the package, the docs hook and the benchmark; ruff over the tree.

Both tools read their settings from pyproject.toml ([tool.mypy], [tool.ruff]), so the tests run
them from the repository root, in this interpreter's environment.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINTED = ["micrograd", "docs/_hooks", "tests", "conftest.py", "dev.py", "benchmarks"]
TIMEOUT = 300  # seconds; a cold mypy run over the hook and its imports takes a few


def run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m <module> <args>` from the repository root; skipped when the tool is not installed."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed here (the test extra brings it: pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT)


def test_the_package_passes_mypy_strict() -> None:
    result = run_tool("mypy", "--strict", "micrograd")
    assert result.returncode == 0, f"mypy --strict micrograd found errors:\n{result.stdout}{result.stderr}"


def test_the_docs_hook_and_the_benchmark_pass_mypy_strict() -> None:
    result = run_tool("mypy", "--strict", "docs/_hooks", "benchmarks/bench.py", "benchmarks/run_in_page.py",
                      "benchmarks/lighthouse.py", "benchmarks/long_tasks.py")
    assert result.returncode == 0, \
        f"mypy --strict docs/_hooks benchmarks/bench.py found errors:\n{result.stdout}{result.stderr}"


def test_ruff_finds_nothing_to_fix() -> None:
    result = run_tool("ruff", "check", *LINTED)
    assert result.returncode == 0, f"ruff check {' '.join(LINTED)} found problems:\n{result.stdout}{result.stderr}"
