"""What the browser suite judges, apart from the browser: colours, copied text, and the copied code's run.

test_site.py applies these to what browser_visit.visit() recorded; test_checks.py shows each
one failing on bad input. Running a page's copied code follows the page's Sybil skips, read
with the same parsers the docs tests and the build hook use (docs/_hooks/page_examples.py).
"""

from __future__ import annotations

import ast
import doctest
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sybil import Document, Region
from sybil.evaluators.skip import Skipper
from sybil.parsers.abstract.clear import AbstractClearNamespaceParser

from browser_visit import CopiedBlock, PageReport, Palette, slug
from page_examples import fences, parse_page, shown_spans
from run_copied import RunResult, Unit

RUNNER = Path(__file__).with_name("run_copied.py")
RUN_TIMEOUT = 600  # seconds for one page's copied code (the training pages fit small models)
PROMPT = re.compile(r"^(>>>|\.\.\.)( |$)", re.MULTILINE)
# Raw TeX left in prose: a delimiter arithmatex leaves, $...$, $$, or a TeX command such as \frac.
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$]*\$|\\[A-Za-z]{2,}")
# Markup the build should have consumed: an HTML comment's ends, or Material's block syntax.
LEFTOVER_MARKUP = re.compile(r"<!--|-->|^\s*(?:!!!|\?\?\?|===) ", re.MULTILINE)
TEXT_CONTRAST = 4.5  # WCAG AA for normal text
STROKE_CONTRAST = 3.0  # WCAG AA for graphical objects (edges, node outlines)
RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)")


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """A computed CSS colour `rgb(r, g, b)` / `rgba(r, g, b, a)` as (r, g, b, alpha) with r, g, b in 0..255."""
    match = RGB.fullmatch(css.strip())
    if match is None:
        raise ValueError(f"cannot read the colour {css!r}")
    r, g, b, a, percent = match.groups()
    alpha = 1.0 if a is None else float(a) / (100 if percent else 1)
    return float(r), float(g), float(b), alpha


def over(colour: str, backdrop: tuple[float, float, float]) -> tuple[float, float, float]:
    """The colour seen when `colour` (possibly translucent) is painted on an opaque backdrop."""
    r, g, b, alpha = parse_colour(colour)
    return tuple(alpha * c + (1 - alpha) * under for c, under in zip((r, g, b), backdrop))  # type: ignore[return-value]


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance: L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels."""
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio (L_light + 0.05) / (L_dark + 0.05), from 1 (none) to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_problems(palette: Palette, diagram: dict[str, Any]) -> list[str]:
    """Text that is hard to read, or does not follow the palette, and strokes that vanish."""
    problems = []
    page = over(diagram["page"], (255, 255, 255))
    for sample in diagram["texts"]:
        behind = over(sample["backdrop"]["colour"], page)
        text = over(sample["fill"], behind)
        ratio = contrast(text, behind)
        where = f"diagram {diagram['index'] + 1} ({diagram['id']}) text {sample['text']!r}: {sample['fill']} on {sample['backdrop']['colour']}"
        if ratio < TEXT_CONTRAST:
            problems.append(f"{where}, contrast {ratio:.2f} < {TEXT_CONTRAST}")
        elif not sample["backdrop"]["shape"]:
            # on the page itself, text must take the palette's side: dark on light, light on dark
            darker = luminance(text) < luminance(behind)
            if darker != (palette == "light"):
                problems.append(f"{where}: {'dark' if darker else 'light'} text in the {palette} palette")
    for sample in diagram["strokes"]:
        ratio = contrast(over(sample["stroke"], page), page)
        if ratio < STROKE_CONTRAST:
            problems.append(f"diagram {diagram['index'] + 1} ({diagram['id']}) {sample['element']} stroke "
                            f"{sample['stroke']} on {diagram['page']}, contrast {ratio:.2f} < {STROKE_CONTRAST}")
    return problems


def session_statements(shown: str) -> list[str] | None:
    """The statements of a `>>>` session as shown (prompts and output removed), or None if it is plain code."""
    if not shown.lstrip().startswith(">>>"):
        return None
    return [example.source for example in doctest.DocTestParser().get_examples(shown)]


def code_lines(text: str) -> list[str]:
    """Non-blank lines without trailing spaces: blank lines are how a copy ends REPL blocks, nothing more."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def copy_problem(block: CopiedBlock) -> str | None:
    """Why the block's copied text is not exactly its code, or None when it is."""
    label = f"Python example {block.index + 1} ({block.kind})"
    if block.copied is None:
        return f"{label}: {block.problem}"
    if PROMPT.search(block.copied):
        return f"{label}: the copied text has >>>/... prompts:\n{block.copied}"
    statements = session_statements(block.displayed)
    expected = code_lines("".join(statements)) if statements is not None else code_lines(block.displayed)
    if block.kind == "cell":  # IPython's %magic and !shell lines are not Python: the copy leaves them out
        expected = [line for line in expected if not line.lstrip().startswith(("%", "!"))]
    got = code_lines(block.copied)
    if got != expected:
        extra = [line for line in got if line not in expected]
        missing = [line for line in expected if line not in got]
        return (f"{label}: the copied text is not the example's code"
                + (f"; lines that are not code (printed output?): {extra}" if extra else "")
                + (f"; code left out: {missing}" if missing else "")
                + f"\n--- copied ---\n{block.copied}\n--- expected ---\n" + "\n".join(expected))
    return None


