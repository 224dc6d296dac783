"""Controlled vocabularies: many spellings of a faction, committee, type or result, one name.

Archivists keep them in ``corpus/_vocabulary.yml`` (see ``docs/curation.md``); the
corpus files keep the source's wording, the index stores the canonical names, so a
vocabulary change needs only a reindex.

That file is archive-wide. A council whose names differ keeps its own entries in
``corpus/<key>/_vocabulary.yml``: they hold for that council's papers only, added to the
archive-wide ones, and win for every spelling they list (an entry of a canonical name the
archive-wide file has too adds its variants to that entry). ``apply`` and
``fingerprint`` use the vocabulary of the paper's council (``for_council``).

>>> vocab = Vocabulary.from_text('''
... sponsors:
...   Grüne: [BÜNDNIS 90 / DIE GRÜNEN, BÜ90/DIE GRÜNEN]
...   Linke & GAL:
...     members: [Linke, GAL]
... ''', "_vocabulary.yml")
>>> vocab.canonical("sponsors", "bü90/die  grünen")
'Grüne'
>>> vocab.expand("sponsor", "Linke & GAL")
['Linke & GAL', 'Linke', 'GAL']
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archive import frontmatter
from archive.councils import council_layout
from archive.errors import CorpusError
from archive.facet_names import CURATED
from archive.motion import MOTION_TYPES, Motion
from archive.outcomes import RESULTS, normalise_result

FILE_NAME = "_vocabulary.yml"

KINDS = ("sponsors", "committees", "types", "results", "offices")
"""Sections of the file. ``offices`` covers a motion's ``lead`` and ``involved``."""

_KIND_ALIASES = {
    **{facet.name: facet.kind for facet in CURATED},
    **{facet.prefix: facet.kind for facet in CURATED},
    "office": "offices",
    "involved": "offices",
}
"""A facet's name or query prefix (``archive.facet_names``), or a field → its section."""
_CANONICAL_SETS: dict[str, tuple[str, ...]] = {"types": MOTION_TYPES, "results": RESULTS}
_ENTRY_KEYS = ("variants", "members")
_MEMBER_KEYS = ("name", "from", "to")


def kind_of(name: str) -> str:
    """The section for a kind or facet name: ``sponsor`` → ``sponsors``, ``lead`` → ``offices``."""
    kind = _KIND_ALIASES.get(name, name)
    if kind not in KINDS:
        raise ValueError(f"unknown vocabulary kind {name!r} (known: {', '.join(KINDS)})")
    return kind


