"""What a code block's copy button copies: its code as an interactive `python3` accepts it pasted.

The interactive interpreter reads a blank line as the end of an indented block, and waits for
one after a compound statement (`def`, `for`, `with`, ...). So the copy text of every ```python
fence (and of every notebook code cell, see notebook_pages.py) has no blank line inside a
statement, except in a string, and one blank line after each compound statement, the last
included. A `>>>` session copies its statements only, without prompts and output; its fence is
highlighted with Pygments' console lexer (`pycon`), whose prompt and output spans the copy rule
in extra.css hides. The page source keeps `python`, the one info string Sybil collects.

The copy button copies a block's `data-copy` attribute: attr_list cannot hold a multi-line
value, so the Markdown gets a `data-copy-id` that `on_html` swaps for the text. Material trims
the end of what it copies, which would drop the last blank line; javascripts/copy_text.js gives
the button the text as it is.
"""

from __future__ import annotations

import ast
import doctest
import io
import re
import tokenize
from html import escape, unescape

from mkdocs.exceptions import PluginError
from sybil import Document

from page_examples import fences, line_of, shown_spans
from page_state import PageState

# a highlighted Python block whose copy text no fence gave (mkdocstrings renders docstrings' examples so)
_UNMARKED_BLOCK = re.compile(r'(?P<open><div class="language-(?:python|pycon) highlight")(?P<rest>(?![^>]*data-copy)'
                             r'[^>]*><pre>.*?<code>(?P<code>.*?)</code></pre>)', re.S)
_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match)


def on_markdown(markdown: str, page: PageState) -> str:
    """Give every ```python fence a `data-copy-id`; mark sessions as `pycon`."""
    if page.is_notebook:
        return markdown
    document = Document(markdown, page.path)
    shown = shown_spans(document)
    for fence in sorted(fences(document), key=lambda f: f.start, reverse=True):
        source = fence.lexemes["source"]
        if fence.lexemes["info"].strip() != "python" or any(start < fence.start < end for start, end in shown):
            continue
        session = source.lstrip().startswith(">>>")
        copy_id = str(len(page.copies))
        try:
            page.copies[copy_id] = repl_input(source) if session else repl_text(source)
        except SyntaxError as error:
            found = page.text.find(source)  # the markdown MkDocs passes has lost its front matter
            line = line_of(page.text, found) + (error.lineno or 1) - 1
            where = f"{page.path}, line {line}" if found >= 0 else page.path
            raise PluginError(f"{where}: this block's code does not parse, so it cannot be copied: "
                              f"{error.msg}") from None
        info_at = markdown.index("python", fence.start)
        attributes = f'{{ .{"pycon" if session else "python"} data-copy-id="{copy_id}" }}'
        markdown = markdown[:info_at] + attributes + markdown[info_at + len("python"):]
    return markdown


def on_html(html: str, page: PageState) -> str:
    """Replace each `data-copy-id` with the `data-copy` text it stands for; give the Python blocks
    that had no fence in the page (docstring examples on API pages) a `data-copy` from their text."""
    for copy_id, text in page.copies.items():
        html = html.replace(f'data-copy-id="{copy_id}"', f'data-copy="{escape(text, quote=True)}"', 1)
    return _UNMARKED_BLOCK.sub(lambda block: _with_copy_text(block, page), html)


def _with_copy_text(block: re.Match[str], page: PageState) -> str:
    shown = unescape(re.sub(r"<[^>]+>", "", block["code"]))
    try:
        text = repl_input(shown) if shown.lstrip().startswith(">>>") else repl_text(shown)
    except SyntaxError as error:
        raise PluginError(f"{page.path}: a Python block that does not parse, so it cannot be copied: "
                          f"{error.msg}\n{shown}") from None
    return f'{block["open"]} data-copy="{escape(text, quote=True)}"{block["rest"]}'


def repl_input(session: str) -> str:
    """A `>>>` session's statements without prompts or output, as `repl_text` lays them out."""
    return repl_text("".join(example.source for example in doctest.DocTestParser().get_examples(session)))


def repl_text(code: str) -> str:
    """`code` laid out for pasting into an interactive `python3`: it runs as it would as a script.

    Between statements, comments and blank lines stay as written. Within a statement (from its
    first decorator to its last line) blank lines go, except inside a string, where they are
    part of its value; a compound statement is followed by one blank line, which ends it.
    Raises SyntaxError if `code` does not parse.
    """
    statements = ast.parse(code).body  # first: tokenize's errors would not say what is wrong
    lines = code.splitlines()
    in_string = _lines_inside_strings(code)
    out: list[str] = []
    taken = 0  # lines before this one belong to earlier statements
    for statement in statements:
        if statement.lineno <= taken:  # the second of two statements on one line: already there
            continue
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))])
        end = statement.end_lineno or statement.lineno
        between = lines[taken:first - 1]
        if out and out[-1] == "":  # the previous statement's blank line is there already
            between = between[next((i for i, line in enumerate(between) if line.strip()), len(between)):]
        out += between
        out += [line for number, line in enumerate(lines[first - 1:end], start=first)
                if line.strip() or number in in_string]
        if isinstance(statement, _COMPOUND):
            out.append("")
        taken = end
    trailing = "\n".join(lines[taken:]).strip("\n")  # comments after the last statement
    return "\n".join(out) + "\n" + (trailing + "\n" if trailing else "")


def _lines_inside_strings(code: str) -> set[int]:
    """Line numbers (1-based) that continue a string begun on an earlier line.

    From Python 3.12 an f-string (3.14: a t-string too) is several tokens, from its START to its END.
    """
    starts = {getattr(tokenize, name) for name in ("FSTRING_START", "TSTRING_START") if hasattr(tokenize, name)}
    ends = {getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, name)}
    inside: set[int] = set()
    opened: list[int] = []  # first lines of the f-strings being read (they nest)
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        first = token.start[0]
        if token.type in starts:
            opened.append(first)
            continue
        if token.type in ends:
            first = opened.pop()
        elif token.type != tokenize.STRING:
            continue
        inside.update(range(first + 1, token.end[0] + 1))
    return inside
