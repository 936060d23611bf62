"""Sybil runs every Python example in docs/**/*.md and README.md as a test (one namespace per page)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sybil import Sybil

os.environ.setdefault("MPLBACKEND", "Agg")  # examples that plot need no display
# the parsers live with the build hook, which runs the same examples to draw live diagrams
sys.path.insert(0, str(Path(__file__).parent / "docs" / "_hooks"))
from page_examples import example_parsers

# Path.match treats "**" like "*" before Python 3.13, so each root gets its own Sybil:
# "*.md" under docs/ matches at any depth, and README.md only at the top.
pytest_collect_file = (
    Sybil(parsers=example_parsers(), path="docs", patterns=["*.md"])
    + Sybil(parsers=example_parsers(), path=".", filenames=["README.md"])
).pytest()
