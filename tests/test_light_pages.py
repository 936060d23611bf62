"""Light pages: the notebooks' shared purged sheet, search loaded on first use, a first-visit budget
(minified SVG: test_svg_minify.py)."""

from __future__ import annotations

import glob
import gzip
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import lazy_search
from notebook_styles import SHEET, purge
from page_weight import LAZY_SEARCH_MARK, first_visit, site_pages

BUDGET = 120_000  # bytes of gzip a first visit to any page may fetch, shared files included (issue 15)


def test_purge_keeps_the_rules_a_page_can_apply_and_drops_the_rest() -> None:
    css = (".used{color:red}.unused{color:blue}.used .unused{margin:0}.used,.gone{padding:1px}"
           "#here{top:0}#there{top:1px}.used:not(.gone)[data-x=\"1\"]::before{content:\"a  b\"}"
           "@media (max-width: 10px){.unused{color:red}.used{width:1px}}@media print{.gone{color:red}}"
           "@font-face{font-family:X;src:url(x.woff2)}")
    kept = purge(css, classes={"used"}, ids={"here"})
    assert kept.splitlines() == [
        ".used{color:red}", ".used{padding:1px}", "#here{top:0}",
        '.used:not(.gone)[data-x="1"]::before{content:"a  b"}',  # :not's argument and strings untouched
        "@media (max-width: 10px){.used{width:1px}}", "@font-face{font-family:X;src:url(x.woff2)}"]


def test_purge_keeps_only_custom_properties_something_reads() -> None:
    css = (".w{--a:1px;--b:var(--c);--c:2px;--d:3px;--e:var(--d);--f:4px;margin:var(--b) !important}"
           ".w{--g:5px}.gone{padding:var(--a)}")
    kept = purge(css, classes={"w"}, ids=set(), variables={"--f"})
    # --b read by margin, --c through --b, --f by the page itself; --a only by a dropped rule
    assert kept.splitlines() == [".w{--b:var(--c);--c:2px;--f:4px;margin:var(--b) !important}"]


def test_purge_names_css_that_does_not_parse() -> None:
    with pytest.raises(PluginError, match="notebook CSS does not parse"):
        purge(".a{color:red}}", classes={"a"}, ids=set())


# the shape of Material 9's search set-up and highlight, as its minifier writes them (names vary by release)
BUNDLE = ('function Ei(e,t){let r=Mn(e);return L($(location.protocol!=="file:"),Je("search")).pipe(Re(o=>o),'
          'b(()=>t)).subscribe(x=>r.next(x)),r}function Ai(e,{index$:t,location$:r}){return z([t,r]).pipe()}'
          'var zi=document.forms.namedItem("search")?ks():tt,fo=1;\n//# sourceMappingURL=bundle.min.js.map\n')


def test_lazy_search_waits_for_the_first_opening_and_makes_the_worker_on_first_use() -> None:
    code = lazy_search.lazy(BUNDLE)
    assert 'let r=Mn(e,new(class extends EventTarget{postMessage(m){if(!this.w){this.w=new Worker(e);' in code
    assert 'return Je("search").pipe(Re((d=>o=>o&&!d&&(d=!0))(!1)),b(()=>t))' in code
    assert "location.protocol" not in code
    assert 'return z([(new URL(location.href).searchParams.get("h")?t:tt),r])' in code
    # the mark sits below the code, above the source map's comment, which stays last
    assert code.endswith(f"\n{LAZY_SEARCH_MARK}\n//# sourceMappingURL=bundle.min.js.map\n")


@pytest.mark.parametrize("broken", [BUNDLE.replace("Re(o=>o)", "Re(o=>!o)"), BUNDLE.replace("location$", "href$"),
                                    BUNDLE + BUNDLE])
def test_lazy_search_stops_the_build_on_a_bundle_of_unknown_shape(broken: str) -> None:
    with pytest.raises(PluginError, match="lazy_search: Material's bundle"):
        lazy_search.lazy(broken)


