// In-page helpers for tests/browser: installed into every page with add_init_script, called by
// conftest.py through page.evaluate("__siteProbe.<name>(...)"). They only read the page (reveal()
// opens what a reader would open), and return plain JSON for the Python side to judge.
window.__siteProbe = (() => {
  const CONTENT = "article.md-content__inner";
  // Python examples: Material code blocks of ```python fences (pycon: the hook's doctest sessions)
  // and mkdocs-jupyter's notebook code cells, each with its own copy button.
  const FENCE_BLOCKS = ".highlight:is(.language-python, .language-pycon):not(.doc-signature)";
  // mkdocs-jupyter nests a code cell's div in another with the same classes: take the inner one
  const NOTEBOOK_CELLS = ".jp-CodeCell:not(:has(.jp-CodeCell))";

  const content = () => document.querySelector(CONTENT);

  /** The tab block's index among its siblings says which radio input of the tab set shows it. */
  function tabIsSelected(block) {
    const index = Array.prototype.indexOf.call(block.parentElement.children, block);
    const inputs = block.closest(".tabbed-set").querySelectorAll(":scope > input");
    return Boolean(inputs[index] && inputs[index].checked);
  }

  /** In the open page flow: not inside a closed <details> (outside its summary) or an unselected tab. */
  function inOpenFlow(el) {
    for (let node = el.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open && !el.closest("summary")) return false;
      if (node.classList.contains("tabbed-block") && !tabIsSelected(node)) return false;
    }
    return true;
  }

  /** What a reader does to see an element: open the <details> and select the tabs around it. */
  function reveal(el) {
    for (let node = el.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
      if (node.classList.contains("tabbed-block") && !tabIsSelected(node)) {
        const index = Array.prototype.indexOf.call(node.parentElement.children, node);
        node.closest(".tabbed-set").querySelectorAll(":scope > input")[index].click();
      }
    }
  }

  function size(el) {
    const r = el.getBoundingClientRect();
    return { width: r.width, height: r.height };
  }

  /** The hook's diagrams: <figure class="diagram"> holding an inline <svg>. */
  function diagrams() {
    return [...content().querySelectorAll("figure.diagram")].map((figure, index) => {
      const svg = figure.querySelector(":scope > svg, svg");
      return {
        index,
        id: svg ? svg.id : null,
        title: svg ? svg.getAttribute("aria-label") || (svg.querySelector("title") || {}).textContent || "" : "",
        open: inOpenFlow(figure),
        hasSvg: Boolean(svg),
        visible: Boolean(svg) && svg.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
        texts: svg ? svg.querySelectorAll("text").length : 0,
        ...size(svg || figure),
      };
    });
  }

  /** MathML elements, and those in the open flow that have no size. */
  function math() {
    const all = [...content().querySelectorAll("math")];
    const collapsed = all.filter(inOpenFlow).filter((m) => {
      const { width, height } = size(m);
      return !(width > 0 && height > 0);
    });
    return { count: all.length, collapsed: collapsed.map((m) => m.textContent.trim().slice(0, 60)) };
  }

  /** The text a reader reads as prose: code, diagrams and MathML are left out. */
  function prose() {
    const skip = "pre, code, kbd, samp, script, style, svg, math, textarea, .highlight";
    const walker = document.createTreeWalker(content(), NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const parts = [];
    while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
    return parts.join("");
  }

  function alpha(colour) {
    const m = /rgba\([^)]*,\s*([\d.]+)\)/.exec(colour);
    return m ? parseFloat(m[1]) : colour === "transparent" ? 0 : 1;
  }

  /** The background colour behind an HTML element: the first ancestor that paints one. */
  function htmlBackground(el) {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (alpha(colour) > 0) return colour;
    }
    return getComputedStyle(document.documentElement).backgroundColor || "rgb(255, 255, 255)";
  }

  /** A shape's painted fill colour, or null when it paints none. */
  function paintedFill(shape) {
    const style = getComputedStyle(shape);
    if (style.fill === "none" || style.fill.startsWith("url(") || style.visibility === "hidden") return null;
    if (parseFloat(style.fillOpacity) === 0 || parseFloat(style.opacity) === 0 || alpha(style.fill) === 0) return null;
    return style.fill;
  }

  /** What a text element is drawn on: the topmost earlier shape whose fill covers its centre, else the page. */
  function backdrop(text, svg) {
    const r = text.getBoundingClientRect();
    const centre = new DOMPoint(r.left + r.width / 2, r.top + r.height / 2);
    for (let node = text; node && node !== svg; node = node.parentElement) {
      for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        // painter's order: later shapes are drawn on top, so look at them first
        for (const shape of [sibling, ...sibling.querySelectorAll("*")].reverse()) {
          if (!(shape instanceof SVGGeometryElement)) continue;
          const fill = paintedFill(shape);
          if (fill === null) continue;
          const local = centre.matrixTransform(shape.getScreenCTM().inverse());
          if (shape.isPointInFill(local)) return { colour: fill, shape: true };
        }
      }
    }
    return { colour: htmlBackground(svg.parentElement), shape: false };
  }

  /** Colours of every diagram in the open flow: text fill on its backdrop, graph strokes on the page. */
  function diagramColours(limit) {
    return [...content().querySelectorAll("figure.diagram")]
      .filter(inOpenFlow)
      .map((figure, index) => {
        const svg = figure.querySelector("svg");
        if (!svg) return { index, id: null, texts: [], strokes: [] };
        const page = htmlBackground(figure);
        const texts = [...svg.querySelectorAll("text")].slice(0, limit).map((text) => ({
          text: text.textContent.trim().slice(0, 40),
          fill: getComputedStyle(text).fill,
          backdrop: backdrop(text, svg),
        }));
        // Graphviz's edges and node outlines carry the graph's structure; a plot's grid lines and
        // data series are styled on purpose, and their labels are checked as text above
        const strokes = [...svg.querySelectorAll("g.node *, g.edge *")]
          .filter((shape) => shape instanceof SVGGeometryElement)
          .map((shape) => ({ shape, style: getComputedStyle(shape) }))
          .filter(({ style }) => style.stroke !== "none" && alpha(style.stroke) > 0
            && parseFloat(style.strokeOpacity) > 0 && parseFloat(style.strokeWidth) > 0)
          .slice(0, limit)
          .map(({ shape, style }) => ({ element: shape.tagName, stroke: style.stroke, page }));
        return { index, id: svg.id, page, texts, strokes };
      });
  }

  /** Material's palette switch: the scheme lives on <body data-md-color-scheme>. */
  function setScheme(scheme) {
    // Material fades colours in; read (and photograph) the palette's final colours, not a blend
    if (!document.getElementById("browser-test-no-transitions")) {
      const style = document.createElement("style");
      style.id = "browser-test-no-transitions";
      style.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
      document.head.append(style);
    }
    document.body.setAttribute("data-md-color-scheme", scheme);
    return getComputedStyle(document.body).backgroundColor;
  }

  /** Every Python example with a copy button, tagged data-browser-test-block=N for the clicker. */
  function pythonBlocks() {
    const fenceBlocks = [...content().querySelectorAll(FENCE_BLOCKS)].map((block) => {
      const code = block.querySelector("pre > code");
      return {
        block,
        kind: "fence",
        language: [...block.classList].find((c) => c.startsWith("language-")).slice("language-".length),
        displayed: code ? code.textContent : "",
        button: block.querySelector("button.md-code__button[data-md-type='copy']"),
      };
    });
    const cells = [...content().querySelectorAll(NOTEBOOK_CELLS)]
      .filter((cell) => cell.querySelector(".jp-InputArea pre"))
      .map((cell) => ({
        block: cell,
        kind: "cell",
        language: "python",
        displayed: cell.querySelector(".jp-InputArea pre").textContent,
        button: cell.querySelector("clipboard-copy"),
      }));
    return [...fenceBlocks, ...cells].map(({ block, kind, language, displayed, button }, index) => {
      block.setAttribute("data-browser-test-block", String(index));
      if (button) button.setAttribute("data-browser-test-copy", String(index));
      return { index, kind, language, displayed, hasButton: Boolean(button) };
    });
  }

  /** True once Material has put a copy button on every code block it mounts (it does so after load). */
  function copyButtonsReady() {
    return [...content().querySelectorAll("pre:not(.mermaid) > code")]
      .filter((code) => !code.closest(".no-copy"))
      .every((code) => code.parentElement.querySelector(":scope > nav.md-code__nav"));
  }

  /** The Run controls are in place (docs/_hooks/run_in_page/controls.js says so), on a page that has them. */
  function runControlsReady() {
    return !document.getElementById("run-page") || document.documentElement.dataset.runControls === "ready";
  }

  return { copyButtonsReady, diagramColours, diagrams, math, prose, pythonBlocks, reveal, runControlsReady, setScheme };
})();
