"""Check a micrograd you wrote yourself: `python -m micrograd.check your_micrograd.py`.

The checker imports your `Value` (and `Neuron`, `Layer`, `MLP` and `train` where you have
them), runs the lecture's examples and a few traps on it, and prints one row per check:
``pass``, ``FAIL`` with a hint naming the likely bug and the page that explains it, ``limit``
for a limit of the approach rather than a wrong answer, or ``not yet`` when a check needs
something your engine does not have yet. So it can follow you step by step as the engine
grows. Plain Python only: it runs in a browser under Pyodide as well.

In a notebook or a page, `check_engine(globals())` checks the classes you have defined there.
"""

from __future__ import annotations

import importlib.util
import io
import math
import random
import signal
import sys
import textwrap
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from micrograd.gradcheck import central_difference

PASS = "pass"
"""The engine gave the right answer."""
FAIL = "FAIL"
"""A wrong answer or an error; the result's hints name the likely bug."""
LIMIT = "limit"
"""Not a wrong answer: the approach stops short (a recursive sort on a deep graph). Counts as passed."""
NOT_YET = "not yet"
"""The check needs an operation, method or class the engine does not have yet."""
NAMES = ("Value", "Neuron", "Layer", "MLP", "train")
"""What the checker looks for in your file; only `Value` is required."""

_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
_YS = [1.0, -1.0, -1.0, 1.0]  # the lecture's four samples and targets


class CheckError(Exception):
    """The engine cannot be checked at all: no such file, no Value, a Value that needs more than a number."""


@dataclass(frozen=True)
class Hint:
    """The likely bug behind a failure, and the page (and section) that explains it.

    Attributes:
        text: What is probably wrong, and how it is usually fixed.
        page: The page's source file under `docs/`, such as `reuse.md`.
        anchor: The section's anchor on that page, or "" for the whole page.
    """

    text: str
    page: str
    anchor: str = ""

    @property
    def link(self) -> str:
        """The page's source path in docs/, with the section's anchor: `reuse.md#the-bug`."""
        return f"{self.page}#{self.anchor}" if self.anchor else self.page


@dataclass(frozen=True)
class Result:
    """One check's outcome.

    Attributes:
        name: The check, as the table names it.
        status: `PASS`, `FAIL`, `LIMIT` or `NOT_YET`.
        detail: What the check saw: the numbers, the error, or what a `not yet` needs.
        hints: For a failure or a limit, the likely causes.
        missing: For `not yet`, the features the engine lacks, such as `("tanh", "backward()")`.
    """

    name: str
    status: str
    detail: str = ""
    hints: tuple[Hint, ...] = ()
    missing: tuple[str, ...] = ()  # for `not yet`: what the engine does not have yet


@dataclass
class Report:
    """Every check's result, in order; `str(report)` is the table the command prints.

    Attributes:
        source: What was checked: the file's path, the module's name, or "your namespace".
        results: One `Result` per check, in the order they ran.
    """

    source: str
    results: list[Result] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check passed (a `limit` is not a wrong answer, so it counts as passed)."""
        return all(r.status in (PASS, LIMIT) for r in self.results)

    def count(self, status: str) -> int:
        """How many checks ended with this status.

        Args:
            status: `PASS`, `FAIL`, `LIMIT` or `NOT_YET`.

        Returns:
            The number of results with that status.
        """
        return sum(r.status == status for r in self.results)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython and Jupyter show the table, not the dataclass fields, for a report left as a cell's result."""
        printer.text(str(self))

    def __str__(self) -> str:
        return self.table()

    def table(self, passed: bool = True) -> str:
        """The table: a row per check, hints under a failure, the `not yet` checks in one line, a count.

        Args:
            passed: False leaves out the rows of the checks that passed, to show only what needs work.

        Returns:
            The table's lines, joined.
        """
        width = max(len(r.name) for r in self.results)
        lines = []
        for r in self.results:
            if r.status == NOT_YET or (r.status == PASS and not passed):
                continue
            lines.append(f"{r.status:<6} {r.name:<{width}}  {r.detail}".rstrip())
            for hint in r.hints:
                lines += textwrap.wrap(hint.text, 80, initial_indent="       hint: ", subsequent_indent=" " * 13)
                lines.append(f"       see:  {hint.link}")
        waiting = [r for r in self.results if r.status == NOT_YET]
        if waiting:
            missing = {n for r in waiting for n in r.missing}
            needs = [n for n in (*_METHODS, "grad", "_prev", "_backward", *NAMES[1:]) if n in missing]
            lines += textwrap.wrap(f"not yet: {len(waiting)} more checks, for {', '.join(needs)}", 80,
                                   subsequent_indent="         ")
        lines.append(f"{self.count(PASS)} of {len(self.results)} checks passed"
                     + (f", {self.count(LIMIT)} at a limit" if self.count(LIMIT) else "")
                     + (f", {self.count(FAIL)} failed" if self.count(FAIL) else ""))
        return "\n".join(lines)


