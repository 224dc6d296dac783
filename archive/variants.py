"""Probable variants among facet values, and the advice ``ratsarchiv facets`` gives.

Two values are probable variants when their *variant key* is equal — a normal form
that ignores case, spacing, punctuation, umlaut spelling (ä/ae), ``&``/``und``,
articles, a "Fraktion" prefix or suffix and known party abbreviations — or, more
conservatively, when they differ only by one letter in one longer word or by spaces.

>>> variant_key("BÜ90/DIE GRÜNEN") == variant_key("Bündnis 90 / Die Grünen")
True
>>> variant_key("DIE LINKE.-Gemeinderatsfraktion")
'linke'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archive import frontmatter
from archive.corpus import iter_council_files, read_motion
from archive.errors import CorpusErrors
from archive.facet_names import CURATED, FACETS_BY_NAME, RESULT, SPONSOR
from archive.motion import Motion
from archive.vocabulary import FILE_NAME, Vocabulary, kind_of

FACETS = tuple(facet.name for facet in CURATED)
"""The facets ``ratsarchiv facets`` reports on (``archive.facet_names.CURATED``)."""

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_PHRASES = (
    (re.compile(r"\b(?:b|bue|buend|buendnis)\s*90\b"), "buendnis 90"),
    (re.compile(r"\bbuendnis 90 gruene\b"), "gruene"),
    (re.compile(r"\bfreie waehler\b"), "fw"),
)
_WORDS = {
    "gruenen": "gruene",
    "or": "ortschaftsrat",
    "ortschaftsratsfraktion": "ortschaftsrat",
    "bezirksfraktion": "bezirk",
}
_DROPPED = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "fraktion",
        "fraktionen",
        "ratsfraktion",
        "gemeinderatsfraktion",
        "stadtratsfraktion",
        "buergerschaftsfraktion",
        "kreistagsfraktion",
    ]
)
_JOINERS = re.compile(r"\s*(?:&|\+|\||/|,|\bund\b)\s*")


def variant_key(value: str) -> str:
    """The normal form under which spellings of one name are equal."""
    text = unicodedata.normalize("NFC", value).casefold().translate(_UMLAUTS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("&", " und ").replace("+", " und ")
    text = _LETTER_DIGIT.sub(" ", _NOT_WORD.sub(" ", text))
    words = [_WORDS.get(w, w) for w in text.split()]
    words = [w for w in words if w not in _DROPPED]
    text = " ".join(w for i, w in enumerate(words) if i == 0 or w != words[i - 1])
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


def compact_key(value: str) -> str:
    """``variant_key`` without its spaces: ``Bau-Ausschuss`` = ``Bauausschuss``, the key
    under which a name finds its organisation file."""
    return variant_key(value).replace(" ", "")


def similar(key_a: str, key_b: str) -> bool:
    """Near misses of two different keys: only spaces differ, or one letter in one long word."""
    if key_a == key_b:
        return True
    if key_a.replace(" ", "") == key_b.replace(" ", ""):
        return True
    words_a, words_b = key_a.split(), key_b.split()
    if len(words_a) != len(words_b):
        return False
    differing = [(a, b) for a, b in zip(words_a, words_b, strict=True) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    if min(len(a), len(b)) < 5 or any(c.isdigit() for c in a + b):
        return False
    return _edit_distance(a, b, limit=2) <= (2 if min(len(a), len(b)) >= 10 else 1)


def _edit_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def group_variants(values: Iterable[str], links: Iterable[tuple[str, str]] = ()) -> list[list[str]]:
    """Groups (of two or more) of values that are probable variants of one another.

    ``links`` are pairs known to belong together (e.g. a variant and its canonical name).
    """
    links = list(links)
    values = list(dict.fromkeys([*values, *(v for pair in links for v in pair)]))
    parent = {v: v for v in values}

    def find(v: str) -> str:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    by_key: dict[str, list[str]] = {}
    for value in values:
        by_key.setdefault(variant_key(value), []).append(value)
    keys = [k for k in by_key if k]
    for group in by_key.values():
        for other in group[1:]:
            parent[find(other)] = find(group[0])
    by_length: dict[int, list[str]] = {}
    for key in keys:
        by_length.setdefault(len(key.split()), []).append(key)
    for same_length in by_length.values():
        for i, a in enumerate(same_length):
            for b in same_length[i + 1 :]:
                if abs(len(a) - len(b)) <= 2 and similar(a, b):
                    parent[find(by_key[b][0])] = find(by_key[a][0])
    for key in keys:  # "Bau ausschuss" / "Bauausschuss": different word counts
        compact = key.replace(" ", "")
        by_key.setdefault(f"\0{compact}", []).append(by_key[key][0])
    for key, group in by_key.items():
        if key.startswith("\0"):
            for other in group[1:]:
                parent[find(other)] = find(group[0])
    for a, b in links:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for value in values:
        groups.setdefault(find(value), []).append(value)
    return [sorted(g) for g in groups.values() if len(g) > 1]


# -- the facets report --------------------------------------------------------


@dataclass
class ValueInfo:
    value: str
    count: int
    canonical: str | None  # the vocabulary's name, None when the vocabulary does not know it
    result_class: str | None = None  # only for the result facet


@dataclass
class VariantGroup:
    values: list[str]
    suggestion: str | None  # the canonical name to map them to; None when already resolved
    mapped_to: list[str] = field(default_factory=list)  # canonical names already in use
    note: str = ""


@dataclass
class JointSuggestion:
    value: str
    members: list[str]


@dataclass
class FacetReport:
    """One facet's values (of one council's papers when ``council`` is set)."""

    facet: str
    kind: str
    files: int
    unreadable: int
    values: list[ValueInfo]
    groups: list[VariantGroup]
    joint: list[JointSuggestion]
    snippet: str
    council: str = ""
    organizations: dict[str, str] = field(default_factory=dict)
    """Value → the name of the organisation file (committee, faction) it names, itself or
    under another spelling (``archive.organization_files``)."""
    unused: list[str] = field(default_factory=list)
    """Names of organisation files of the facet's kind that no paper names."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def facet_values(motion: Motion, facet: str) -> list[str]:
    """A motion's values of one facet, as written in its file (each value once)."""
    named = FACETS_BY_NAME.get(facet)
    if named is None or named.written is None:
        raise ValueError(f"unknown facet {facet!r} (known: {', '.join(FACETS)})")
    return list(dict.fromkeys(v.strip() for v in named.written(motion) if v and v.strip()))


