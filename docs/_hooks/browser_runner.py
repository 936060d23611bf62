"""A page's examples run in the reader's browser (Pyodide, in a Web Worker) the way the docs tests run them.

The same parsers as pytest (page_examples, on Sybil) split the page into examples; they run in
page order in one namespace, hidden set-up blocks and skips included. Running visible block k
replays everything above it, then k, then what stands between k and the next visible block
(hidden blocks, diagram markers). An unedited doctest block is checked with Sybil's own doctest
runner and the docs tests' flags (ELLIPSIS, NORMALIZE_WHITESPACE, trailing whitespace ignored,
expected exceptions), so "matches the page" means what the test suite means.

The build hook (run_examples.py) uses `page_blocks` to decide which blocks get a Run control; the
worker (run-worker.mjs) imports this module in Pyodide and calls `PageSession.run`. Nothing here
needs more than the standard library, Sybil and micrograd, so the tests run it in CPython too.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import doctest
import functools
import io
import itertools
import json
import re
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from unittest import SkipTest

from sybil import Document, Example
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.doctest import DocTestRunner as SybilDocTestRunner
from sybil.evaluators.python import PythonEvaluator, pad
from sybil.example import SybilFailure

from page_examples import directives, fences, line_of, parse_page, shown_spans

# top-level modules with no build for Pyodide (neither on PyPI nor in Pyodide's npm package), and
# what the page calls them when it says why a block has no Run control
UNAVAILABLE = {"matplotlib": "matplotlib", "torch": "PyTorch"}
_INDENT = re.compile(r"[ \t]*")
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


@dataclass(frozen=True)
class Block:
    """A visible ```python fence: the unit that gets Run, Edit and Reset controls."""

    index: int  # among the page's visible ```python fences, in page order (the page's HTML has them in that order)
    start: int  # the fence's span in the page text, fence lines included
    end: int
    source_start: int  # the code's span in the page text, indentation included
    source_end: int
    source: str  # the code as Sybil reads it: a `>>>` session or plain code, indentation removed
    indent: str  # what each line of the code is indented by (inside an admonition, a tab, ...)
    needs: str = ""  # why the browser cannot run it ("" if it can)

    @property
    def is_session(self) -> bool:
        """A `>>>` session (a doctest), as opposed to plain code."""
        return self.source.startswith(">>>")


def _python_fences(document: Document) -> list[tuple[int, int, str, bool]]:
    """(start, end, source, visible) of every Python example block of the page, in page order.

    Visible blocks are ```python fences outside shown Markdown; hidden ones are
    `<!-- invisible-code-block: python -->` comments.
    """
    shown = shown_spans(document)
    found = [(f.start, f.end, str(f.lexemes["source"]), True) for f in fences(document)
             if f.lexemes["info"].strip() == "python" and not any(s < f.start < e for s, e in shown)]
    hidden = directives(document, "invisible-code-block")  # the block's code ends the directive's region
    for region in hidden:
        code = document.text[region.start:region.end]
        body = code.split("\n", 1)[1] if "\n" in code else ""
        found.append((region.start, region.end, body.rsplit("-->", 1)[0], False))
    return sorted(found)


@dataclass(frozen=True)
class Marker:
    """A `<!-- diagram: EXPR | title -->` marker: the build drew EXPR there; a run can draw it again."""

    index: int  # among the page's markers, in page order
    start: int
    expression: str
    title: str
    needs: str = ""  # why the browser cannot draw it ("" if it can)


def page_blocks(text: str, path: str) -> list[Block]:
    """The page's visible Python blocks, each with `needs` set when the browser cannot run it."""
    return analyse(text, path)[0]


@functools.lru_cache(maxsize=8)  # a run analyses the page's text as edited; most runs repeat the last one
def analyse(text: str, path: str) -> tuple[list[Block], list[Marker]]:
    """The page's visible Python blocks and its diagram markers, each with why the browser cannot run it.

    A block needs an unavailable library when it imports one outside a `try` that catches
    ImportError, or uses a name that such an import (guarded or not) bound, or a name that a block
    needing it bound; when an unconditional `skip: next` or `skip: start` covers it; and when the
    page says so with `<!-- not-in-browser: "reason" -->` before it. A marker cannot be drawn again
    when its expression uses a name that such a block would have bound.
    """
    document = Document(text, path)
    tainted: dict[str, str] = {}  # name -> why the browser leaves it undefined (or None)
    blocks: list[Block] = []
    markers: list[Marker] = []
    skipped = _unconditional_skips(document)
    declined = _declined(document)
    visible = {f.start: f for f in fences(document)}
    items = [(start, end, source, is_visible) for start, end, source, is_visible in _python_fences(document)]
    items += [(m.start, m.end, "", False) for m in directives(document, "diagram")]
    for start, end, source, is_visible in sorted(items):
        if not source:  # a marker
            arguments = directives(Document(text[start:end], path), "diagram")[0].lexemes["arguments"]
            expression, _, title = (part.strip() for part in arguments.partition("|"))
            needs = _needs(expression, dict(tainted))
            markers.append(Marker(len(markers), start, expression, title, needs))
            continue
        needs = _needs(source, tainted, declined.get(start, ""))
        if is_visible:
            source_start = start + visible[start].lexemes["source"].offset
            source_end = text.rfind("\n", 0, end) + 1  # the closing fence's line starts here
            indent = _INDENT.match(text, start)
            reason = needs or next((why for (s, e), why in skipped.items() if s < start < e), "")
            blocks.append(Block(len(blocks), start, end, source_start, source_end, source,
                                indent.group() if indent else "", reason))
    return blocks, markers


def _declined(document: Document) -> dict[int, str]:
    """Blocks a `<!-- not-in-browser: "reason" -->` comment declines, by the start of the fence after it.

    Raises:
        ValueError: the reason is not a quoted string, or no ```python fence follows the comment.
    """
    shown = shown_spans(document)
    python = sorted(f.start for f in fences(document)
                    if f.lexemes["info"].strip() == "python" and not any(s < f.start < e for s, e in shown))
    declined = {}
    for region in directives(document, "not-in-browser"):
        where = f"{document.path}, line {line_of(document.text, region.start)}"
        try:
            reason = ast.literal_eval(region.lexemes["arguments"].strip())
        except (ValueError, SyntaxError):
            reason = None
        if not isinstance(reason, str) or not reason:
            raise ValueError(f'{where}: not-in-browser needs its reason in quotes: <!-- not-in-browser: "why" -->')
        following = next((start for start in python if start > region.end), None)
        if following is None:
            raise ValueError(f"{where}: not-in-browser is not followed by a ```python block")
        declined[following] = f"The page says: {reason}"
    return declined


def _unconditional_skips(document: Document) -> dict[tuple[int, int], str]:
    """Spans covered by a `skip: next "reason"` or `skip: start "reason"`: (start, end) -> why."""
    spans: dict[tuple[int, int], str] = {}
    opened: tuple[int, str] | None = None
    for region in directives(document, "skip"):
        action, _, reason = region.lexemes["arguments"].strip().partition(" ")
        reason = reason.strip()
        if action == "end":
            if opened is not None:
                spans[(opened[0], region.start)] = opened[1]
            opened = None
        elif reason.startswith(("'", '"')):  # a condition (`if(...)`) is decided where it runs
            why = f"The page skips it: {ast.literal_eval(reason)}"
            if action == "next":
                following = [f.end for f in fences(document) if f.start > region.end]
                spans[(region.start, min(following, default=len(document.text)))] = why
            else:
                opened = (region.start, why)
    return spans


def _needs(source: str, tainted: dict[str, str], declined: str = "") -> str:
    """Why `source` cannot run in the browser ("" if it can); updates `tainted` with the names it binds.

    `declined` is the page's own reason, if it says the block does not run in the browser.
    """
    tree = _parse(source)
    if tree is None:
        return declined
    missing = declined
    guarded = _guarded_imports(tree)
    for statement in tree.body:  # in order: a name bound again before it is used is the block's own
        imported: dict[str, str] = {}  # names the statement binds by importing an unavailable library
        for node in ast.walk(statement):
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = (node.module or "") if isinstance(node, ast.ImportFrom) else node.names[0].name
                library = UNAVAILABLE.get(module.split(".")[0])
                if library is None:
                    continue
                why = f"Needs {library}, which has no build for Python in the browser"
                imported |= {(alias.asname or alias.name).split(".")[0]: why for alias in node.names}
                if node not in guarded:
                    missing = missing or why
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in tainted:
                missing = missing or tainted[node.id]
        tainted |= imported
        for name in _module_level_names(ast.Module(body=[statement], type_ignores=[])) - imported.keys():
            if missing:
                tainted[name] = missing
            else:
                tainted.pop(name, None)  # bound again by code the browser runs
    return missing


def _module_level_names(node: ast.AST) -> set[str]:
    """Names a block binds in the page's namespace (not those local to its functions or comprehensions)."""
    names: set[str] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(child.name)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            names.add(child.id)
        elif not isinstance(child, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            names |= _module_level_names(child)
    return names


def _parse(source: str) -> ast.Module | None:
    """The block as one module: a session's statements joined, plain code as is (None: not Python)."""
    if source.lstrip().startswith(">>>"):
        source = "\n".join(example.source for example in doctest.DocTestParser().get_examples(source))
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _guarded_imports(tree: ast.Module) -> set[ast.AST]:
    """Imports inside a `try` whose handlers catch ImportError: the block runs without the library."""
    guarded: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            names = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if names & _IMPORT_ERRORS or any(h.type is None for h in node.handlers):
                guarded |= {n for statement in node.body for n in ast.walk(statement)}
    return guarded


def edited_text(text: str, blocks: list[Block], edits: dict[int, str]) -> str:
    """The page text with block k's code replaced by `edits[k]`, indented like the original."""
    for index in sorted(edits, reverse=True):
        block = blocks[index]
        lines = edits[index].rstrip("\n").split("\n")
        code = "".join(f"{block.indent}{line}\n" if line.strip() else "\n" for line in lines)
        text = text[:block.source_start] + code + text[block.source_end:]
    return text


# --- running ------------------------------------------------------------------------------------


@dataclass
class BlockResult:
    """What running one visible block gave."""

    index: int
    status: str = "ok"  # ok | differs | error | skipped | not-run
    output: str = ""  # what a console would show: the session with the outputs it printed, or what code printed
    detail: str = ""  # why it differs, the traceback, or why it was skipped
    graph: str = ""  # inline SVG when the block ends with an expression that is a graph (`draw_dot(y)`)
    edited: bool = False

    def fail(self, status: str, detail: str) -> None:
        """Record a problem; the first one decides the status."""
        if self.status == "ok":
            self.status = status
        self.detail = f"{self.detail}\n{detail}".strip()


@dataclass
class RunResult:
    """Everything one run sends back to the page."""

    blocks: list[BlockResult] = field(default_factory=list)
    diagrams: list[dict[str, Any]] = field(default_factory=list)  # {"marker": i, "svg": ...} or {"marker", "error"}
    replayed_from: int = 0  # the first visible block this run evaluated (0 for a fresh namespace)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain data for postMessage."""
        return {"blocks": [vars(b) for b in self.blocks], "diagrams": self.diagrams,
                "replayed_from": self.replayed_from, "seconds": self.seconds}


class _RecordingRunner(SybilDocTestRunner):
    """Sybil's doctest runner (Sybil's output checker, the page's flags) that also keeps what each example printed."""

    got: str = ""
    raised = False  # the example raised an exception its expected output did not show

    def report_start(self, out: Any, test: Any, example: doctest.Example) -> None:
        self.got, self.raised = "", False

    def report_success(self, out: Any, test: Any, example: doctest.Example, got: str) -> None:
        self.got = got

    def report_failure(self, out: Any, test: Any, example: doctest.Example, got: str) -> None:
        self.got = got
        super().report_failure(out, test, example, got)

    def report_unexpected_exception(self, out: Any, test: Any, example: doctest.Example, exc_info: Any) -> None:
        self.got, self.raised = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])), True
        super().report_unexpected_exception(out, test, example, exc_info)


