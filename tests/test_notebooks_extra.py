"""The `notebooks` extra is all a reader needs: installed alone in a fresh venv, it runs both downloaded notebooks.

The install goes through pip's cache (about 20 s when it is warm, a few minutes on a first run); the
two notebooks then run in about 15 s with the venv's own Jupyter, as a reader would run them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
INSTALL = 'pip install -e ".[notebooks]"'


def first_cell(path: Path) -> str:
    return "".join(json.loads(path.read_text())["cells"][0]["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_first_cell_says_to_install_the_notebooks_extra(path: Path) -> None:
    text = first_cell(path)
    assert INSTALL in text, f"the first cell of {path.name} should tell a reader to `{INSTALL}`:\n{text}"
    assert f"jupyter lab {path.name}" in text, f"the first cell of {path.name} should say how to open it"


def test_the_notebooks_extra_brings_jupyter_a_kernel_matplotlib_and_the_draw_extra() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    names = {requirement.split(">")[0].split("=")[0].strip() for requirement in extras["notebooks"]}
    assert names == {"micrograd-spelled-out[draw]", "jupyterlab", "ipykernel", "matplotlib"}


def test_a_fresh_venv_with_only_the_notebooks_extra_runs_both_notebooks(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    # as an activated venv: its programs first on PATH, nothing from this test run's environment
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(env_dir))
    # --no-compile: pip would compile every module it installs (JupyterLab brings many), which doubles the
    # install's CPU time here; running the notebooks then compiles only the ones they import
    install = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--disable-pip-version-check",
                              "--quiet", "--no-compile", "-e", f"{ROOT}[notebooks]"],
                             capture_output=True, text=True, env=env, timeout=900)
    assert install.returncode == 0, f"pip install -e '.[notebooks]' failed:\n{install.stderr[-4000:]}"
    downloads = tmp_path / "downloads"  # each notebook alone in a folder, as a reader downloads it
    downloads.mkdir()
    for notebook in NOTEBOOKS:
        shutil.copy(notebook, downloads / notebook.name)
    run = subprocess.run([str(bin_dir / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                          "--ExecutePreprocessor.timeout=300", "--output-dir", str(tmp_path / "executed"),
                          *(str(downloads / n.name) for n in NOTEBOOKS)],
                         cwd=downloads, capture_output=True, text=True, env=env, timeout=900)
    assert run.returncode == 0, f"the notebooks failed in a venv with only the notebooks extra:\n{run.stderr[-6000:]}"
    for notebook in NOTEBOOKS:
        executed = json.loads((tmp_path / "executed" / notebook.name).read_text())
        errors = [out for cell in executed["cells"] for out in cell.get("outputs", []) if out["output_type"] == "error"]
        assert not errors, f"{notebook.name} ran with errors: {errors}"
        counts = [cell["execution_count"] for cell in executed["cells"] if cell["cell_type"] == "code"]
        assert all(counts), f"{notebook.name}: some code cells did not run ({counts})"
