"""The search index's schema, its facets and how a motion becomes an index document.

This module is the one place the Whoosh schema is defined. Next to it, as data:

* ``TEXT_FIELDS`` — the full-text fields, their boosts and which are highlighted;
* ``FACETS`` — one ``FacetSpec`` per facet (name, field, labels, query prefix,
  multi-valued?, ordering), read by the search API, the site and the CLI alike;
* ``SORTS`` — the orders a result list can take.

>>> [f.prefix for f in FACETS]
['gremium', 'fraktion', 'ergebnis', 'typ', 'jahr', 'federführend', 'stimmen']
>>> reference_variants("VO/2024/12903-01")
(['vo/2024/12903-01', '2024/12903-01', '12903-01'], ['vo/2024/12903', '2024/12903', '12903'])
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.system import pack_uint

from archive.motion import MOTION_TYPES, Motion, Votes
from archive.outcomes import RESULTS, VOTE_CLASSES, normalise_result, vote_class
from archive.vocabulary import Vocabulary
from index.analysis import PART_BOOST, GermanFilter, Lexicon, fold, text_analyzer
from index.results import SORTS
from index.snippets import markdown_to_text

SCHEMA_VERSION = 7
"""Bumped whenever documents change shape or their words are indexed differently (7: compound
parts from the base word list); an index of another version is rebuilt in full."""

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


class TextColumn(columns.CompressedBytesColumn):
    """Compressed bytes, empty by default (whoosh forgets the default of its own class)."""

    _default = b""


_STEM_HASHES: dict[str, int] = {}
_STEM_HASH_CACHE = 200_000


def _german_chain(analyzer: Any) -> tuple[re.Pattern[str], GermanFilter] | None:
    """(word pattern, filter) if ``analyzer`` is exactly ``text_analyzer``'s chain."""
    items = getattr(analyzer, "items", ())
    if (
        len(items) == 2
        and type(items[0]) is RegexTokenizer
        and not items[0].gaps
        and type(items[1]) is GermanFilter
    ):
        return items[0].expression, items[1]
    return None


def _little_endian(sequence: array) -> bytes:
    """A word sequence as stored: 16-bit little-endian codes (read back with NumPy ``<u2``)."""
    if sys.byteorder == "big":
        sequence.byteswap()
    return sequence.tobytes()


def stem_hash(term: str) -> int:
    """A term's 16-bit fingerprint in a word sequence (0 marks a position without one)."""
    return zlib.crc32(term.encode("utf-8")) & 0xFFFF or 1