@dataclass
class CopiedCodePlan:
    """What to run of one page's copied code: the runner's units, what was left out and why, or why nothing can run."""

    units: list[Unit] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # examples the docs tests never run
    error: str = ""


def python_fences(document: Document) -> list[Region]:
    """The page's ```python fences a reader sees (not those shown as source inside other fences)."""
    shown = shown_spans(document)
    return sorted((f for f in fences(document) if f.lexemes["info"].strip() == "python"
                   and not any(start < f.start < end for start, end in shown)), key=lambda f: f.start)


def split_session(copied: str, statements: list[str]) -> list[str] | None:
    """Cut a session's copied text back into its statements, or None if it is not exactly them in order.

    Each piece keeps the blank lines that follow it: the blank line after a compound statement
    is what ends it in the interactive interpreter.
    """
    rest, pieces = copied, []
    for statement in statements:
        body = statement.rstrip("\n")
        if not rest.startswith(body):
            return None
        end = len(body) + len(rest[len(body):]) - len(rest[len(body):].lstrip("\n"))
        pieces.append(rest[:end])
        rest = rest[end:]
    return pieces if not rest.strip() else None


def exception_name(example: doctest.Example) -> str | None:
    """The exception a doctest example shows being raised (`TypeError: ...` -> "TypeError")."""
    return example.exc_msg.split(":", 1)[0].strip() if example.exc_msg else None


def copied_per_example(block: CopiedBlock, fence: Region) -> list[tuple[str, str | None]]:
    """A fence's copied code as Sybil's examples of it: (code, exception the page shows it raising).

    A plain block is one example; a `>>>` session is one example per statement. A copy that
    cannot be cut at the statements (test_copy_buttons_copy_only_code says why) runs whole,
    stopping at the first exception the session shows, if it shows one.
    """
    copied = block.copied or ""
    source = str(fence.lexemes["source"])
    if not source.lstrip().startswith(">>>"):
        return [(copied, None)]
    examples = doctest.DocTestParser().get_examples(source)
    pieces = split_session(copied, [example.source for example in examples])
    if pieces is None:
        return [(copied, next(filter(None, map(exception_name, examples)), None))]
    return [(piece, exception_name(example)) for piece, example in zip(pieces, examples)]


