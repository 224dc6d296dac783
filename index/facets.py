"""Facet counts and filters over per-generation NumPy columns.

When a searcher opens, ``Columns`` reads every facet field's postings once into two
flat arrays — ``docs`` (docnum) and ``codes`` (value number) — one pair per
(document, value), so multi-valued facets count right. A facet count is then one
``np.bincount`` over the pairs whose document matches; a filter is a boolean mask.

Disjunctive faceting: values of one facet OR, facets AND, and facet F's counts use
every filter except F's own, so the other values of a filtered facet keep their counts.

Names of one council (committees, factions, offices: ``FacetSpec.per_council``) are
values qualified by their council (``karlsruhe:CDU``). A query prefix or a filter with
the bare name (``fraktion:CDU``) means every council's value of that name; a qualified
value means just that one.

>>> order_values(FACETS_BY_NAME["year"], {"2023": 4, "2024": 1}, ())[0].value
'2024'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from whoosh import columns
from whoosh.reading import IndexReader

from archive import facet_names
from archive.councils import Council, unqualify
from index.results import FacetValue
from index.schema import FACETS, FACETS_BY_NAME, FacetSpec, fold_value
from index.whoosh_internals import read_postings

COUNCIL = facet_names.COUNCIL.name
TYPE = facet_names.TYPE.name
_WORD_BREAKS = re.compile(r"[/-]")


@dataclass
class _Segment:
    """One segment's facet postings and dates; segments never change (deletions aside,
    and those are masked by ``Columns.live``), so a refresh reads only new segments."""

    facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]]  # values, docs, codes
    dates: list[str]


def _read_segment(segment: IndexReader) -> _Segment:
    facets = {}
    for spec in FACETS:
        values: list[str] = []
        docs: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        for code, btext in enumerate(segment.lexicon(spec.field)):
            ids, _ = read_postings(segment.postings(spec.field, btext))
            values.append(btext.decode("utf-8"))
            docs.append(ids)
            codes.append(np.full(len(ids), code, dtype=np.int32))
        if values:
            facets[spec.name] = (values, np.concatenate(docs), np.concatenate(codes))
        else:
            facets[spec.name] = ([], np.zeros(0, np.int64), np.zeros(0, np.int32))
    column = segment.column_reader("date")
    dates = [column[d] or "" for d in range(segment.doc_count_all())]
    return _Segment(facets, dates)


def _segment_key(segment: IndexReader) -> str:
    """The id of the segment a leaf reader reads: the same for every reader of it, so the
    next commit's ``Columns`` reuses what was read (never ``id()`` of the reader object,
    which garbage collection hands on to another reader, and so to another segment)."""
    return segment.segment().segment_id()


def column_reader(reader: IndexReader, name: str):  # type: ignore[no-untyped-def]
    """A column over all segments, segment by segment (Whoosh's ``MultiReader`` leaves out
    segments where no document had a value and then maps document numbers wrongly)."""
    leaves = reader.leaf_readers()
    if len(leaves) == 1:
        return leaves[0][0].column_reader(name)
    return columns.MultiColumnReader(
        [segment.column_reader(name) for segment, _ in leaves],
        [offset for _, offset in leaves],
    )


class Columns:
    """Facet value codes and the date order of every document of one reader (one commit)."""

    def __init__(self, reader: IndexReader, cache: dict | None = None) -> None:
        """``cache``: segment id → what was read of it; pass the one of the previous
        commit's ``Columns`` (``.cache``) so unchanged segments are not read again."""
        self.size = reader.doc_count_all()
        self.live = np.zeros(self.size, dtype=bool)
        self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        old = cache or {}
        self.cache: dict[str, _Segment] = {}
        leaves = [
            (segment, offset, _segment_key(segment))
            for segment, offset in reader.leaf_readers()
            if segment.doc_count_all()  # (the reader of an index without segments has none)
        ]
        for segment, _, key in leaves:
            self.cache[key] = old.get(key) or _read_segment(segment)
        self.values: dict[str, list[str]] = {}
        self.councils: Mapping[str, Council] = {}
        """The councils' descriptions (set by the snapshot): the council facet's names."""
        self._by_name: dict[str, dict[str, list[str]]] = {}
        self._parts: dict[str, dict[str, tuple[str, str]]] = {}
        self._index: dict[str, dict[str, int]] = {}
        self._docs: dict[str, np.ndarray] = {}
        self._codes: dict[str, np.ndarray] = {}
        for spec in FACETS:
            parts = [(self.cache[key].facets[spec.name], offset) for _, offset, key in leaves]
            values = sorted({v for (vs, _, _), _ in parts for v in vs})
            index = {v: i for i, v in enumerate(values)}
            docs = [np.zeros(0, np.int64)]
            codes = [np.zeros(0, np.int32)]
            for (vs, seg_docs, seg_codes), offset in parts:
                if vs:
                    remap = np.array([index[v] for v in vs], dtype=np.int32)
                    docs.append(seg_docs + offset)
                    codes.append(remap[seg_codes])
            self.values[spec.name] = values
            self._index[spec.name] = index
            self._docs[spec.name] = np.concatenate(docs)
            self._codes[spec.name] = np.concatenate(codes)
        # Date order: rank of each document's date among all dates (-1: undated)
        every = np.array([d for _, _, key in leaves for d in self.cache[key].dates], dtype=object)
        dates, ranks = np.unique(every, return_inverse=True) if len(every) else ([], every)
        self.dates: list[str] = [str(d) for d in dates]
        self.date_rank = np.asarray(ranks, dtype=np.int32)
        if self.dates and self.dates[0] == "":
            self.dates.pop(0)
            self.date_rank -= 1

    # -- filters --------------------------------------------------------------------------

    def parts(self, facet: str) -> dict[str, tuple[str, str]]:
        """A per-council facet's values → (council, name) (read once per commit)."""
        found = self._parts.get(facet)
        if found is None:
            found = self._parts[facet] = {v: unqualify(v) for v in self.values[facet]}
        return found

    def by_name(self, facet: str) -> dict[str, list[str]]:
        """A per-council facet's values by their name without the council (cached)."""
        found = self._by_name.get(facet)
        if found is None:
            found = self._by_name[facet] = {}
            for value, (_, name) in self.parts(facet).items():
                found.setdefault(name, []).append(value)
        return found

    def expand(self, facet: str, values: Iterable[str]) -> list[str]:
        """The index values a filter's ``values`` mean: a value as indexed, or for a
        per-council facet a bare name (``Hauptausschuss``) every council's value of it."""
        index = self._index[facet]
        per_council = FACETS_BY_NAME[facet].per_council
        found: list[str] = []
        for value in values:
            if value in index or not per_council:
                found.append(value)
            else:
                found.extend(self.by_name(facet).get(value, [value]))
        return list(dict.fromkeys(found))

    def mask(self, facet: str, values: Iterable[str]) -> np.ndarray:
        """Documents having any of ``values`` in ``facet`` (``expand``; unknown values
        match nothing)."""
        index = self._index[facet]
        wanted = [index[v] for v in self.expand(facet, values) if v in index]
        out = np.zeros(self.size, dtype=bool)
        if wanted:
            codes = self._codes[facet]
            hit = codes == wanted[0] if len(wanted) == 1 else np.isin(codes, wanted)
            out[self._docs[facet][hit]] = True
        return out

    def date_mask(self, low: str, high: str) -> np.ndarray:
        """Documents dated from ``low`` to ``high`` (ISO text; prefixes compare as ranges)."""
        first = bisect.bisect_left(self.dates, low)
        last = bisect.bisect_right(self.dates, high + "\uffff") - 1
        return (self.date_rank >= first) & (self.date_rank <= last)

    def matching_values(self, facet: str, text: str) -> list[str]:
        """Values of ``facet`` a query prefix like ``gremium:soziales`` means.

        A value equal to ``text`` (ignoring case and accents) wins; otherwise every value
        in which each word of ``text`` starts a word. A per-council value is known by its
        name too (``fraktion:CDU``: every council's CDU; ``fraktion:"karlsruhe:CDU"``: one),
        a council by its key, name and short name (``kommune:altona``).
        """
        wanted = fold_value(text).split()
        if not wanted:
            return []
        folded = [(v, [fold_value(n) for n in self._names(facet, v)]) for v in self.values[facet]]
        exact = [v for v, forms in folded if any(f.split() == wanted for f in forms)]
        if exact:
            return exact
        found = []
        for value, forms in folded:
            words = [w for f in forms[1:] or forms for w in _WORD_BREAKS.sub(" ", f).split()]
            if all(any(w.startswith(q) for w in words) for q in wanted):
                found.append(value)
        return found

    def _names(self, facet: str, value: str) -> list[str]:
        """What a value is known by: the value itself, then the names its words are
        matched in (a council's key, short name and name; a per-council value's name)."""
        if facet == COUNCIL:
            council = self.councils.get(value)
            return [value, value, council.short_name, council.name] if council else [value]
        if FACETS_BY_NAME[facet].per_council:
            return [value, self.parts(facet)[value][1]]
        return [value]

    # -- counts ---------------------------------------------------------------------------

    def counts(self, facet: str, matching: np.ndarray) -> dict[str, int]:
        """value → number of ``matching`` documents having it (only values counted > 0)."""
        docs = self._docs[facet]
        if not len(docs):
            return {}
        counts = np.bincount(self._codes[facet][matching[docs]], minlength=len(self.values[facet]))
        values = self.values[facet]
        return {values[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def order_values(
    spec: FacetSpec,
    counts: Mapping[str, int],
    selected: Iterable[str],
    councils: Mapping[str, Council] | None = None,
    parts: Mapping[str, tuple[str, str]] | None = None,
) -> list[FacetValue]:
    """A facet's values in its declared order; selected values always listed; labelled
    with the ``councils``' short names where they span several (``FacetValue``).
    ``parts``: (council, name) of values already split (``Columns.parts``)."""
    chosen = list(dict.fromkeys(selected))
    merged = dict(counts)
    for value in chosen:
        merged.setdefault(value, 0)
    if spec.order == "fixed":
        rank = {v: i for i, v in enumerate(spec.fixed_order)}
        key = lambda v: (rank.get(v, len(rank)), v.casefold())  # noqa: E731
        names = sorted(merged, key=key)
    elif spec.order == "value":
        names = sorted(merged, key=str.casefold)
    elif spec.order == "value_desc":
        names = sorted(merged, reverse=True)
    else:
        names = sorted(merged, key=lambda v: (-merged[v], v.casefold()))
    return labelled(spec, names, merged, set(chosen), councils or {}, parts or {})


def labelled(
    spec: FacetSpec,
    names: list[str],
    counts: Mapping[str, int],
    chosen: set[str],
    councils: Mapping[str, Council],
    parts: Mapping[str, tuple[str, str]],
) -> list[FacetValue]:
    """The values ``names`` (in order) as ``FacetValue``s with count, council, name, label."""
    if spec.name == COUNCIL:
        out = []
        for value in names:
            council = councils.get(value) or Council(value, value)
            out.append(
                FacetValue(
                    value, counts[value], value in chosen, value, council.name, council.label
                )
            )
        return out
    if not spec.per_council:
        return [FacetValue(v, counts[v], v in chosen, "", v, v) for v in names]
    split = [parts.get(v) or unqualify(v) for v in names]
    if len({key for key, _ in split}) <= 1:  # one council: the names alone
        return [
            FacetValue(v, counts[v], v in chosen, key, name, name)
            for v, (key, name) in zip(names, split, strict=True)
        ]
    out = []
    for value, (key, name) in zip(names, split, strict=True):
        council = councils.get(key)
        label = f"{name} ({council.label if council else key})" if key else name
        out.append(FacetValue(value, counts[value], value in chosen, key, name, label))
    return out


def facet_counts(
    columns: Columns,
    base: np.ndarray,
    filters: Mapping[str, tuple[str, ...]],
    implied: Mapping[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, dict[str, list[FacetValue]]]:
    """The documents matching ``base`` and every filter, and every facet's counts.

    Each facet is counted over ``base`` with all filters but its own (disjunctive).
    ``implied`` masks act as a facet's filter where that facet has none (the papers-only
    default of a search without words), shown as no choice in the facet's values.
    """
    filters = {name: tuple(columns.expand(name, values)) for name, values in filters.items()}
    masks = {name: columns.mask(name, values) for name, values in filters.items() if values}
    for name, mask in (implied or {}).items():
        masks.setdefault(name, mask)
    final = base.copy()
    for mask in masks.values():
        final &= mask
    facets: dict[str, list[FacetValue]] = {}
    for spec in FACETS:
        if spec.name in masks:
            others = base.copy()
            for name, mask in masks.items():
                if name != spec.name:
                    others &= mask
        else:
            others = final
        facets[spec.name] = order_values(
            spec,
            columns.counts(spec.name, others),
            filters.get(spec.name, ()),
            columns.councils,
            columns.parts(spec.name) if spec.per_council else None,
        )
    return final, facets


__all__ = ["FACETS_BY_NAME", "Columns", "facet_counts", "order_values"]
