"""The search index's schema and its facets, declared as data.

This module is the one place the Whoosh schema is defined (``build_schema``). Next to it:

* ``TEXT_FIELDS`` — the full-text fields, their boosts and which are highlighted;
* ``FACETS`` — one ``FacetSpec`` per facet (its names and query prefix from
  ``archive.facet_names``; field, labels, multi-valued?, ordering), read by the search
  API, the site and the CLI alike;
* ``SORTS`` — the orders a result list can take;
* ``QUERY_PREFIXES`` and ``reference_variants`` — how the query language names fields
  and in which forms a reference is indexed.

Custom field types are in ``index.fields``; how a motion becomes a document of this
schema is in ``index.documents``.

>>> [f.prefix for f in FACETS]
['kommune', 'gremium', 'fraktion', 'ergebnis', 'typ', 'jahr', 'federführend', 'stimmen']
>>> from archive.motion import Consultation
>>> FACETS_BY_NAME["committee"].indexed(Motion("1", "T", council="karlsruhe",
...     consultations=[Consultation("Hauptausschuss")]))
['karlsruhe:Hauptausschuss']
>>> reference_variants("VO/2024/12903-01")
(['vo/2024/12903-01', '2024/12903-01', '12903-01'], ['vo/2024/12903', '2024/12903', '12903'])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import columns, fields
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from archive import facet_names as names
from archive.councils import qualify
from archive.facet_names import FacetName
from archive.motion import MOTION_TYPES, Motion, Votes
from archive.outcomes import RESULTS, VOTE_CLASSES, normalise_result, vote_class
from archive.references import ancestors
from index.analysis import Lexicon, fold, text_analyzer

# SequencedText and TextColumn also stay importable from here because the TOC of an index
# built before index.fields existed names them so (read when it is opened without a schema).
from index.fields import SequencedText, TextColumn, stem_hash, text_column
from index.results import FILE_BREAK, SORTS

SCHEMA_VERSION = 9
"""Bumped whenever documents change shape or their words are indexed differently (7: compound
parts from the base word list; 8: councils — the ``uid`` key, the council facet, committees,
factions and offices qualified by council; 9: the texts of the papers' files); an index of
another version is rebuilt in full."""

MAX_FIELD_CHARS = 200_000
"""Characters of one text field that are indexed (and stored for snippets).

Extracted PDF texts can run to millions of characters; the first 200,000 hold what a
search needs and keep a full rebuild within minutes. The stored motion keeps everything.
"""

SEPARATOR = "\x1f"
"""Joins the values of multi-valued exact fields (facets, reference variants)."""


@dataclass(frozen=True)
class TextField:
    """One full-text field: its boost at query time, whether snippets come from it, and
    whether its postings keep positions and character offsets (``chars``).

    ``body`` (extracted PDF text, most of the index) keeps term frequencies only: with
    positions, every occurrence of a common word is read back whenever a query names it,
    which made ``Stadt Karlsruhe`` take seconds. Its phrases are checked against its word
    sequence (``SequencedText``), its snippets found by ``index.snippets.find_spans``.
    """

    name: str
    boost: float
    snippet: bool = False
    chars: bool = True


TEXT_FIELDS: tuple[TextField, ...] = (
    TextField("title", 5.0),
    TextField("resolution", 2.0, snippet=True),
    TextField("questions", 1.5, snippet=True),
    TextField("reasons", 1.0, snippet=True),
    TextField("body", 0.8, snippet=True, chars=False),
    TextField("sponsors", 2.0),
    TextField("files", 0.6, snippet=True, chars=False),
)
TEXT_FIELDS_BY_NAME = {f.name: f for f in TEXT_FIELDS}
SNIPPET_FIELDS = tuple(f.name for f in TEXT_FIELDS if f.snippet)
REF_EXACT = "ref_exact"
REF_BASE = "ref_base"
REF_BOOSTS = {REF_EXACT: 100.0, REF_BASE: 25.0}
"""A reference typed in the box outranks every text match; its base number ranks its amendments."""

SPELL_FIELD = "spell"
OPENING_CHARS = 300
"""Characters of a motion's first text kept with its hit, for a snippet without matches."""


@dataclass(frozen=True)
class FacetSpec:
    """One facet in the index: its names (``archive.facet_names``), labels, whether a
    motion has several values, how its values are ordered and where they come from.

    ``order`` is ``count`` (most frequent first), ``value`` (alphabetical),
    ``value_desc`` (newest year first) or ``fixed`` (the order of ``fixed_order``).
    ``per_council``: the values are names of one council (committees, factions, offices),
    indexed qualified (``archive.councils.qualify``) so two councils' names stay apart.
    """

    facet: FacetName
    label_de: str
    label_en: str
    multi: bool
    order: str
    values_of: Callable[[Motion], list[str]] = field(repr=False, compare=False)
    fixed_order: tuple[str, ...] = ()
    per_council: bool = False

    @property
    def name(self) -> str:
        return self.facet.name

    @property
    def prefix(self) -> str:
        return self.facet.prefix

    @property
    def field(self) -> str:
        """The index field holding the facet's values."""
        return f"facet_{self.facet.name}"

    def label(self, lang: str = "de") -> str:
        return self.label_de if lang == "de" else self.label_en

    def indexed(self, motion: Motion) -> list[str]:
        """The facet's values of ``motion`` as the index holds them (qualified per council)."""
        values = [v for v in self.values_of(motion) if v]
        if self.per_council and motion.council:
            return [qualify(motion.council, v) for v in values]
        return values


def latest_votes_class(motion: Motion) -> list[str]:
    latest = motion.latest
    if latest is None:
        return [vote_class(Votes())]
    return [vote_class(latest.votes, latest.result)]


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec(
        names.COUNCIL, "Kommune", "Council", False, "count",
        lambda m: [m.council] if m.council else [],
    ),
    FacetSpec(
        names.COMMITTEE, "Gremium", "Committee", True, "count",
        lambda m: m.committees, per_council=True,
    ),
    FacetSpec(
        names.SPONSOR, "Antragsteller", "Sponsor", True, "count",
        lambda m: list(dict.fromkeys(s for s in m.sponsors if s)), per_council=True,
    ),
    FacetSpec(
        names.RESULT, "Ergebnis", "Result", False, "fixed",
        lambda m: [normalise_result(m.result)], RESULTS,
    ),
    FacetSpec(
        names.TYPE, "Art", "Type", False, "count",
        lambda m: [m.type] if m.type else [], MOTION_TYPES,
    ),
    FacetSpec(
        names.YEAR, "Jahr", "Year", False, "value_desc",
        lambda m: [m.year] if m.year else [],
    ),
    FacetSpec(
        names.LEAD, "Federführend", "Lead office", False, "count",
        lambda m: [m.lead] if m.lead else [], per_council=True,
    ),
    FacetSpec(
        names.VOTES, "Abstimmung", "Vote", False, "fixed",
        latest_votes_class, VOTE_CLASSES,
    ),
)  # fmt: skip
"""In the order of ``archive.facet_names.FACETS``."""
FACETS_BY_NAME = {f.name: f for f in FACETS}