class SequencedText(fields.TEXT):
    """Full text whose postings keep term frequencies only (fast to read for common words),
    plus, in a column, the document's word sequence: one ``stem_hash`` per position, so a
    phrase is checked by comparing arrays instead of storing every position in postings.

    The sequence is recorded while Whoosh analyses the field for its postings (the column
    value of a field is taken right after its terms), so no text is analysed twice.
    """

    def __init__(self, analyzer: Any) -> None:
        super().__init__(analyzer=analyzer, phrase=False)
        self.column_type = columns.VarBytesColumn()
        self._sequence = b""

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_sequence": b""}

    def index(self, value: Any, **kwargs: Any) -> Any:
        chain = _german_chain(self.analyzer)
        if chain is not None and isinstance(value, str) and not kwargs:
            return self._index_fast(value, *chain)
        return self._index_generic(value, **kwargs)

    def _index_fast(self, value: str, words: re.Pattern[str], german: GermanFilter) -> Any:
        """What ``_index_generic`` yields for the German chain, without a Python step per
        token: each distinct word of the text is analysed once and counted ``n`` times (its
        weights are multiples of ``PART_BOOST``, so the sums are exact in any order). The
        bulk of a full rebuild is this field's words; ``test_schema`` checks that both paths
        index exactly the same terms, weights and word sequence."""
        tokens = words.findall(value)
        freqs: dict[str, int] = {}
        weights: dict[str, float] = {}
        codes: dict[str, int] = {}
        analyze, cache, hashes = german.analyze, german._cache, _STEM_HASHES
        for word, n in Counter(tokens).items():
            found = cache.get(word)
            whole, parts = found if found is not None else analyze(word)
            if whole is None:  # a stopword: a gap in the sequence, no posting
                codes[word] = 0
                continue
            code = hashes.get(whole)
            if code is None:
                if len(hashes) >= _STEM_HASH_CACHE:
                    hashes.clear()
                code = hashes[whole] = stem_hash(whole)
            codes[word] = code
            freqs[whole] = freqs.get(whole, 0) + n
            weights[whole] = weights.get(whole, 0.0) + n
            for part in parts:
                freqs[part] = freqs.get(part, 0) + n
                weights[part] = weights.get(part, 0.0) + n * PART_BOOST
        sequence = array("H", map(codes.__getitem__, tokens))
        while sequence and not sequence[-1]:  # no trailing stopwords
            sequence.pop()
        self._sequence = _little_endian(sequence)
        boost = self.format.field_boost
        return [
            (text.encode("utf-8"), freq, weights[text] * boost, pack_uint(freq))
            for text, freq in freqs.items()
        ]

    def _index_generic(self, value: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("mode", "index")
        recorded: dict[int, int] = {}
        inner = self.analyzer

        def recording(text: str, **options: Any) -> Any:
            options["positions"] = True
            for token in inner(text, **options):
                if not token.stopped and token.pos not in recorded:
                    recorded[token.pos] = stem_hash(token.text)
                yield token

        for text, freq, weight, vbytes in self.format.word_values(value, recording, **kwargs):
            yield (text.encode("utf-8"), freq, weight, vbytes)
        self._record(recorded)

    def _record(self, recorded: dict[int, int]) -> None:
        sequence = array("H", bytes(2 * (max(recorded, default=-1) + 1)))
        for pos, code in recorded.items():
            sequence[pos] = code
        self._sequence = _little_endian(sequence)

    def to_column_value(self, value: Any) -> bytes:
        sequence, self._sequence = self._sequence, b""
        return sequence

    def from_column_value(self, value: bytes) -> bytes:
        return value


def text_column(name: str) -> str:
    """The column holding the plain text of text field ``name`` (read for snippets only)."""
    return f"{name}_text"


@dataclass(frozen=True)
class FacetSpec:
    """One facet: where its values come from, how it is labelled, queried and ordered.

    ``order`` is ``count`` (most frequent first), ``value`` (alphabetical),
    ``value_desc`` (newest year first) or ``fixed`` (the order of ``fixed_order``).
    """

    name: str
    field: str
    label_de: str
    label_en: str
    prefix: str
    multi: bool
    order: str
    values_of: Callable[[Motion], list[str]] = field(repr=False, compare=False)
    fixed_order: tuple[str, ...] = ()

    def label(self, lang: str = "de") -> str:
        return self.label_de if lang == "de" else self.label_en


def _latest_votes_class(motion: Motion) -> list[str]:
    latest = motion.latest
    if latest is None:
        return [vote_class(Votes())]
    return [vote_class(latest.votes, latest.result)]


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec(
        "committee", "facet_committee", "Gremium", "Committee", "gremium", True, "count",
        lambda m: m.committees,
    ),
    FacetSpec(
        "sponsor", "facet_sponsor", "Antragsteller", "Sponsor", "fraktion", True, "count",
        lambda m: list(dict.fromkeys(s for s in m.sponsors if s)),
    ),
    FacetSpec(
        "result", "facet_result", "Ergebnis", "Result", "ergebnis", False, "fixed",
        lambda m: [normalise_result(m.result)], RESULTS,
    ),
    FacetSpec(
        "type", "facet_type", "Art", "Type", "typ", False, "count",
        lambda m: [m.type] if m.type else [], MOTION_TYPES,
    ),
    FacetSpec(
        "year", "facet_year", "Jahr", "Year", "jahr", False, "value_desc",
        lambda m: [m.year] if m.year else [],
    ),
    FacetSpec(
        "lead", "facet_lead", "Federführend", "Lead office", "federführend", False, "count",
        lambda m: [m.lead] if m.lead else [],
    ),
    FacetSpec(
        "votes", "facet_votes", "Abstimmung", "Vote", "stimmen", False, "fixed",
        _latest_votes_class, VOTE_CLASSES,
    ),
)  # fmt: skip
FACETS_BY_NAME = {f.name: f for f in FACETS}

QUERY_PREFIXES: dict[str, str] = {
    **{f.prefix: f.name for f in FACETS},
    **{f.name: f.name for f in FACETS},
    "nummer": "reference",
    "reference": "reference",
    "datum": "date",
    "date": "date",
    "titel": "title",
    "title": "title",
}
"""Field prefixes of the query language (German and English) → facet name or pseudo-field."""


def reference_variants(reference: str) -> tuple[list[str], list[str]]:
    """The forms a reference is found by: exact (the paper itself) and base (with amendments).

    Exact forms drop leading ``/`` parts (``VO/2024/12903-01`` → ``2024/12903-01`` →
    ``12903-01``); base forms drop trailing ``-NN``/``.NN`` suffixes of those, so ``12903``
    finds the paper and all its amendments.
    """
    parts = [p for p in reference.strip().lower().split("/") if p]
    exact = ["/".join(parts[i:]) for i in range(len(parts))]
    base: list[str] = []
    for form in exact:
        stem = form
        while True:
            cut = max(stem.rfind("-"), stem.rfind("."))
            if cut <= stem.rfind("/") or cut <= 0:
                break
            stem = stem[:cut]
            if stem not in exact and stem not in base:
                base.append(stem)
    return exact, base


