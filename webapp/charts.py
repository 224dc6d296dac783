"""Charts as plain data: what ``templates/_charts.html`` draws as inline SVG.

A ``Chart`` is rows (a year, a faction, a committee) of values, one per ``Series`` (a
paper type, an outcome); the macros stack a row's values in one bar. The axis runs from
0 to ``top``, a round number at or above the largest row (``nice_ticks``); a ``share``
chart draws every row as 100 % (its values as parts of the row's total). The same rows
fill the table beside the chart, so the chart never says more than its table.

>>> nice_ticks(0), nice_ticks(7), nice_ticks(12), nice_ticks(319)
([0, 1], [0, 2, 4, 6, 8], [0, 5, 10, 15], [0, 100, 200, 300, 400])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_TICKS = 5


def nice_ticks(largest: float, most: int = MAX_TICKS) -> list[int]:
    """Round axis values from 0 to at least ``largest``: steps of 1, 2 or 5 × 10ⁿ, at
    most ``most`` of them."""
    if largest <= 0:
        return [0, 1]
    for power in range(int(math.log10(largest)) + 1):
        for base in (1, 2, 5):
            step = base * 10**power
            count = math.ceil(largest / step) + 1
            if count <= most:
                return [step * i for i in range(count)]
    step = 10 ** (int(math.log10(largest)) + 1)
    return [0, step]


@dataclass(frozen=True)
class Series:
    """One kind of value in every row, drawn in the colour of its CSS class ``css``."""

    key: str
    label: str
    css: str


@dataclass(frozen=True)
class Row:
    """One bar: its label, a value per series, and the search it stands for (``url``)."""

    label: str
    values: tuple[float, ...]
    url: str | None = None

    @property
    def total(self) -> float:
        return sum(self.values)


@dataclass
class Chart:
    """A stacked bar chart: ``columns`` (years from left to right) or bars (top to bottom)."""

    id: str
    title: str
    series: list[Series]
    rows: list[Row] = field(default_factory=list)
    columns: bool = False
    share: bool = False

    @property
    def ticks(self) -> list[int]:
        return nice_ticks(max((row.total for row in self.rows), default=0))

    @property
    def top(self) -> int:
        return self.ticks[-1]

    def __bool__(self) -> bool:
        return any(row.total for row in self.rows)