@dataclass
class _Engine:
    """The learner's classes, as found in their module or namespace."""

    value: Any
    neuron: Any = None
    layer: Any = None
    mlp: Any = None
    train: Any = None
    features: frozenset[str] = frozenset()

    def has(self, *names: str) -> bool:
        return all(n in self.features for n in names)


# ---- the pages that explain each bug (tests/test_check.py checks each page and anchor exists) ----

_ENDLESS = Hint("a loop that never ends: in backward(), a sort whose stack never empties or a node that is "
                "never marked visited", "automatic-backward.md", "the-order-matters-topological-sort")
_LEAF = Hint("a Value made from a number alone is a leaf: give _children the default () and _op the default ''",
            "value.md", "a-number-that-remembers-where-it-came-from")
_OVERWRITE = Hint("a _backward sets a child's grad (=) instead of adding to it (+=): "
                 "a value used twice keeps only the last contribution",
                 "reuse.md", "the-bug-overwriting-instead-of-adding")
_VISIT_TWICE = Hint("the topological sort lists a node more than once, so its _backward runs twice: "
                   "mark each node visited and skip visited ones",
                   "automatic-backward.md", "the-order-matters-topological-sort")
_ORDER = Hint("backward() must set self.grad = 1 and then call _backward on every node in reverse "
             "topological order (the output first)", "automatic-backward.md",
             "backward-everything-in-one-call")
_LOCAL = Hint("the local derivative in this operation's _backward is wrong; compare with the table",
             "automatic-backward.md", "each-operation-knows-its-own-derivative")
_SUB_SIGN = Hint("subtraction's backward has the wrong sign: d(a - b)/db is -1, so b.grad -= out.grad "
                "(or build a - b as a + (-b))", "more-ops.md", "subtraction-and-negation")
_TANH = Hint("tanh's local derivative is 1 - tanh(x)**2, from the output t", "neuron.md", "through-tanh")
_REFLECTED = Hint("a reflected operator (__rsub__, __rtruediv__, ...) returns a plain number: the graph "
                 "stops there; wrap the number and use the forward operation, Value(other) - self",
                 "pitfalls-engine.md", "reflected-operations-that-return-plain-floats")
_WRAP = Hint("a plain number meets a Value: wrap it first, other = other if isinstance(other, Value) "
            "else Value(other), and define __radd__, __rmul__, ... for the number on the left",
            "more-ops.md", "numbers-on-the-left-the-reflected-forms")
_SET_CHILDREN = Hint("the children are a set: their order changes from run to run, and a + a has one child "
                    "instead of two; keep them in a tuple", "value.md", "arithmetic-builds-a-graph")
_TANH_EXP = Hint("tanh computed from exp(2x) overflows above x = 354.9; use math.tanh and 1 - t**2",
                "pitfalls-engine.md", "computing-tanh-from-the-exp-formula")
_RECURSION = Hint("the recursive topological sort stops at Python's recursion limit (about 1,000 calls "
                 "deep); a sort with its own stack has no such limit", "pitfalls-engine.md",
                 "recursion-in-the-topological-sort")
_TWICE = Hint("a second backward() should either replay from zero and add the same gradients again, or "
             "push the accumulated gradients through again as the lecture's engine does",
             "pitfalls-training.md", "calling-backward-twice")
_WRONG_SIGN = Hint("the update climbs the loss: it must be p.data -= lr * p.grad", "pitfalls-training.md",
                  "updating-with-the-wrong-sign")
_NO_RESET = Hint("train() does not reset the gradients before backward(): call model.zero_grad() in every step",
                "pitfalls-training.md", "forgetting-zero_grad")
_ZERO_GRAD = Hint("a module needs zero_grad(): set p.grad = 0.0 for every p in self.parameters()",
                 "nn.md", "resetting-gradients")
_README = Hint("0.1.0's README prints g 24.7041, a.grad 138.8338, b.grad 645.5773; the example combines "
               "the operations checked above, so fix the failures above first", "more-ops.md",
               "all-together-micrograds-readme-example")
_SANITY = Hint("0.1.0's sanity check wants y -20 and x.grad 46; it combines the operations checked above, "
               "so fix the failures above first", "more-ops.md")