class _NoValue:
    """Stands in for "the expression displayed nothing" (None is a value a session may display)."""


NO_VALUE = _NoValue()


class PageSession:
    """One page in the worker: its examples, the namespace they built, and how far they ran.

    A run that continues where the last one stopped (a later block, same edits) evaluates only
    the examples in between; any other run starts again from an empty namespace, as the tests do.
    """

    def __init__(self, text: str, path: str, draw: Callable[[Any, str], str] | None = None) -> None:
        """`draw(obj, title)` turns a graph or a Value into inline SVG (None: nothing is drawn)."""
        self.original = text
        self.path = path
        self.blocks = page_blocks(text, path)
        self.draw = draw
        self._text = ""
        self._document = Document("", path)
        self._examples: list[Example] = []
        self._next = 0  # index into _examples of the next one to evaluate
        self._ran_through = -1  # the last visible block evaluated in the current namespace
        self._passed_markers = 0  # markers the current namespace has gone past

    def run(self, target: int, edits: dict[int, str]) -> RunResult:
        """Run visible block `target` after everything above it, with the reader's `edits` by block index."""
        started = time.perf_counter()
        if not 0 <= target < len(self.blocks):
            raise IndexError(f"{self.path} has {len(self.blocks)} Python blocks, not a block {target}")
        unknown = set(edits) - set(range(len(self.blocks)))
        if unknown:
            raise IndexError(f"{self.path} has no Python block {min(unknown)} to edit")
        text = edited_text(self.original, self.blocks, edits)
        if text != self._text or target <= self._ran_through:
            self._start(text)
        blocks, markers = analyse(text, self.path)
        result = RunResult(replayed_from=self._ran_through + 1)
        stop = blocks[target + 1].start if target + 1 < len(blocks) else len(text) + 1
        first_edit = min((blocks[k].start for k in edits), default=len(text) + 1)
        records = {b.index: BlockResult(b.index, edited=b.index in edits)
                   for b in blocks[result.replayed_from:target + 1]}
        while self._next < len(self._examples) and self._examples[self._next].start < stop:
            example = self._examples[self._next]
            self._next += 1
            self._draw_markers(example.start, markers, first_edit, blocks[target].end, result)
            block = next((b for b in blocks if b.start <= example.start < b.end), None)
            record = records.get(block.index) if block is not None else None
            if block is not None and block.needs:
                if record is not None:
                    record.status, record.detail = "skipped", block.needs
                continue
            is_last = block is not None and not (self._next < len(self._examples)
                                                 and self._examples[self._next].start < block.end)
            self._evaluate(example, record, is_last)
        self._draw_markers(stop, markers, first_edit, blocks[target].end, result)
        self._ran_through = target
        result.blocks = [records[k] for k in sorted(records)]
        result.seconds = time.perf_counter() - started
        return result

    def _start(self, text: str) -> None:
        """A fresh namespace and the examples of `text`, with recording evaluators in place of Sybil's."""
        self._text = text
        self._document = parse_page(text, self.path)
        self._examples = list(self._document)
        self._next = 0
        self._ran_through = -1
        self._passed_markers = 0
        for example in self._examples:
            if isinstance(example.region.evaluator, DocTestEvaluator):
                flags = example.region.evaluator.runner.optionflags
                example.region.evaluator = _SessionEvaluator(_RecordingRunner(flags))
            elif isinstance(example.region.evaluator, PythonEvaluator):
                example.region.evaluator = _CodeEvaluator()

    def _evaluate(self, example: Example, record: BlockResult | None, is_last: bool) -> None:
        """Evaluate one example as pytest would; what it printed and how it went go to `record`."""
        evaluator = example.region.evaluator
        try:
            example.evaluate()
        except SybilFailure as failure:  # a session's output differs from the page's, or it raised
            raised = isinstance(evaluator, _SessionEvaluator) and evaluator.runner.raised
            if record is not None and (raised or not record.edited):  # an edit is not compared with the page
                record.fail("error" if raised else "differs", failure.result.strip())
        except SkipTest as skipped:
            if record is not None:
                record.status, record.detail = "skipped", f"The page skips it: {skipped}"
            return
        except Exception as error:  # plain code raised
            if record is not None:
                record.fail("error", _traceback_of(error, example.path))
        if record is None:
            return
        if isinstance(evaluator, _SessionEvaluator):
            record.output += _session_transcript(example.parsed, evaluator.runner.got)
        elif isinstance(evaluator, _CodeEvaluator):
            record.output += evaluator.printed
        value = getattr(evaluator, "value", NO_VALUE)
        if is_last and _is_graph(value) and self.draw is not None:
            try:
                record.graph = self.draw(value, "The graph the block's last line returns")
            except Exception as error:  # Graphviz rejected it: the reader's edit, most likely
                record.fail("error", f"Drawing the graph failed: {error}")

    def _draw_markers(self, offset: int, markers: list[Marker], first_edit: int, target_end: int,
                      result: RunResult) -> None:
        """Draw the markers passed on the way to `offset` that a reader's run changes or just reached.

        Those after an edited block show the edit's effect; those after the target block show
        the run the reader asked for. The others still show what the build drew, which is what
        this run computed too.
        """
        while self._passed_markers < len(markers) and markers[self._passed_markers].start < offset:
            marker = markers[self._passed_markers]
            self._passed_markers += 1
            if self.draw is None or marker.needs or not (marker.start > first_edit or marker.start > target_end):
                continue
            try:
                drawn = eval(marker.expression, self._document.namespace)  # the reader's own code, on purpose
                svg = self.draw(drawn, marker.title or f"Drawing of {marker.expression}")
                result.diagrams.append({"marker": marker.index, "svg": svg})
            except Exception as error:
                result.diagrams.append({"marker": marker.index, "error": f"{type(error).__name__}: {error}"})


