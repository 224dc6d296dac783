"""Quality warnings: things that are valid but probably wrong, for ``ratsarchiv check``.

Validation (``archive.validation``) refuses what cannot be read; these warnings point
at what an archivist should look at: spellings outside the vocabulary, amendments
whose parent is missing, ``related`` links to papers or councils the archive does not
have, papers without a result or resolution, implausible vote counts and probable
duplicates. Each is a ``CorpusError`` located at the key's line.

A paper is (council, reference): its parent and its ``related`` papers are looked up in
its own council unless the entry names another (``KEY:REFERENCE``); its names are judged
by its council's vocabulary; a committee's usual size and a probable duplicate are
judged among the papers of the same council.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from collections.abc import Callable, Container, Iterable
from pathlib import Path

from archive import frontmatter
from archive.corpus import read_text, reference_of
from archive.corpus_walk import files_named
from archive.councils import CouncilLayout, council_reference
from archive.errors import CorpusError, CorpusWarning
from archive.motion import Motion, Votes, slug_for
from archive.references import parent_reference
from archive.vocabulary import Vocabulary

AMENDMENT_TYPES = ("Änderungsantrag", "Ergänzungsantrag", "Austauschantrag")
RESOLUTION_TYPES = (
    "Antrag",
    "Dringlichkeitsantrag",
    *AMENDMENT_TYPES,
    "Beschlussvorlage",
)
"""Types that propose a decision, so their file should hold its text (``## Beschluss``, or
the paper's text in another section, as OParl imports have it). Anfragen ask questions,
Informationsvorlagen, Mitteilungen and Berichte inform."""
NO_DECISION_TYPES = ("Anfrage", "Mitteilung", "Informationsvorlage", "Bericht")
"""Types that are often answered or noted without a recorded result."""

NOT_IN_VOCABULARY = "not in the vocabulary"
MISSING_PARENT = "amended paper missing"
NO_RESULT = "no result"
IMPLAUSIBLE_VOTES = "implausible votes"
DUPLICATE = "probable duplicate"
NO_TEXT = "no resolution or other text"
MISSING_RELATED = "related paper missing"
UNKNOWN_COUNCIL = "unknown council"
KINDS = (
    NOT_IN_VOCABULARY,
    MISSING_PARENT,
    MISSING_RELATED,
    UNKNOWN_COUNCIL,
    NO_RESULT,
    IMPLAUSIBLE_VOTES,
    DUPLICATE,
    NO_TEXT,
)

MAX_VOTES = 100
"""More votes than this in one consultation: no municipal body is that large."""
MIN_SAMPLES = 5
"""Consultations of one committee needed before its usual size is judged."""

Pairs = Iterable[tuple[Path, Motion]]
Identity = tuple[str, str]
"""A paper's (council, reference)."""


def parent_references(motion: Motion) -> list[str]:
    """The references an amendment amends: its ``related`` list, else its number's stem.

    ``VO/2025/14058-01-01`` amends ``VO/2025/14058-01``.
    """
    if motion.related:
        return list(motion.related)
    parent = parent_reference(motion.reference)
    return [parent] if parent else []


def quality_warnings(
    motions_with_paths: Pairs,
    vocabulary: Vocabulary,
    *,
    known_references: Container[Identity] | None = None,
    councils: Container[str] | None = None,
    today: str | None = None,
) -> list[CorpusError]:
    """Warnings for every motion given, in file order.

    ``known_references`` holds the archive's papers as (council, reference) (default: those
    given), ``councils`` its council keys (default: any council counts as known); checks
    across files (duplicates, usual committee sizes) see only the motions given.
    """
    pairs = [(p, m) if isinstance(p, Path) else (m, p) for p, m in motions_with_paths]
    if known_references is None:
        known_references = {(m.council, m.reference) for _, m in pairs}
    today = today or datetime.date.today().isoformat()
    several = len({m.council for _, m in pairs}) > 1
    usual = _usual_sizes(m for _, m in pairs)
    duplicates = _duplicates(pairs)
    warnings: list[CorpusError] = []
    for path, motion in pairs:
        named = vocabulary.for_council(motion.council)
        parent = _missing_parent(motion, known_references)
        kinds = (
            (NOT_IN_VOCABULARY, _outside_vocabulary(motion, named, vocabulary)),
            (MISSING_PARENT, parent),
            *([] if parent else _broken_related(motion, known_references, councils)),
            (NO_RESULT, _no_result(motion, today)),
            (IMPLAUSIBLE_VOTES, _implausible_votes(motion, named, usual, several)),
            (DUPLICATE, [(("title",), message) for message in duplicates.get(path, [])]),
            (NO_TEXT, _no_text(motion)),
        )
        found = [(kind, where, message) for kind, items in kinds for where, message in items]
        if found:
            line_of = _line_finder(path)
            warnings += [
                CorpusWarning(path, message, line_of(where), kind) for kind, where, message in found
            ]
    return warnings


def summary(warnings: Iterable[CorpusError]) -> str:
    """Counts by kind, most frequent first: ``"4676 no result, 68 probable duplicate"``."""
    counts = Counter(getattr(w, "kind", "") or "other" for w in warnings)
    return ", ".join(f"{n} {kind}" for kind, n in counts.most_common())


class CorpusReferences:
    """``(council, reference) in refs`` for a corpus, answered from the file named after
    the reference in the council's folder.

    Checking one file needs to know whether its parent exists, not every reference.
    """

    def __init__(self, layout: CouncilLayout, known: Iterable[Identity] = ()) -> None:
        self.layout = layout
        self.known = set(known)

    def __contains__(self, identity: object) -> bool:
        if identity in self.known:
            return True
        if not isinstance(identity, tuple) or len(identity) != 2:
            return False
        council, reference = identity
        folders = {self.layout.folder(council)}
        if council == self.layout.default and self.layout.legacy:
            folders.add(self.layout.corpus)  # a corpus part of the way through a migration
        name = f"{slug_for(str(reference))}.md"
        return any(
            reference_of(p) == reference
            and self.layout.council_of(p.relative_to(self.layout.corpus).as_posix()) == council
            for folder in folders
            for p in files_named(folder, name)
        )


def check_quality(
    motions_with_paths: Pairs, vocabulary: Vocabulary, layout: CouncilLayout | None
) -> list[CorpusError]:
    """The warnings of ``ratsarchiv check``: papers are looked up in ``layout``'s corpus."""
    pairs = list(motions_with_paths)
    if layout is None:
        return quality_warnings(pairs, vocabulary)
    references = CorpusReferences(layout, ((m.council, m.reference) for _, m in pairs))
    return quality_warnings(
        pairs, vocabulary, known_references=references, councils=set(layout.keys)
    )


def _line_finder(path: Path) -> Callable[[tuple], int | None]:
    """File line of a front-matter key; read only for files that have warnings."""
    try:
        text = read_text(path).replace("\r\n", "\n")
        end = text.find("\n---\n", 3)
        _, lines = frontmatter.load(text[4 : end + 1], path, first_line=2)
    except CorpusError:
        lines = {}

    def line_of(where: tuple) -> int | None:
        for i in range(len(where), 0, -1):
            if where[:i] in lines:
                return lines[where[:i]]
        return None

    return line_of


def _outside_vocabulary(
    motion: Motion, vocab: Vocabulary, archive: Vocabulary
) -> list[tuple[tuple, str]]:
    found = []
    values: list[tuple[str, tuple, str]] = [
        ("sponsors", ("sponsors", i), s) for i, s in enumerate(motion.sponsors)
    ]
    values += [
        ("committees", ("consultations", i, "committee"), c.committee)
        for i, c in enumerate(motion.consultations)
    ]
    values += [("offices", ("lead",), motion.lead)]
    values += [("offices", ("involved", i), o) for i, o in enumerate(motion.involved)]
    values += [("types", ("type",), motion.type)]
    whose = f" of {motion.council} nor the archive's" if vocab is not archive else ""
    reported: set[tuple[str, str]] = set()
    for kind, where, value in values:
        missing = value and vocab.has(kind) and not vocab.is_mapped(kind, value)
        if missing and (kind, value) not in reported:
            reported.add((kind, value))
            found.append((where, f"{kind}: {value!r} is not in the vocabulary{whose}"))
    return found


def _missing_parent(motion: Motion, known: Container[Identity]) -> list[tuple[tuple, str]]:
    if motion.type not in AMENDMENT_TYPES:
        return []
    parents = parent_references(motion)
    if not parents or any(council_reference(p, motion.council) in known for p in parents):
        return []
    where = ("related",) if motion.related else ("reference",)
    names = ", ".join(parents)
    return [(where, f"{motion.type} amends {names}, which is not in the corpus")]


def _broken_related(
    motion: Motion, known: Container[Identity], councils: Container[str] | None
) -> list[tuple[str, list[tuple[tuple, str]]]]:
    """``related`` entries naming a council the archive does not have, or no paper of it.

    The paper its number derives from (``VO/2024/12903`` of ``VO/2024/12903-01``) is left
    to ``_missing_parent``: importers link it from the number, imported or not, and only
    an amendment needs it.
    """
    found: list[tuple[str, list[tuple[tuple, str]]]] = []  # in the order of the list
    by_number = parent_reference(motion.reference)
    for i, entry in enumerate(motion.related):
        council, reference = council_reference(entry, motion.council)
        where = ("related", i)
        if council == motion.council and reference == by_number:
            continue
        if councils is not None and council not in councils:
            message = (
                f"related: {entry!r} names the council {council!r}, which is not in the archive"
            )
            found.append((UNKNOWN_COUNCIL, [(where, message)]))
        elif (council, reference) not in known:
            whose = "" if council == motion.council else f" of the council {council!r}"
            message = f"related: no paper {reference!r}{whose} in the corpus"
            found.append((MISSING_RELATED, [(where, message)]))
    return found


def _no_result(motion: Motion, today: str) -> list[tuple[tuple, str]]:
    if any(c.result.strip() for c in motion.consultations):
        return []
    if motion.type in NO_DECISION_TYPES:
        return []
    if any(c.date > today for c in motion.consultations):
        return []  # still to be decided
    if not motion.consultations:
        return [(("consultations",), "no consultation, so no result")]
    return [(("consultations",), "no consultation has a result")]


def _total(votes: Votes) -> int | None:
    counts = [v for v in (votes.yes, votes.no, votes.abstain) if v is not None]
    return sum(counts) if counts else None


def _complete(votes: Votes) -> bool:
    return None not in (votes.yes, votes.no, votes.abstain)


def _usual_sizes(motions: Iterable[Motion]) -> dict[tuple[str, str], float]:
    """Median vote total per (council, committee as written), from complete counts only."""
    totals: dict[tuple[str, str], list[int]] = {}
    for motion in motions:
        for c in motion.consultations:
            total = _total(c.votes)
            if total and _complete(c.votes):
                totals.setdefault((motion.council, c.committee), []).append(total)
    return {k: statistics.median(v) for k, v in totals.items() if len(v) >= MIN_SAMPLES}


def _implausible_votes(
    motion: Motion, vocab: Vocabulary, usual: dict[tuple[str, str], float], several: bool
) -> list[tuple[tuple, str]]:
    found = []
    totals: dict[str, list[int]] = {}

    def named(committee: str) -> str:  # which council's committee, when several are checked
        return f"{committee} ({motion.council})" if several and motion.council else committee

    for i, c in enumerate(motion.consultations):
        total = _total(c.votes)
        if not total:
            continue
        where = ("consultations", i, "votes")
        median = usual.get((motion.council, c.committee))
        committee = named(c.committee)
        if total > MAX_VOTES:
            found.append((where, f"{total} votes in {committee}: more than any council has"))
        elif median and total > 1.5 * median + 2:
            found.append(
                (where, f"{total} votes in {committee}, which usually has about {median:g}")
            )
        elif median and _complete(c.votes) and total < median / 3:
            found.append(
                (where, f"only {total} votes in {committee}, which usually has about {median:g}")
            )
        if _complete(c.votes):
            totals.setdefault(vocab.canonical("committees", c.committee), []).append(total)
    for committee, values in totals.items():
        if (
            len(values) > 1
            and max(values) > 2 * min(values) + 2
            and (motion.council, committee) not in usual
        ):
            found.append(
                (
                    ("consultations",),
                    f"vote totals in {named(committee)} vary from {min(values)} to {max(values)}",
                )
            )
    return found


def _duplicates(pairs: list[tuple[Path, Motion]]) -> dict[Path, list[str]]:
    """Files with the same title, date, type and sponsors as one of another reference of
    the same council (two councils often debate papers of one wording).

    Two factions' amendments to one paper often share its title: their sponsors differ.
    """
    by_key: dict[tuple, list[tuple[Path, Motion]]] = {}
    for path, motion in pairs:
        if motion.date and motion.title.strip():
            title = " ".join(motion.title.casefold().split())
            key = (motion.council, title, motion.date, motion.type, tuple(sorted(motion.sponsors)))
            by_key.setdefault(key, []).append((path, motion))
    found: dict[Path, list[str]] = {}
    for same in by_key.values():
        if len({m.reference for _, m in same}) < 2:
            continue
        for path, motion in same:
            others = [f"{m.reference} ({p})" for p, m in same if m.reference != motion.reference]
            found.setdefault(path, []).append(
                f"same title and date as {', '.join(others)}: the same paper twice?"
            )
    return found


def _no_text(motion: Motion) -> list[tuple[tuple, str]]:
    if motion.type not in RESOLUTION_TYPES or motion.resolution.strip():
        return []
    if motion.reasons.strip() or motion.body.strip():
        return []  # the proposal is in the paper's text (e.g. "## Antrag" from a PDF)
    return [(("type",), f"{motion.type} without text: no ## Beschluss and no other section")]