_MLP_SHAPE = Hint("MLP(3, [4, 4, 1]) has 4*(3+1) + 4*(4+1) + 1*(4+1) = 41 parameters and returns one Value",
                 "nn.md", "a-multi-layer-perceptron")


# ---- finding and importing the learner's engine ----

def _import_file(path: Path) -> ModuleType:
    """Import a Python file by path; its own traceback, without the checker's frames, if it raises."""
    if not path.exists():
        raise CheckError(f"{path}: no such file")
    if path.is_dir() or path.suffix != ".py":
        raise CheckError(f"{path}: not a Python file (give the .py file that defines your Value)")
    name = f"_micrograd_check_{path.stem}"  # not the file's own name: yours may well be micrograd.py
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CheckError(f"{path}: Python cannot import this file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.parent))  # so `from engine import Value` finds your other files
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise CheckError(f"{path} raised an error while it was imported:\n{_own_traceback(error, path)}") from None
    finally:
        sys.path.remove(str(path.parent))
        sys.modules.pop(name, None)
    return module


def _own_traceback(error: BaseException, path: Path) -> str:
    """The traceback from the first frame in the learner's file on: the checker's frames say nothing to them."""
    frames = list(traceback.extract_tb(error.__traceback__))
    for i, frame in enumerate(frames):
        if Path(frame.filename).resolve() == path.resolve():
            frames = frames[i:]
            break
    if isinstance(error, SyntaxError):  # a syntax error has no frame in the file: its text says where
        frames = []
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames),
             *traceback.format_exception_only(type(error), error)]
    return "".join(lines).rstrip()


def _load(source: object) -> tuple[_Engine, str]:
    """The learner's engine from a path, a module, a namespace such as globals(), or a Value class."""
    if isinstance(source, (str, Path)):
        found: Mapping[str, Any] = vars(_import_file(Path(source)))
        where = str(source)
    elif isinstance(source, ModuleType):
        found, where = vars(source), source.__name__
    elif isinstance(source, Mapping):
        found, where = source, "your namespace"
    elif isinstance(source, type):
        found, where = {"Value": source}, source.__qualname__
    else:
        raise CheckError(f"cannot check {type(source).__name__}: give a path, a module, globals() or a class")
    value = found.get("Value")
    if not isinstance(value, type):
        raise CheckError(f"{where} has no class named Value (the checker looks for {', '.join(NAMES)})")
    try:
        sample = value(2.0)
        data = sample.data
    except Exception as error:
        raise CheckError(f"{where}: Value(2.0) raised {type(error).__name__}: {error}; the checker builds "
                         "Values from a number alone, as in Value(2.0), so the other arguments need "
                         "defaults") from None
    if data != 2.0:
        raise CheckError(f"{where}: Value(2.0).data is {data!r}, not 2.0")
    # callable only: a module named `train` (the package's own micrograd.train, say) is not a train()
    parts = [x if callable(x := found.get(n)) else None for n in NAMES[1:]]
    engine = _Engine(value, parts[0], parts[1], parts[2], parts[3])
    engine.features = frozenset(_features(value, sample, engine))
    return engine, where


_METHODS = {"+": "__add__", "*": "__mul__", "-": "__sub__", "neg": "__neg__", "/": "__truediv__",
            "**": "__pow__", "exp": "exp", "tanh": "tanh", "relu": "relu", "log": "log", "sigmoid": "sigmoid",
            "backward()": "backward", "__radd__": "__radd__", "__rmul__": "__rmul__", "__rsub__": "__rsub__",
            "__rtruediv__": "__rtruediv__"}


def _features(value: type, sample: Any, engine: _Engine) -> Iterator[str]:
    """The names of what the engine has: operations, grad, _prev, _backward, backward(), the nn classes."""
    for feature, method in _METHODS.items():
        if callable(getattr(value, method, None)):
            yield feature
    for attribute in ("grad", "_prev", "_backward"):
        if hasattr(sample, attribute):
            yield attribute
    for name in NAMES[1:]:
        if getattr(engine, name.lower()) is not None:
            yield name


# ---- helpers the checks share ----

def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9)


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") if math.isfinite(x) else str(x)


def _run_backward(engine: _Engine, root: Any, by_hand: Sequence[Any]) -> None:
    """root.backward(), or before backward() exists, _backward() on the given nodes in order, as the lecture does."""
    if engine.has("backward()"):
        root.backward()
    else:
        root.grad = 1.0
        for node in by_hand:
            node._backward()


def _grads(named: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} {_fmt(v.grad)}" for name, v in named.items())