def lookup_key(value: str) -> str:
    """How variants are matched: Unicode-normalised, case- and whitespace-insensitive."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


@dataclass(frozen=True)
class Member:
    """A name a joint entry also stands for, optionally only between two dates."""

    name: str
    start: str = ""
    end: str = ""

    def active(self, date: str) -> bool:
        return not date or (
            (not self.start or self.start <= date) and (not self.end or date <= self.end)
        )


@dataclass
class Entry:
    """One canonical name with its variants and members, as written in the file."""

    canonical: str
    variants: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    line: int | None = None


class Vocabulary:
    """Maps variant spellings to canonical names, per kind (see ``KINDS``)."""

    def __init__(
        self, entries: dict[str, dict[str, Entry]] | None = None, digest: str = ""
    ) -> None:
        self.entries: dict[str, dict[str, Entry]] = {k: {} for k in KINDS}
        self.entries.update(entries or {})
        self.digest = digest
        """SHA-256 of the file (of every vocabulary file, when councils have their own),
        ``""`` without one: part of each indexed document's hash."""
        self.councils: dict[str, Vocabulary] = {}
        """The vocabulary of each council with its own file: archive-wide plus its entries."""
        self._lookup: dict[str, dict[str, str]] = {k: {} for k in KINDS}
        for kind, by_name in self.entries.items():
            lookup = self._lookup[kind]
            for entry in by_name.values():
                for name in (entry.canonical, *entry.variants):
                    lookup.setdefault(lookup_key(name), entry.canonical)
            for entry in by_name.values():
                for member in entry.members:  # a member is a name of its own
                    lookup.setdefault(lookup_key(member.name), member.name)
        # For fingerprints: every name as it appears in a file, with its entry. A name
        # YAML may write escaped (quotes, backslash) is taken to occur in every file.
        self._names: list[tuple[str, tuple[str, str]]] = []
        self._always: set[tuple[str, str]] = set()
        for kind, by_name in self.entries.items():
            for entry in by_name.values():
                names = (entry.canonical, *entry.variants, *(m.name for m in entry.members))
                for name in names:
                    self._names.append((lookup_key(name), (kind, entry.canonical)))
                    if any(c in name for c in "'\"\\"):
                        self._always.add((kind, entry.canonical))

    @classmethod
    def load(cls, corpus: Path) -> Vocabulary:
        """Read ``<corpus>/_vocabulary.yml`` and each council's ``<corpus>/<key>/_vocabulary.yml``
        (an empty vocabulary when there is none); raises the first file's ``CorpusError``."""
        vocab, errors = cls.load_checked(corpus)
        if errors:
            raise errors[0]
        return vocab

    @classmethod
    def load_checked(cls, corpus: Path) -> tuple[Vocabulary, list[CorpusError]]:
        """Like ``load``, but every broken file's error is returned and the file left out."""
        errors: list[CorpusError] = []
        try:
            vocab = cls.read_file(corpus / FILE_NAME)
        except CorpusError as exc:
            vocab = cls()
            errors.append(exc)
        digests = [vocab.digest]
        for key in sorted(council_layout(corpus).folders):
            path = corpus / key / FILE_NAME
            try:
                own = cls.read_file(path)
            except CorpusError as exc:
                errors.append(exc)
                continue
            if own.digest:
                vocab.councils[key] = vocab.merged(own)
                digests.append(f"{key}:{own.digest}")
        if len(digests) > 1:
            vocab.digest = hashlib.sha256("\n".join(digests).encode("utf-8")).hexdigest()
        return vocab, errors

    @classmethod
    def read_file(cls, path: Path) -> Vocabulary:
        """One vocabulary file; an empty vocabulary when it does not exist."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            raise CorpusError(path, f"cannot read vocabulary: {exc.strerror}") from None
        try:
            text = raw.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise CorpusError(path, "vocabulary is not valid UTF-8", line) from None
        vocab = cls.from_text(text, path)
        vocab.digest = hashlib.sha256(raw).hexdigest()
        return vocab

    def merged(self, own: Vocabulary) -> Vocabulary:
        """This vocabulary with a council's ``own`` entries, which win for every name they
        list: an entry of a canonical name both have gets ``own``'s variants added (and its
        members, if it lists any), and archive-wide variants ``own`` gives another name are
        dropped from their entries."""
        entries: dict[str, dict[str, Entry]] = {}
        for kind in KINDS:
            mine = own.entries[kind]
            claimed = {lookup_key(n) for e in mine.values() for n in (e.canonical, *e.variants)}
            entries[kind] = dict(mine)  # first, so their spellings win
            for canonical, entry in self.entries[kind].items():
                variants = [v for v in entry.variants if lookup_key(v) not in claimed]
                if canonical in mine:
                    ours = mine[canonical]
                    variants = [*ours.variants, *variants]
                    entry = replace(ours, members=ours.members or entry.members)
                entries[kind][canonical] = replace(entry, variants=variants)
        return Vocabulary(entries, own.digest)

    def for_council(self, council: str) -> Vocabulary:
        """The vocabulary ``council``'s papers are named by (the archive-wide one unless the
        council has its own file)."""
        return self.councils.get(council, self)

    @classmethod
    def from_text(cls, text: str, path: Path | str) -> Vocabulary:
        """Parse a vocabulary's YAML; raises ``CorpusError`` (path:line) on the first problem."""
        try:
            data, lines = frontmatter.load(text, path, first_line=1)
        except CorpusError as exc:
            raise CorpusError(
                exc.path, exc.message.replace("front matter", "vocabulary", 1), exc.line
            ) from None
        vocab = _Parser(Path(path), lines).parse(data)
        vocab.digest = hashlib.sha256(text.encode("utf-8")).hexdigest() if text.strip() else ""
        return vocab

    def __bool__(self) -> bool:
        return any(self.entries.values()) or any(self.councils.values())

    def has(self, kind: str) -> bool:
        """Whether the file has entries for ``kind`` (only then are other values "outside" it)."""
        return bool(self.entries[kind_of(kind)])

    def canonical(self, kind: str, value: str) -> str:
        """The canonical name of ``value``; an unknown value comes back unchanged."""
        return self._lookup[kind_of(kind)].get(lookup_key(value), value)

    def is_mapped(self, kind: str, value: str) -> bool:
        """Whether the vocabulary knows ``value`` (as a canonical name, variant or member)."""
        return lookup_key(value) in self._lookup[kind_of(kind)]

    def expand(self, kind: str, value: str, date: str = "") -> list[str]:
        """Every name ``value`` stands for: its canonical name first, then its members'.

        With ``date`` (``YYYY-MM-DD``, e.g. the motion's date) only members of that day count.
        """
        kind = kind_of(kind)
        names: list[str] = []
        pending = [self.canonical(kind, value)]
        while pending:
            name = pending.pop(0)
            if name in names:
                continue
            names.append(name)
            entry = self.entries[kind].get(name)
            if entry:
                pending.extend(
                    self.canonical(kind, m.name) for m in entry.members if m.active(date)
                )
        return names

    def known(self, kind: str) -> set[str]:
        """The canonical names of ``kind`` (members that have no entry of their own included)."""
        kind = kind_of(kind)
        return set(self._lookup[kind].values())

    def apply(self, motion: Motion) -> Motion:
        """The motion as the index sees it: canonical names, sponsors with their members.

        Results the vocabulary maps are replaced by their class (which ``normalise_result``
        returns unchanged). Names are those of the motion's council (``for_council``).
        The motion itself is not changed.
        """
        if motion.council in self.councils:
            return self.councils[motion.council].apply(motion)
        if not any(self.entries.values()):
            return motion
        date = motion.date

        def names(kind: str, values: list[str]) -> list[str]:
            return list(dict.fromkeys(self.canonical(kind, v) for v in values if v))

        sponsors = [n for s in motion.sponsors if s for n in self.expand("sponsors", s, date)]
        return replace(
            motion,
            type=self.canonical("types", motion.type) if motion.type else "",
            sponsors=list(dict.fromkeys(sponsors)),
            lead=self.canonical("offices", motion.lead) if motion.lead else "",
            involved=names("offices", motion.involved),
            consultations=[
                replace(
                    c,
                    committee=self.canonical("committees", c.committee),
                    result=self.canonical("results", c.result) if c.result else "",
                )
                for c in motion.consultations
            ],
        )

    def fingerprint(self, text: str, council: str = "") -> str:
        """Digest of the entries that can change the index document of a file with ``text``
        (a file of ``council``: the vocabulary that council's papers are named by).

        An entry counts when one of its names occurs in the front matter (ignoring case and
        spacing), with the entries of its members; ``""`` when none does. Part of each
        document's content hash, so a vocabulary change reindexes only the files it affects.
        """
        if council in self.councils:
            return self.councils[council].fingerprint(text)
        if not any(self.entries.values()):
            return ""
        end = text.find("\n---", 3)
        head = " ".join(unicodedata.normalize("NFC", text[: end if end > 0 else None]).split())
        head = head.casefold()
        found = [e for name, e in self._names if e in self._always or name in head]
        if not found:
            return ""
        pending, seen = list(found), set()
        while pending:
            kind, canonical = pending.pop()
            if (kind, canonical) in seen:
                continue
            seen.add((kind, canonical))
            entry = self.entries[kind].get(canonical)
            if entry:
                pending.extend((kind, self.canonical(kind, m.name)) for m in entry.members)
        parts = sorted(repr(_entry_tuple(k, self.entries[k].get(c))) for k, c in seen)
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def result_class(self, wording: str) -> str:
        """A result's class (``archive.outcomes.RESULTS``): the vocabulary's, else built-in."""
        if self.is_mapped("results", wording):
            return self.canonical("results", wording)
        return normalise_result(wording)


