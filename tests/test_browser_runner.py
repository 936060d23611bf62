"""docs/_hooks/browser_runner.py, in CPython: the page's examples as the Run controls run them in the browser.

The browser tests (tests/browser/test_run_examples.py) run the same module in Pyodide; here each
rule is pinned down on small pages, and every docs page replays with every block the browser
can run matching the page.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from browser_runner import PageSession, analyse, draw_svg, edited_text, page_blocks, plug_renderer

ROOT = Path(__file__).resolve().parent.parent
DOCS_PAGES = sorted(path for path in (ROOT / "docs").rglob("*.md") if "_" not in path.parts[-2][:1])


def page(text: str) -> str:
    return textwrap.dedent(text)


SESSION_PAGE = page("""\
    # Page

    <!-- invisible-code-block: python
    hidden = 40
    -->

    ```python
    >>> from micrograd import Value
    >>> a = Value(hidden + 2.0, label="a")
    >>> a
    Value(data=42.0, grad=0.0)
    ```

    ```python
    b = a * 2
    b.label = "b"
    print("printed", b.data)
    ```

    <!-- diagram: b | b is a times two -->

    ```python
    >>> b.data
    84.0
    ```
    """)


def drawn(value: Any, title: str) -> str:
    """A stand-in for draw_svg that says what it was asked to draw."""
    return f"<figure>{title}: {getattr(value, 'data', value)}</figure>"


def test_blocks_are_the_visible_python_fences_with_their_code_spans() -> None:
    blocks = page_blocks(SESSION_PAGE, "p.md")
    assert [b.index for b in blocks] == [0, 1, 2]
    assert [b.is_session for b in blocks] == [True, False, True]
    for block in blocks:
        assert SESSION_PAGE[block.source_start:block.source_end] == block.source
        assert not block.needs


def test_a_run_replays_hidden_blocks_and_matches_the_page() -> None:
    result = PageSession(SESSION_PAGE, "p.md").run(0, {})
    assert [(b.index, b.status) for b in result.blocks] == [(0, "ok")]
    assert result.blocks[0].output.endswith(">>> a\nValue(data=42.0, grad=0.0)\n")


def test_code_blocks_report_what_they_printed() -> None:
    result = PageSession(SESSION_PAGE, "p.md").run(1, {})
    assert [b.status for b in result.blocks] == ["ok", "ok"]
    assert result.blocks[1].output == "printed 84.0\n"


def test_a_different_output_is_marked_with_the_doctest_difference() -> None:
    text = SESSION_PAGE.replace("Value(data=42.0, grad=0.0)", "Value(data=41.0, grad=0.0)")
    block = PageSession(text, "p.md").run(0, {}).blocks[0]
    assert block.status == "differs"
    assert "Expected:\n    Value(data=41.0, grad=0.0)\nGot:\n    Value(data=42.0, grad=0.0)" in block.detail


@pytest.mark.parametrize(("want", "status"), [
    ("Value(data=42.0, ...)", "ok"),  # ELLIPSIS, as the docs tests
    ("Value(data=42.0,\n    grad=0.0)", "ok"),  # NORMALIZE_WHITESPACE
    ("Value(data=42.0, grad=0.0)   ", "ok"),  # trailing whitespace, ignored by Sybil's checker
    ("Value(data=42.00, grad=0.0)", "differs"),
])
def test_outputs_compare_with_the_docs_tests_rules(want: str, status: str) -> None:
    text = SESSION_PAGE.replace("Value(data=42.0, grad=0.0)", want)
    assert PageSession(text, "p.md").run(0, {}).blocks[0].status == status


def test_an_expected_exception_matches_and_an_unexpected_one_is_an_error() -> None:
    expected = page("""\
        ```python
        >>> 1 / 0
        Traceback (most recent call last):
            ...
        ZeroDivisionError: division by zero
        ```
        """)
    assert PageSession(expected, "p.md").run(0, {}).blocks[0].status == "ok"
    unexpected = "```python\n>>> 1 / 0\n1\n```\n"
    block = PageSession(unexpected, "p.md").run(0, {}).blocks[0]
    assert (block.status, block.output) == ("error", ">>> 1 / 0\nZeroDivisionError: division by zero\n")


def test_code_that_raises_shows_its_traceback_from_the_page_line() -> None:
    text = "# P\n\n```python\nx = 1\nraise ValueError('no')\n```\n"
    block = PageSession(text, "p.md").run(0, {}).blocks[0]
    assert block.status == "error"
    assert block.detail == 'Traceback (most recent call last):\n  File "p.md", line 5, in <module>\nValueError: no'


def test_an_edit_runs_instead_of_the_page_code_and_is_not_compared() -> None:
    session = PageSession(SESSION_PAGE, "p.md")
    edit = ">>> from micrograd import Value\n>>> a = Value(1.0)\n>>> a\nValue(data=42.0, grad=0.0)"
    result = session.run(2, {0: edit})
    assert [(b.index, b.status, b.edited) for b in result.blocks] == [(0, "ok", True), (1, "ok", False),
                                                                       (2, "differs", False)]
    assert "Value(data=1.0, grad=0.0)" in result.blocks[0].output
    assert "Got:\n    2.0" in result.blocks[2].detail


def test_an_edit_inside_an_admonition_keeps_its_indentation() -> None:
    text = "!!! note\n\n    ```python\n    >>> x = 1\n    ```\n\nafter\n"
    blocks = page_blocks(text, "p.md")
    assert blocks[0].indent == "    "
    edited = edited_text(text, blocks, {0: ">>> x = 2\n>>> y = 3"})
    assert edited == "!!! note\n\n    ```python\n    >>> x = 2\n    >>> y = 3\n    ```\n\nafter\n"
    assert page_blocks(edited, "p.md")[0].source == ">>> x = 2\n>>> y = 3\n"


def test_a_later_block_continues_and_the_same_block_starts_afresh() -> None:
    text = ("```python\ncount = [0]\n```\n\n```python\ncount[0] += 1\nprint(count[0])\n```\n\n"
            "```python\n>>> count[0]\n1\n```\n")
    session = PageSession(text, "p.md")
    assert session.run(1, {}).blocks[-1].output == "1\n"
    continued = session.run(2, {})
    assert (continued.replayed_from, [b.status for b in continued.blocks]) == (2, ["ok"])
    again = session.run(1, {})  # a fresh namespace: count is 1 again, not 2
    assert (again.replayed_from, again.blocks[-1].output) == (0, "1\n")


def test_diagrams_after_an_edit_or_right_after_the_run_block_are_drawn_from_the_run() -> None:
    session = PageSession(SESSION_PAGE, "p.md", draw=drawn)
    assert session.run(0, {}).diagrams == []  # the marker is below block 1: not reached
    assert session.run(1, {}).diagrams == [{"marker": 0, "svg": "<figure>b is a times two: 84.0</figure>"}]
    edited = session.run(2, {1: 'b = a * 3\nb.label = "b"'})
    assert edited.diagrams == [{"marker": 0, "svg": "<figure>b is a times two: 126.0</figure>"}]


def test_a_marker_that_fails_in_the_run_says_why() -> None:
    result = PageSession(SESSION_PAGE, "p.md", draw=drawn).run(1, {1: "c = 1"})
    assert result.diagrams == [{"marker": 0, "error": "NameError: name 'b' is not defined"}]


def test_a_block_ending_with_a_graph_shows_it_inline() -> None:
    pytest.importorskip("pygraphviz", reason="draws with the Graphviz that pygraphviz bundles")
    text = "```python\n>>> from micrograd import Value, draw_dot\n>>> draw_dot(Value(3.0) * 2)\n<...>\n```\n"
    block = PageSession(text, "p.md", draw=draw_svg).run(0, {}).blocks[0]
    assert block.status == "ok"
    assert block.graph.startswith('<figure class="diagram"><svg id="run-diagram-') and "data 6.0000" in block.graph


def test_blocks_needing_matplotlib_or_torch_say_why_and_what_they_bound_follows() -> None:
    text = page("""\
        <!-- invisible-code-block: python
        try:
            import torch
        except ImportError:
            torch = None
        -->

        ```python
        from matplotlib.figure import Figure
        fig = Figure()
        ```

        ```python
        >>> axes = fig.subplots()
        ```

        ```python
        >>> t = torch.tensor(1.0)
        ```

        ```python
        >>> fig = 3
        >>> fig + 1
        4
        ```

        ```python
        >>> fig * 2
        6
        ```

        <!-- diagram: fig -->
        """)
    blocks, markers = analyse(text, "p.md")
    assert [b.needs.split(",")[0] for b in blocks] == ["Needs matplotlib", "Needs matplotlib", "Needs PyTorch", "", ""]
    assert markers[0].needs == ""  # fig was bound again by a block the browser runs
    result = PageSession(text, "p.md").run(4, {})
    assert [b.status for b in result.blocks] == ["skipped", "skipped", "skipped", "ok", "ok"]


def test_the_page_can_decline_a_block_with_a_reason() -> None:
    text = '<!-- not-in-browser: "it needs a display" -->\n```python\nshow = 1\n```\n\n```python\n>>> show\n1\n```\n'
    assert [b.needs for b in page_blocks(text, "p.md")] == ["The page says: it needs a display"] * 2
    with pytest.raises(ValueError, match=r"p\.md, line 1: not-in-browser needs its reason in quotes"):
        page_blocks("<!-- not-in-browser: because -->\n```python\nx = 1\n```\n", "p.md")
    with pytest.raises(ValueError, match=r"line 1: not-in-browser is not followed by a ```python block"):
        page_blocks('<!-- not-in-browser: "why" -->\n', "p.md")


def test_a_page_skip_applies_in_the_browser_too() -> None:
    text = '<!-- skip: next "it starts a server" -->\n```python\nserve()\n```\n\n```python\n>>> 1\n1\n```\n'
    assert page_blocks(text, "p.md")[0].needs == "The page skips it: it starts a server"
    conditional = "<!-- skip: next if(True, reason='always') -->\n```python\nserve()\n```\n"
    assert page_blocks(conditional, "p.md")[0].needs == ""  # decided when it runs, as under pytest
    assert PageSession(conditional, "p.md").run(0, {}).blocks[0].status == "skipped"


def test_plug_renderer_turns_graphviz_errors_into_value_errors() -> None:
    from micrograd.draw import render_svg, use_renderer

    try:
        plug_renderer(lambda dot: ["", "syntax error in line 1"] if "bad" in dot else [f"<svg>{dot}</svg>", ""])
        assert render_svg("digraph { a }") == "<svg>digraph { a }</svg>"
        with pytest.raises(ValueError, match="Graphviz could not render the DOT source: syntax error in line 1"):
            render_svg("bad")
    finally:
        use_renderer(None)


def test_unknown_blocks_are_refused() -> None:
    session = PageSession(SESSION_PAGE, "p.md")
    with pytest.raises(IndexError, match="has 3 Python blocks, not a block 3"):
        session.run(3, {})
    with pytest.raises(IndexError, match="no Python block 7 to edit"):
        session.run(0, {7: "x = 1"})


@pytest.mark.parametrize("path", DOCS_PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_docs_page_replays_block_by_block(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    session = PageSession(text, path.relative_to(ROOT).as_posix())
    for block in session.blocks:
        for result in session.run(block.index, {}).blocks:
            expected = "skipped" if session.blocks[result.index].needs else "ok"
            assert result.status == expected, f"block {result.index}: {result.detail}"