class _Failed(Exception):
    """A check found a wrong answer; carries what was seen and the hints."""

    def __init__(self, detail: str, *hints: Hint) -> None:
        super().__init__(detail)
        self.detail = detail
        self.hints = hints


def _expect(named: Mapping[str, Any], want: Mapping[str, float], *hints: Hint) -> None:
    """Fail unless each named Value's grad is the wanted number; the hints say why it might not be."""
    if not all(_close(named[k].grad, w) for k, w in want.items()):
        raise _Failed(f"got {_grads({k: named[k] for k in want})}; "
                     f"want {', '.join(f'{k} {_fmt(w)}' for k, w in want.items())}", *hints)


def _backward_hints(named: Mapping[str, Any], want: Mapping[str, float]) -> tuple[Hint, ...]:
    """The likely bug when gradients are wrong: never seeded, wrong order, or some other local derivative."""
    got = [named[k].grad for k in want]
    if all(g == 0 for g in got):
        return (_ORDER,)
    return (_OVERWRITE, _LOCAL)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """random.seed(seed) for the learner's random weights, and the caller's random state back afterwards."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


# ---- the checks: each needs some features, and returns a detail string or raises _Failed ----

@dataclass(frozen=True)
class _Check:
    name: str
    needs: tuple[str, ...]
    run: Callable[[_Engine], str]


def _leaf(e: _Engine) -> str:
    v = e.value(2.0)
    prev, op = getattr(v, "_prev", ()), getattr(v, "_op", "")
    if len(prev) or op:
        raise _Failed(f"Value(2.0) has children {prev!r} and op {op!r}; a leaf has none", _LEAF)
    return "data 2.0, no children"


def _children(e: _Engine) -> str:
    a, b = e.value(2.0), e.value(-3.0)
    prev = (a * b)._prev
    if isinstance(prev, (set, frozenset)):
        raise _Failed(f"_prev is a {type(prev).__name__}", _SET_CHILDREN)
    children = tuple(prev)
    if len(children) != 2 or children[0] is not a or children[1] is not b:  # `is`: a Value may redefine ==
        raise _Failed(f"_prev of a * b holds {len(children)} items, not (a, b) in order", _SET_CHILDREN)
    return f"_prev is a {type(prev).__name__}"


def _lecture_L(e: _Engine) -> dict[str, Any]:
    V = e.value
    a, b, c, f = V(2.0), V(-3.0), V(10.0), V(-2.0)
    ab = a * b
    d = ab + c
    return {"a": a, "b": b, "c": c, "f": f, "e": ab, "d": d, "L": d * f}


def _forward_L(e: _Engine) -> str:
    L = _lecture_L(e)["L"].data
    if L != -8.0:
        raise _Failed(f"L is {L!r}", _LOCAL)
    return "L = -8"


def _grads_L(e: _Engine) -> str:
    n = _lecture_L(e)
    _run_backward(e, n["L"], [n["L"], n["d"], n["e"]])
    want = {"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0}
    _expect(n, want, *_backward_hints(n, want))
    return _grads({k: n[k] for k in want})


def _neuron(e: _Engine) -> str:
    V = e.value
    x1, x2, w1, w2, b = V(2.0), V(0.0), V(-3.0), V(1.0), V(6.8813735870195432)
    x1w1, x2w2 = x1 * w1, x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = n.tanh()
    if not _close(o.data, math.sqrt(0.5)):
        raise _Failed(f"o is {o.data!r}, want 0.7071", _TANH)
    named = {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b}
    _run_backward(e, o, [o, n, s, x2w2, x1w1])
    want = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    hints = (_TANH,) if _close(n.grad, 0.5) is False and o.grad == 1.0 else _backward_hints(named, want)
    _expect(named, want, *hints)
    return f"o 0.7071; {_grads(named)}"


def _used_twice(e: _Engine) -> str:
    V = e.value
    a = V(3.0)
    twice = a + a
    _run_backward(e, twice, [twice])
    if _close(a.grad, 1.0):
        raise _Failed(f"a + a gives a.grad {_fmt(a.grad)}, want 2", _OVERWRITE)
    _expect({"a": a}, {"a": 2.0}, _OVERWRITE)
    a, b = V(3.0), V(-2.0)
    ab = a * b
    y = ab + a
    _run_backward(e, y, [y, ab])
    if not _close(a.grad, -1.0):
        raise _Failed(f"a*b + a (a 3, b -2) gives a.grad {_fmt(a.grad)}, want -1", _OVERWRITE)
    return "a + a: a.grad 2; a*b + a: a.grad -1"


def _two_paths(e: _Engine) -> str:
    V = e.value
    a, b = V(3.0), V(-2.0)
    d = a * b
    top = d + d
    top.backward()
    if _close(d.grad, 4.0) or _close(a.grad, -8.0):
        raise _Failed(f"d.grad {_fmt(d.grad)}, a.grad {_fmt(a.grad)}: twice the right numbers", _VISIT_TWICE)
    _expect({"d": d, "a": a, "b": b}, {"d": 2.0, "a": -4.0, "b": 6.0}, _OVERWRITE)
    return "d.grad 2, a.grad -4, b.grad 6"


@dataclass(frozen=True)
class _Op:
    text: str
    needs: str
    f: Callable[..., Any]
    at: tuple[float, ...]


_OPS = (
    _Op("a + b", "+", lambda a, b: a + b, (1.5, -2.5)),
    _Op("a * b", "*", lambda a, b: a * b, (1.5, -2.5)),
    _Op("a - b", "-", lambda a, b: a - b, (1.5, -2.5)),
    _Op("-a", "neg", lambda a: -a, (1.5,)),
    _Op("a / b", "/", lambda a, b: a / b, (1.5, -2.5)),
    _Op("a ** 3", "**", lambda a: a**3, (1.5,)),
    _Op("a ** -0.5", "**", lambda a: a**-0.5, (1.5,)),
    _Op("a.exp()", "exp", lambda a: a.exp(), (0.5,)),
    _Op("a.tanh()", "tanh", lambda a: a.tanh(), (0.5,)),
    _Op("a.relu() at 0.5", "relu", lambda a: a.relu(), (0.5,)),
    _Op("a.relu() at -0.5", "relu", lambda a: a.relu(), (-0.5,)),
    _Op("a.log()", "log", lambda a: a.log(), (1.5,)),
    _Op("a.sigmoid()", "sigmoid", lambda a: a.sigmoid(), (0.5,)),
)


def _gradcheck(e: _Engine) -> str:
    checked, problems, hints = [], [], []
    for op in _OPS:
        if not e.has(op.needs):
            continue
        xs = [e.value(x) for x in op.at]
        out = op.f(*xs)
        out.backward()
        def forward(p: Sequence[float], f: Callable[..., Any] = op.f) -> float:
            return float(f(*map(e.value, p)).data)

        for i, x in enumerate(xs):
            numeric = central_difference(forward, op.at, i)
            if not math.isclose(x.grad, numeric, rel_tol=1e-4, abs_tol=1e-6):
                name = "ab"[i]
                problems.append(f"{op.text}: d/d{name} {_fmt(x.grad)}, central difference {_fmt(numeric)}")
                sign_flipped = op.text == "a - b" and i == 1 and math.isclose(x.grad, -numeric, rel_tol=1e-4)
                hint = _SUB_SIGN if sign_flipped else _TANH if op.needs == "tanh" else _LOCAL
                if hint not in hints:
                    hints.append(hint)
        checked.append(op.needs)
    if problems:
        raise _Failed("; ".join(problems), *hints)
    return " ".join(dict.fromkeys(checked))


def _numbers(e: _Engine) -> str:
    """Numbers on either side: each result a Value in the graph, with d/da right."""
    cases: list[tuple[str, str, Callable[[Any], Any], float]] = [
             ("a + 2", "+", lambda a: a + 2, 1.0), ("2 + a", "__radd__", lambda a: 2 + a, 1.0),
             ("a * 2", "*", lambda a: a * 2, 2.0), ("2 * a", "__rmul__", lambda a: 2 * a, 2.0),
             ("a - 2", "-", lambda a: a - 2, 1.0), ("2 - a", "__rsub__", lambda a: 2 - a, -1.0),
             ("a / 2", "/", lambda a: a / 2, 0.5), ("2 / a", "__rtruediv__", lambda a: 2 / a, -0.5)]
    checked = []
    for text, needs, f, slope in cases:
        if not e.has(needs):
            continue
        a = e.value(2.0)
        try:
            out = f(a)
        except (AttributeError, TypeError) as error:
            raise _Failed(f"{text} raised {type(error).__name__}: {error}", _WRAP) from None
        if not isinstance(out, e.value):
            raise _Failed(f"{text} gives a {type(out).__name__}, not a Value", _REFLECTED)
        out.backward()
        if not _close(a.grad, slope):
            flipped = "-" in text and _close(a.grad, -slope)  # `2 - a` runs Value(2) - a: subtraction's backward
            raise _Failed(f"{text}: a.grad {_fmt(a.grad)}, want {_fmt(slope)}", _SUB_SIGN if flipped else _LOCAL)
        checked.append(text.replace(" ", ""))
    return " ".join(checked)


def _tanh_large(e: _Engine) -> str:
    x = e.value(400.0)
    try:
        out = x.tanh()
        _run_backward(e, out, [out])
    except OverflowError as error:
        raise _Failed(f"tanh(400) raised OverflowError: {error}", _TANH_EXP) from None
    if out.data != 1.0 or x.grad != 0.0:
        raise _Failed(f"tanh(400) is {out.data!r} with gradient {x.grad!r}, want 1.0 and 0.0", _TANH_EXP)
    return "1.0, gradient 0.0"


_DEPTH = 5000


def _deep(e: _Engine) -> str:
    start = e.value(1.0)
    one = e.value(1.0)
    x = start
    for _ in range(_DEPTH):
        x = x + one
    try:
        x.backward()
    except RecursionError:
        raise _Limit(f"RecursionError: Python's limit is {sys.getrecursionlimit():,} calls",
                     _RECURSION) from None
    _expect({"start": start, "one": one}, {"start": 1.0, "one": float(_DEPTH)}, _OVERWRITE)
    return "start.grad 1"


class _Limit(_Failed):
    """Not a wrong answer: the approach stops short of the check (a recursion limit)."""


def _second_backward(e: _Engine) -> str:
    V = e.value
    x = V(3.0)
    u = x * x
    z = u * V(2.0)
    z.backward()
    _expect({"x": x, "u": u}, {"x": 12.0, "u": 2.0}, _OVERWRITE, _LOCAL)
    z.backward()
    if _close(x.grad, 24.0):
        return "x.grad 24: replays from zero (as PyTorch)"
    if _close(x.grad, 36.0) and _close(u.grad, 4.0):
        return "x.grad 36: pushes old grads on again (lecture)"
    raise _Failed(f"after a second backward() x.grad is {_fmt(x.grad)}, u.grad {_fmt(u.grad)}: want x.grad 24 "
                 f"(replayed from zero) or 36 (the lecture's engine)", _TWICE)


def readme_expression(a: Any, b: Any) -> Any:
    """The expression of micrograd 0.1.0's README: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773 at a = -4, b = 2.

    Args:
        a: A Value (of any engine, or a PyTorch tensor) holding -4.
        b: The same kind of object, holding 2.

    Returns:
        g, built from a and b with +, *, **, /, - and relu, numbers on either side.
    """
    c = a + b
    d = a * b + b**3
    c = c + (c + 1)  # the README's `c += c + 1`, which an engine without __iadd__ runs the same way
    c = c + (1 + c + (-a))
    d = d + (d * 2 + (b + a).relu())
    d = d + (3 * d + (b - a).relu())
    e = c - d
    f = e**2
    g = f / 2.0
    return g + 10.0 / f


def sanity_expression(x: Any) -> Any:
    """micrograd 0.1.0's sanity check: y = -20 and dy/dx = 46 at x = -4.

    Args:
        x: A Value (of any engine, or a PyTorch tensor) holding -4.

    Returns:
        y, built from x with +, *, relu and numbers on the left.
    """
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    return h + q + q * x


def _readme(e: _Engine) -> str:
    a, b = e.value(-4.0), e.value(2.0)
    g = readme_expression(a, b)
    g.backward()
    got = (round(g.data, 4), round(a.grad, 4), round(b.grad, 4))
    if got != (24.7041, 138.8338, 645.5773):
        raise _Failed(f"g {got[0]}, a.grad {got[1]}, b.grad {got[2]}", _README)
    return "g 24.7041, a.grad 138.8338, b.grad 645.5773"


def _sanity(e: _Engine) -> str:
    x = e.value(-4.0)
    y = sanity_expression(x)
    y.backward()
    if not (_close(y.data, -20.0) and _close(x.grad, 46.0)):
        raise _Failed(f"y {_fmt(y.data)}, x.grad {_fmt(x.grad)}", _SANITY)
    return "y -20, x.grad 46"


def _mlp(e: _Engine) -> str:
    with _seeded(1):
        model = e.mlp(3, [4, 4, 1])
        sizes = []
        if e.neuron is not None:
            sizes.append(("Neuron(3)", len(e.neuron(3).parameters()), 4))
        if e.layer is not None:
            sizes.append(("Layer(3, 4)", len(e.layer(3, 4).parameters()), 16))
    sizes.append(("MLP(3, [4, 4, 1])", len(model.parameters()), 41))
    for text, got, want in sizes:
        if got != want:
            raise _Failed(f"{text} has {got} parameters, want {want}", _MLP_SHAPE)
    out = model(_XS[0])
    if not isinstance(out, e.value):
        raise _Failed(f"MLP(3, [4, 4, 1]) gives a {type(out).__name__}, want one Value", _MLP_SHAPE)
    return "41 parameters, one Value out"


def _zero_grad(e: _Engine) -> str:
    with _seeded(2):
        model = e.mlp(3, [4, 4, 1])
    if not callable(getattr(model, "zero_grad", None)):
        raise _Failed("MLP has no zero_grad()", _ZERO_GRAD)
    model(_XS[0]).backward()
    model.zero_grad()
    left = sum(p.grad != 0 for p in model.parameters())
    if left:
        raise _Failed(f"{left} parameters still have a grad after zero_grad()", _ZERO_GRAD)
    return "every grad 0 afterwards"


def _fresh_model(e: _Engine) -> Any:
    with _seeded(3):
        return e.mlp(3, [4, 4, 1])


def _update_sign(e: _Engine) -> str:
    losses = e.train(_fresh_model(e), _XS, _YS, 3, 0.01)
    if not losses[2] < losses[1] < losses[0]:
        hints = (_WRONG_SIGN,) if losses[2] > losses[1] > losses[0] else ()
        raise _Failed(f"losses {', '.join(map(_fmt, losses))} with lr 0.01: want them falling", *hints)
    return "loss falls with a small learning rate"


def _reset(e: _Engine) -> str:
    model = _fresh_model(e)
    e.train(model, _XS, _YS, 1, 0.0)  # lr 0: the parameters stay put, so each step's gradients are the same
    first = [p.grad for p in model.parameters()]
    e.train(model, _XS, _YS, 1, 0.0)
    second = [p.grad for p in model.parameters()]
    if all(_close(s, 2 * f) for s, f in zip(first, second)) and any(f != 0 for f in first):
        raise _Failed("a second step with lr 0 doubled every gradient", _NO_RESET)
    if not all(_close(s, f) for s, f in zip(first, second)):
        raise _Failed("a second step with lr 0 changed the gradients", _NO_RESET)
    return "the same gradients in every step"


def _training(e: _Engine) -> str:
    model = _fresh_model(e)
    if e.train is not None:
        losses = list(e.train(model, _XS, _YS, 20, 0.05))
    else:  # no train() yet: the lecture's loop, on the learner's MLP
        losses = []
        for _ in range(20):
            loss = sum((model(x) - y) ** 2 for x, y in zip(_XS, _YS))
            for p in model.parameters():
                p.grad = 0.0
            loss.backward()
            for p in model.parameters():
                p.data -= 0.05 * p.grad
            losses.append(loss.data)
    if not losses[-1] < losses[0] / 2:
        raise _Failed(f"loss {_fmt(losses[0])} -> {_fmt(losses[-1])} in 20 steps of lr 0.05", _WRONG_SIGN, _NO_RESET)
    return f"loss {_fmt(losses[0])} -> {_fmt(losses[-1])} in 20 steps"


_ARITH, _BACKWARD = ("+", "*"), ("backward()",)
_CHECKS = (
    _Check("Value(2.0) is a leaf", (), _leaf),
    _Check("children in order", ("*", "_prev"), _children),
    _Check("L = (a*b + c)*f", _ARITH, _forward_L),
    _Check("L's gradients", (*_ARITH, "grad", "_backward"), _grads_L),
    _Check("the lecture's neuron", (*_ARITH, "tanh", "grad", "_backward"), _neuron),
    _Check("a value used twice", (*_ARITH, "grad", "_backward"), _used_twice),
    _Check("two paths to one node", (*_ARITH, *_BACKWARD), _two_paths),
    _Check("ops vs central differences", (*_ARITH, *_BACKWARD), _gradcheck),
    _Check("numbers on either side", ("__radd__", "__rmul__", *_BACKWARD), _numbers),
    _Check("tanh(400)", ("tanh", "grad", "_backward"), _tanh_large),
    _Check("a graph 5,000 deep", ("+", *_BACKWARD), _deep),
    _Check("backward() twice", ("*", *_BACKWARD), _second_backward),
    _Check("0.1.0's README example", ("-", "neg", "/", "**", "relu", "__radd__", "__rmul__",
                                                "__rtruediv__", *_BACKWARD), _readme),
    _Check("0.1.0's sanity check", ("relu", "__radd__", "__rmul__", *_BACKWARD), _sanity),
    _Check("MLP(3, [4, 4, 1])", ("MLP", *_BACKWARD), _mlp),
    _Check("zero_grad()", ("MLP", *_BACKWARD), _zero_grad),
    _Check("train() steps downhill", ("MLP", "train", *_BACKWARD), _update_sign),
    _Check("train() resets grads", ("MLP", "train", *_BACKWARD), _reset),
    _Check("training lowers the loss", ("MLP", "-", "**", "__radd__", *_BACKWARD), _training),
)


def _where(error: BaseException) -> str:
    """The last line of the learner's code in a traceback, as ' (file, line n: code)'."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename).resolve() != _HERE]
    if not frames:
        return ""
    last = frames[-1]
    code = f": {last.line}" if last.line else ""
    return f" (at {Path(last.filename).name}, line {last.lineno}{code})"


