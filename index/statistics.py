"""Statistics of the papers: the figures of ``/statistics`` and ``/<council>/statistics``.

Computed at every reindex, never on a request. ``write_statistics`` turns each paper's
stored motion (the public view the index holds, non-public consultations already gone)
into a few ``facts`` (``paper_facts``), sums them up (``figures``) per council and for the
whole archive, and writes ``statistics.json`` into the generation. The facts are kept
beside it (``statistics-facts.json``) and reused for every file whose content digest in
``manifest.json`` is unchanged, so an incremental run reads only the papers it changed.
``Statistics.load`` reads the figures; ``SearchIndex.statistics()`` keeps them per
generation and stamp.

Papers only: agenda items and minutes (``index.meeting_documents.MEETING_KINDS``) are not
counted. Names are those of the facets (the vocabulary applied; committees and factions
qualified by their council), so each count equals the facet count of the matching search.
``OUTCOMES`` is the one mapping of result classes (``archive.outcomes``) to the outcome
groups shown; docs/statistics.md defines every figure.

>>> OUTCOME_OF["geändert beschlossen"], OUTCOME_OF["offen"]
('changed', 'other')
>>> median([3, 1, 10, 4]), median([5, 1, 3]), median([])
(3.5, 3, None)
"""

from __future__ import annotations

import datetime
import json
import statistics as stats
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.corpus import write_atomic
from archive.councils import qualify
from archive.errors import IndexMissingError
from archive.motion import Motion
from archive.outcomes import (
    ABGELEHNT,
    BESCHLOSSEN,
    GEAENDERT,
    KENNTNIS,
    OFFEN,
    VERTAGT,
    ZURUECKGEZOGEN,
    normalise_result,
)
from archive.vocabulary import Vocabulary
from index.generation_files import file_stamp, write_if_changed
from index.generations import open_generation, read_manifest
from index.meeting_documents import MEETING_KINDS, is_meeting_file
from index.schema import FACETS_BY_NAME

FIGURES = "statistics.json"
FACTS = "statistics-facts.json"
VERSION = 1
"""Of both files; bumped whenever a fact or a figure is computed differently."""
SCAN_FROM = 500
"""Papers to read from which one pass over the index is faster than looking each up."""
MAX_SPAN = 200
"""Years without papers between two with papers are listed (as 0) up to this span."""


@dataclass(frozen=True)
class Outcome:
    """One outcome group: its key (in JSON), its German label, the result classes it holds
    and whether a paper with one of them is decided (for the days to a decision)."""

    key: str
    label: str
    results: tuple[str, ...]
    decision: bool = False


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("adopted", BESCHLOSSEN, (BESCHLOSSEN,), decision=True),
    Outcome("changed", GEAENDERT, (GEAENDERT,), decision=True),
    Outcome("rejected", ABGELEHNT, (ABGELEHNT,), decision=True),
    Outcome("withdrawn", ZURUECKGEZOGEN, (ZURUECKGEZOGEN,)),
    Outcome("other", "sonstige/offen", (VERTAGT, KENNTNIS, OFFEN)),
)
OUTCOME_OF = {result: outcome.key for outcome in OUTCOMES for result in outcome.results}
"""Result class (``archive.outcomes.RESULTS``) → outcome key."""
DECISIONS = frozenset(r for outcome in OUTCOMES if outcome.decision for r in outcome.results)
"""The result classes that decide a paper."""

_SPONSOR = FACETS_BY_NAME["sponsor"]


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def paper_facts(motion: Motion) -> dict[str, Any] | None:
    """What the figures need of one paper as the index sees it (``motion``: the stored
    public view with the vocabulary applied); ``None`` for an agenda item or minutes.

    ``days`` runs from the earliest dated consultation to the latest consultation
    (``Motion.latest``) when that one's result is a decision (``DECISIONS``) and dated;
    otherwise it is ``None``.
    """
    if motion.type in MEETING_KINDS:
        return None
    council = motion.council
    committees = Counter(
        qualify(council, c.committee) if council else c.committee
        for c in motion.consultations
        if c.committee
    )
    dated = [day for c in motion.consultations if (day := _day(c.date))]
    latest = motion.latest
    decided = None
    if latest is not None and normalise_result(latest.result) in DECISIONS:
        decided = _day(latest.date)
    return {
        "council": council,
        "type": motion.type,
        "year": motion.year,
        "sponsors": _SPONSOR.indexed(motion),
        "result": normalise_result(motion.result),
        "committees": dict(committees),
        "consulted": bool(motion.consultations),
        "days": (decided - min(dated)).days if decided and dated else None,
    }


