"""The notebooks in docs/notebooks: stored clean, valid, plain Markdown, and built on the package alone.

nbmake (`--nbmake` in pytest's options) executes them; these tests check what executing cannot.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "docs" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
# Notebook pages bypass the site's Markdown extensions and its build-time math, so these would
# show up as raw text (or need MathJax from a CDN): admonitions, details, content tabs, TeX math.
MATERIAL_ONLY = re.compile(r"^[ \t]*(!!!|\?\?\?|===)\s|\$[^$\s]", re.MULTILINE)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def python_source(nb: nbformat.NotebookNode) -> str:
    """All code cells joined, with IPython magics (`%config ...`) dropped so `ast` can parse them."""
    lines = [line for cell in nb.cells if cell.cell_type == "code"
             for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


def calls(tree: ast.AST, name: str) -> list[ast.Call]:
    """Every call of the function `name` (called by its bare name) in `tree`."""
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name]


def test_the_site_notebooks_exist() -> None:
    assert {"moons.ipynb", "trace_graph.ipynb"} <= {p.name for p in NOTEBOOKS}, \
        f"expected moons.ipynb and trace_graph.ipynb in {NOTEBOOK_DIR}, found {[p.name for p in NOTEBOOKS]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_valid_nbformat_4(path: Path) -> None:
    nb = read(path)
    assert nb.nbformat == 4, f"{path.name} is nbformat {nb.nbformat}, expected 4"
    nbformat.validate(nb)  # raises ValidationError naming the offending field


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    # outputs are produced at build time; stored ones would be stale and bloat every diff
    dirty = [f"cell {i} ({cell.get('id')})" for i, cell in enumerate(read(path).cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, f"{path.name} has stored outputs or execution counts in {', '.join(dirty)}: clear them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_the_python3_kernel(path: Path) -> None:
    kernelspec = read(path).metadata.get("kernelspec", {})
    assert (kernelspec.get("name"), kernelspec.get("language")) == ("python3", "python"), \
        f"{path.name} must name the python3 kernel (mkdocs-jupyter and nbmake start it), got {kernelspec}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_markdown_is_plain(path: Path) -> None:
    found = [f"cell {i}: {match.group(0)!r}" for i, cell in enumerate(read(path).cells)
             if cell.cell_type == "markdown" for match in MATERIAL_ONLY.finditer(cell.source)]
    assert not found, f"{path.name} uses syntax a notebook page does not render: {'; '.join(found)}"


def test_moons_uses_the_package_data_and_checks_its_result() -> None:
    tree = ast.parse(python_source(read(NOTEBOOK_DIR / "moons.ipynb")))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert "sklearn" not in imported, "moons.ipynb must use micrograd.make_moons, not scikit-learn"
    assert "micrograd" in imported
    moons = [ast.unparse(call) for call in calls(tree, "make_moons")]
    assert any(m.startswith("make_moons(100, noise=0.1, rng=random.Random(") for m in moons), \
        f"moons.ipynb should build its data with make_moons(100, noise=0.1, rng=random.Random(seed)), found {moons}"


def test_moons_fails_when_training_falls_short() -> None:
    """The notebook checks its own result: trained 1 step instead of 100, it stops at its check cell.

    So nbmake and the site build fail when a change stops the network from separating the moons.
    """
    nb = read(NOTEBOOK_DIR / "moons.ipynb")
    ids = [cell.get("id") for cell in nb.cells]
    train = nb.cells[ids.index("train")]
    assert "STEPS = 100\n" in train.source, "moons.ipynb's training cell should set STEPS = 100"
    train.source = train.source.replace("STEPS = 100\n", "STEPS = 1\n")
    nb.cells = nb.cells[:ids.index("check") + 1]  # nothing after the check needs to run
    client = NotebookClient(nb, kernel_name="python3", timeout=120,
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    with pytest.raises(CellExecutionError) as failed:
        client.execute()
    assert failed.value.ename == "AssertionError" and failed.value.evalue.startswith("accuracy at step 0 is")
    ran = [cell.get("id") for cell in nb.cells if cell.cell_type == "code" and cell.execution_count]
    assert ran[-1] == "check", f"the notebook should stop at its check cell, it ran {ran}"


def test_trace_graph_draws_inline_svg_both_ways() -> None:
    # nbmake only checks that the cells run; this checks what a reader sees: SVG images, LR and TB
    nb = read(NOTEBOOK_DIR / "trace_graph.ipynb")
    tree = ast.parse(python_source(nb))
    rankdirs = {next((ast.literal_eval(k.value) for k in call.keywords if k.arg == "rankdir"), "LR")
                for call in calls(tree, "draw_dot")}
    assert rankdirs == {"LR", "TB"}, f"trace_graph.ipynb should draw left to right and top to bottom, got {rankdirs}"
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(NOTEBOOK_DIR)}}).execute()
    drawing = [cell for cell in nb.cells if cell.cell_type == "code" and "draw_dot(" in cell.source]
    assert len(drawing) == 4, f"expected 4 cells drawing a graph, found {len(drawing)}"
    for cell in drawing:
        svgs = [out.data["image/svg+xml"] for out in cell.outputs if "image/svg+xml" in out.get("data", {})]
        assert len(svgs) == 1 and "<svg" in svgs[0], \
            f"cell {cell.get('id')} ({cell.source!r}) should show one SVG image, " \
            f"got {[out.output_type for out in cell.outputs]}"
