"""The built site: every page there, nothing from another host, math as MathML, diagrams themed, copy runnable."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

import notebook_pages
from page_weight import css_urls, fetched_urls
from run_copied import PasteConsole
from site_builds import SiteBuild, mkdocs_build

ROOT = Path(__file__).resolve().parent.parent


def _is_other_host(url: str) -> bool:
    """True for a URL that reaches another machine: http(s) or protocol-relative (`//host/...`)."""
    parts = urlsplit(url.strip())
    return parts.scheme in {"http", "https", "ws", "wss"} or (not parts.scheme and url.strip().startswith("//"))


def nav_pages(nav: list[object]) -> list[str]:
    """The source files the nav lists, in order."""
    pages: list[str] = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += nav_pages(value) if isinstance(value, list) else [str(value)]
    return pages


def built_page(site: Path, source: str) -> Path:
    """Where MkDocs writes the page built from docs/<source> (directory URLs)."""
    stem = source.rsplit(".", 1)[0]
    return site / ("index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html")


def test_the_fetch_finder_sees_every_kind_of_load() -> None:
    page = """<link rel="stylesheet" href="https://fonts.example/css"><link rel="canonical" href="https://a.example/">
    <script src="//cdn.example/x.js"></script><img srcset="a.png 1x, https://img.example/b.png 2x">
    <style>@font-face { src: url("https://fonts.example/f.woff2") }</style><div style="background: url(https://bg.example/i.png)">
    <svg><image href="https://svg.example/i.png"/></svg><a href="https://linked.example/">a link is not a load</a>"""
    found = sorted(url for url in fetched_urls(page) if _is_other_host(url))
    assert found == ["//cdn.example/x.js", "https://bg.example/i.png", "https://fonts.example/css",
                     "https://fonts.example/f.woff2", "https://img.example/b.png", "https://svg.example/i.png"]


def test_every_nav_page_is_built(built_site: Path) -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    missing = [page for page in nav_pages(config["nav"]) if not built_page(built_site, page).is_file()]
    assert not missing, f"pages in the nav that the build did not write: {missing}"
    assert (built_site / "search" / "search_index.json").stat().st_size > 10_000


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    offenders = []
    for page in built_site.rglob("*.html"):
        offenders += [f"{page.relative_to(built_site)}: {url}" for url in fetched_urls(page.read_text(encoding="utf-8"))
                      if _is_other_host(url)]
    for sheet in built_site.rglob("*.css"):
        offenders += [f"{sheet.relative_to(built_site)}: {url}" for url in css_urls(sheet.read_text(encoding="utf-8"))
                      if _is_other_host(url)]
    assert not offenders, "the site must work offline; these load from another host:\n" + "\n".join(offenders)


# a script that loads on demand: import(), import ... from, fetch, a worker, a socket, an XHR's open()
_SCRIPT_LOAD = re.compile(r"""(?:\bimport\s*\(\s*|\bfrom\s*|\bfetch\s*\(\s*|\bimportScripts\s*\(\s*"""
                          r"""|\bnew\s+(?:Shared)?Worker\s*\(\s*|\bnew\s+(?:EventSource|WebSocket)\s*\(\s*"""
                          r"""|\.open\s*\(\s*["'][A-Za-z]+["']\s*,\s*)["'`]([^"'`\s]+)""")
_META_REFRESH = re.compile(r"""<meta\b[^>]*http-equiv\s*=\s*["']?refresh[^>]*>""", re.I)
_REFRESH_URL = re.compile(r"""url\s*=\s*['"]?([^'">\s;]+)""", re.I)


def script_loads(script: str) -> list[str]:
    """The URLs a script's code loads by itself (not its src: fetched_urls has that)."""
    return _SCRIPT_LOAD.findall(script)


def refresh_targets(page_html: str) -> list[str]:
    """Where a `<meta http-equiv="refresh">` sends the browser."""
    return [url for tag in _META_REFRESH.findall(page_html) for url in _REFRESH_URL.findall(tag)]


def inline_scripts(page_html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>(.*?)</script>", page_html, re.S | re.I)


def test_the_script_and_refresh_finders_see_loads_of_another_host() -> None:
    page = """<script type="module">import mermaid from "https://cdn.example/mermaid.mjs";</script>
    <script>const m = await import('//cdn.example/m.js'); fetch(`https://api.example/data`);
    new Worker("https://w.example/w.js"); xhr.open("GET", "https://x.example/"); fetch("/search.json")</script>
    <meta http-equiv="refresh" content="0; url=https://elsewhere.example/">"""
    loads = [url for script in inline_scripts(page) for url in script_loads(script)]
    assert [url for url in loads if _is_other_host(url)] == [
        "https://cdn.example/mermaid.mjs", "//cdn.example/m.js", "https://api.example/data", "https://w.example/w.js",
        "https://x.example/"]
    assert refresh_targets(page) == ["https://elsewhere.example/"]


def test_no_script_or_refresh_reaches_another_host(built_site: Path) -> None:
    offenders = []
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        loads = [url for script in inline_scripts(text) for url in script_loads(script)] + refresh_targets(text)
        offenders += [f"{page.relative_to(built_site)}: {url}" for url in loads if _is_other_host(url)]
    for script in built_site.rglob("*.js"):
        offenders += [f"{script.relative_to(built_site)}: {url}"
                      for url in script_loads(script.read_text(encoding="utf-8", errors="replace"))
                      if _is_other_host(url)]
    assert not offenders, "scripts or refreshes that would reach another host:\n" + "\n".join(offenders)
    moons = built_page(built_site, "notebooks/moons.ipynb").read_text(encoding="utf-8")
    assert '<script src="">' not in moons


def test_theme_fonts_are_off_and_math_is_mathml(built_site: Path) -> None:
    pages = {page: page.read_text(encoding="utf-8") for page in built_site.rglob("*.html")}
    assert not [p for p, text in pages.items() if "fonts.googleapis" in text or "fonts.gstatic" in text]
    leftover = [str(p.relative_to(built_site)) for p, text in pages.items() if 'class="arithmatex"' in text]
    assert not leftover, f"TeX left for a script to render on: {leftover}"
    derivatives = pages[built_page(built_site, "derivatives.md")]
    assert derivatives.count("<math ") >= 10 and 'display="block"' in derivatives


def test_every_file_a_stylesheet_loads_is_in_the_site(built_site: Path) -> None:
    missing = [f"{sheet.relative_to(built_site)}: {url}" for sheet in built_site.rglob("*.css")
               for url in css_urls(sheet.read_text(encoding="utf-8"))
               if not _is_other_host(url) and not url.startswith("data:")
               and not (sheet.parent / url.split("#")[0].split("?")[0]).is_file()]
    assert not missing, f"stylesheets load files the site lacks: {missing}"
    font = built_site / "assets" / "fonts" / "noto-sans-math.woff2"  # docs/stylesheets/math.css, from npm
    assert font.read_bytes()[:4] == b"wOF2"


def test_the_math_font_is_the_subset_the_pages_use_with_its_math_table(built_site: Path) -> None:
    from fontTools.ttLib import TTFont

    from math_font import FONT_FILE, PACKAGE, math_characters
    from node_packages import package_dir

    whole = TTFont(str(package_dir(PACKAGE) / FONT_FILE)).getBestCmap()
    font = TTFont(str(built_site / "assets" / "fonts" / "noto-sans-math.woff2"))
    used = {ord(c) for c in math_characters(built_site)}
    assert len(used) > 40 and "MATH" in font, "the subset keeps the MATH table that stretches delimiters"
    assert used & set(whole) <= set(font.getBestCmap()), "every character the pages' MathML uses is in the subset"
    assert len(font.getBestCmap()) < len(whole) / 5
    assert (built_site / "assets" / "fonts" / "noto-sans-math.woff2").stat().st_size < 30_000


def test_diagrams_are_inline_svg_with_a_title_in_the_palette(built_site: Path) -> None:
    derivatives = built_page(built_site, "derivatives.md").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="diagram">(.*?)</figure>', derivatives, re.S)
    assert len(figures) == 3, "derivatives.md has a plot, a dot fence and a live Value graph"
    for svg in figures:
        assert re.match(r'<svg id="diagram-\d+" class="diagram-svg" role="img" aria-label="[^"]+"[^>]*>'
                        r"<title>[^<]+</title>", svg)
        assert "currentColor" in svg and '"black"' not in svg and 'fill="white"' not in svg
        # minified (svg_minify): coordinates to one decimal, polygons written as paths
        assert "<path " in svg and "<polygon" not in svg and not re.search(r' d="[^"]*\.\d\d', svg)
    ids = re.findall(r'\bid="([^"]+)"', derivatives)
    assert len(ids) == len(set(ids)), "diagrams on one page must not share element ids"


def copy_texts(page_html: str) -> list[str]:
    """What each copy button of a built page copies: a code block's data-copy, a notebook cell's copy text."""
    return [html.unescape(text) for text in re.findall(r'data-copy="([^"]*)"', page_html)
            + re.findall(r'<div class="clipboard-copy-txt" id="[^"]*">(.*?)</div>', page_html, re.S)]


def paste_problems(text: str) -> list[str]:
    """How pasting `text` into an interactive python3 goes wrong before anything runs: syntax, an open block."""
    console = PasteConsole({}, run=False)
    problems = [trace.strip().rsplit("\n", 1)[-1] for _, trace in console.paste(text)]
    return problems + (["the interpreter waits for another line at the end"] if console.waiting else [])


def test_the_paste_check_sees_what_a_script_would_accept() -> None:
    assert paste_problems("def f():\n    x = 1\n\n    return x\n")[0].startswith("IndentationError")
    assert paste_problems("for i in range(2):\n    print(i)\n") == ["the interpreter waits for another line at the end"]
    assert paste_problems("for i in range(2):\n    print(i)\n\nundefined_name\n") == []  # nothing runs


def test_every_copy_button_copies_code_an_interactive_interpreter_accepts(built_site: Path) -> None:
    derivatives = built_page(built_site, "derivatives.md").read_text(encoding="utf-8")
    # the console lexer marks prompts and output, which the copy rule hides
    assert '<span class="gp">&gt;&gt;&gt; </span>' in derivatives and '<span class="gp">... </span>' in derivatives
    assert '<span class="go">20.0</span>' in derivatives
    assert "def f(x):\n    return 3 * x**2 - 4 * x + 5\n\nf(3.0)\n" in copy_texts(derivatives)
    problems, copied = [], 0
    for page in sorted(built_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        blocks = re.findall(r'<div class="language-(?:python|pycon) highlight"[^>]*>', text)
        problems += [f"{page.relative_to(built_site)}: a Python block without copy text: {b}" for b in blocks
                     if "data-copy=" not in b]
        for copy in copy_texts(text):
            copied += 1
            problems += [f"{page.relative_to(built_site)}: {problem} in\n{copy}" for problem in paste_problems(copy)]
            if re.search(r"^(>>>|\.\.\.)( |$)", copy, re.M):
                problems.append(f"{page.relative_to(built_site)}: a prompt in copied code:\n{copy}")
    assert copied > 150 and not problems, "\n\n".join(problems)
    css = (built_site / "stylesheets" / "extra.css").read_text()
    assert re.search(r"code\[data-md-copying\] \.gp,\s*\.md-typeset code\[data-md-copying\] \.go", css)


@pytest.mark.parametrize("notebook", ["moons", "trace_graph"])
def test_notebooks_are_executed_and_downloadable(built_site: Path, notebook: str) -> None:
    page = (built_site / "notebooks" / notebook / "index.html").read_text(encoding="utf-8")
    assert "jp-OutputArea-output" in page, "the notebook was rendered without executing it"
    assert (built_site / "notebooks" / notebook / f"{notebook}.ipynb").is_file()
    assert re.search(rf'<a href="{notebook}.ipynb"[^>]* download', page), "no download button for the notebook"


_NOTEBOOK_SITE = """\
site_name: notebooks only
docs_dir: {docs}
strict: true
theme: {{name: mkdocs}}
hooks: ["{hook}"]
plugins:
  - mkdocs-jupyter: {{include: ["*.ipynb"], execute: true, allow_errors: false}}
"""
# an SVG plot is a UTF-8 data URL (docs/_hooks/svg_minify.py), a PNG one base64
_PLOT = re.compile(r'<img alt="([^"]*)" src="data:image/(?:svg\+xml,|png;base64,)')


def test_a_build_in_the_test_environment_leaves_a_normal_build_its_plots(
        tmp_path: Path, mkdocs_builder: Callable[..., subprocess.CompletedProcess[str]], site_build: SiteBuild,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A build under the tests' MPLBACKEND=Agg runs the moons notebook (no plots); a normal build then shows them.

    The normal build does not run the notebook again: its cache starts with the page the session's
    own build (a normal one) wrote, copied in under the normal environment's key unless the tests'
    build already wrote something there. So a cache keyed without MPLBACKEND still fails this test:
    the tests' page would be in that place, and the normal build would show it.
    """
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(ROOT / "docs" / "notebooks" / "moons.ipynb", docs / "moons.ipynb")
    config = tmp_path / "mkdocs.yml"
    config.write_text(_NOTEBOOK_SITE.format(docs=docs, hook=ROOT / "docs" / "_hooks" / "site_hook.py"))
    cache = tmp_path / "notebook-cache"
    monkeypatch.delenv("MPLBACKEND", raising=False)
    normal_key = notebook_pages.output_key()  # as the normal build, without MPLBACKEND, computes it
    pages = []
    for name, env in (("tests", {"MPLBACKEND": "Agg"}), ("normal", {})):
        if name == "normal" and not (cache / normal_key).exists():
            session_cache = notebook_pages.cache_root(ROOT) / normal_key
            if session_cache.is_dir():  # filled by site_build (unless that build failed before the notebooks)
                shutil.copytree(session_cache, cache / normal_key)
        result = mkdocs_builder(config, tmp_path / name, env={notebook_pages.CACHE_ENV: str(cache), **env})
        assert result.returncode == 0, result.stderr[-3000:]
        pages.append((tmp_path / name / "moons" / "index.html").read_text(encoding="utf-8"))
    plots = _PLOT.findall(pages[1])
    assert len(plots) == 3, (f"the normal build shows {len(plots)} plots "
                             f"(the tests' build showed {len(_PLOT.findall(pages[0]))})")
    assert len(list(cache.iterdir())) == 2, "each environment has a cache of its own"


def test_a_build_that_hangs_is_stopped_and_fails(tmp_path: Path) -> None:
    """mkdocs-jupyter has no time limit for a cell: the tests' builds have one (site_builds.BUILD_TIMEOUT)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Never built\n")
    (tmp_path / "hang.py").write_text("import time\n\n\ndef on_config(config):\n    time.sleep(120)\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: hangs\nhooks: [hang.py]\n")
    started = time.monotonic()
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", timeout=3)
    assert result.returncode != 0 and result.stderr.endswith("the build ran past 3 s and was stopped\n"), result
    assert time.monotonic() - started < 60


def test_every_notebook_image_says_what_it_shows(built_site: Path) -> None:
    alts = [html.unescape(alt) for page in (built_site / "notebooks").rglob("index.html")
            for alt in _PLOT.findall(page.read_text(encoding="utf-8"))]
    assert len(alts) >= 7, f"3 plots and 4 graphs expected, found {len(alts)} images"
    assert not [alt for alt in alts if len(alt) < 20 or "No description" in alt], alts
    assert any("decision boundary" in alt for alt in alts)


def test_notebook_graphs_say_what_they_show(built_site: Path) -> None:
    graphs = []
    for page in (built_site / "notebooks").rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        for alt, data in re.findall(r'<img alt="([^"]*)" src="data:image/svg\+xml,([^"]+)"', text):
            if '<g id="graph0" class="graph"' in unquote(data):  # Graphviz's outermost group
                graphs.append(html.unescape(alt))
    # from the cells' metadata: what the graph shows, not only which call drew it
    assert len(graphs) >= 4 and all("graph" in alt and " node" in alt for alt in graphs), graphs
