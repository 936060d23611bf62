"""docs/_hooks/run_examples.py: the build marks runnable blocks and puts the browser's runtime into the site.

What the controls do in a browser is tested in tests/browser/test_run_examples.py; the Python that
runs there, in tests/test_browser_runner.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "docs" / "_hooks" / "site_hook.py"
CONFIG = f"""\
site_name: run test
strict: true
theme: {{name: mkdocs}}
markdown_extensions: [attr_list, admonition, pymdownx.highlight, pymdownx.superfences]
hooks: ["{HOOK}"]
"""
PAGE = """\
# Runs

<!-- invisible-code-block: python
from micrograd import Value
-->

```python
>>> a = Value(2.0, label="a")
>>> b = a * 3
```

<!-- diagram: b | b before backward -->

```python
from matplotlib.figure import Figure
```

!!! note

    ```python
    >>> b.data
    6.0
    ```

```dot
digraph { x -> y }
```

<!-- diagram: b | b again -->
"""
Builder = Callable[..., subprocess.CompletedProcess[str]]


def build_site(tmp_path: Path, builder: Builder, pages: dict[str, str]) -> tuple[int, str, Path]:
    """A one-off site from {file name: Markdown}, built with the real hook: (exit code, log, site folder)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    result = builder(tmp_path / "mkdocs.yml", tmp_path / "site", env={"MICROGRAD_DIAGRAM_CACHE": str(tmp_path / "c")})
    return result.returncode, result.stderr, tmp_path / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, mkdocs_builder: Builder) -> Path:
    tmp_path = tmp_path_factory.mktemp("run")
    code, log, folder = build_site(tmp_path, mkdocs_builder, {"index.md": PAGE, "other.md": "# No code\n"})
    assert code == 0, log
    return folder


def test_runnable_blocks_are_numbered_and_the_others_say_why(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    marks = re.findall(r'<div class="[^"]*highlight" (data-run="\d+"|data-run-needs="[^"]*")', page)
    assert marks == ['data-run="0"',
                     'data-run-needs="Needs matplotlib, which has no build for Python in the browser"',
                     'data-run="2"']


def test_the_page_names_its_markdown_and_its_live_diagrams_in_page_order(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    island = json.loads(re.search(r'<script type="application/json" id="run-page">(.*?)</script>', page, re.S)[1])
    # the dot fence takes an id too, after the markers (they are drawn first)
    assert island == {"page": "pages/index.json", "diagrams": ["diagram-1", "diagram-2"]}
    for svg_id in island["diagrams"]:
        assert re.search(rf'<svg id="{svg_id}"[^>]*aria-label="b (before backward|again)"', page)
    markdown = json.loads((site / "assets" / "run" / "pages" / "index.json").read_text(encoding="utf-8"))
    assert markdown["text"] == PAGE and markdown["path"].endswith("index.md")


def test_a_page_without_examples_gets_only_the_deferred_controls_script(site: Path) -> None:
    page = (site / "other" / "index.html").read_text(encoding="utf-8")
    assert 'id="run-page"' not in page and "data-run" not in page
    assert re.search(r'<script src="../assets/run/controls.js" defer>', page)
    assert not (site / "assets" / "run" / "pages" / "other.json").exists()


def test_the_runtime_is_in_the_site_and_names_its_own_files(site: Path) -> None:
    run = site / "assets" / "run"
    runtime = json.loads((run / "runtime.json").read_text(encoding="utf-8"))
    pyodide = ["pyodide/pyodide.mjs", "pyodide/pyodide.asm.mjs", "pyodide/pyodide.asm.wasm"]
    for name in [runtime["stdlib"], runtime["support"], runtime["bytecode"], *runtime["wheels"], *pyodide,
                 "worker.mjs", "controls.js", "viz/viz.js"]:
        assert (run / name).is_file(), name
    assert sorted(Path(w).name.split("-")[0] for w in runtime["wheels"]) == ["graphviz", "micrograd_spelled_out",
                                                                             "sybil"]
    with zipfile.ZipFile(run / runtime["stdlib"]) as stdlib:
        names = stdlib.namelist()
    assert "doctest.pyc" in names and "doctest.py" not in names  # precompiled, sources left out
    assert set(runtime["lock"]) == {"info", "packages"} and runtime["lock"]["packages"] == {}
    with zipfile.ZipFile(run / runtime["support"]) as support:
        assert sorted(support.namelist()) == ["browser_runner.py", "page_examples.py", "svg_diagrams.py"]
    with zipfile.ZipFile(run / runtime["bytecode"]) as bytecode:  # beside the sources the worker unpacks
        compiled = bytecode.namelist()
    assert f"{runtime['support_dir'].lstrip('/')}/__pycache__/browser_runner.cpython-314.pyc" in compiled
    assert "lib/python3.14/site-packages/micrograd/__pycache__/engine.cpython-314.pyc" in compiled


def test_the_controls_cost_a_page_little(site: Path) -> None:
    assert (site / "assets" / "run" / "controls.js").stat().st_size < 20_000


def test_a_malformed_not_in_browser_comment_stops_the_build(tmp_path: Path, mkdocs_builder: Builder) -> None:
    page = "# P\n\n<!-- not-in-browser: no quotes -->\n```python\nx = 1\n```\n"
    code, log, _ = build_site(tmp_path, mkdocs_builder, {"index.md": page})
    assert code != 0
    assert re.search(r"docs/index\.md, line 3: not-in-browser needs its reason in quotes", log), log[-2000:]


def test_two_builds_fill_the_runtime_cache_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests build in parallel: prepare_runtime does its work holding a lock beside the cache."""
    fcntl = pytest.importorskip("fcntl", reason="advisory file locks, as on Linux and macOS")
    import run_examples

    def while_locked(cache: Path) -> dict[str, Path | bytes]:
        with open(cache.parent / "runtime.lock") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another build would wait here
        return {"done": b""}

    monkeypatch.setattr(run_examples, "_runtime_files", while_locked)
    assert run_examples.prepare_runtime(tmp_path / "runtime") == {"done": b""}
