"""MkDocs hook: dispatches MkDocs' events to one module per feature of the site.

How a page's Markdown becomes HTML (a notebook's HTML comes from mkdocs-jupyter instead):

    page.md -> on_page_markdown: PageState.of(page), then each feature's on_markdown, in FEATURES order
            -> Python-Markdown renders (superfences calls dot_fences back for each ```dot fence)
            -> on_page_content: each feature's on_html, then PageState.fill_placeholders -> page HTML

Placeholders exist because a feature that makes finished HTML while the page is still Markdown
(a live diagram's SVG) cannot leave it there: Python-Markdown would parse the SVG again. It
leaves a token, and the token becomes the HTML once the page is HTML. Every failure stops the
build naming the page (or docstring) and line. docs/contributing.md shows the same flow.
"""

from __future__ import annotations

import logging
from typing import Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

import copy_text
import dot_fences
import lazy_search
import link_lines
import live_diagrams
import mathml
import notebook_pages
import notebook_styles
import run_examples
from page_state import PageState, SiteBuild

log = logging.getLogger("mkdocs.hooks.diagrams")


class Feature(Protocol):
    """A module with one job: it may change a page's Markdown before rendering and its HTML after."""
    def on_markdown(self, markdown: str, page: PageState) -> str: ...
    def on_html(self, html: str, page: PageState) -> str: ...


# one line per feature, in the order they run (copy_text after live_diagrams, which reads fences as written;
# run_examples last, before the placeholders are filled: it reads the live diagrams' ids from them)
FEATURES: tuple[Feature, ...] = (dot_fences, live_diagrams, copy_text, mathml, notebook_pages, run_examples)


BUILD = SiteBuild()
on_files = run_examples.on_files  # MkDocs' files event: the runtime that runs the examples in the browser
on_post_page = notebook_styles.on_post_page  # a written page: a notebook's inline Jupyter CSS becomes a link


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start the build: open the diagram cache, key the notebook cache, name the line of a broken link."""
    BUILD.start(config)
    notebook_styles.start()
    notebook_pages.key_cache(config)
    link_lines.name_lines(config)
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Create the page's state and run every feature's Markdown step."""
    state = BUILD.pages[page.file.src_uri] = PageState.of(page, config, BUILD.cache)
    for feature in FEATURES:
        markdown = feature.on_markdown(markdown, state)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Run every feature's HTML step, then put the placeholders' HTML in place."""
    state = BUILD.pages.pop(page.file.src_uri)
    for feature in FEATURES:
        html = feature.on_html(html, state)
    return state.fill_placeholders(html)


def on_post_build(config: MkDocsConfig) -> None:
    """Write the notebooks' sheet, make search load on first use, say what the Graphviz cache saved."""
    notebook_styles.write(config)
    lazy_search.patch_site(config)
    log.info(f"diagrams: {BUILD.cache.rendered} rendered by Graphviz, {BUILD.cache.reused} from the cache "
             f"in {BUILD.cache.folder}")