def normalise_reference(text: str) -> str:
    """A reference as typed, in the form ``reference_variants`` indexes."""
    return "/".join(p for p in text.strip().lower().split("/") if p)


def build_schema(lexicon: Lexicon) -> fields.Schema:
    """The Whoosh schema; text fields analyse German with compound parts from ``lexicon``."""
    analyzer = text_analyzer(lexicon)
    exact = re.compile(f"[^{SEPARATOR}]+")
    spec: dict[str, fields.FieldType] = {
        "slug": fields.ID(stored=True, unique=True, sortable=True),
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


def hit_data(motion: Motion) -> dict[str, Any]:
    """What a result list shows of a motion (``index.results.Hit`` without the highlights)."""
    latest = motion.latest
    votes = latest.votes if latest else Votes()
    return {
        "reference": motion.reference,
        "slug": motion.slug,
        "title": motion.title,
        "type": motion.type,
        "date": motion.date,
        "sponsors": list(motion.sponsors),
        "committees": motion.committees,
        "result": motion.result,
        "result_class": normalise_result(motion.result),
        "votes": votes.to_dict(),
        "vote_class": _latest_votes_class(motion)[0],
    }


_NON_PUBLIC_ITEM = re.compile(r"^N(?:[\s.\d]|$)")
"""An agenda item ``N 3.1`` is non-public, whatever its ``public`` key says."""


def public_view(motion: Motion) -> Motion:
    """The motion without its non-public consultations (they never reach the index).

    Non-public are ``public: false`` consultations and those of agenda items ``N …``.
    """
    kept = [
        c
        for c in motion.consultations
        if c.public and not _NON_PUBLIC_ITEM.match(c.agenda_item.strip())
    ]
    if len(kept) == len(motion.consultations):
        return motion
    return Motion.from_dict({**motion.to_dict(), "consultations": [c.to_dict() for c in kept]})


def to_document(
    motion: Motion, path: str, digest: str, vocabulary: Vocabulary | None = None
) -> dict[str, Any]:
    """The index document of a public motion (consultations already filtered).

    With a ``vocabulary``, facets and the sponsor search field hold canonical names
    (joint factions with their members); the stored motion keeps the source's wording.
    """
    named = vocabulary.apply(motion) if vocabulary is not None else motion
    exact, base = reference_variants(motion.reference)
    texts = {
        "title": motion.title,
        "resolution": markdown_to_text(motion.resolution, MAX_FIELD_CHARS),
        "questions": markdown_to_text("\n".join(motion.questions), MAX_FIELD_CHARS),
        "reasons": markdown_to_text(motion.reasons, MAX_FIELD_CHARS),
        "body": markdown_to_text(motion.body, MAX_FIELD_CHARS),
        "sponsors": "\n".join(dict.fromkeys([*motion.sponsors, *named.sponsors])),
    }
    doc: dict[str, Any] = {
        "slug": motion.slug,
        "path": path,
        "digest": digest.encode("ascii"),
        "date": motion.date,
        REF_EXACT: SEPARATOR.join(exact),
        REF_BASE: SEPARATOR.join(base),
        SPELL_FIELD: " ".join(
            [motion.title, texts["resolution"], texts["questions"], texts["reasons"]]
        ),
        "hit": json.dumps({**hit_data(motion), "opening": _opening(texts)}, ensure_ascii=False),
        "motion": json.dumps(motion.to_dict(), ensure_ascii=False).encode("utf-8"),
    }
    for text in TEXT_FIELDS:
        value = texts[text.name]
        if value:
            doc[text.name] = value
            if text.snippet:
                doc[text_column(text.name)] = value.encode("utf-8")
    for facet in FACETS:
        values = [v for v in facet.values_of(named) if v]
        if values:
            doc[facet.field] = SEPARATOR.join(values)
    if not doc[REF_BASE]:
        del doc[REF_BASE]
    return doc


def _opening(texts: dict[str, str]) -> str:
    for name in SNIPPET_FIELDS:
        if texts[name]:
            text = " ".join(texts[name][: OPENING_CHARS * 2].split())
            if len(text) <= OPENING_CHARS:
                return text
            cut = text.rfind(" ", 0, OPENING_CHARS)
            return text[: cut if cut > 0 else OPENING_CHARS] + " …"
    return ""


def fold_value(text: str) -> str:
    """Case- and accent-insensitive form of a facet value or query word."""
    return fold(text).lower()


__all__ = [
    "FACETS",
    "FACETS_BY_NAME",
    "QUERY_PREFIXES",
    "SORTS",
    "TEXT_FIELDS",
    "FacetSpec",
    "build_schema",
    "reference_variants",
    "to_document",
]
