"""dev.py, the project's commands: help, install progress, Ctrl-C and SIGTERM.

Each test copies dev.py into a temporary folder with a fake `.venv` whose `mkdocs` and `python` are
small scripts that stand in for the real programs (a server that runs until stopped, a pip that
prints what pip prints), so nothing is installed and nothing is served.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and executable scripts as on Linux and macOS")

# Stands in for mkdocs, for `python -m pytest` and for `python -m pip install`. It writes its pid,
# then runs until stopped; Ctrl-C (SIGINT) ends it quietly, as it ends `mkdocs serve`.
FAKE = """\
#!{python}
import os, signal, sys, time
from pathlib import Path
here = Path(__file__).resolve().parent.parent
signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
if sys.argv[1:3] == ["-m", "pip"]:
    print("Collecting alpha", flush=True)
    print("  Using cached alpha-1.0-py3-none-any.whl", flush=True)
    print("Collecting beta", flush=True)
    mode = (here / "pip-mode").read_text() if (here / "pip-mode").exists() else "ok"
    if mode == "fail":
        print("ERROR: No matching distribution found for gamma", flush=True)
        sys.exit(1)
    if mode == "hang":
        (here / "pip.pid").write_text(str(os.getpid()))
        time.sleep(60)
    print("Installing collected packages: alpha, beta", flush=True)
    print("Successfully installed alpha-1.0 beta-2.0", flush=True)
    sys.exit(0)
(here / (Path(sys.argv[0]).name + ".pid")).write_text(str(os.getpid()))
(here / (Path(sys.argv[0]).name + ".args")).write_text(" ".join(sys.argv[1:]))
if os.environ.get("FAKE_EXIT") is not None:
    sys.exit(int(os.environ["FAKE_EXIT"]))
time.sleep(60)
sys.exit(3)
"""


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A folder with dev.py, a pyproject.toml and a `.venv` that is installed already, with fake programs."""
    shutil.copy(ROOT / "dev.py", tmp_path / "dev.py")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'fake'\n")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("mkdocs", "python"):
        (bin_dir / name).write_text(FAKE.format(python=sys.executable))
        (bin_dir / name).chmod(0o755)
    digest = hashlib.sha256((tmp_path / "pyproject.toml").read_bytes()).hexdigest()[:16]
    (tmp_path / ".venv" / f".installed-{digest}").touch()
    return tmp_path


def not_installed(clone: Path, pip_mode: str = "ok") -> Path:
    for stamp in (clone / ".venv").glob(".installed-*"):
        stamp.unlink()
    (clone / ".venv" / "pip-mode").write_text(pip_mode)
    return clone


def start(clone: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """`python3 dev.py ARGS` in its own process group, as a shell starts a command in a terminal."""
    return subprocess.Popen([sys.executable, str(clone / "dev.py"), *args], cwd=clone, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, **env})


def wait_for(path: Path, timeout: float = 20.0) -> int:
    """The pid a fake program wrote to `path`, once it is there."""
    deadline = time.monotonic() + timeout
    while not (path.exists() and path.read_text()):
        assert time.monotonic() < deadline, f"{path.name} never appeared: the fake program did not start"
        time.sleep(0.05)
    return int(path.read_text())