def read_corpus(corpus: Path) -> Iterator[tuple[Path, str, Motion | None]]:
    """Every motion file with its council's key and its motion, or ``None`` where the file
    does not validate."""
    for path, council in iter_council_files(corpus):
        try:
            yield path, council, read_motion(path, council)
        except CorpusErrors:
            yield path, council, None


def facet_report(
    motions: Iterable[Motion | None],
    facet: str,
    vocabulary: Vocabulary,
    organizations: dict[str, str] | None = None,
) -> FacetReport:
    """Counts of every value of ``facet`` (motions carrying it), variants and advice.

    ``organizations`` maps the names and short names of the organisation files of the
    facet's kind (committees, factions) to their names: a value that names one is said so,
    and a variant group without a vocabulary entry is advised to take the file's name.
    """
    official = organizations or {}
    kind = kind_of(facet)
    counts: Counter[str] = Counter()
    files = unreadable = 0
    for motion in motions:
        files += 1
        if motion is None:
            unreadable += 1
            continue
        counts.update(facet_values(motion, facet))
    values = [
        ValueInfo(
            value,
            count,
            vocabulary.canonical(kind, value) if vocabulary.is_mapped(kind, value) else None,
            vocabulary.result_class(value) if facet == RESULT.name else None,
        )
        for value, count in sorted(counts.items(), key=lambda p: (-p[1], p[0].casefold()))
    ]
    groups = [] if facet == RESULT.name else _groups(values, vocabulary, kind, official)
    joint = _joint(values, groups, vocabulary) if facet == SPONSOR.name else []
    by_key = {compact_key(spelling): name for spelling, name in official.items()}
    filed = {v.value: official.get(v.value) or by_key.get(compact_key(v.value)) for v in values}
    named = {name for name in filed.values() if name}
    return FacetReport(
        facet,
        kind,
        files,
        unreadable,
        values,
        groups,
        joint,
        _snippet(kind, groups, joint, vocabulary),
        organizations={value: name for value, name in filed.items() if name},
        unused=sorted(set(official.values()) - named, key=str.casefold),
    )


