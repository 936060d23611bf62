"""A line budget keeps the engine and the nn library readable in one sitting."""

from __future__ import annotations

from pathlib import Path

import micrograd.engine
import micrograd.nn

BUDGET = 480


def test_engine_and_nn_fit_the_line_budget() -> None:
    """engine.py + nn.py together stay within 480 lines, comments and docstrings included.

    They held about 400 when the budget was set: some 20% headroom for a fix or one more
    operation, not for a second engine. Raise it only with a reason in the commit message.
    """
    counts = {m.__name__: len(Path(m.__file__).read_text().splitlines()) for m in (micrograd.engine, micrograd.nn)}
    total = sum(counts.values())
    assert total <= BUDGET, f"{counts} is {total} lines, over the budget of {BUDGET}"
