"""The notebooks in docs/notebooks: stored clean, valid, plain Markdown, built on the package alone, and run.

The session's site build executes every notebook once (mkdocs-jupyter, `allow_errors: false`), in
the environment a reader's build has; `test_every_cell_runs_in_the_site_build` reports that run
per notebook, naming the cell that failed. The other tests check what executing cannot.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from site_builds import Build, SiteBuild

DOCS = Path(__file__).resolve().parent.parent / "docs"
NOTEBOOK_DIR = DOCS / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SITE_NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))  # every notebook the site build renders (mkdocs.yml: *.ipynb)
CELL_TIMEOUT = 300  # s a cell may take when a notebook is run here on its own (nbclient has no limit by default)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the kernel colours its tracebacks
# a cell of a built notebook page, up to the next one; an image output as the build writes SVG (svg_minify)
_PAGE_CELL = re.compile(r'<div class="jp-Cell [^"]*" id="cell-id=([^"]+)".*?(?=<div class="jp-Cell |\Z)', re.S)
_SVG_IMAGE = re.compile(r'<img alt="[^"]*" src="data:image/svg\+xml,([^"]+)"')
_IN_PROMPT = re.compile(r'class="jp-InputPrompt jp-InputArea-prompt">In\xa0\[(\d*)\]:')  # no-break space
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
        f"{path.name} must name the python3 kernel (mkdocs-jupyter and the tests start it), got {kernelspec}"


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

    So the site build, and the tests that report it, fail when a change stops the network from separating the moons.
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


def test_trace_graph_draws_inline_svg_both_ways(built_site: Path) -> None:
    # the site build checks that the cells run; this checks, in the page it wrote from that run, what a
    # reader sees: one SVG image per drawing cell, drawn left to right and top to bottom
    nb = read(NOTEBOOK_DIR / "trace_graph.ipynb")
    tree = ast.parse(python_source(nb))
    rankdirs = {next((ast.literal_eval(k.value) for k in call.keywords if k.arg == "rankdir"), "LR")
                for call in calls(tree, "draw_dot")}
    assert rankdirs == {"LR", "TB"}, f"trace_graph.ipynb should draw left to right and top to bottom, got {rankdirs}"
    page = (built_site / "notebooks" / "trace_graph" / "index.html").read_text(encoding="utf-8")
    shown = {found[1]: found[0] for found in _PAGE_CELL.finditer(page)}
    drawing = [cell for cell in nb.cells if cell.cell_type == "code" and "draw_dot(" in cell.source]
    assert len(drawing) == 4, f"expected 4 cells drawing a graph, found {len(drawing)}"
    for cell in drawing:
        svgs = [unquote(data) for data in _SVG_IMAGE.findall(shown.get(cell.get("id"), ""))]
        assert len(svgs) == 1 and svgs[0].startswith("<svg"), \
            f"cell {cell.get('id')} ({cell.source!r}) should show one SVG image in its page, found {len(svgs)}"


# ---- each notebook's run in the site build -------------------------------------------------------


def failing_cell(nb: nbformat.NotebookNode, error: str) -> str:
    """Which code cell nbclient's error shows (it quotes the cell's source between two dashed lines)."""
    quoted = re.search(r"^-{18,}\n(.*?)\n-{18,}$", error, re.S | re.M)
    for index, cell in enumerate(nb.cells):
        if quoted and cell.cell_type == "code" and cell.source.strip() == quoted[1].strip():
            return f"cell {index} ({cell.get('id')!r})"
    return "a cell"


def site_run_problem(returncode: int, log: str, site: Path, notebook: Path, docs: Path) -> str | None:
    """Why `notebook` did not run cleanly in the build of `docs` that wrote `site` and `log`; None if it did.

    A build that passed ran every notebook without error (`allow_errors: false`, or its output came
    from mkdocs-jupyter's cache, keyed by everything the outputs depend on): each code cell shows its
    execution count, 1, 2, 3 ... A failed build that names the notebook's page failed there, at the
    cell nbclient quotes. A build that stopped before the notebook said nothing about it: the notebook
    is then run here on its own, as the build would have run it (its folder, no MPLBACKEND).
    """
    src_uri = notebook.relative_to(docs).as_posix()
    nb = read(notebook)
    if returncode == 0:
        page = site / src_uri.removesuffix(".ipynb") / "index.html"
        if not page.is_file():
            return f"{notebook.name}: the build wrote no page for it ({page})"
        counts = _IN_PROMPT.findall(page.read_text(encoding="utf-8"))
        code_cells = sum(cell.cell_type == "code" for cell in nb.cells)
        if counts != [str(count) for count in range(1, code_cells + 1)]:
            return f"{notebook.name}: its page shows the execution counts {counts} for its {code_cells} code cells"
        return None
    at = log.find(f"Error reading page '{src_uri}':")
    if at >= 0:
        error = _ANSI.sub("", log[at:])
        return f"{notebook.name}, {failing_cell(nb, error)}, failed in the site build:\n{error[:6000]}"
    client = NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": str(notebook.parent)}})
    try:
        client.execute(env={name: value for name, value in os.environ.items() if name != "MPLBACKEND"})
    except (CellExecutionError, CellTimeoutError) as error:
        text = _ANSI.sub("", str(error))
        return (f"{notebook.name}, {failing_cell(nb, text)}, failed when run on its own "
                f"(the site build stopped before it):\n{text[:6000]}")
    return None


@pytest.mark.parametrize("path", SITE_NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_runs_in_the_site_build(path: Path, site_build: SiteBuild) -> None:
    problem = site_run_problem(site_build.returncode, site_build.log, site_build.site, path, DOCS)
    assert problem is None, problem


_NOTEBOOK_SITE = """\
site_name: notebooks that fail
docs_dir: {docs}
strict: true
theme: {{name: mkdocs}}
plugins:
  - mkdocs-jupyter: {{include: ["*.ipynb"], execute: true, allow_errors: false}}
"""


def write_notebook(path: Path, cells: dict[str, str]) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source, id=name) for name, source in cells.items()])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, path)


def test_a_failed_run_names_the_notebook_and_its_cell_even_one_the_build_never_reached(tmp_path: Path,
                                                                                        mkdocs_builder: Build) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_notebook(docs / "a.ipynb", {"setup": "x = 1", "boom": "assert x == 2, 'x is not 2'", "after": "y = 3"})
    write_notebook(docs / "b.ipynb", {"fine": "print('fine')", "broken": "1 / 0"})  # MkDocs reads a.ipynb first
    (tmp_path / "mkdocs.yml").write_text(_NOTEBOOK_SITE.format(docs=docs), encoding="utf-8")
    result = mkdocs_builder(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0, "a cell that raises must fail the build"
    first = site_run_problem(result.returncode, result.stderr, tmp_path / "site", docs / "a.ipynb", docs)
    second = site_run_problem(result.returncode, result.stderr, tmp_path / "site", docs / "b.ipynb", docs)
    assert first is not None and first.startswith("a.ipynb, cell 1 ('boom'), failed in the site build")
    assert "AssertionError: x is not 2" in first and "\x1b[" not in first, first
    assert second is not None and second.startswith("b.ipynb, cell 1 ('broken'), failed when run on its own"), second
    assert "ZeroDivisionError" in second