class _SessionEvaluator:
    """Sybil's doctest evaluation of one `>>>` example, with its printed output and displayed value kept."""

    def __init__(self, runner: _RecordingRunner) -> None:
        self.runner = runner
        self.value: Any = NO_VALUE

    def __call__(self, example: Example) -> str:
        # as sybil.evaluators.doctest.DocTestEvaluator, with this runner; `_` tells what was displayed
        namespace = example.namespace
        output: list[str] = []
        remove_name = "__name__" not in namespace
        if remove_name:
            namespace["__name__"] = "__test__"
        marker = object()
        saved = getattr(builtins, "_", marker)
        builtins._ = marker  # type: ignore[attr-defined]
        try:
            test = doctest.DocTest([example.parsed], namespace, example.path, None, example.parsed.lineno, None)
            test.globs = namespace  # as Sybil's DocTest: the page's namespace itself, not a copy
            self.runner.run(test, clear_globs=False, out=output.append)
            shown = getattr(builtins, "_", marker)
            self.value = NO_VALUE if shown is marker else shown
        finally:
            if remove_name:
                del namespace["__name__"]
            if saved is marker:
                with contextlib.suppress(AttributeError):
                    del builtins._  # type: ignore[attr-defined]
            else:
                builtins._ = saved  # type: ignore[attr-defined]
        return "".join(output)