class _Parser:
    """Turns the loaded YAML into entries, with a path:line error for anything off."""

    def __init__(self, path: Path, lines: dict[frontmatter.Path_, int]) -> None:
        self.path = path
        self.lines = lines

    def fail(self, where: frontmatter.Path_, message: str) -> CorpusError:
        line = None
        for i in range(len(where), -1, -1):
            line = self.lines.get(where[:i])
            if line is not None:
                break
        return CorpusError(self.path, message, line)

    def parse(self, data: Any) -> Vocabulary:
        if data is None or data == {}:
            return Vocabulary()
        if not isinstance(data, dict):
            raise self.fail(
                (), "the vocabulary must be a mapping with the sections " + ", ".join(KINDS)
            )
        entries: dict[str, dict[str, Entry]] = {}
        for kind, section in data.items():
            if kind not in KINDS:
                raise self.fail(
                    (str(kind),), f"unknown section {kind!r} (known: {', '.join(KINDS)})"
                )
            entries[kind] = self.section(kind, section)
        return Vocabulary(entries)

    def section(self, kind: str, section: Any) -> dict[str, Entry]:
        if section is None:
            return {}
        if not isinstance(section, dict):
            raise self.fail((kind,), f"{kind}: expected canonical names as keys (name: [variants])")
        entries: dict[str, Entry] = {}
        seen: dict[str, tuple[str, str]] = {}  # lookup key -> (canonical, where it was listed)
        for name, value in section.items():
            where = (kind, str(name))
            canonical = self.text(name, where, "canonical name")
            allowed = _CANONICAL_SETS.get(kind)
            if allowed and canonical not in allowed:
                raise self.fail(where, f"{kind}: {canonical!r} is not one of {', '.join(allowed)}")
            entry = self.entry(kind, canonical, value, where)
            entry.line = self.lines.get(where)
            self.claim(seen, canonical, canonical, where, "canonical name")
            for i, variant in enumerate(entry.variants):
                self.claim(seen, variant, canonical, (*where, "variants", i), "variant")
            entries[canonical] = entry
        return entries

    def claim(self, seen: dict, name: str, canonical: str, where: tuple, what: str) -> None:
        key = lookup_key(name)
        if key in seen and seen[key][0] != canonical:
            other, other_what = seen[key]
            raise self.fail(
                where,
                f"{name!r} ({what} of {canonical!r}) is already the {other_what} of {other!r}; "
                "a spelling can map to one name only",
            )
        seen.setdefault(key, (canonical, what))

    def entry(self, kind: str, canonical: str, value: Any, where: tuple) -> Entry:
        if value is None:
            return Entry(canonical)
        if isinstance(value, list):
            return Entry(canonical, self.names(value, where, "variant"))
        if not isinstance(value, dict):
            raise self.fail(
                where,
                f"{canonical}: expected a list of variants or a mapping "
                "with 'variants' and 'members'",
            )
        for key in value:
            if key not in _ENTRY_KEYS:
                raise self.fail(
                    (*where, str(key)), f"unknown key {key!r} (known: variants, members)"
                )
        variants = value.get("variants")
        if isinstance(variants, str):
            variants = [variants]
        entry = Entry(canonical, self.names(variants or [], (*where, "variants"), "variant"))
        members = value.get("members") or []
        if members and kind != "sponsors":
            raise self.fail(
                (*where, "members"), "members: only sponsors (joint factions) have members"
            )
        if not isinstance(members, list):
            raise self.fail((*where, "members"), "members: expected a list")
        entry.members = [self.member(m, (*where, "members", i)) for i, m in enumerate(members)]
        return entry

    def names(self, values: Any, where: tuple, what: str) -> list[str]:
        if not isinstance(values, list):
            raise self.fail(where, f"expected a list of {what}s")
        return [self.text(v, (*where, i), what) for i, v in enumerate(values)]

    def member(self, value: Any, where: tuple) -> Member:
        if not isinstance(value, dict):
            return Member(self.text(value, where, "member"))
        for key in value:
            if key not in _MEMBER_KEYS:
                raise self.fail((*where, str(key)), f"unknown key {key!r} (known: name, from, to)")
        member = Member(
            self.text(value.get("name"), (*where, "name"), "member name"),
            self.date(value.get("from"), (*where, "from")),
            self.date(value.get("to"), (*where, "to")),
        )
        if member.start and member.end and member.end < member.start:
            raise self.fail(where, f"member {member.name!r}: 'to' is before 'from'")
        return member

    def text(self, value: Any, where: tuple, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            shown = "nothing" if value is None else repr(value)
            raise self.fail(
                where, f"{what}: expected text, found {shown} (quote it to keep it text)"
            )
        return value.strip()

    def date(self, value: Any, where: tuple) -> str:
        if value is None:
            return ""
        text = self.text(value, where, "date")
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise self.fail(where, f"{text!r} is not a date like 2024-05-07") from None
        return text


def _entry_tuple(kind: str, entry: Entry | None) -> tuple:
    if entry is None:
        return (kind,)
    members = tuple((m.name, m.start, m.end) for m in entry.members)
    return (kind, entry.canonical, tuple(entry.variants), members)