_HERE = Path(__file__).resolve()


class _TooLong(Exception):
    """A check ran past its time limit."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise _TooLong in the block after `seconds`, where a timer signal can do it (CPython's main thread on Unix).

    Elsewhere (Windows, a thread, Pyodide) there is no limit: a browser's runner has its own Stop.
    """
    previous: Any = None
    try:
        if seconds is None or threading.current_thread() is not threading.main_thread():
            raise ValueError("no limit")
        previous = signal.signal(signal.SIGALRM, _raise_too_long)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    except (AttributeError, ValueError, OSError):  # no SIGALRM or no setitimer here: no limit
        if previous is not None:
            signal.signal(signal.SIGALRM, previous)
        yield
        return
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _raise_too_long(signum: int, frame: object) -> None:
    raise _TooLong


def _run_check(check: _Check, engine: _Engine, time_limit: float | None = None) -> Result:
    """One check on the engine: not yet (what it needs is missing), pass, limit or FAIL."""
    missing = [n for n in check.needs if n not in engine.features]
    if missing:
        return Result(check.name, NOT_YET, f"needs {', '.join(missing)}", missing=tuple(missing))
    try:
        with _time_limit(time_limit), redirect_stdout(io.StringIO()):  # what the learner's code prints is not the table
            return Result(check.name, PASS, check.run(engine))
    except _TooLong:
        return Result(check.name, FAIL, f"still running after {time_limit:g} s, and stopped", (_ENDLESS,))
    except _Limit as limit:
        return Result(check.name, LIMIT, limit.detail, limit.hints)
    except _Failed as failed:
        return Result(check.name, FAIL, failed.detail, failed.hints)
    except Exception as error:
        hints = (_TANH_EXP,) if isinstance(error, OverflowError) else (_WRAP,) if _number_met_value(error) else ()
        detail = f"raised {type(error).__name__}: {error}{_where(error)}"
        return Result(check.name, FAIL, detail, hints)


