"""Paste one page's copied code, in order, into one interactive interpreter: `python run_copied.py UNITS.json RESULT.json`.

tests/browser/test_site.py writes UNITS.json from what the copy buttons put on the clipboard.
Each unit is one of:

- `code`: copied code, pasted line by line into the reader's interactive interpreter
  (`code.InteractiveConsole`, which reads input as `python3 -i` does: a blank line ends an
  indented block, a compound statement waits for one). `expect` names the exception the page
  shows it raising (a doctest traceback); then it must raise exactly that, and nothing else may.
- `hidden`: a page's invisible setup block. It only decides skip conditions, so it runs on a
  copy of the reader's namespace and what it defines never reaches the copied code.
- `skip-if`: a conditional `<!-- skip: ... if(COND, reason=...) -->`; when COND holds, the docs
  tests skip that part of the page, so this run stops and reports the page as skipped.
- `clear`: `<!-- clear-namespace -->`, which empties the namespace as it does under Sybil.

RESULT.json gets {"status": "passed" | "failed" | "skipped", "detail": str}.
"""

from __future__ import annotations

import code
import json
import sys
import traceback
from pathlib import Path
from typing import Any

_MISSING = object()


class Skip(Exception):
    """A skip condition held: the docs tests skip this part of the page too."""


class Failure(Exception):
    """A unit did not do what the page says it does."""


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


def when(default_reason: str):  # type: ignore[no-untyped-def]
    """Sybil's `if(condition, reason=...)`: the reason when the condition holds, else None."""
    def condition(holds: object, reason: str | None = None) -> str | None:
        return (reason or default_reason) if holds else None
    return condition


def run_code(unit: dict[str, Any], console: PasteConsole) -> None:
    """Paste copied code; an error is a failure unless it is the one the page shows, and a paste must end complete."""
    expected = unit.get("expect")
    errors = console.paste(unit["code"])  # the page's own code, run on purpose
    if console.waiting:
        raise Failure(f"{unit['label']}: after this paste the interpreter waits for another line (a compound "
                      f"statement not ended by a blank line):\n{unit['code']}")
    unexpected = [trace for name, trace in errors if not expected or name != expected.rsplit(".", 1)[-1]]
    if unexpected:
        raise Failure(f"{unit['label']} raised, pasted into an interactive interpreter:\n{unexpected[0]}"
                      f"--- pasted ---\n{unit['code']}")
    if expected and not errors:
        raise Failure(f"{unit['label']}: the page shows it raising {expected}, but the copied code did not raise")


def run_hidden(unit: dict[str, Any], reader: dict[str, Any], hidden: dict[str, Any]) -> None:
    """Run invisible setup where it sees the reader's names, keeping what it defines apart."""
    scratch = {**reader, **hidden}
    try:
        exec(compile(unit["code"], unit["label"], "exec"), scratch)
    except Exception:
        raise Failure(f"{unit['label']} (hidden setup) raised:\n{traceback.format_exc()}") from None
    hidden.update({k: v for k, v in scratch.items() if reader.get(k, _MISSING) is not v})


def check_skip(unit: dict[str, Any], reader: dict[str, Any], hidden: dict[str, Any]) -> None:
    """Evaluate a conditional skip as Sybil does: `if_(...)` in the page's namespace."""
    namespace = {**reader, **hidden, "if_": when(unit["condition"])}
    reason = eval("if_" + unit["condition"], namespace)
    if reason:
        raise Skip(f"{unit['label']}: {reason}")


def run(units: list[dict[str, Any]]) -> dict[str, str]:
    """Every unit in page order; the first failure or skip ends the run."""
    reader, hidden = fresh_namespace(), {}
    console = PasteConsole(reader)
    try:
        for unit in units:
            kind = unit["kind"]
            if kind == "code":
                run_code(unit, console)
            elif kind == "hidden":
                run_hidden(unit, reader, hidden)
            elif kind == "skip-if":
                check_skip(unit, reader, hidden)
            elif kind == "clear":
                reader.clear(), hidden.clear()
                reader.update(fresh_namespace())
            else:
                raise Failure(f"unknown unit kind {kind!r} in {unit['label']}")
    except Skip as skip:
        return {"status": "skipped", "detail": str(skip)}
    except Failure as failure:
        return {"status": "failed", "detail": str(failure)}
    return {"status": "passed", "detail": f"{sum(u['kind'] == 'code' for u in units)} code units ran"}


def main(argv: list[str]) -> int:
    units_file, result_file = (Path(arg) for arg in argv)
    result = run(json.loads(units_file.read_text(encoding="utf-8")))
    result_file.write_text(json.dumps(result), encoding="utf-8")
    return 0 if result["status"] != "failed" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
