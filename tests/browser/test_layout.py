"""The built site as a laptop (1280 px) and a phone (390 px) show it: legible diagrams, a zoom overlay
that works by mouse and keyboard, typeset math, no sideways scrolling, and no axe violations of
WCAG 2.1 A and AA in either palette.

Every page is visited once per width (`layout_reports`); each test judges one property on every
page as a subtest. Screenshots of the pages with the largest diagrams, at both widths and in both
palettes, with the overlay open, go to test-artifacts/browser/layout/ for people to look at.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser_visit import ARTIFACTS, SCHEMES, SUMMARY, SitePage, slug

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

WIDTHS = {"laptop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
MIN_TEXT_PX = 9.0  # the smallest legible diagram text, in CSS px
PROBE = Path(__file__).with_name("layout_probe.js")
SHOTS = ARTIFACTS.parent / "layout"  # beside browser/, which test_site.py empties at its start
SCREENSHOT_PAGES = 3  # the pages with the largest diagrams are photographed
MAX_PAN_KEYS = 100  # arrow-key presses (60 px each) allowed to bring a diagram's output into the overlay's view
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe files a dialog's missing name and a skipped heading level under "best practice", and target
# size under WCAG 2.2; the issues ask for the first, and Lighthouse's accessibility score counts all three
AXE_EXTRA_RULES = ["aria-dialog-name", "heading-order", "target-size"]
# what changes with the palette; the other rules run once per width, in the light palette (axe takes seconds a run)
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
_SVG_SIZE = re.compile(r'<svg id="diagram-\d+"[^>]*?\bwidth="([\d.]+)pt" height="([\d.]+)pt"')


@dataclass
class LayoutReport:
    """One page at one width."""

    page: SitePage
    width: str  # a key of WIDTHS
    diagrams: list[dict[str, Any]] = field(default_factory=list)  # layout_probe.diagrams() + what the overlay did
    math: dict[str, Any] = field(default_factory=dict)
    sideways: float = 0.0
    axe: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # palette -> violations


def axe_script() -> str:
    """axe-core, as the axe-playwright-python package (test extra) bundles it."""
    package = pytest.importorskip("axe_playwright_python", reason="the accessibility audit needs axe-playwright-python")
    return (importlib.resources.files(package) / "axe.min.js").read_text(encoding="utf-8")


def run_axe(tab: Page, script: str, colours_only: bool = False) -> list[dict[str, Any]]:
    """axe's WCAG 2.1 A and AA rules and AXE_EXTRA_RULES (or only AXE_COLOUR_RULES) on the page as it is.

    Returns each violation with its rule, how many elements fail it, and the first three of them.
    """
    if not tab.evaluate("typeof axe !== 'undefined'"):
        tab.evaluate(script)
    violations: list[dict[str, Any]] = tab.evaluate(
        """([tags, extra, only]) => axe.run(document, {
             runOnly: {type: "rule", values: only || [...axe.getRules(tags).map((rule) => rule.ruleId), ...extra]},
             resultTypes: ["violations"]})
           .then((result) => result.violations.map((v) => ({
             id: v.id, help: v.help, count: v.nodes.length,
             nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n")[1])})))""",
        [AXE_TAGS, AXE_EXTRA_RULES, AXE_COLOUR_RULES if colours_only else None])
    return violations


def try_overlay(tab: Page, diagram: dict[str, Any]) -> dict[str, Any]:
    """Open the diagram's overlay by keyboard and by mouse; what the reader gets each time."""
    index = diagram["index"]
    button = tab.locator(f"[data-layout-open='{index}']")
    drawn = tab.locator(f"article [data-layout-diagram='{index}']")
    found: dict[str, Any] = {}
    # keyboard: Enter on the button opens it, Tab stays inside, Esc closes and gives focus back
    button.focus()
    tab.keyboard.press("Enter")
    found["keyboard"] = tab.evaluate("__layoutProbe.overlay()")
    focus_kept = []
    for _ in range(8):
        tab.keyboard.press("Tab")
        focus_kept.append(tab.evaluate("__layoutProbe.overlay().focusInside"))
    found["focusKept"] = all(focus_kept)
    tab.keyboard.press("Escape")
    found["closedByEscape"] = not tab.evaluate("__layoutProbe.overlay().open")
    found["focusBack"] = tab.evaluate(f"document.activeElement.getAttribute('data-layout-open') === '{index}'")
    # mouse: a click on the drawing opens it; the keys pan it until its far end is in view; the close button closes
    drawn.click()
    found["mouse"] = tab.evaluate("__layoutProbe.overlay()")
    tab.locator(".diagram-zoom__viewport").focus()
    presses = 0
    across, down = tab.evaluate("__layoutProbe.overlay().target")
    while (across or down) and presses < MAX_PAN_KEYS:  # the arrow keys steer towards it, as a reader would
        tab.keyboard.press({-1: "ArrowLeft", 1: "ArrowRight"}[across] if across else {-1: "ArrowUp", 1: "ArrowDown"}[down])
        presses += 1
        across, down = tab.evaluate("__layoutProbe.overlay().target")
    found["panned"] = {"reached": across == down == 0, "presses": presses}
    tab.locator("dialog.diagram-zoom button[data-action='close']").click()
    found["closedByMouse"] = not tab.evaluate("__layoutProbe.overlay().open")
    return found


def visit_at(context: BrowserContext, site_url: str, page: SitePage, width: str, axe: str,
             shots: bool) -> LayoutReport:
    """Load `page` at `width`, measure it, try every overlay, audit both palettes (and photograph if asked)."""
    report = LayoutReport(page, width)
    tab = context.new_page()
    tab.set_viewport_size(WIDTHS[width])
    tab.goto(site_url + page.url, wait_until="load")
    tab.wait_for_function("document.readyState === 'complete' && [...document.images].every((i) => i.complete)"
                          " && __siteProbe.runControlsReady()")
    report.diagrams = tab.evaluate("__layoutProbe.diagrams()")
    for diagram in report.diagrams:
        if diagram["zoomable"]:
            diagram["overlay"] = try_overlay(tab, diagram)
    report.math = tab.evaluate("__layoutProbe.math()")
    report.sideways = tab.evaluate("__layoutProbe.sideways()")
    for palette, scheme in SCHEMES.items():
        tab.evaluate("scheme => __siteProbe.setScheme(scheme)", scheme)
        report.axe[palette] = run_axe(tab, axe, colours_only=palette != "light")
        if shots:
            photograph(tab, page, width, palette, report.diagrams)
    tab.close()
    return report


def photograph(tab: Page, page: SitePage, width: str, palette: str, diagrams: list[dict[str, Any]]) -> None:
    """The page's widest diagram in the window, and the same diagram open in the overlay."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    widest = max(diagrams, key=lambda d: d["width"])
    name = f"{slug(page)}-{width}-{palette}"
    drawn = tab.locator(f"article [data-layout-diagram='{widest['index']}']")
    drawn.scroll_into_view_if_needed()
    tab.screenshot(path=SHOTS / f"{name}.png", animations="disabled")
    if widest["zoomable"]:
        tab.locator(f"[data-layout-open='{widest['index']}']").click()
        tab.screenshot(path=SHOTS / f"{name}-overlay.png", animations="disabled")
        tab.keyboard.press("Escape")


def largest_diagram_pages(pages: list[SitePage]) -> set[str]:
    """URLs of the SCREENSHOT_PAGES pages whose largest inline diagram has the largest drawn area."""
    area = {}
    for page in pages:
        sizes = [float(w) * float(h) for w, h in _SVG_SIZE.findall(page.html.read_text(encoding="utf-8"))]
        if sizes:
            area[page.url] = max(sizes)
    return set(sorted(area, key=area.__getitem__, reverse=True)[:SCREENSHOT_PAGES])


@pytest.fixture(scope="module")
def layout_reports(new_browser_context: Callable[[list[str]], BrowserContext], site_url: str,
                   site_pages: list[SitePage]) -> list[LayoutReport]:
    """Every page at every width, in URL order."""
    axe = axe_script()
    photographed = largest_diagram_pages(site_pages)
    reports = []
    for width in WIDTHS:
        context = new_browser_context([])
        context.add_init_script(path=str(PROBE))
        try:
            reports += [visit_at(context, site_url, page, width, axe, page.url in photographed) for page in site_pages]
        finally:
            context.close()
    write_numbers(reports)
    diagrams = [d for r in reports for d in r.diagrams]
    SUMMARY.append(
        f"layout: {len(site_pages)} pages x {len(WIDTHS)} widths; {len(diagrams)} diagrams, "
        f"{sum('overlay' in d for d in diagrams)} opened in the overlay; "
        f"axe violations: {sum(v['count'] for r in reports for vs in r.axe.values() for v in vs)}")
    return reports


def write_numbers(reports: list[LayoutReport]) -> None:
    """Per page and width: diagrams, smallest text in the page and in the overlay, axe violations (for the issue notes)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    rows = ["page\twidth\tdiagrams\tsmallest text in page (px)\tsmallest text in overlay (px)\taxe violations"]
    for r in reports:
        in_page = [d["smallest"] for d in r.diagrams if d["smallest"] is not None]
        zoomed = [d["overlay"]["mouse"]["smallest"] for d in r.diagrams
                  if "overlay" in d and d["overlay"]["mouse"]["smallest"] is not None]
        rows.append(f"{r.page.name}\t{r.width}\t{len(r.diagrams)}\t{min(in_page, default=float('nan')):.1f}\t"
                    f"{min(zoomed, default=float('nan')):.1f}\t{sum(v['count'] for vs in r.axe.values() for v in vs)}")
    (SHOTS / "numbers.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def each(subtests: Any, reports: list[LayoutReport], check: Callable[[LayoutReport], None]) -> None:
    for report in reports:
        with subtests.test(page=report.page.name, width=report.width):
            check(report)


def legibility_problems(diagram: dict[str, Any]) -> list[str]:
    """Why a diagram is not legible: too small in the page with no overlay, or too small in the overlay."""
    name = f"diagram {diagram['index'] + 1} ({diagram['title'][:50]!r})"
    smallest = diagram["smallest"]
    if smallest is None or smallest >= MIN_TEXT_PX:  # a raster plot has no text to measure
        return []
    if not diagram["zoomable"]:
        return [f"{name}: smallest text {smallest:.1f} px and no Enlarge button"]
    shown = diagram["overlay"]["mouse"]
    if shown["smallest"] is not None and shown["smallest"] < MIN_TEXT_PX:
        return [f"{name}: smallest text {smallest:.1f} px in the page, {shown['smallest']:.1f} px in the overlay"]
    return []


def test_every_diagram_is_legible_in_the_page_or_the_overlay(layout_reports: list[LayoutReport], subtests: Any) -> None:
    def check(report: LayoutReport) -> None:
        problems = [p for d in report.diagrams for p in legibility_problems(d)]
        assert not problems, "\n".join(problems)
        assert all(d["withinColumn"] for d in report.diagrams), "a diagram reaches past the text column"
    each(subtests, layout_reports, check)


def test_the_overlay_opens_and_closes_by_mouse_and_keyboard(layout_reports: list[LayoutReport], subtests: Any) -> None:
    def check(report: LayoutReport) -> None:
        for d in report.diagrams:
            if not d["zoomable"]:
                continue
            o, name = d["overlay"], f"diagram {d['index'] + 1}"
            assert o["keyboard"]["open"] and o["keyboard"]["modal"], f"{name}: Enter on Enlarge opened no modal dialog"
            assert o["keyboard"]["name"].strip(), f"{name}: the overlay has no title"
            assert o["focusKept"], f"{name}: Tab moved focus out of the open overlay"
            assert o["closedByEscape"] and o["focusBack"], f"{name}: Esc did not close it and return focus to Enlarge"
            assert o["mouse"]["open"], f"{name}: a click on the diagram did not open the overlay"
            assert o["closedByMouse"], f"{name}: the close button did not close the overlay"
    each(subtests, layout_reports, check)


def test_a_diagram_s_output_node_can_be_reached(layout_reports: list[LayoutReport], subtests: Any) -> None:
    def check(report: LayoutReport) -> None:
        for d in report.diagrams:
            name = f"diagram {d['index'] + 1} ({d['title'][:50]!r})"
            if d["zoomable"]:
                panned = d["overlay"]["panned"]
                assert panned["reached"], f"{name}: {MAX_PAN_KEYS} arrow keys did not bring its output into the overlay"
            elif d["hasOutput"]:
                assert d["outputVisible"], f"{name}: its output node is outside the window"
    each(subtests, layout_reports, check)


def test_display_math_is_centred_and_delimiters_stretch(layout_reports: list[LayoutReport], subtests: Any) -> None:
    def check(report: LayoutReport) -> None:
        off = [f"{m['text']!r} is {m['offCentre']:.1f} px off centre" for m in report.math["displays"]
               if m["fits"] and abs(m["offCentre"]) > 2]
        assert not off, "\n".join(off)
        short = [f"{m['text']!r}: fences {m['fences']} px around a {m['table']:.0f} px matrix"
                 for m in report.math["matrices"] if any(f < m["table"] for f in m["fences"])]
        assert not short, "delimiters do not stretch:\n" + "\n".join(short)
    each(subtests, layout_reports, check)


def test_the_matrix_test_has_a_matrix(layout_reports: list[LayoutReport]) -> None:
    fenced = [m for r in layout_reports for m in r.math["matrices"] if m["fences"]]
    assert fenced, "no fenced matrix on any page: the delimiter check above checked nothing"


def test_no_page_scrolls_sideways(layout_reports: list[LayoutReport], subtests: Any) -> None:
    def check(report: LayoutReport) -> None:
        assert report.sideways <= 0, f"the page scrolls {report.sideways:.0f} px sideways"
    each(subtests, layout_reports, check)


def test_axe_finds_no_wcag_a_or_aa_violation(layout_reports: list[LayoutReport], subtests: Any) -> None:
    def check(report: LayoutReport) -> None:
        found = [f"{palette}: {v['id']} ({v['count']}x: {v['help']}): " + "; ".join(v["nodes"])
                 for palette, violations in report.axe.items() for v in violations]
        assert not found, "\n".join(found)
    each(subtests, layout_reports, check)


def test_screenshots_of_the_largest_diagrams_are_written(layout_reports: list[LayoutReport]) -> None:
    shots = sorted(path.name for path in SHOTS.glob("*.png"))
    for width in WIDTHS:
        for palette in SCHEMES:
            assert any(f"-{width}-{palette}" in name for name in shots), f"no {width} {palette} screenshot in {SHOTS}"