def test_the_installed_material_bundle_has_the_known_shape() -> None:
    import material

    bundles = glob.glob(str(Path(material.__file__).parent / "templates/assets/javascripts/bundle.*.min.js"))
    assert len(bundles) == 1
    assert LAZY_SEARCH_MARK in lazy_search.lazy(Path(bundles[0]).read_text(encoding="utf-8"))


def test_first_visit_counts_the_page_its_loads_their_loads_and_an_eager_search(tmp_path: Path) -> None:
    (tmp_path / "assets/javascripts/workers").mkdir(parents=True)
    (tmp_path / "search").mkdir()
    (tmp_path / "page").mkdir()
    files = {
        "page/index.html": '<link rel="stylesheet" href="../a.css"><link rel="next" href="../b/">'
                           '<script src="../assets/javascripts/bundle.0a1b.min.js"></script>'
                           '<img src="data:image/png;base64,AAAA"><img src="../x.png">',
        "a.css": "@font-face{src:url(font.woff2)}", "font.woff2": "F" * 500, "x.png": "P" * 100,
        "assets/javascripts/bundle.0a1b.min.js": "code", "assets/javascripts/workers/search.1234.min.js": "w",
        "search/search_index.json": "{}", "unused.css": "never loaded",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    weights = first_visit(tmp_path, tmp_path / "page/index.html")
    expected = ["page/index.html", "a.css", "assets/javascripts/bundle.0a1b.min.js", "x.png", "font.woff2",
                "assets/javascripts/workers/search.1234.min.js", "search/search_index.json"]
    assert list(weights) == expected
    assert weights["font.woff2"] == len(gzip.compress(b"F" * 500, 6))
    (tmp_path / "assets/javascripts/bundle.0a1b.min.js").write_text("code\n" + LAZY_SEARCH_MARK)
    assert list(first_visit(tmp_path, tmp_path / "page/index.html")) == expected[:5]


def test_the_math_font_counts_only_for_pages_with_math(tmp_path: Path) -> None:
    (tmp_path / "assets/fonts").mkdir(parents=True)
    (tmp_path / "math.css").write_text("@font-face{src:url(assets/fonts/noto-sans-math.woff2)}")
    (tmp_path / "assets/fonts/noto-sans-math.woff2").write_text("M" * 300)
    (tmp_path / "plain.html").write_text('<link rel="stylesheet" href="math.css"><p>no formula</p>')
    (tmp_path / "formula.html").write_text('<link rel="stylesheet" href="math.css"><math><mi>x</mi></math>')
    assert list(first_visit(tmp_path, tmp_path / "plain.html")) == ["plain.html", "math.css"]
    assert list(first_visit(tmp_path, tmp_path / "formula.html")) == [
        "formula.html", "math.css", "assets/fonts/noto-sans-math.woff2"]


def test_notebook_pages_link_the_shared_sheet_instead_of_inlining_jupyters_css(built_site: Path) -> None:
    notebooks = sorted(built_site.glob("notebooks/*/index.html"))
    assert len(notebooks) == 2
    for page in notebooks:
        text = page.read_text(encoding="utf-8")
        styles = re.findall(r"<style[^>]*>(.*?)</style>", text, re.S)
        assert not [css[:80] for css in styles if "jp-" in css or "jupyter" in css], page
        assert f'href="../../{SHEET}"' in text, page
    sheet = (built_site / SHEET).read_text(encoding="utf-8")
    assert ".jp-OutputArea" in sheet and "--md-red-50" not in sheet  # purged, not emptied
    assert len(sheet) < 60_000


def test_every_page_first_visit_is_within_the_budget(built_site: Path) -> None:
    weights = {page.relative_to(built_site).as_posix(): sum(first_visit(built_site, page).values())
               for page in site_pages(built_site)}
    assert len(weights) > 30
    over = {page: total for page, total in weights.items() if total > BUDGET}
    assert not over, f"first visit over {BUDGET} bytes gzip: {over}"


def test_the_search_dialog_gets_a_name_once() -> None:
    page = '<div class="md-search" data-md-component="search" role="dialog"><input></div>'
    assert lazy_search.name_dialog(page) == (
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search"><input></div>')
    assert lazy_search.name_dialog("<p>no search</p>") == "<p>no search</p>"
