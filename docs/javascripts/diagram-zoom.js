// Diagrams fit the column; one shown smaller than drawn gets an "Enlarge" button (and opens on a
// click or tap) that shows it at full size in an overlay, panned and zoomed with mouse, touch or keys.
// The overlay is a modal <dialog>: the page behind it is inert (focus stays inside) and Esc closes it.
// Styles: docs/stylesheets/diagrams.css. No library: pointer events cover mouse, pen and touch alike.
(() => {
  // inline SVG drawn by the build (docs/_hooks/svg_diagrams.py), and a notebook's image outputs
  const DIAGRAMS = "article figure.diagram > svg, article .jp-OutputArea-output img";
  const STEP = 1.25; // one zoom step (button, key, wheel notch)
  const PAN = 60; // px per arrow key press; Shift pans a viewport at a time
  const MARGIN = 48; // px of the diagram that stays in view however far it is dragged
  let overlay = null; // the one <dialog>, made on first use

  /** The size the diagram was drawn at, in CSS px (Graphviz and matplotlib give width/height in pt). */
  function drawnSize(el) {
    if (el instanceof HTMLImageElement) return { width: el.naturalWidth, height: el.naturalHeight };
    return { width: el.width.baseVal.value, height: el.height.baseVal.value };
  }

  function title(el) {
    return el.getAttribute("aria-label") || el.getAttribute("alt") || "Diagram";
  }

  /** Whether the column shows the diagram smaller than drawn (a read of the page's layout). */
  function shrunk(el) {
    return el.getBoundingClientRect().width < drawnSize(el).width - 1;
  }

  /** A button on every diagram the column shows smaller than drawn; hidden again when it fits. */
  function mark(el, small) {
    const holder = el.closest("figure") || el.parentElement;
    let button = holder.querySelector(":scope > .diagram-zoom__open");
    holder.classList.add("diagram-zoom__holder");
    holder.classList.toggle("diagram-zoomable", small);
    if (!small || button) return;
    button = document.createElement("button");
    button.type = "button";
    button.className = "diagram-zoom__open";
    button.innerHTML = '<span aria-hidden="true">⤢</span> Enlarge';
    if (el.id) button.setAttribute("aria-describedby", el.id); // the diagram's title says which one
    button.addEventListener("click", () => open(el, button));
    holder.append(button);
    el.addEventListener("click", () => holder.classList.contains("diagram-zoomable") && open(el, button));
  }

  /** A copy of the diagram for the overlay, its ids renamed so that none is on the page twice. */
  function copyOf(el) {
    if (el instanceof HTMLImageElement) {
      const img = el.cloneNode();
      img.style.filter = getComputedStyle(el).filter; // the dark palette inverts a notebook's black-on-white graph
      return img;
    }
    const holder = document.createElement("div");
    // the build prefixes every id (and every reference to one) with the svg's own id
    holder.innerHTML = el.outerHTML.split(el.id).join(`${el.id}-zoom`);
    return holder.firstElementChild;
  }

  function build() {
    const dialog = document.createElement("dialog");
    dialog.className = "diagram-zoom";
    dialog.setAttribute("aria-labelledby", "diagram-zoom-title");
    dialog.setAttribute("aria-describedby", "diagram-zoom-help");
    dialog.innerHTML = `
      <div class="diagram-zoom__bar">
        <h2 class="diagram-zoom__title" id="diagram-zoom-title"></h2>
        <button type="button" data-action="out" aria-label="Zoom out">−</button>
        <button type="button" data-action="in" aria-label="Zoom in">+</button>
        <button type="button" data-action="actual" aria-label="Actual size">1:1</button>
        <button type="button" data-action="fit" aria-label="Fit to the window">Fit</button>
        <button type="button" data-action="close" aria-label="Close">✕</button>
      </div>
      <div class="diagram-zoom__viewport" tabindex="0" aria-label="Diagram at full size">
        <div class="diagram-zoom__stage"></div>
      </div>
      <p class="diagram-zoom__help" id="diagram-zoom-help">Drag, or use the arrow keys, to move;
        wheel, pinch, + and − to zoom; 0 for actual size; Esc to close.</p>`;
    document.body.append(dialog);
    const viewport = dialog.querySelector(".diagram-zoom__viewport");
    const stage = dialog.querySelector(".diagram-zoom__stage");
    const view = { x: 0, y: 0, scale: 1, width: 0, height: 0, opener: null };

    function apply() {
      const box = viewport.getBoundingClientRect();
      const w = view.width * view.scale;
      const h = view.height * view.scale;
      // keep at least MARGIN px of the diagram in the viewport: it can never be lost off-screen
      view.x = Math.min(Math.max(view.x, MARGIN - w), box.width - MARGIN);
      view.y = Math.min(Math.max(view.y, MARGIN - h), box.height - MARGIN);
      stage.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
      dialog.dataset.scale = view.scale.toFixed(3);
    }

    /** Zoom by `factor` keeping the point (px, py) of the viewport where it is. */
    function zoom(factor, px, py) {
      const box = viewport.getBoundingClientRect();
      const cx = px ?? box.width / 2;
      const cy = py ?? box.height / 2;
      const scale = Math.min(Math.max(view.scale * factor, 0.1), 8);
      view.x = cx - ((cx - view.x) * scale) / view.scale;
      view.y = cy - ((cy - view.y) * scale) / view.scale;
      view.scale = scale;
      apply();
    }

    /** At `scale`, centred along an axis where the diagram fits, from its start where it does not. */
    function place(scale) {
      const box = viewport.getBoundingClientRect();
      view.scale = scale;
      const w = view.width * scale;
      const h = view.height * scale;
      view.x = w <= box.width ? (box.width - w) / 2 : 0;
      view.y = h <= box.height ? (box.height - h) / 2 : 0;
      apply();
    }

    function fitScale() {
      const box = viewport.getBoundingClientRect();
      return Math.min(box.width / view.width, box.height / view.height);
    }

    dialog.querySelector(".diagram-zoom__bar").addEventListener("click", (event) => {
      const action = event.target.closest("button")?.dataset.action;
      if (action === "in") zoom(STEP);
      else if (action === "out") zoom(1 / STEP);
      else if (action === "actual") place(1);
      else if (action === "fit") place(fitScale());
      else if (action === "close") dialog.close();
    });

    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Tab") {
        // a modal dialog makes the page inert, but Tab past its last control would leave the page
        // for the browser's own toolbar: wrap around instead, so focus stays in the overlay
        const stops = [...dialog.querySelectorAll("button, [tabindex='0']")];
        const [first, last] = [stops[0], stops[stops.length - 1]];
        if (!event.shiftKey && document.activeElement === last) first.focus();
        else if (event.shiftKey && document.activeElement === first) last.focus();
        else return;
        event.preventDefault();
        return;
      }
      if (event.target.closest("button") && (event.key === "Enter" || event.key === " ")) return;
      const box = viewport.getBoundingClientRect();
      const step = event.shiftKey ? Math.max(box.width, box.height) * 0.8 : PAN;
      const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (event.key in moves) {
        view.x += moves[event.key][0];
        view.y += moves[event.key][1];
        apply();
      } else if (event.key === "+" || event.key === "=") zoom(STEP);
      else if (event.key === "-" || event.key === "_") zoom(1 / STEP);
      else if (event.key === "0") place(1);
      else return;
      event.preventDefault();
    });

    viewport.addEventListener("wheel", (event) => {
      event.preventDefault();
      const box = viewport.getBoundingClientRect();
      zoom(Math.exp(-event.deltaY * 0.002), event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    // one pointer drags; two pinch (zoom about their midpoint) and drag together
    const pointers = new Map();
    let last = null; // {x, y, distance} of the previous move
    function gesture() {
      const points = [...pointers.values()];
      const x = points.reduce((sum, p) => sum + p.x, 0) / points.length;
      const y = points.reduce((sum, p) => sum + p.y, 0) / points.length;
      const distance = points.length > 1 ? Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y) : 0;
      return { x, y, distance };
    }
    viewport.addEventListener("pointerdown", (event) => {
      viewport.setPointerCapture(event.pointerId);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      last = gesture();
      viewport.classList.add("is-dragging");
    });
    viewport.addEventListener("pointermove", (event) => {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      const now = gesture();
      view.x += now.x - last.x;
      view.y += now.y - last.y;
      if (now.distance && last.distance) {
        const box = viewport.getBoundingClientRect();
        zoom(now.distance / last.distance, now.x - box.left, now.y - box.top);
      } else apply();
      last = now;
    });
    const release = (event) => {
      pointers.delete(event.pointerId);
      last = pointers.size ? gesture() : null;
      if (!pointers.size) viewport.classList.remove("is-dragging");
    };
    viewport.addEventListener("pointerup", release);
    viewport.addEventListener("pointercancel", release);

    // a click on the backdrop (outside the dialog's box) closes it, as Esc does
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", () => {
      stage.replaceChildren();
      document.documentElement.classList.remove("diagram-zoom-open");
      view.opener?.focus();
    });

    return {
      show(el, opener) {
        const size = drawnSize(el);
        const copy = copyOf(el);
        copy.style.width = `${size.width}px`;
        copy.style.height = `${size.height}px`;
        stage.replaceChildren(copy);
        dialog.querySelector("#diagram-zoom-title").textContent = title(el);
        Object.assign(view, { width: size.width, height: size.height, opener });
        document.documentElement.classList.add("diagram-zoom-open");
        dialog.showModal();
        place(1);
        viewport.focus();
      },
    };
  }

  function open(el, opener) {
    overlay = overlay || build();
    overlay.show(el, opener);
  }

  function init() {
    const diagrams = [...document.querySelectorAll(DIAGRAMS)];
    const check = () => {
      const ready = [];
      for (const el of diagrams) {
        if (el instanceof HTMLImageElement && !el.complete) el.addEventListener("load", () => mark(el, shrunk(el)), { once: true });
        else ready.push(el);
      }
      // every width is read before any button is added: a read after a change to the page would
      // make the browser lay it out again, once per diagram
      const small = ready.map(shrunk);
      ready.forEach((el, k) => mark(el, small[k]));
    };
    check();
    if (diagrams.length) new ResizeObserver(check).observe(document.querySelector("article") || document.body);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
