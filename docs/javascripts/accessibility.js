// Keyboard access to boxes that scroll, which the theme's markup leaves out (axe: scrollable-region-focusable).
(() => {
  // a box that scrolls sideways (a long formula, a notebook's code or output) must be reachable
  // by keyboard to be scrolled: it joins the tab order, named after what it holds
  const SCROLLERS = "article :is(math[display='block'], .md-typeset__scrollwrap, .tabbed-labels, .jp-Cell pre, "
    + ".jp-OutputArea-output)";

  function focusableScrollers() {
    // all the boxes' widths are read before any is changed: a read after a change would make the
    // browser recompute the page's style and layout, once per box
    const boxes = [...document.querySelectorAll(SCROLLERS)];
    const scrolls = boxes.map((box) => box.scrollWidth > box.clientWidth + 1);
    boxes.forEach((box, k) => {
      if (scrolls[k] && !box.hasAttribute("tabindex") && !box.querySelector("a, button, [tabindex]")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollFocus = "";
      } else if (!scrolls[k] && "scrollFocus" in box.dataset) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    });
  }

  function init() {
    focusableScrollers();
    new ResizeObserver(focusableScrollers).observe(document.body);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
