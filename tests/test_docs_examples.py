"""No example in the docs can silently stop running.

Every Python fence in docs/**/*.md and README.md (```python, ```py, ```pycon, ... with or
without attributes, indented inside admonitions, tabs and lists or not) must be collected by
Sybil under pytest, and every `skip:` must state its reason. Fences shown inside another fence
(a ````markdown block teaching the syntax) are text, not examples.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# a fence may sit after a list marker or blockquote marks, as in CommonMark (and Sybil's lexer)
_FENCE = re.compile(r"^(?:(?:[ \t]*>)+[ \t]*|[ \t]*(?:[-*+]|\d+[.)])[ \t]+|[ \t]*)"
                    r"(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
_PYTHON_INFO = re.compile(r"^\{?\s*\.?(?:python3?|py3?|pycon|ipython3?|pytb)(?![\w-])", re.I)
_SKIP = re.compile(r"<!--+\s*skip:?\s*(?P<action>\w+)(?P<arguments>.*?)--+>", re.S)
_REASON = re.compile(r"""^(?:"[^"]*\S[^"]*"|'[^']*\S[^']*'"""
                     r"""|if\s*\(.+,\s*reason\s*=\s*(?:"[^"]*\S[^"]*"|'[^']*\S[^']*')\s*\))$""", re.S)
_PROMPT = re.compile(r"^(?:[ \t]*>)*[ \t]*>>>(?: |$)")  # a doctest prompt, in a blockquote too
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_COLLECTED = re.compile(r"^(?P<path>\S+\.md)::line:(?P<line>\d+),column:\d+$", re.M)


@dataclass(frozen=True)
class Fence:
    """A fenced block: its first and last line, its info string, and whether it is shown inside another fence."""

    start: int
    end: int
    info: str
    shown: bool


def fenced_blocks(text: str) -> list[Fence]:
    """Every fence of a Markdown text, with nesting: a fence opened inside another is only shown."""
    blocks: list[Fence] = []
    open_fences: list[tuple[str, int, str, int]] = []  # (fence char, length, info, start line)
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if match is None:
            continue
        fence, info = match["fence"], match["info"].strip()
        if fence[0] == "`" and "`" in info:  # CommonMark: not a fence (inline code such as ```` ```py ````)
            continue
        if open_fences and not info and fence[0] == open_fences[-1][0] and len(fence) >= open_fences[-1][1]:
            _, _, opened_info, opened_at = open_fences.pop()
            blocks.append(Fence(opened_at, number, opened_info, shown=bool(open_fences)))
        else:
            open_fences.append((fence[0], len(fence), info, number))
    blocks += [Fence(start, len(text.splitlines()), info, bool(i)) for i, (_, _, info, start) in enumerate(open_fences)]
    return sorted(blocks, key=lambda block: block.start)


def skip_problems(text: str, blocks: list[Fence]) -> list[str]:
    """`skip: next` / `skip: start` directives, outside shown fences, that give no reason."""
    problems = []
    for match in _SKIP.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if any(b.start < line < b.end for b in blocks):
            continue
        arguments = match["arguments"].strip()
        if match["action"] in ("next", "start") and not _REASON.match(arguments):
            problems.append(f"line {line}: `skip: {match['action']}` must say why, e.g. "
                            f'<!-- skip: next "the reason" --> (got {arguments!r})')
    return problems


def unrun_sessions(text: str, blocks: list[Fence]) -> list[str]:
    """`>>>` examples that Sybil never sees: in a fence that is not Python (```doctest, ```console, ```text)
    or outside any fence (an indented code block, a paragraph), leaving out HTML comments (invisible
    code blocks hold examples Sybil does run)."""
    lines = _HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text).splitlines()
    problems = []
    for block in blocks:
        nested = {n for inner in blocks if block.start < inner.start < block.end
                  for n in range(inner.start, inner.end + 1)}
        if not block.shown and not _PYTHON_INFO.match(block.info) and any(
                _PROMPT.match(lines[n - 1]) for n in range(block.start + 1, block.end) if n not in nested):
            problems.append(f"line {block.start}: ```{block.info} holds a >>> example that is never run; "
                            "write ```python")
    fenced = {number for block in blocks for number in range(block.start, block.end + 1)}
    problems += [f"line {number}: a >>> example outside a fence (an indented block?) is never run; "
                 "put it in a ```python fence" for number, line in enumerate(lines, start=1)
                 if number not in fenced and _PROMPT.match(line)]
    return problems


