"""The OpenType MATH font the site's MathML is set in, served by the site itself.

Chromium lays out MathML with the font's MATH table: without one, delimiters do not stretch to
their content and display-style sums stay text-sized. Noto Sans Math (SIL Open Font License)
comes from the npm package `@fontsource/noto-sans-math`, pinned in package.json and installed at
build time (docs/_hooks/node_packages.py), never committed. The whole font is 270 KB; after the
build, `on_post_build` replaces the site's copy with a subset of the characters the built pages'
MathML uses (about 14 KB), made with fontTools, which keeps the MATH table and the glyph variants
that stretch delimiters. docs/stylesheets/math.css declares it with `@font-face`.

A hook of its own in mkdocs.yml (beside the dispatcher, site_hook.py): it adds a file to the
site, which no page feature does.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from fontTools import subset
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from node_packages import NodePackagesError, package_dir

PACKAGE = "@fontsource/noto-sans-math"
# despite its name, fontsource's "latin" file is the whole font, MATH table included (3033 characters)
FONT_FILE = "files/noto-sans-math-latin-400-normal.woff2"
SITE_PATH = "assets/fonts/noto-sans-math.woff2"  # where math.css's @font-face looks for it


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the installed font to the site's files (installing the npm packages if the lockfile changed).

    Raises:
        PluginError: the package is not in package.json, npm failed, or the package lacks the font file.
    """
    try:
        font = package_dir(PACKAGE) / FONT_FILE
    except NodePackagesError as error:
        raise PluginError(f"the math font: {error}") from None
    if not font.is_file():
        raise PluginError(f"the math font {font} is missing: {PACKAGE} no longer ships {FONT_FILE}")
    files.append(File.generated(config, SITE_PATH, abs_src_path=str(font)))
    return files


_MATH = re.compile(r"<math\b.*?</math>", re.S)
_TAG = re.compile(r"<[^>]+>")


def math_characters(site: Path) -> set[str]:
    """Every character inside a <math> element of the built site's pages."""
    found: set[str] = set()
    for page in site.rglob("*.html"):
        for element in _MATH.findall(page.read_text(encoding="utf-8")):
            found |= set(html.unescape(_TAG.sub("", element)))
    return found - {"\n", " "}


def subset_font(font: Path, characters: set[str], target: Path) -> None:
    """Write to `target` the WOFF2 subset of `font` that covers `characters`, MATH table and variants kept."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    loaded = subset.load_font(str(font), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(loaded)
    subset.save_font(loaded, str(target), options)


def on_post_build(config: MkDocsConfig) -> None:
    """Replace the site's copy of the font with the subset its pages use."""
    site = Path(config.site_dir)
    subset_font(package_dir(PACKAGE) / FONT_FILE, math_characters(site), site / SITE_PATH)
