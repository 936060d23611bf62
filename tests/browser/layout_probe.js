// In-page measurements for tests/browser/test_layout.py: diagram text sizes in the page and in the
// zoom overlay (docs/javascripts/diagram-zoom.js), display math, sideways scrolling. Installed with
// add_init_script; it only reads the page and returns plain JSON.
window.__layoutProbe = (() => {
  const DIAGRAMS = "article figure.diagram > svg, article .jp-OutputArea-output img";

  /** The smallest rendered height, in CSS px, of an SVG's non-empty text: font size times the scale it is drawn at. */
  function smallestText(svg) {
    let smallest = Infinity;
    for (const text of svg.querySelectorAll("text")) {
      const matrix = text.getScreenCTM();
      if (!matrix || !text.textContent.trim()) continue;
      smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b));
    }
    return smallest;
  }

  /** The same for an <img> of an SVG (a notebook's output): its own text sizes, scaled as the image is shown. */
  function smallestImageText(img, shownWidth) {
    if (!img.src.startsWith("data:image/svg+xml")) return null; // a raster plot: no text to measure
    const [head, data] = [img.src.slice(0, img.src.indexOf(",")), img.src.slice(img.src.indexOf(",") + 1)];
    const text = head.endsWith(";base64") ? atob(data) : decodeURIComponent(data); // the build sends UTF-8 (svg_minify)
    const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    const box = (svg.getAttribute("viewBox") || "").trim().split(/[\s,]+/).map(Number);
    const perUnit = (box.length === 4 ? img.naturalWidth / box[2] : 1) * (shownWidth / img.naturalWidth);
    let smallest = Infinity;
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim()) continue;
      // Graphviz scales its whole drawing with one transform on the top group
      const scaled = text.closest("g[transform*='scale']");
      const factor = scaled ? parseFloat(/scale\(([\d.]+)/.exec(scaled.getAttribute("transform"))[1]) : 1;
      smallest = Math.min(smallest, parseFloat(text.getAttribute("font-size") || "14") * factor * perUnit);
    }
    return smallest;
  }

  function minimum(el) {
    return el instanceof HTMLImageElement ? smallestImageText(el, el.getBoundingClientRect().width) : smallestText(el);
  }

  /** The output node of a draw_dot graph: the Value named last in its topological order (v0, v1, ... vN). */
  function outputNode(svg) {
    let best = null;
    let highest = -1;
    for (const node of svg.querySelectorAll("g.node")) {
      const match = /^v(\d+)$/.exec((node.querySelector("title") || {}).textContent || "");
      if (match && Number(match[1]) > highest) [best, highest] = [node, Number(match[1])];
    }
    return best;
  }

  /** Which way `inner` lies outside `outer`: [-1, 0 or 1 horizontally, the same vertically]; [0, 0] when inside. */
  function direction(inner, outer) {
    const a = inner.getBoundingClientRect();
    const b = outer.getBoundingClientRect();
    const along = (lo, hi, min, max) => (lo < min - 1 ? -1 : hi > max + 1 ? 1 : 0);
    return [along(a.left, a.right, b.left, b.right), along(a.top, a.bottom, b.top, b.bottom)];
  }

  /** Every diagram as the page shows it, tagged data-layout-diagram=N for the Python side. */
  function diagrams() {
    return [...document.querySelectorAll(DIAGRAMS)].map((el, index) => {
      el.setAttribute("data-layout-diagram", String(index));
      const holder = el.closest("figure") || el.parentElement;
      const button = holder.querySelector(":scope > .diagram-zoom__open");
      const rect = el.getBoundingClientRect();
      const output = el instanceof SVGElement ? outputNode(el) : null;
      if (button) button.setAttribute("data-layout-open", String(index));
      return {
        index,
        title: el.getAttribute("aria-label") || el.getAttribute("alt") || "",
        kind: el instanceof SVGElement ? "svg" : "img",
        width: rect.width,
        smallest: minimum(el),
        zoomable: Boolean(button) && button.checkVisibility(),
        hasOutput: Boolean(output),
        // shown whole: inside the article's column, nothing cut off at either side of the window
        outputVisible: output ? output.getBoundingClientRect().right <= innerWidth + 1 && output.getBoundingClientRect().left >= -1 : null,
        withinColumn: rect.right <= document.querySelector("article").getBoundingClientRect().right + 1,
      };
    });
  }

  /** The open overlay: its smallest text, whether focus is inside, and whether the output node is in view. */
  function overlay() {
    const dialog = document.querySelector("dialog.diagram-zoom");
    if (!dialog || !dialog.open) return { open: false };
    const viewport = dialog.querySelector(".diagram-zoom__viewport");
    const shown = dialog.querySelector(".diagram-zoom__stage > *");
    const output = shown instanceof SVGElement ? outputNode(shown) : null;
    const stage = shown.getBoundingClientRect();
    const view = viewport.getBoundingClientRect();
    // where the output node (or, with none, the drawing's bottom right corner) is, seen from the viewport
    const corner = { getBoundingClientRect: () => new DOMRect(stage.right - 1, stage.bottom - 1, 1, 1) };
    return {
      open: true,
      modal: dialog.matches(":modal"),
      name: (document.getElementById(dialog.getAttribute("aria-labelledby")) || {}).textContent || "",
      smallest: shown instanceof HTMLImageElement ? smallestImageText(shown, stage.width) : smallestText(shown),
      focusInside: dialog.contains(document.activeElement),
      target: direction(output || corner, viewport),
    };
  }

  /** Display formulas: how far the formula's centre is from its box's centre; matrices: fence and table heights. */
  function math() {
    const displays = [...document.querySelectorAll("article math[display='block']")].map((m) => {
      const box = m.getBoundingClientRect();
      const content = [...m.children].reduce((r, c) => {
        const b = c.getBoundingClientRect();
        return { left: Math.min(r.left, b.left), right: Math.max(r.right, b.right) };
      }, { left: Infinity, right: -Infinity });
      const fits = m.scrollWidth <= m.clientWidth + 1;
      return { text: m.textContent.trim().slice(0, 50), fits, offCentre: (content.left + content.right) / 2 - (box.left + box.right) / 2 };
    });
    const matrices = [...document.querySelectorAll("article mtable")].map((table) => {
      const fences = [table.previousElementSibling, table.nextElementSibling].filter((f) => f && f.tagName === "mo");
      return {
        text: table.closest("math").textContent.trim().slice(0, 50),
        table: table.getBoundingClientRect().height,
        fences: fences.map((f) => f.getBoundingClientRect().height),
      };
    });
    return { displays, matrices };
  }

  /** How far the page scrolls sideways (0: not at all). */
  function sideways() {
    return document.documentElement.scrollWidth - document.documentElement.clientWidth;
  }

  return { diagrams, overlay, math, sideways };
})();