def fence_problems(text: str, collected_lines: set[int]) -> list[str]:
    """Python fences that Sybil does not run: wrong info string, or no collected example inside;
    and `>>>` examples that no Python fence holds."""
    blocks = fenced_blocks(text)
    problems = skip_problems(text, blocks) + unrun_sessions(text, blocks)
    for block in blocks:
        if block.shown or not _PYTHON_INFO.match(block.info):
            continue
        if block.info != "python":
            problems.append(f"line {block.start}: ```{block.info} is never run; write ```python with no attributes")
        elif not any(block.start <= line <= block.end for line in collected_lines):
            problems.append(f"line {block.start}: this ```python fence holds no example that Sybil collected")
    return problems


@pytest.fixture(scope="module")
def collected() -> dict[str, set[int]]:
    """page -> the lines at which `pytest --collect-only` finds Sybil examples."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "docs", "README.md"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    lines: dict[str, set[int]] = {}
    for match in _COLLECTED.finditer(result.stdout):
        lines.setdefault(match["path"], set()).add(int(match["line"]))
    return lines


def pages() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in [*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"] if p.is_file())


@pytest.mark.parametrize("page", pages())
def test_every_python_fence_runs_and_every_skip_says_why(page: str, collected: dict[str, set[int]]) -> None:
    problems = fence_problems((ROOT / page).read_text(encoding="utf-8"), collected.get(page, set()))
    assert not problems, f"{page}:\n" + "\n".join(problems)


def test_the_checker_finds_fences_that_would_not_run() -> None:
    page = '''
```py
x = 1
```

!!! note
    ```python title="setup.py"
    y = 2
    ```

=== "Tab"

    ```pycon
    >>> 1
    1
    ```

<!-- skip: next -->
```python
z = 3
```

````markdown
```py
shown, not run
```
<!-- skip: next -->
````
'''
    problems = fence_problems(page, collected_lines={20})  # only the ```python fence at line 19 was collected
    assert [p.split(":")[0] for p in problems] == ["line 18", "line 2", "line 7", "line 13"], problems
    assert "write ```python" in problems[1] and "must say why" in problems[0]


def test_the_checker_finds_sessions_that_no_python_fence_holds() -> None:
    page = '''
```doctest
>>> 1 + 1
2
```

    >>> x = 1

```console
$ python3
>>> 2
```

<!-- invisible-code-block: python
>>> 3
3
-->

````markdown
```text
>>> shown inside a fence that teaches the syntax
```
````

  ```` ```pycon ```` is inline code in a sentence, not a fence that would swallow the next one:

```doctest
>>> 4
```
'''
    problems = fence_problems(page, collected_lines=set())
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 9", "line 27", "line 7"], problems
    assert "```doctest holds a >>> example" in problems[0] and "outside a fence" in problems[3]


def test_the_checker_accepts_collected_fences_and_stated_reasons() -> None:
    page = '''
??? success "Solution"

    <!-- skip: next "needs a GPU" -->
    ```python
    >>> import cuda
    ```

<!-- skip: start if(torch is None, reason="PyTorch is not installed") -->
- ```python
  print("in a list")
  ```
<!-- skip: end -->
'''
    assert fence_problems(page, collected_lines={5, 10}) == []
    assert fence_problems(page, collected_lines={5})[0].startswith("line 10: this ```python fence holds no example")


def test_the_readme_example_runs_pasted_as_it_is_into_python3() -> None:
    from run_copied import PasteConsole

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in fenced_blocks(text) if b.info == "python" and not b.shown]
    console = PasteConsole({"__name__": "__main__"})
    lines = text.splitlines()
    for block in blocks:  # GitHub's copy button copies a fence's text as it is: prompts, output and all
        errors = console.paste("\n".join(lines[block.start:block.end - 1]) + "\n")
        assert not errors and not console.waiting, f"README.md, line {block.start}:\n{errors[0][1] if errors else ''}"
    assert blocks and console.locals["d"].data == 4.0