def markdown_plan(report: PageReport) -> CopiedCodePlan:
    """Units for a Markdown page: its copied code, per example, with the page's skips applied as Sybil does.

    `skip: next` skips one example (one statement of a `>>>` session, or one plain block),
    `skip: start`/`end` a stretch. What the docs tests never run is left out here too; a
    conditional skip becomes a `skip-if` unit, evaluated where the directive stands.
    """
    assert report.page.source is not None
    path = report.page.name
    document = parse_page(report.page.source.read_text(encoding="utf-8"), path)
    shown_fences = python_fences(document)
    blocks = [block for block in report.blocks if block.kind == "fence"]
    if len(shown_fences) != len(blocks):
        return CopiedCodePlan(error=f"{path} has {len(shown_fences)} ```python fences but the page shows {len(blocks)} "
                             "Python code blocks (language-python/pycon): an example did not render as one")
    per_fence = [copied_per_example(block, fence) for block, fence in zip(blocks, shown_fences)]
    taken = [0] * len(shown_fences)  # how many of each fence's examples the walk has passed
    examples = list(document)
    conditional = any(isinstance(e.region.evaluator, Skipper) and (e.region.parsed[1] or "").lstrip().startswith("if")
                      for e in examples)
    plan, left_out, once = CopiedCodePlan(), None, False  # left_out: the reason of an unconditional skip in force
    for example in examples:
        region, label = example.region, f"{path}, line {example.line}"
        if isinstance(region.evaluator, Skipper):
            action, arguments = region.parsed
            arguments = (arguments or "").strip()
            conditional_skip = arguments.startswith("if")
            if conditional_skip:  # decided in the run, where the condition's names exist
                plan.units.append(Unit("skip-if", label, condition=arguments[2:]))
            if action == "end" or conditional_skip:
                left_out = None
            else:
                left_out = ast.literal_eval(arguments) if arguments else "no reason given"
            once = action == "next"
            continue
        if region.evaluator is AbstractClearNamespaceParser.evaluate:
            plan.units.append(Unit("clear", label))
            continue
        fence = next((i for i, f in enumerate(shown_fences) if f.start <= region.start < f.end), None)
        if fence is not None:
            position, taken[fence] = taken[fence], taken[fence] + 1
        if left_out is not None:
            plan.left_out.append(f"{label} (skipped: {left_out})")
        elif fence is None:
            if conditional:  # hidden setup is needed only to decide skip conditions
                plan.units.append(Unit("hidden", label, str(region.parsed)))
        elif position < len(per_fence[fence]):
            code, expected = per_fence[fence][position]
            plan.units.append(Unit("code", label, code, expected))
        if once:
            left_out, once = None, False
    return plan


def copied_code_plan(report: PageReport) -> CopiedCodePlan:
    """The plan for any page: a Markdown page's follows its source's skips; a notebook's runs every cell in order."""
    source = report.page.source
    if source is not None and source.suffix == ".md":
        return markdown_plan(report)
    # the copy text leaves IPython's magics out (docs/_hooks/notebook_pages.py)
    return CopiedCodePlan([Unit("code", f"{report.page.name}, example {b.index + 1}", b.copied or "") for b in report.blocks])


def run_copied(report: PageReport, plan: CopiedCodePlan) -> RunResult:
    """Run a page's units in a fresh Python (this one, so the package is installed) in a temporary folder."""
    if plan.error:
        return RunResult("failed", plan.error)
    with tempfile.TemporaryDirectory(prefix=f"copied-{slug(report.page)}-") as folder:
        units, result = Path(folder) / "units.json", Path(folder) / "result.json"
        units.write_text(json.dumps([asdict(unit) for unit in plan.units]), encoding="utf-8")
        env = {**os.environ, "MPLBACKEND": "Agg"}  # examples that plot need no display
        try:
            # -I: a reader's fresh interpreter, which does not see this folder's modules on sys.path
            process = subprocess.run([sys.executable, "-I", str(RUNNER), str(units), str(result)], cwd=folder, env=env,
                                     capture_output=True, text=True, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            return RunResult("failed", f"the copied code did not finish in {RUN_TIMEOUT} s")
        if not result.exists():
            return RunResult("failed", f"the run ended early (exit {process.returncode}):\n{process.stderr[-4000:]}")
        return RunResult(**json.loads(result.read_text(encoding="utf-8")))