def median(values: list[int]) -> float | int | None:
    """The median (the mean of the middle two of an even number); ``None`` for none."""
    if not values:
        return None
    middle = stats.median(values)
    return int(middle) if middle == int(middle) else middle


def _by_count(counts: dict[str, int]) -> list[str]:
    """The values most counted first, then by name."""
    return sorted(counts, key=lambda value: (-counts[value], value.casefold(), value))


def _timeline(years: Iterable[str]) -> list[str]:
    """The years in order, with the years between them that have none (a year is four
    digits; any other value is listed as it is)."""
    found = sorted(set(years))
    numbers = [int(y) for y in found if len(y) == 4 and y.isdigit()]
    if numbers and max(numbers) - min(numbers) <= MAX_SPAN:
        found = sorted({*found, *(f"{y:04d}" for y in range(min(numbers), max(numbers) + 1))})
    return found


def _papers_by_year(facts: list[dict[str, Any]]) -> dict[str, Any]:
    years: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for fact in facts:
        years[fact["year"]][fact["type"]] += 1
    undated = years.pop("", Counter())
    return {
        "years": [
            {"year": year, "papers": sum(years[year].values()), "types": dict(years[year])}
            for year in _timeline(years)
        ],
        "undated": {"papers": sum(undated.values()), "types": dict(undated)},
    }


def _outcome_counts(counts: Counter[str]) -> dict[str, int]:
    return {"papers": sum(counts.values()), **{o.key: counts[o.key] for o in OUTCOMES}}


def _outcomes(facts: list[dict[str, Any]]) -> dict[str, Any]:
    overall: Counter[str] = Counter()
    sponsors: defaultdict[str, Counter[str]] = defaultdict(Counter)
    years: defaultdict[str, defaultdict[str, Counter[str]]] = defaultdict(
        lambda: defaultdict(Counter)
    )
    for fact in facts:
        outcome = OUTCOME_OF.get(fact["result"], "other")
        overall[outcome] += 1
        for sponsor in fact["sponsors"]:
            sponsors[sponsor][outcome] += 1
            years[sponsor][fact["year"]][outcome] += 1
    order = _by_count({value: sum(counts.values()) for value, counts in sponsors.items()})
    return {
        "all": _outcome_counts(overall),
        "sponsors": [
            {
                "value": value,
                **_outcome_counts(sponsors[value]),
                "years": {y: _outcome_counts(years[value][y]) for y in sorted(years[value])},
            }
            for value in order
        ],
        "without_sponsor": sum(not fact["sponsors"] for fact in facts),
    }


def _median_of(values: list[int]) -> dict[str, Any]:
    return {"papers": len(values), "median_days": median(values)}


def _days_to_decision(facts: list[dict[str, Any]], types: list[str]) -> dict[str, Any]:
    decided = [fact for fact in facts if fact["days"] is not None]
    by_year: defaultdict[str, list[int]] = defaultdict(list)
    by_type: defaultdict[str, list[int]] = defaultdict(list)
    for fact in decided:
        by_year[fact["year"]].append(fact["days"])
        by_type[fact["type"]].append(fact["days"])
    undecided = [fact for fact in facts if fact["days"] is None]
    return {
        "all": _median_of([fact["days"] for fact in decided]),
        "same_day": sum(fact["days"] == 0 for fact in decided),
        "years": [{"year": y, **_median_of(by_year[y])} for y in sorted(by_year) if y],
        "types": [{"type": kind, **_median_of(by_type[kind])} for kind in types if by_type[kind]],
        "undecided": sum(fact["consulted"] for fact in undecided),
        "without_consultations": sum(not fact["consulted"] for fact in undecided),
    }


