"""The docs build hook (docs/_hooks): diagrams, their cache, their failures, math, and what the copy button copies."""

from __future__ import annotations

import re
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "docs" / "_hooks" / "site_hook.py"
CONFIG = f"""\
site_name: hook test
strict: true
theme: {{name: mkdocs}}
markdown_extensions:
  - attr_list
  - admonition
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.arithmatex: {{generic: true}}
hooks: ["{HOOK}"]
"""
Builder = Callable[..., tuple[int, str, Path]]


@pytest.fixture
def build(tmp_path: Path, mkdocs_builder: Callable[..., subprocess.CompletedProcess[str]]) -> Builder:
    """Builds a one-off site in tmp_path from {file name: Markdown} with the real hook: (exit code, log, site)."""

    def run(pages: dict[str, str], cache: Path | None = None, config: str = CONFIG) -> tuple[int, str, Path]:
        docs = tmp_path / "docs"
        docs.mkdir(exist_ok=True)
        for name, text in pages.items():
            (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
        (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
        result = mkdocs_builder(tmp_path / "mkdocs.yml", tmp_path / "site",
                            env={"MICROGRAD_DIAGRAM_CACHE": str(cache or tmp_path / "cache")})
        return result.returncode, result.stderr, tmp_path / "site"

    return run


VALUE_PAGE = """\
# Live

```python
>>> from micrograd import Value
>>> a = Value(2.0, label="a")
>>> b = a * 3
>>> b.label = "b"
```

<!-- diagram: b | b before backward -->

```python
>>> b.backward()
```

!!! note
    <!-- diagram: b -->
"""


def test_a_live_diagram_shows_the_values_at_that_point_of_the_page(build: Builder) -> None:
    code, log, site = build({"index.md": VALUE_PAGE})
    assert code == 0, log
    page = (site / "index.html").read_text()
    first, second = re.findall(r'<figure class="diagram">.*?</figure>', page, re.S)
    assert "--&gt;" not in page and "diagram:" not in page, "the whole marker, up to its -->, is replaced"
    assert "grad 0.0000" in first and "grad 1.0000" not in first
    assert "grad 1.0000" in second and "grad 3.0000" in second  # b.grad = 1, a.grad = 3
    assert "<title>b before backward</title>" in first
    assert "<title>Computation graph of b: data 6.0000, grad 1.0000</title>" in second


def test_the_author_chooses_a_graph_s_direction(build: Builder) -> None:
    page = """\
    # Directions

    ```python
    >>> from micrograd import Value, draw_dot
    >>> a = Value(2.0, label="a")
    >>> c = (a * 3).tanh()
    >>> graph = draw_dot(c)
    ```

    <!-- diagram: c | default -->
    <!-- diagram: c | top to bottom | TB -->
    <!-- diagram: graph | a Digraph turned | TB -->
    <!-- diagram: graph | a Digraph as drawn -->
    """
    code, log, site = build({"index.md": page})
    assert code == 0, log
    svg_size = r'<svg id="diagram-\d+"[^>]*width="([\d.]+)pt" height="([\d.]+)pt"'
    sizes = [(float(w), float(h)) for w, h in re.findall(svg_size, (site / "index.html").read_text())]
    shapes = ["wide" if w > h else "tall" for w, h in sizes]
    assert shapes == ["wide", "tall", "tall", "wide"], sizes  # a chain of 3 Values and 2 operations


def test_a_dot_fence_can_show_its_source_in_a_collapsible_block(build: Builder) -> None:
    pages = {"index.md": '# S\n\n```dot title="x to y" source="closed"\ndigraph { x -> y [label="<"] }\n```\n\n'
                         '```dot title="open" source="open"\ndigraph { p -> q }\n```\n\n'
                         '```dot\ndigraph { m -> n }\n```\n'}
    code, log, site = build(pages)
    assert code == 0, log
    page = (site / "index.html").read_text()
    assert re.search(r'</figure><details class="note diagram-source"><summary>DOT source</summary>'
                     r'<div class="highlight"><pre><code>digraph \{ x -&gt; y \[label=&quot;&lt;&quot;\] \}</code>',
                     page)
    assert '<details class="note diagram-source" open><summary>DOT source</summary>' in page
    assert page.count("DOT source") == 2, "a fence without source= shows only its diagram"


@pytest.mark.parametrize(("page", "message"), [
    ("# Bad\n\nText.\n\n```dot\ndigraph { a -> }\n```\n", r"bad\.md, line 5: Graphviz could not render the DOT source"),
    ("# Bad\n\n```python\nx = 1 / 0\n```\n\n<!-- diagram: x -->\n",
     r"bad\.md, line 3: the example raised ZeroDivisionError"),
    ("# Bad\n\n```python\n>>> 1 + 1\n3\n```\n\n<!-- diagram: x -->\n",
     r"bad\.md, line 4, column 1 did not evaluate as expected"),
    ("# Bad\n\n```python\nx = 1\n```\n\n<!-- diagram: y -->\n",
     r"bad\.md, line 7: diagram expression 'y' raised NameError"),
    ("# Bad\n\n```python\nx = 1\n```\n\n<!-- diagram: x -->\n",
     r"bad\.md, line 7: diagram expression 'x' is a int; expected a Value"),
    ("# Bad\n\nInline $\\frac{1}{$ math.\n", r"bad\.md, line 3: cannot convert TeX '\\\\frac\{1\}\{'"),
    ("# Bad\n\n```dot\ndigraph { a [shape=blob] }\n```\n", r"bad\.md, line 3: Graphviz warns .*unknown shape blob"),
    ("# Bad\n\n```python\nimport graphviz\ng = graphviz.Digraph()\ng.node('a', colr='red')\n```\n\n"
     "<!-- diagram: g -->\n",
     r"bad\.md, line 9: Graphviz warns about the DOT source: unknown attribute 'colr'"),
    ("# Bad\n\n$$\n\\begin{eqnarray} a \\end{eqnarray}\n$$\n", r"bad\.md, line 4: .*unknown environment eqnarray"),
    ("# Bad\n\n```python\nfrom micrograd import Value\nx = Value(1.0)\n```\n\n<!-- diagram: x | t | XY -->\n",
     r"bad\.md, line 8: diagram direction 'XY' is not one of LR, TB, RL, BT"),
    ("# Bad\n\n```python\nfrom matplotlib.figure import Figure\nx = Figure()\n```\n\n<!-- diagram: x | t | TB -->\n",
     r"bad\.md, line 8: diagram direction TB applies to a graph, not to a Figure"),
    ('# Bad\n\n```dot source="shown"\ndigraph { a -> b }\n```\n', r"a dot fence's source= is \"open\" or \"closed\""),
], ids=["bad dot", "live code raises", "doctest output differs", "unknown name", "not drawable", "bad math",
    "unknown shape", "unknown attribute", "unknown environment", "unknown direction", "direction of a plot",
    "bad source option"])
def test_a_failure_stops_the_build_naming_page_and_line(build: Builder, page: str, message: str) -> None:
    code, log, _ = build({"bad.md": page})
    assert code != 0, "the build should have failed"
    assert re.search(message, log), log[-3000:]


@pytest.mark.parametrize(("link", "message"), [
    ("[gone](missing.md)", r"docs/index\.md, line 5: Doc file 'index\.md' contains a link 'missing\.md'"),
    ("[gone](other.md#nowhere)", r"docs/index\.md, line 5: .*does not contain an anchor '#nowhere'"),
    ("[gone][ref]\n\n[ref]: #nothing-here", r"docs/index\.md, line 7: .*no such anchor on this page"),
    ("[gone][micrograd.nowhere]",
     r"docs/index\.md, line 5: .*Could not find cross-reference target 'micrograd\.nowhere'"),
])
def test_a_broken_link_stops_the_build_naming_page_and_line(build: Builder, link: str, message: str) -> None:
    pages = {"index.md": f"# Links\n\nText.\n\nSee {link}\n", "other.md": "# Other\n"}
    config = CONFIG + "validation:\n  anchors: warn\nplugins:\n  - autorefs\n"  # as in mkdocs.yml
    code, log, _ = build(pages, config=config)
    assert code != 0 and re.search(message, log), log[-3000:]


def test_a_dot_fence_error_names_its_own_page_not_the_one_built_before(build: Builder) -> None:
    # the fence callback is bound to each page in turn; bound once, it would name the first page
    pages = {"a.md": "# A\n\n```dot\ndigraph { x -> y }\n```\n", "b.md": "# B\n\n\n```dot\ndigraph { x -> }\n```\n"}
    code, log, _ = build(pages)
    assert code != 0 and re.search(r"b\.md, line 4: Graphviz could not render", log), log[-3000:]


@pytest.mark.parametrize(("page", "where"), [
    ("::: sample_pkg.inner.f", r"sample_pkg/inner\.py, line 5"),
    ("::: sample_pkg", r"sample_pkg/inner\.py, line 5"),  # documented where it is re-exported
])
def test_tex_error_in_a_docstring_names_the_py_file_and_line(build: Builder, tmp_path: Path, page: str,
                                                             where: str) -> None:
    package = tmp_path / "sample_pkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package."""\n\nfrom sample_pkg.inner import f\n\n__all__ = ["f"]\n')
    (package / "inner.py").write_text(
        '"""A module."""\n\n\ndef f() -> None:\n    """Broken $\\\\frac{1}{$ math."""\n', encoding="utf-8")
    config = CONFIG + "plugins:\n  - mkdocstrings:\n      handlers:\n        python:\n          paths: [.]\n"
    code, log, _ = build({"index.md": f"# API\n\n{page}\n"}, config=config)
    assert code != 0, "the build should have failed"
    assert re.search(rf"{where}: cannot convert TeX", log), log[-3000:]


def test_the_dispatcher_is_small_and_no_hook_module_rebinds_module_state() -> None:
    import ast

    hooks = HOOK.parent
    assert len(HOOK.read_text().splitlines()) < 100
    for module in hooks.glob("*.py"):
        tree = ast.parse(module.read_text(), str(module))
        rebinds = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Global | ast.Nonlocal)]
        assert not rebinds, f"{module.name} rebinds module state with global/nonlocal at lines {rebinds}"