def _groups(
    values: list[ValueInfo], vocabulary: Vocabulary, kind: str, official: dict[str, str]
) -> list[VariantGroup]:
    """Variant groups that still need the archivist: some spelling is not mapped yet. Without
    a vocabulary entry, the name of the organisation file they name is the suggestion."""
    info = {v.value: v for v in values}
    links = [(v.value, v.canonical) for v in values if v.canonical and v.canonical != v.value]
    known = vocabulary.known(kind)
    groups: list[VariantGroup] = []
    for component in group_variants([*info, *known, *official], links):
        in_corpus = sorted((m for m in component if m in info), key=lambda m: (-info[m].count, m))
        unmapped = [m for m in in_corpus if info[m].canonical is None]
        if not unmapped:
            continue  # every spelling is mapped: the archivist has decided
        names = sorted(
            {info[m].canonical for m in in_corpus if info[m].canonical}
            | {m for m in component if m not in info and m in known}
        )
        filed = sorted({official[m] for m in component if m in official})
        if not names and len(filed) == 1 and in_corpus != filed:
            groups.append(VariantGroup(in_corpus, filed[0], filed))
            continue
        if not names and len(filed) > 1:
            note = "organisation files " + " and ".join(filed) + ": map the spellings by hand"
            groups.append(VariantGroup(in_corpus, None, filed, note))
            continue
        if len(names) > 1:
            note = "mapped to different names already: map the others by hand"
            groups.append(VariantGroup(in_corpus, None, names, note))
        elif names:
            groups.append(VariantGroup(in_corpus, names[0], names))
        elif len(in_corpus) > 1:
            groups.append(VariantGroup(in_corpus, _pick_name(in_corpus, info)))
    return groups


def _pick_name(values: list[str], info: dict[str, ValueInfo]) -> str:
    """The most used spelling, preferring one that is not all capitals."""
    return min(values, key=lambda v: (-info[v].count, v.isupper(), v))


def _joint(
    values: list[ValueInfo], groups: list[VariantGroup], vocabulary: Vocabulary
) -> list[JointSuggestion]:
    """Values like "KAL/Die PARTEI" whose every part is itself a sponsor in the corpus."""
    name_of = {v.value: v.canonical or v.value for v in values}
    for group in groups:
        if group.suggestion:
            name_of.update(dict.fromkeys(group.values, group.suggestion))
    known = {variant_key(v): name for v, name in sorted(name_of.items())}
    known.update({variant_key(n): n for n in vocabulary.known("sponsors")})
    found: list[JointSuggestion] = []
    for info in values:
        entry = vocabulary.entries["sponsors"].get(info.canonical or "")
        if entry and entry.members:
            continue
        parts = [p.strip() for p in _JOINERS.split(info.value) if p.strip()]
        if len(parts) < 2 or any(p.startswith("-") or p.endswith("-") for p in parts):
            continue  # "CDU- und FDP-Fraktion": which CDU is meant is a guess
        if variant_key(info.value) in {variant_key(p) for p in parts}:
            continue
        names = [known.get(variant_key(p)) for p in parts]
        if all(names) and len(set(names)) == len(names):
            found.append(JointSuggestion(name_of[info.value], [n for n in names if n]))
    return found


def _snippet(
    kind: str, groups: list[VariantGroup], joint: list[JointSuggestion], vocabulary: Vocabulary
) -> str:
    """YAML to paste into ``_vocabulary.yml`` (entries that exist already are said so)."""
    section: dict[str, Any] = {}
    existing: list[str] = []
    for group in groups:
        if not group.suggestion:
            continue
        # A new entry lists every spelling, its name too: renaming the key then loses none.
        variants = [v for v in group.values if not vocabulary.is_mapped(kind, v)]
        if group.suggestion in vocabulary.entries[kind]:
            existing.append(group.suggestion)
        elif vocabulary.is_mapped(kind, group.suggestion):
            variants = [v for v in variants if v != group.suggestion]
        section.setdefault(group.suggestion, []).extend(variants)
    for suggestion in joint:
        name = suggestion.value
        variants = section.pop(name, [])
        section[name] = {"members": suggestion.members} | (
            {"variants": variants} if variants else {}
        )
    if not section:
        return ""
    lines = []
    if existing:
        lines.append(
            f"# already in {FILE_NAME}, add the variants to their lists: {', '.join(existing)}"
        )
    lines.append(frontmatter.dump({kind: section}).rstrip("\n"))
    return "\n".join(lines) + "\n"
