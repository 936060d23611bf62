"""The browser suite's judgements on known input, so each check is shown to fail when it should.

These need no browser: they run wherever the package's test extra is installed.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from browser_checks import colour_problems, contrast, copy_problem, markdown_plan, split_session
from browser_visit import CopiedBlock, PageReport, SitePage
from run_copied import RunResult, Unit, main, run

PAGE = '''# A page

<!-- invisible-code-block: python
flag = FLAG
-->

```python
>>> x = 1
>>> x + 1
2
```

<!-- skip: next "shows a failure on purpose" -->
```python
raise RuntimeError("never run")
```

<!-- skip: start if(flag is None, reason="no flag here") -->
```python
>>> y = x
```
<!-- skip: end -->

```python
>>> int("a")
Traceback (most recent call last):
ValueError: invalid literal for int() with base 10: 'a'
```
'''
COPIED = ["x = 1\nx + 1", 'raise RuntimeError("never run")', "y = x", 'int("a")']


def fence_block(index: int, copied: str | None, displayed: str = "") -> CopiedBlock:
    return CopiedBlock(index, "fence", "python", displayed or copied or "", copied)


def page_report(tmp_path: Path, flag: str, copied: list[str]) -> PageReport:
    source = tmp_path / "page.md"
    source.write_text(PAGE.replace("FLAG", flag), encoding="utf-8")
    report = PageReport(SitePage(url="page/", html=tmp_path / "index.html", source=source))
    report.blocks = [fence_block(i, code) for i, code in enumerate(copied)]
    return report


def test_skips_apply_to_the_copied_code_as_sybil_applies_them(tmp_path: Path) -> None:
    plan = markdown_plan(page_report(tmp_path, "1", COPIED))
    assert [unit.kind for unit in plan.units] == ["hidden", "code", "code", "skip-if", "code", "code"]
    assert [unit.code for unit in plan.units if unit.kind == "code"] == ["x = 1\n", "x + 1", "y = x", 'int("a")']
    assert plan.units[-1].expect == "ValueError"
    assert len(plan.left_out) == 1 and "shows a failure on purpose" in plan.left_out[0]
    assert run(plan.units).status == "passed"


def test_a_skip_condition_that_holds_skips_the_page_run(tmp_path: Path) -> None:
    result = run(markdown_plan(page_report(tmp_path, "None", COPIED)).units)
    assert result.status == "skipped" and "no flag here" in result.detail


@pytest.mark.parametrize(("copied", "message"), [
    (["x = 1\nx + 1", "", "y = z", 'int("a")'], "NameError"),  # copied code that fails
    (["x = 1\nx + 1", "", "y = x", 'int("1")'], "did not raise"),  # the page shows an error the copy does not raise
])
def test_copied_code_that_does_not_do_what_the_page_shows_fails(tmp_path: Path, copied: list[str], message: str) -> None:
    result = run(markdown_plan(page_report(tmp_path, "1", copied)).units)
    assert result.status == "failed" and message in result.detail


@pytest.mark.parametrize(("code", "message"), [
    ("def f():\n    x = 1\n\n    return x\n", "IndentationError"),  # runs as a script, not pasted
    ("for i in range(2):\n    print(i)", "waits for another line"),  # the paste ends inside the loop
    ("for i in range(2):\n    print(i)\nx = 1\n", "SyntaxError"),  # no blank line ends the loop
])
def test_copied_code_runs_as_pasted_into_an_interactive_interpreter(code: str, message: str) -> None:
    result = run([Unit("code", "page.md, line 1", code)])
    assert result.status == "failed" and message in result.detail, result
    assert run([Unit("code", "page.md, line 1", "def f():\n    x = 1\n    return x\n\nf()\n")]).status == "passed"


def test_the_runner_reads_units_and_writes_its_result_as_json(tmp_path: Path) -> None:
    units = [Unit("code", "page.md, line 1", "x = 2\n"), Unit("skip-if", "page.md, line 3", condition="(x == 2, reason='two')")]
    assert [Unit(**asdict(unit)) for unit in units] == units
    (tmp_path / "units.json").write_text(json.dumps([asdict(unit) for unit in units]), encoding="utf-8")
    assert main([str(tmp_path / "units.json"), str(tmp_path / "result.json")]) == 0
    result = RunResult(**json.loads((tmp_path / "result.json").read_text(encoding="utf-8")))
    assert result == RunResult("skipped", "page.md, line 3: two")


def test_a_unit_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown unit kind 'exec' in page\.md, line 1"):
        Unit("exec", "page.md, line 1", "x = 1")  # type: ignore[arg-type]


def test_a_fence_that_did_not_render_as_python_is_reported(tmp_path: Path) -> None:
    assert "did not render" in markdown_plan(page_report(tmp_path, "1", COPIED[:3])).error


def test_split_session_cuts_at_statements_and_refuses_anything_else() -> None:
    statements = ["for i in range(2):\n    print(i)\n", "x = 1\n"]
    assert split_session("for i in range(2):\n    print(i)\n\nx = 1", statements) == ["for i in range(2):\n    print(i)\n\n",
                                                                                      "x = 1"]
    assert split_session("for i in range(2):\n    print(i)\n0\n1\nx = 1", statements) is None


SESSION = ">>> a = 2\n>>> for i in range(2):\n...     a += i\n...\n>>> a\n3"


@pytest.mark.parametrize(("copied", "problem"), [
    ("a = 2\nfor i in range(2):\n    a += i\n\na", None),
    (">>> a = 2\n>>> for i in range(2):\n...     a += i\n...\n>>> a\n3", "prompts"),
    ("a = 2\nfor i in range(2):\n    a += i\n\na\n3", "printed output"),
    ("a = 2\na", "code left out"),
    (None, "left the clipboard unchanged"),
])
def test_copy_problem_spots_prompts_output_and_missing_code(copied: str | None, problem: str | None) -> None:
    block = CopiedBlock(0, "fence", "pycon", SESSION, copied, "" if copied is not None else "clicking the copy button left the clipboard unchanged")
    found = copy_problem(block)
    assert (found is None) if problem is None else (found is not None and problem in found)


def diagram(page: str, fill: str, backdrop: str | None = None, stroke: str = "rgb(0, 0, 0)") -> dict[str, object]:
    return {"index": 0, "id": "diagram-1", "page": page,
            "texts": [{"text": "a", "fill": fill, "backdrop": {"colour": backdrop or page, "shape": backdrop is not None}}],
            "strokes": [{"element": "path", "stroke": stroke, "page": page}]}


WHITE, NEAR_BLACK, SLATE, NEAR_WHITE = "rgb(255, 255, 255)", "rgba(0, 0, 0, 0.87)", "rgb(30, 33, 41)", "rgba(226, 228, 233, 0.82)"


def test_colour_problems_accept_text_that_follows_the_palette() -> None:
    assert colour_problems("light", diagram(WHITE, NEAR_BLACK)) == []
    assert colour_problems("dark", diagram(SLATE, NEAR_WHITE, stroke=NEAR_WHITE)) == []
    assert colour_problems("dark", diagram(SLATE, "rgb(0, 0, 0)", backdrop="rgb(255, 243, 196)", stroke=NEAR_WHITE)) == []


@pytest.mark.parametrize(("palette", "case", "problem"), [
    ("dark", diagram(SLATE, "rgb(0, 0, 0)", stroke=NEAR_WHITE), "contrast"),  # black text kept in dark mode
    ("dark", diagram(SLATE, NEAR_WHITE, backdrop="rgb(255, 243, 196)", stroke=NEAR_WHITE), "contrast"),  # light on a pale fill
    ("dark", diagram(SLATE, NEAR_WHITE), "stroke"),  # black edges in dark mode
    ("light", diagram("rgb(90, 90, 90)", WHITE), "light text in the light palette"),
])
def test_colour_problems_catch_illegible_diagrams(palette: str, case: dict[str, object], problem: str) -> None:
    assert any(problem in found for found in colour_problems(palette, case))


def test_contrast_runs_from_1_to_21() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((30, 33, 41), (30, 33, 41)) == pytest.approx(1)


def test_a_notebook_cell_copies_without_its_magics() -> None:
    cell = '%config InlineBackend.figure_formats = ["svg"]\nx = 1\n'
    assert copy_problem(CopiedBlock(0, "cell", "python", cell, "x = 1\n")) is None
    assert "not the example's code" in (copy_problem(CopiedBlock(0, "cell", "python", cell, "y = 1\n")) or "")
