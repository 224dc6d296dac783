"""The compiled query: small typed nodes that ``index.matching.Matcher`` evaluates.

``index.query`` compiles what the user typed into a tree of these nodes; Whoosh appears
only at the leaves (a leaf names a field and term texts that Whoosh's postings answer).
The nodes are plain data, not Whoosh queries, so nothing else can run them by mistake:
handed to a Whoosh searcher, a node raises instead of being matched some other way (a
phrase would have become an AND without word order). Where the matcher needs Whoosh to
match a node, it converts that node explicitly (``index.matching.whoosh_phrase``).

Scores are Whoosh's BM25F: a ``Term`` scores per document, ``And`` and ``Or`` add their
children's scores, ``boost`` multiplies; filters (``Terms``, ``DateRange``,
``Everything``, what ``AndNot`` excludes) score nothing.

>>> And((Term("title", "radweg", 5.0), DateRange("2023", "2024"))).items[1]
DateRange(low='2023', high='2024')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """Documents with term ``text`` in ``field``, scored by BM25F times ``boost``."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Terms:
    """Documents with any of ``texts`` in ``field``, unscored (facet values: a filter)."""

    field: str
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Phrase:
    """Documents with ``words`` in ``field`` in this order, each ``gaps[i]`` positions
    after the one before (a gap above 1: a stopword stood between); scored as the ``And``
    of its words."""

    field: str
    words: tuple[str, ...]
    gaps: tuple[int, ...]
    boost: float = 1.0

    def __post_init__(self) -> None:
        if len(self.gaps) != len(self.words) - 1 or len(self.words) < 2:
            raise ValueError(f"a phrase needs two words or more and a gap between each: {self}")


@dataclass(frozen=True, slots=True)
class DateRange:
    """Documents dated from ``low`` to ``high`` (ISO text; ``2024`` or ``2024-05`` cover the
    whole period; ``low`` may be empty), unscored; answered from the date column."""

    low: str
    high: str


@dataclass(frozen=True, slots=True)
class Everything:
    """Every document, unscored (what a query of only exclusions starts from)."""


@dataclass(frozen=True, slots=True)
class Nothing:
    """No document (words that cannot match, a facet value nobody has)."""


@dataclass(frozen=True, slots=True)
class And:
    """Documents matching every item; scores added, times ``boost``."""

    items: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Or:
    """Documents matching any item; the scores of the items they match added, times
    ``boost``."""

    items: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class AndNot:
    """Documents matching ``include`` and none of ``exclude``, with ``include``'s scores."""

    include: Node
    exclude: tuple[Node, ...]


Node = Term | Terms | Phrase | DateRange | Everything | Nothing | And | Or | AndNot
"""Any compiled query node."""

EVERYTHING = Everything()
NOTHING = Nothing()
