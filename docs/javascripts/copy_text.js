// The copy button of a code block with a data-copy attribute copies that text exactly as the
// build wrote it (docs/_hooks/copy_text.py). Material copies it too, but trims its end, and the
// blank line that ends a paste's last `for` or `def` in an interactive python3 would be lost.
// Material's clipboard handler prefers a button's data-clipboard-text, so it is set on the
// button, in the capture phase, before that handler sees the click.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest(".md-code__button[data-md-type='copy']") : null;
  const block = button ? button.closest("[data-copy]") : null;
  if (block) button.setAttribute("data-clipboard-text", block.getAttribute("data-copy"));
}, true);