def _committees(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    consultations: Counter[str] = Counter()
    papers: Counter[str] = Counter()
    for fact in facts:
        for committee, times in fact["committees"].items():
            consultations[committee] += times
            papers[committee] += 1
    order = sorted(consultations, key=lambda v: (-consultations[v], -papers[v], v.casefold(), v))
    return [{"value": v, "consultations": consultations[v], "papers": papers[v]} for v in order]


def figures(facts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The figures of some papers' facts (``paper_facts``); see docs/statistics.md."""
    facts = list(facts)
    types = Counter(fact["type"] for fact in facts)
    order = _by_count(types)
    return {
        "papers": len(facts),
        "types": [{"type": kind, "papers": types[kind]} for kind in order],
        **_papers_by_year(facts),
        "outcomes": _outcomes(facts),
        "days_to_decision": _days_to_decision(facts, order),
        "committees": _committees(facts),
    }


EMPTY = figures([])
"""The figures of a council without papers."""


# -- written at reindex time ----------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == VERSION else {}


def _stored_motions(gen: Path, relpaths: list[str]) -> Iterator[tuple[str, Motion]]:
    """(relpath, stored motion) of the papers indexed from ``relpaths`` (a path the index
    does not hold is left out): looked up one by one, or for many (a full build) read in
    one pass over the index."""
    wanted = set(relpaths)
    ix = open_generation(gen)
    try:
        with ix.searcher() as searcher:
            leaves = [(s, o, s.doc_count_all()) for s, o in searcher.reader().leaf_readers()]
            if len(wanted) >= SCAN_FROM:
                for segment, _, _ in leaves:
                    paths = segment.column_reader("path")
                    motions = segment.column_reader("motion")
                    for docnum in segment.all_doc_ids():
                        if paths[docnum] in wanted:
                            yield paths[docnum], _motion(motions[docnum])
                return
            columns: dict[int, Any] = {}
            for relpath in relpaths:
                docnum = searcher.document_number(path=relpath)
                if docnum is None:
                    continue
                leaf = next(i for i, (_, o, n) in enumerate(leaves) if o <= docnum < o + n)
                segment, offset, _ = leaves[leaf]
                if leaf not in columns:
                    columns[leaf] = segment.column_reader("motion")
                yield relpath, _motion(columns[leaf][docnum - offset])
    finally:
        ix.close()


def _motion(stored: bytes) -> Motion:
    return Motion.from_dict(json.loads(stored))


def write_statistics(gen: Path, vocabulary: Vocabulary, previous: Path | None = None) -> int:
    """Write ``gen/statistics.json`` for the papers ``gen``'s manifest lists; returns their
    number. With ``previous`` (the live generation, also ``gen`` itself) the facts of every
    file whose digest is unchanged are taken from its ``statistics-facts.json``."""
    manifest = read_manifest(gen)
    earlier = _read_json(previous / FACTS).get("papers", {}) if previous else {}
    facts: dict[str, list[Any]] = {}
    wanted: list[str] = []
    for relpath, entry in sorted(manifest.items()):
        if is_meeting_file(relpath):
            continue
        known = earlier.get(relpath)
        if known and known[0] == entry.digest:
            facts[relpath] = known
        else:
            wanted.append(relpath)
    if wanted:
        for relpath, motion in _stored_motions(gen, wanted):
            facts[relpath] = [manifest[relpath].digest, paper_facts(vocabulary.apply(motion))]
    papers = [fact for _, fact in facts.values() if fact is not None]
    unchanged = previous == gen and not wanted and len(facts) == len(earlier)
    if unchanged and _read_json(gen / FIGURES):
        return len(papers)
    if not unchanged:
        text = json.dumps({"version": VERSION, "papers": facts}, ensure_ascii=False)
        write_atomic(gen / FACTS, text)
    by_council: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in papers:
        by_council[fact["council"]].append(fact)
    data = {
        "version": VERSION,
        "archive": figures(papers),
        "councils": {key: figures(by_council[key]) for key in sorted(by_council)},
    }
    write_if_changed(gen / FIGURES, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return len(papers)


def statistics_stamp(gen: Path) -> str:
    """Changes whenever the generation's figures are rewritten."""
    return file_stamp(gen / FIGURES)


# -- read by the site -------------------------------------------------------------------------


@dataclass
class Statistics:
    """The figures of one generation: the whole archive's and each council's."""

    archive: dict[str, Any]
    councils: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, gen: Path) -> Statistics:
        """The generation's figures; ``IndexMissingError`` when a reindex has not written
        them (an index built before statistics existed)."""
        data = _read_json(gen / FIGURES)
        if not data:
            raise IndexMissingError(
                f"no statistics in {gen}; run 'ratsarchiv reindex' to compute them"
            )
        return cls(data["archive"], data["councils"])

    def of(self, council: str | None = None) -> dict[str, Any]:
        """The figures of ``council`` (``EMPTY`` when it has no papers), or of the archive."""
        if council is None:
            return self.archive
        return self.councils.get(council) or EMPTY
