"""The OpenType MATH font the site's MathML is set in, served by the site itself.

Chromium lays out MathML with the font's MATH table: without one, delimiters do not stretch to
their content and display-style sums stay text-sized. Noto Sans Math (SIL Open Font License)
comes from the npm package `@fontsource/noto-sans-math`, pinned in package.json and installed at
build time (docs/_hooks/node_packages.py); the 270 KB font is copied into the built site, never
committed. docs/stylesheets/math.css declares it with `@font-face`.

A hook of its own in mkdocs.yml (beside the dispatcher, site_hook.py): it adds a file to the
site, which no page feature does.
"""

from __future__ import annotations

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