class _CodeEvaluator:
    """Sybil's evaluation of a plain code block (PythonEvaluator), keeping what it printed and its last value."""

    def __init__(self) -> None:
        self.printed = ""
        self.value: Any = NO_VALUE

    def __call__(self, example: Example) -> None:
        source = pad(example.parsed, example.line + example.parsed.line_offset)
        tree = ast.parse(source, example.path)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        assert last is None or isinstance(last, ast.Expr)
        buffer = io.StringIO()
        self.value = NO_VALUE
        try:
            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                exec(compile(tree, example.path, "exec", dont_inherit=True), example.namespace)
                if last is not None:
                    self.value = eval(compile(ast.Expression(last.value), example.path, "eval", dont_inherit=True),
                                      example.namespace)
        finally:
            self.printed = buffer.getvalue()
            example.namespace.pop("__builtins__", None)  # exec adds it; Sybil removes it too


def _session_transcript(example: doctest.Example, got: str) -> str:
    """One `>>>` example as a console shows it: the prompt lines, then what it printed."""
    lines = example.source.rstrip("\n").split("\n")
    shown = [f">>> {lines[0]}", *(f"... {line}" for line in lines[1:])]
    return "\n".join(shown) + "\n" + got


def _traceback_of(error: BaseException, path: str) -> str:
    """The traceback from the page's own line down (the runner's and Sybil's frames left out)."""
    frames = traceback.extract_tb(error.__traceback__)
    first = next((i for i, frame in enumerate(frames) if frame.filename == path), 0)
    return "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames[first:])) + "".join(
        traceback.format_exception_only(type(error), error))


