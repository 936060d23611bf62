"""Paste one page's copied code, in order, into one interactive interpreter: `python run_copied.py UNITS.json RESULT.json`.

tests/browser/test_site.py writes UNITS.json from what the copy buttons put on the clipboard.
Each `Unit` is of one kind:

- `code`: copied code, pasted line by line into the reader's interactive interpreter
  (`code.InteractiveConsole`, which reads input as `python3 -i` does: a blank line ends an
  indented block, a compound statement waits for one). `expect` names the exception the page
  shows it raising (a doctest traceback); then it must raise exactly that, and nothing else may.
- `hidden`: a page's invisible setup block. It only decides skip conditions, so it runs on a
  copy of the reader's namespace and what it defines never reaches the copied code.
- `skip-if`: a conditional `<!-- skip: ... if(COND, reason=...) -->`; when COND holds, the docs
  tests skip that part of the page, so this run stops and reports the page as skipped.
- `clear`: `<!-- clear-namespace -->`, which empties the namespace as it does under Sybil.

UNITS.json holds each `Unit`'s fields and RESULT.json the `RunResult`'s: typed at both ends, JSON
only between the two processes (this one, run with -I, sees none of the tests' modules).
"""

from __future__ import annotations

import code
import json
import sys
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, get_args

_MISSING = object()
UnitKind = Literal["code", "hidden", "skip-if", "clear"]
Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class Unit:
    """One step of a page's copied-code run, in page order (its kinds are listed above)."""

    kind: UnitKind
    label: str  # "docs/page.md, line 12": where a failure points
    code: str = ""  # code and hidden units: what runs
    expect: str | None = None  # code units: the exception the page shows the code raising
    condition: str = ""  # skip-if units: Sybil's `(COND, reason=...)`

    def __post_init__(self) -> None:
        if self.kind not in get_args(UnitKind):
            raise ValueError(f"unknown unit kind {self.kind!r} in {self.label}")


@dataclass(frozen=True)
class RunResult:
    """How a page's run ended, and why (the failure, the skip's reason, or how much ran)."""

    status: Status
    detail: str


class Stop(Exception):
    """The run ends here: a unit did not do what the page says (failed), or a skip condition held (skipped)."""

    def __init__(self, status: Status, detail: str) -> None:
        super().__init__(detail)
        self.result = RunResult(status, detail)


def fresh_namespace() -> dict[str, Any]:
    """What an interactive session's globals start as."""
    return {"__name__": "__main__"}


class PasteConsole(code.InteractiveConsole):
    """An interactive interpreter that records its errors (type name, traceback) instead of printing them.

    With `run=False` it only compiles what is pasted, as the interpreter would, and runs nothing:
    tests/test_site_build.py checks every copy text of the site that way.
    """

    def __init__(self, namespace: dict[str, Any], run: bool = True) -> None:
        super().__init__(namespace, filename="<stdin>")
        self.errors: list[tuple[str, str]] = []
        self.waiting = False  # True when the last line left a statement open: the paste needs another Enter
        self._run = run

    def paste(self, text: str) -> list[tuple[str, str]]:
        """Feed `text` line by line, as a terminal does with a paste; the errors it raised."""
        before = len(self.errors)
        for line in text.splitlines():
            self.waiting = self.push(line)
        return self.errors[before:]

    def runcode(self, compiled: Any) -> None:
        if self._run:
            super().runcode(compiled)

    def showtraceback(self) -> None:
        kind, error, trace = sys.exc_info()
        self.errors.append((kind.__name__ if kind else "?", "".join(traceback.format_exception(kind, error, trace))))

    def showsyntaxerror(self, filename: str | None = None, **kwargs: Any) -> None:
        self.showtraceback()


def run_code(unit: Unit, console: PasteConsole) -> None:
    """Paste copied code; an error is a failure unless it is the one the page shows, and a paste must end complete."""
    expected = unit.expect
    errors = console.paste(unit.code)  # the page's own code, run on purpose
    if console.waiting:
        raise Stop("failed", f"{unit.label}: after this paste the interpreter waits for another line (a compound "
                             f"statement not ended by a blank line):\n{unit.code}")
    unexpected = [trace for name, trace in errors if not expected or name != expected.rsplit(".", 1)[-1]]
    if unexpected:
        raise Stop("failed", f"{unit.label} raised, pasted into an interactive interpreter:\n{unexpected[0]}"
                             f"--- pasted ---\n{unit.code}")
    if expected and not errors:
        raise Stop("failed", f"{unit.label}: the page shows it raising {expected}, but the copied code did not raise")


def run_hidden(unit: Unit, reader: dict[str, Any], hidden: dict[str, Any]) -> None:
    """Run invisible setup where it sees the reader's names, keeping what it defines apart."""
    scratch = {**reader, **hidden}
    try:
        exec(compile(unit.code, unit.label, "exec"), scratch)
    except Exception:
        raise Stop("failed", f"{unit.label} (hidden setup) raised:\n{traceback.format_exc()}") from None
    hidden.update({k: v for k, v in scratch.items() if reader.get(k, _MISSING) is not v})


def check_skip(unit: Unit, reader: dict[str, Any], hidden: dict[str, Any]) -> None:
    """Evaluate a conditional skip as Sybil does: `if_(...)` in the page's namespace."""
    def if_(holds: object, reason: str | None = None) -> str | None:  # Sybil's if(condition, reason=...)
        return (reason or unit.condition) if holds else None

    reason = eval("if_" + unit.condition, {**reader, **hidden, "if_": if_})
    if reason:
        raise Stop("skipped", f"{unit.label}: {reason}")


def run(units: Sequence[Unit]) -> RunResult:
    """Every unit in page order; the first failure or skip ends the run."""
    reader, hidden = fresh_namespace(), {}
    console = PasteConsole(reader)
    try:
        for unit in units:
            match unit.kind:
                case "code":
                    run_code(unit, console)
                case "hidden":
                    run_hidden(unit, reader, hidden)
                case "skip-if":
                    check_skip(unit, reader, hidden)
                case "clear":  # in place: the console holds the reader's namespace
                    reader.clear(), hidden.clear()
                    reader.update(fresh_namespace())
    except Stop as stop:
        return stop.result
    return RunResult("passed", f"{sum(unit.kind == 'code' for unit in units)} code units ran")


def main(argv: list[str]) -> int:
    units_file, result_file = (Path(arg) for arg in argv)
    result = run([Unit(**fields) for fields in json.loads(units_file.read_text(encoding="utf-8"))])
    result_file.write_text(json.dumps(asdict(result)), encoding="utf-8")
    return 0 if result.status != "failed" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
