"""What a code block's copy button copies: the statements of a `>>>` session, as the REPL wants them.

A ```python fence that holds a session is highlighted with Pygments' console lexer (`pycon`),
which marks prompts (`.gp`) and output (`.go`); the copy button copies a block's `data-copy`
attribute when it has one. The page source keeps `python`, the one info string Sybil collects.
"""

from __future__ import annotations

import doctest
from html import escape

from sybil import Document

from page_examples import fences, shown_spans
from page_state import PageState


def on_markdown(markdown: str, page: PageState) -> str:
    """Mark each session fence as `pycon` with a `data-copy-id` that `on_html` turns into its copy text."""
    if page.is_notebook:
        return markdown
    document = Document(markdown, page.path)
    shown = shown_spans(document)
    for fence in sorted(fences(document), key=lambda f: f.start, reverse=True):
        session = fence.lexemes["source"]
        if fence.lexemes["info"].strip() != "python" or not session.lstrip().startswith(">>>"):
            continue
        if any(start < fence.start < end for start, end in shown):
            continue
        copy_id = str(len(page.copies))
        page.copies[copy_id] = repl_input(session)
        info_at = markdown.index("python", fence.start)
        # attr_list cannot hold a multi-line value: the id is swapped for the text in the HTML
        attributes = f'{{ .pycon data-copy-id="{copy_id}" }}'
        markdown = markdown[:info_at] + attributes + markdown[info_at + len("python"):]
    return markdown


def on_html(html: str, page: PageState) -> str:
    """Replace each `data-copy-id` with the `data-copy` text it stands for."""
    for copy_id, text in page.copies.items():
        html = html.replace(f'data-copy-id="{copy_id}"', f'data-copy="{escape(text, quote=True)}"', 1)
    return html


def repl_input(session: str) -> str:
    """A `>>>` session's statements without prompts or output, each multi-line one followed by the
    blank line that ends a block in the interactive interpreter: pasted into `python`, it runs."""
    statements = (example.source for example in doctest.DocTestParser().get_examples(session))
    return "".join(s + "\n" if s.count("\n") > 1 else s for s in statements).rstrip("\n")