def _number_met_value(error: Exception) -> bool:
    """The message of a plain number reaching code that expects a Value: 'float' object has no attribute 'data'."""
    return isinstance(error, AttributeError) and "has no attribute 'data'" in str(error)


def check_engine(source: object, *, progress: TextIO | None = None, time_limit: float | None = 60.0) -> Report:
    """Run every check on a learner's engine.

    Args:
        source: a path to a .py file, a module, a namespace such as `globals()`, or a Value class.
        progress: where to print one line per check as it runs (the command uses stdout); None for quiet.
        time_limit: seconds after which a check is stopped and fails (an endless loop in a sort, say); None
            for no limit. It needs a timer signal, so it applies in CPython's main thread on Unix only.

    Returns:
        The report; `print(report)` shows the table, `report.ok` is True when nothing failed.

    Raises:
        CheckError: the file does not exist or raises on import (with its own traceback), it defines
            no Value, or `Value(2.0)` does not work.
    """
    engine, where = _load(source)
    report = Report(where)
    for i, check in enumerate(_CHECKS, start=1):
        result = _run_check(check, engine, time_limit)
        report.results.append(result)
        if progress is not None:
            print(f"[{i:2}/{len(_CHECKS)}] {check.name} ... {result.status}", file=progress, flush=True)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """The command: check the file named on the command line; exit 0 when every check passes, 1 if not, 2 on bad input.

    Args:
        argv: the arguments after the program name (default: sys.argv[1:]).

    Returns:
        The exit status.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python -m micrograd.check path/to/your_micrograd.py\n\n" + (__doc__ or "").split("\n\n")[1],
              file=sys.stderr)
        return 2
    try:
        report = check_engine(args[0], progress=sys.stdout)
    except CheckError as error:
        print(f"micrograd.check: {error}", file=sys.stderr)
        return 2
    print(f"\n{report}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