def gone(pid: int, timeout: float = 10.0) -> bool:
    """True once no process `pid` exists (an orphan would be reaped by init, so a zombie does not linger)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=30)
    return process.returncode, out, err


def test_help_names_every_command() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "dev.py"), "--help"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("usage: python3 dev.py {serve|build|test|npm}")
    explained = [("serve", "http://127.0.0.1:8000"), ("build", "--strict"), ("test", "pytest"), ("npm", "lock")]
    for command, what in explained:
        assert any(line.split()[:1] == [command] and what in line for line in result.stdout.splitlines()), \
            f"--help does not explain {command!r}:\n{result.stdout}"


@pytest.mark.parametrize(("args", "message"), [(["deploy"], "unknown command 'deploy'"), ([], "which command?")])
def test_a_missing_or_unknown_command_is_named_with_the_usage(args: list[str], message: str) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "dev.py"), *args], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    usage = "usage: python3 dev.py {serve|build|test|npm} [arguments for mkdocs, pytest or npm]"
    hint = "" if args else " (see python3 dev.py --help)"
    assert result.stderr.splitlines() == [usage, f"dev.py: {message}{hint}"]


def test_arguments_go_to_the_program_and_its_exit_code_comes_back(clone: Path) -> None:
    code, _, err = finish(start(clone, "test", "tests/test_nn.py", "-x", FAKE_EXIT="5"))
    assert code == 5 and err == ""
    assert (clone / ".venv" / "python.args").read_text() == "-m pytest tests/test_nn.py -x"


def test_sigterm_stops_the_server_it_started(clone: Path) -> None:
    dev = start(clone, "serve")
    server = wait_for(clone / ".venv" / "mkdocs.pid")
    assert (clone / ".venv" / "mkdocs.args").read_text() == "serve --dev-addr 127.0.0.1:8000"
    dev.send_signal(signal.SIGTERM)  # to dev.py alone, as `kill` sends it
    code, _, err = finish(dev)
    assert code == 128 + signal.SIGTERM
    assert err == "dev.py: mkdocs stopped (SIGTERM)\n"
    assert gone(server), f"the server (pid {server}) still runs after dev.py was stopped"


@pytest.mark.parametrize(("command", "program"), [("serve", "mkdocs"), ("test", "python")])
def test_ctrl_c_ends_a_command_with_one_line(clone: Path, command: str, program: str) -> None:
    dev = start(clone, command)
    child = wait_for(clone / ".venv" / f"{program}.pid")
    os.killpg(dev.pid, signal.SIGINT)  # a terminal's Ctrl-C: SIGINT to the whole foreground group
    code, _, err = finish(dev)
    assert (code, err) == (130, f"dev.py: {program} interrupted (Ctrl-C)\n")
    assert gone(child)


def test_the_first_run_shows_progress_and_installs_once(clone: Path) -> None:
    not_installed(clone)
    code, out, err = finish(start(clone, "test", FAKE_EXIT="0"))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("installing micrograd with its docs and test tools")
    assert lines[1:5] == ["  [  1] Collecting alpha", "  [  2] Collecting beta",
                          "  Installing collected packages: alpha, beta", "  Successfully installed alpha-1.0 beta-2.0"]
    assert lines[5].startswith("  done in ")
    assert len(list((clone / ".venv").glob(".installed-*"))) == 1
    code, out, _ = finish(start(clone, "test", FAKE_EXIT="0"))
    assert (code, out) == (0, ""), "the second run installed again"


def test_a_failed_install_shows_pips_last_lines_and_installs_again_next_time(clone: Path) -> None:
    not_installed(clone, "fail")
    code, _, err = finish(start(clone, "test", FAKE_EXIT="0"))
    assert code == 1
    assert "ERROR: No matching distribution found for gamma" in err
    assert err.rstrip().endswith("dev.py: pip install failed (exit 1); its last lines are above")
    assert not list((clone / ".venv").glob(".installed-*"))


def test_ctrl_c_during_the_install_stops_pip_with_one_line(clone: Path) -> None:
    not_installed(clone, "hang")
    dev = start(clone, "serve")
    pip = wait_for(clone / ".venv" / "pip.pid")
    os.killpg(dev.pid, signal.SIGINT)
    code, _, err = finish(dev)
    assert (code, err) == (130, "dev.py: install interrupted (Ctrl-C); the next run starts it again\n")
    assert gone(pip)
    assert not list((clone / ".venv").glob(".installed-*"))
    assert not (clone / ".venv" / "mkdocs.pid").exists(), "the server started after an interrupted install"


def load_dev(clone: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_copy", clone / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_quiet_pip_gets_a_still_installing_line(clone: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """pip prints nothing while it unpacks and installs: a line every HEARTBEAT seconds says it is working."""
    not_installed(clone, "ok")
    (clone / ".venv" / "bin" / "python").write_text(f"#!{sys.executable}\nimport time\ntime.sleep(0.5)\n")
    dev = load_dev(clone)
    monkeypatch.setattr(dev, "HEARTBEAT", 0.1)
    dev.install()
    out = capsys.readouterr().out.splitlines()
    still = [line for line in out if line.startswith("  ... still installing (")]
    assert len(still) >= 2, out
    assert out[-1].startswith("  done in ")