def _is_graph(value: Any) -> bool:
    """A graphviz graph (what draw_dot returns), without importing graphviz."""
    module = sys.modules.get("graphviz")
    return module is not None and isinstance(value, module.Graph | module.Digraph)


def draw_svg(drawn: Any, title: str) -> str:
    """Inline SVG, themed like the build's diagrams, of a Value's graph (`draw_dot`) or a graphviz graph.

    micrograd renders it: in the browser through the renderer the worker plugs in with
    `micrograd.draw.use_renderer` (Graphviz compiled to WebAssembly), elsewhere with Graphviz.

    Raises:
        TypeError: `drawn` is neither a Value nor a graph.
        ValueError: Graphviz rejected the graph's DOT source.
    """
    from micrograd import Value, draw_dot
    from micrograd.draw import render_svg
    from svg_diagrams import themed_svg

    graph = draw_dot(drawn) if isinstance(drawn, Value) else drawn
    if not _is_graph(graph):
        raise TypeError(f"a {type(drawn).__name__} cannot be drawn here; a Value or a graphviz graph can")
    return themed_svg(render_svg(graph), title, f"run-diagram-{next(_DRAWINGS)}")


_DRAWINGS = itertools.count(1)  # ids of the SVGs a run draws, unique on the page


def plug_renderer(render: Callable[[str], Any]) -> None:
    """Make micrograd draw with the worker's Graphviz: `render(dot)` gives `[svg, error message or ""]`."""
    from micrograd.draw import use_renderer

    def svg_of(dot: str) -> str:
        svg, error = render(dot)
        if error:
            raise ValueError(f"Graphviz could not render the DOT source: {error}")
        return str(svg)

    use_renderer(svg_of)


_SESSIONS: dict[str, PageSession] = {}  # the worker's pages by path: one namespace each, kept between runs


def run_json(page_json: str, target: int, edits_json: str) -> str:
    """The worker's entry point: run block `target` of the page (JSON {"path", "text"}) with the edits
    (JSON {block index: code}); the RunResult as JSON."""
    page = json.loads(page_json)
    session = _SESSIONS.get(page["path"])
    if session is None or session.original != page["text"]:
        session = _SESSIONS[page["path"]] = PageSession(page["text"], page["path"], draw=draw_svg)
    edits = {int(index): code for index, code in json.loads(edits_json).items()}
    return json.dumps(session.run(int(target), edits).as_dict())