def test_skips_are_honoured_and_shown_syntax_is_not_run(build: Builder) -> None:
    page = """\
    # Skips

    <!-- invisible-code-block: python
    from micrograd import Value
    missing = None
    -->

    <!-- skip: next "it fails on purpose" -->
    ```python
    raise RuntimeError("skipped")
    ```

    <!-- skip: start if(missing is None, reason="the library is absent") -->
    ```python
    import a_library_that_is_absent
    ```
    <!-- skip: end -->

    ```python
    v = Value(1.5, label="v")
    ```

    ````markdown
    <!-- diagram: not_defined_anywhere -->
    ````

    <!-- diagram: v -->
    """
    code, log, site = build({"index.md": page})
    assert code == 0, log
    html = (site / "index.html").read_text()
    assert html.count('<figure class="diagram">') == 1 and "data 1.5000" in html
    assert "diagram: not_defined_anywhere" in html  # shown to the reader as text


def test_a_warm_build_renders_nothing_that_did_not_change(build: Builder, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    pages = {"index.md": VALUE_PAGE, "dot.md": "# Dot\n\n```dot\ndigraph { x -> y }\n```\n"}
    assert "diagrams: 3 rendered by Graphviz, 0 from the cache" in build(pages, cache)[1]
    assert "diagrams: 0 rendered by Graphviz, 3 from the cache" in build(pages, cache)[1]
    pages["dot.md"] = "# Dot\n\n```dot\ndigraph { x -> z }\n```\n"
    assert "diagrams: 1 rendered by Graphviz, 2 from the cache" in build(pages, cache)[1]
    assert len(list(cache.glob("*.svg"))) == 4


def test_graphviz_svg_follows_the_palette_and_has_a_title() -> None:
    from micrograd import Value, draw_dot, render_svg
    from svg_diagrams import themed_svg

    svg = themed_svg(render_svg(draw_dot(Value(2.0, label="a") * 3)), 'a "times" 3', "diagram-7")
    assert svg.startswith('<figure class="diagram"><svg id="diagram-7" class="diagram-svg" role="img" '
                          'aria-label="a &quot;times&quot; 3"')
    assert re.search(r"<svg [^>]*><title>a &quot;times&quot; 3</title>", svg)
    assert svg.count("<title>") == 1, "Graphviz's node titles (v0, v1op) would be read out as noise"
    assert 'fill="white"' not in svg and '"black"' not in svg and "<?xml" not in svg
    assert 'stroke="currentColor"' in svg and '<text fill="currentColor"' in svg
    assert all(i.startswith("diagram-7") for i in re.findall(r'\bid="([^"]+)"', svg))


def test_a_wide_diagram_keeps_its_drawn_size_for_the_zoom_overlay() -> None:
    from micrograd import render_svg
    from svg_diagrams import themed_svg

    raw = render_svg("digraph { rankdir=LR; " + " -> ".join(f"n{i}" for i in range(30)) + " }")
    drawn = re.search(r'<svg[^>]*\b(width="[\d.]+pt" height="[\d.]+pt")', raw).group(1)
    svg = themed_svg(raw, "a long chain", "diagram-2")
    # CSS fits it to the column; docs/javascripts/diagram-zoom.js reads width and height as the full size
    assert re.search(r'<svg id="diagram-2"[^>]*\b' + drawn, svg)
    assert "min-width" not in svg, "a minimum width would make the page scroll sideways on a phone"


def test_text_on_a_filled_node_stays_dark_in_both_schemes() -> None:
    from micrograd import render_svg
    from svg_diagrams import themed_svg

    raw = render_svg('digraph { a [style=filled, fillcolor="#fff3c4"]; a -> b [label="e"] }')
    svg = themed_svg(raw, "two nodes", "diagram-1")
    texts = {text: fill for fill, text in re.findall(r'<text fill="([^"]+)"[^>]*>(\w)</text>', svg)}
    # light text on a light fill would vanish in dark mode; an edge label sits on the page (its arrowhead is filled)
    assert texts == {"a": "#000000", "b": "currentColor", "e": "currentColor"}


def test_matplotlib_svg_follows_the_palette() -> None:
    import matplotlib
    from matplotlib.figure import Figure

    from svg_diagrams import MPL_FOREGROUND, MPL_RC, figure_svg, themed_svg

    with matplotlib.rc_context(MPL_RC):
        figure = Figure(figsize=(2, 2))
        axes = figure.subplots()
        axes.plot([0, 1], [1, 0], label="line")
        axes.legend()
        svg = themed_svg(figure_svg(figure), "a falling line", "diagram-1")
    assert MPL_FOREGROUND not in svg and "fill: currentColor" in svg and "<metadata>" not in svg
    assert "var(--md-default-bg-color)" in svg  # the legend box takes the page's background
    assert "#diagram-1 *{stroke-linejoin" in svg  # matplotlib's global style rule is scoped to the figure


def test_tex_becomes_mathml_and_unknown_commands_are_errors() -> None:
    from mathml import MathError, arithmatex_to_mathml, tex_to_mathml

    html, failures = arithmatex_to_mathml(
        '<p><span class="arithmatex">\\(a &lt; b\\)</span></p>'
        '<div class="arithmatex">\\[\n\\frac{\\partial d}{\\partial a}\n\\]</div>'
    )
    assert failures == [] and "arithmatex" not in html
    assert ('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">'
            '<mrow><mi>a</mi><mo>&lt;</mo>') in html
    assert 'display="block"><mrow><mfrac>' in html
    with pytest.raises(MathError, match=r"unknown command \\notacommand"):
        tex_to_mathml("\\notacommand f", display=False)
    with pytest.raises(MathError, match=r"unknown environment foo"):
        tex_to_mathml("\\begin{foo} a \\end{foo}", display=True)
    assert "<mtable" in tex_to_mathml("\\begin{pmatrix} a & b \\end{pmatrix}", display=True)


def test_math_is_laid_out_as_tex_lays_it_out() -> None:
    from mathml import tex_to_mathml

    thin = '<mspace width="0.1667em"></mspace>'
    # a prime follows its letter (as a superscript the raised glyph sat above it), also with a subscript
    assert "<mi>f</mi><mo lspace=\"0em\" rspace=\"0em\">\u2032</mo><mo stretchy=\"false\">(</mo>" in tex_to_mathml(
        "f'(x)", display=False)
    assert "<msub><mrow><mi>f</mi><mo lspace=\"0em\" rspace=\"0em\">\u2032</mo></mrow><mi>a</mi></msub>" in (
        tex_to_mathml("f'_a = b", display=False))
    # a limit goes under lim (movablelimits: a subscript again in inline math), thin-spaced from what follows
    assert ('<munder><mo movablelimits="true" lspace="0em" rspace="0em">lim</mo><mrow><mi>h</mi><mo>\u2192</mo>'
            f'<mn>0</mn></mrow></munder>{thin}<mfrac>') in tex_to_mathml("\\lim_{h \\to 0} \\frac{1}{h}", display=True)
    # operator names: a thin space from an ordinary neighbour on either side, none before a parenthesis
    assert f"<msup><mi>a</mi><mi>b</mi></msup>{thin}<mi>ln</mi>{thin}<mi>a</mi>" in tex_to_mathml(
        "a^b \\ln a", display=False)
    assert f"<msup><mi>tanh</mi><mn>2</mn></msup>{thin}<mi>x</mi>" in tex_to_mathml("1 - \\tanh^2 x", display=False)
    assert "<mi>tanh</mi><mo stretchy=\"false\">(</mo>" in tex_to_mathml("\\tanh(x)", display=False)
    # \\max and \\operatorname are names, not relations spaced 0.28em on each side
    assert "<mrow><mi>max</mi><mo stretchy=\"false\">(</mo>" in tex_to_mathml("\\max(0, a)", display=False)
    assert "<mrow><mi>relu</mi><mo" in tex_to_mathml("\\operatorname{relu}(x)", display=False)
    assert "mspace" not in tex_to_mathml("x + y = \\frac{a}{b}", display=True)


def test_a_session_copies_as_code_the_interpreter_accepts() -> None:
    from copy_text import repl_input

    session = """\
    >>> def square(x):
    ...     return x * x
    >>> square(3)
    9
    >>> for i in range(2):
    ...     print(i)
    0
    1
    """
    assert repl_input(textwrap.dedent(session)) == (
        "def square(x):\n    return x * x\n\nsquare(3)\nfor i in range(2):\n    print(i)\n\n"
    ), "the paste ends with the blank line that runs the loop"


@pytest.mark.parametrize(("code", "pasted"), [
    ("def f():\n    a = 1\n\n    return a\n\n\nf()\n", "def f():\n    a = 1\n    return a\n\nf()\n"),
    ("x = 1\n\n\ny = 2\n", "x = 1\n\n\ny = 2\n"),  # blank lines between simple statements are harmless
    ('s = """a\n\nb"""\n', 's = """a\n\nb"""\n'),  # inside a string a blank line is part of the value
    ('def f(x):\n    return f"""{x}\n\n{x}"""\n', 'def f(x):\n    return f"""{x}\n\n{x}"""\n\n'),  # an f-string too
    ("@property\n\ndef f(): pass\n# done\n", "@property\ndef f(): pass\n\n# done\n"),
    ("if x:\n    a\n\nelse:\n    b\n", "if x:\n    a\nelse:\n    b\n\n"),  # a blank before else would end the if
    ("x = 1; y = 2\nz = 3\n", "x = 1; y = 2\nz = 3\n"),
])
def test_plain_code_is_laid_out_for_the_interactive_interpreter(code: str, pasted: str) -> None:
    from copy_text import repl_text

    assert repl_text(code) == pasted


def test_every_python_block_gets_copy_text_and_code_that_does_not_parse_stops_the_build(build: Builder) -> None:
    page = "# Copy\n\n```python\nfor i in range(2):\n\n    print(i)\n```\n"
    code, log, site = build({"index.md": page})
    assert code == 0, log
    assert 'data-copy="for i in range(2):\n    print(i)\n\n"' in (site / "index.html").read_text()
    code, log, _ = build({"index.md": "# Bad\n\n\n```python\ndef f(:\n```\n"})
    assert code != 0 and re.search(r"index\.md, line 5: this block's code does not parse", log), log[-3000:]


def test_a_docstring_example_gets_copy_text_too() -> None:
    from copy_text import on_html
    from page_state import PageState

    rendered = ('<div class="language-pycon highlight"><pre><span></span><code>'
                '<span class="gp">&gt;&gt;&gt; </span>for i in range(2):\n'
                '<span class="gp">... </span>    print(i)\n<span class="go">0</span>\n</code></pre></div>')
    page = PageState("docs/api/x.md", "::: x", False, None, None)  # type: ignore[arg-type]
    assert 'data-copy="for i in range(2):\n    print(i)\n\n"' in on_html(rendered, page)


def test_a_notebook_image_takes_its_cells_alt_text_and_one_without_stops_the_build() -> None:
    import json

    from mkdocs.exceptions import PluginError

    from notebook_pages import describe_images
    from page_state import PageState

    cells = [{"id": "plot", "cell_type": "code", "metadata": {"alt": ["the first plot", "the second"]}},
             {"id": "bare", "cell_type": "code", "metadata": {}}]
    page = PageState("docs/nb.ipynb", json.dumps({"cells": cells}), True, None, None)  # type: ignore[arg-type]
    image = '<img alt="No description has been provided for this image" src="data:image/png;base64,AAAA"'
    plot_cell = f'<div class="jp-Cell jp-CodeCell" id="cell-id=plot">{image}>{image}></div>'
    described = describe_images(plot_cell, page)
    assert described.count('alt="the first plot"') == 1 and described.count('alt="the second"') == 1
    with pytest.raises(PluginError, match=r"docs/nb\.ipynb, cell 'bare': image 1 of the cell has no alt text"):
        describe_images(f'<div class="jp-Cell jp-CodeCell" id="cell-id=bare">{image}></div>', page)


def test_the_diagram_cache_is_keyed_by_the_checks_a_source_passed(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import svg_diagrams

    cache = svg_diagrams.DiagramCache(tmp_path)
    for _ in range(2):
        cache.graphviz_svg("digraph { a [shape=box] }")
    assert (cache.rendered, cache.reused) == (1, 1)
    # a source stored before a new check must meet that check, not come back from the cache unchecked
    monkeypatch.setattr(svg_diagrams, "GRAPHVIZ_ATTRIBUTES", svg_diagrams.GRAPHVIZ_ATTRIBUTES - {"color"})
    cache.graphviz_svg("digraph { a [shape=box] }")
    assert (cache.rendered, cache.reused) == (2, 1)