_PSEUDO_FIELDS = {"nummer": "reference", "datum": "date", "titel": "title"}
"""Prefixes that are no facet: German prefix → pseudo-field (also its English prefix)."""
GERMAN_PREFIXES: dict[str, str] = {**{f.prefix: f.name for f in FACETS}, **_PSEUDO_FIELDS}
"""The query language's own field prefixes → facet name or pseudo-field."""
QUERY_PREFIXES: dict[str, str] = {
    **GERMAN_PREFIXES,
    **{name: name for name in GERMAN_PREFIXES.values()},
}
"""Field prefixes of the query language (German and English) → facet name or pseudo-field."""


def reference_variants(reference: str) -> tuple[list[str], list[str]]:
    """The forms a reference is found by: exact (the paper itself) and base (with amendments).

    Exact forms drop leading ``/`` parts (``VO/2024/12903-01`` → ``2024/12903-01`` →
    ``12903-01``); base forms are the papers those amend (``archive.references``), so
    ``12903`` finds the paper and all its amendments.
    """
    parts = [p for p in reference.strip().lower().split("/") if p]
    exact = ["/".join(parts[i:]) for i in range(len(parts))]
    base = [b for form in exact for b in ancestors(form) if b not in exact]
    return exact, list(dict.fromkeys(base))


def fold_reference(text: str) -> str:
    """A reference as typed, in the form ``reference_variants`` indexes."""
    return "/".join(p for p in text.strip().lower().split("/") if p)


def build_schema(lexicon: Lexicon) -> fields.Schema:
    """The Whoosh schema; text fields analyse German with compound parts from ``lexicon``."""
    analyzer = text_analyzer(lexicon)
    exact = re.compile(f"[^{SEPARATOR}]+")
    spec: dict[str, fields.FieldType] = {
        "uid": fields.ID(stored=True, unique=True, sortable=True),  # <council>/<slug>
        "slug": fields.ID(),  # a slug may be taken in several councils
        "path": fields.ID(stored=True, sortable=True),
        "digest": fields.COLUMN(),
        "stamp": fields.COLUMN(),
        "date": fields.ID(stored=True, sortable=True),
        REF_EXACT: fields.IDLIST(expression=exact),
        REF_BASE: fields.IDLIST(expression=exact),
        SPELL_FIELD: fields.TEXT(
            analyzer=RegexTokenizer(r"\w{3,}") | LowercaseFilter(), phrase=False
        ),
        "hit": fields.STORED(),
        "motion": fields.COLUMN(TextColumn()),
    }
    # Stored fields are one compressed blob per document, read for every hit: keep them
    # small (hit data, title). Long texts go to per-field columns, read only when needed.
    for text in TEXT_FIELDS:
        if text.chars:
            spec[text.name] = fields.TEXT(
                analyzer=analyzer, chars=True, stored=text.name == "title"
            )
        else:
            spec[text.name] = SequencedText(analyzer)
        if text.snippet:  # body: read whole for every hit's snippet, so not compressed
            column = TextColumn() if text.chars else columns.VarBytesColumn()
            spec[text_column(text.name)] = fields.COLUMN(column)
    for facet in FACETS:
        spec[facet.field] = fields.IDLIST(expression=exact)
    return fields.Schema(**spec)


def fold_value(text: str) -> str:
    """Case- and accent-insensitive form of a facet value or query word."""
    return fold(text).lower()


__all__ = [
    "FACETS",
    "FACETS_BY_NAME",
    "FILE_BREAK",
    "QUERY_PREFIXES",
    "SORTS",
    "TEXT_FIELDS",
    "FacetSpec",
    "build_schema",
    "reference_variants",
    "stem_hash",
    "text_column",
]
