"""One normaliser from a raw ALLRIS "Auszug" record to a ``Motion``.

An Auszug is the extract of one agenda item (TOP) of one meeting: the paper it
handles, the committee's decision, the vote and the minutes. Readers turn a
source format into an ``AuszugRecord`` of raw strings, as they appear on the page;
``normalise_auszug`` is the only place that interprets them. Readers so far:
``archive.importers.allris_text`` (text copied from the browser) and the ALLRIS
classic HTML reader (``to020.asp`` pages).

The record, field by field (every field is a raw string; empty when absent)::

    source        what to call the record in messages (file name or URL)
    title_line    the page heading without "Auszug - " ("SPD & FW: AT Quartiere …")
    meeting       the meeting's name ("9. Sitzung des Ausschusses für Soziales")
    agenda_item   TOP ("Ö 7.2"; "N 3" is non-public)
    committee     Gremium
    decision      Beschlussart ("abgelehnt", "unverändert beschlossen", "(offen)")
    date          Datum ("Di, 07.05.2024")
    meeting_status  the header's Status (describes the meeting; not used to decide)
    time, room, location   the header's Zeit ("16:00 - 20:39"), Raum and Ort
    paper_line    the paper under the agenda item: reference, sponsors, type
                  abbreviation and title ("VO/2024/12903-01 SPD & FW, Linke & GAL:
                  AT Quartiere …"); further lines (a subtitle) may follow after "\\n"
    item_status   the agenda item's own Status ("öffentlich" / "nichtöffentlich")
    paper_kind    Drucksache-Art, where the page shows it ("Sitzungsvorlage öffentlich")
    lead          Federführend
    involved      Beteiligt (several offices separated by newlines or ";")
    clerk         Bearbeiter/-in
    minutes       the Wortprotokoll / Protokoll section
    resolution    the Beschluss section, paragraphs separated by blank lines
    vote_grid     label → raw cell of the fixed result grid ("Ja-Stimmen" → "7",
                  "einstimmige Annahme" → "" or a mark such as "X")
    vote_text     counts written as free text ("Ja-Stimmen: 45 / Nein-Stimmen: 2")
    outcome       the closing sentence ("Der Antrag wurde mehrheitlich abgelehnt.")
    source_system, source_url, source_id   provenance for ``Motion.source``

What comes out: the paper's reference (``VO/`` restored where an amendment's line
dropped it, the parent of a suffixed reference in ``related``), sponsors and type
from the title prefix, one consultation for this agenda item (result as written,
vote counts, a "Beratung siehe Top …" pointer as its note), the Beschluss split into
resolution and guiding questions, other minutes as a body section. The motion's
date is the meeting's date. Non-public items are refused with ``SourceError``.

>>> parse_paper_line("VO/2024/12903-01 SPD & FW, Linke & GAL: AT Quartiere stärken")[:3]
('VO/2024/12903-01', ['SPD & FW', 'Linke & GAL'], 'Antrag')
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from archive.errors import SourceError
from archive.motion import Consultation, Motion, Source, Votes
from archive.publicity import non_public_item, public_item, says_non_public
from archive.references import parent_reference

SYSTEM = "ALLRIS"

TYPE_ABBREVIATIONS = {
    "AT": "Antrag",
    "ÄA": "Änderungsantrag",
    "AeA": "Änderungsantrag",
    "ÄnA": "Änderungsantrag",
    "EA": "Ergänzungsantrag",
    "AA": "Austauschantrag",
    "DA": "Dringlichkeitsantrag",
    "BV": "Beschlussvorlage",
    "IV": "Informationsvorlage",
    "AF": "Anfrage",
    "KA": "Anfrage",
    "MT": "Mitteilung",
    "MV": "Mitteilung",
    "BE": "Bericht",
    "VL": "Vorlage",
}
"""Type abbreviations of ALLRIS paper titles (``SPD: AT Titel``) → motion type."""

# Drucksache-Art wording → type; the first match wins, specific before general.
_KIND_TYPES = (
    ("änderungsantrag", "Änderungsantrag"),
    ("ergänzungsantrag", "Ergänzungsantrag"),
    ("austauschantrag", "Austauschantrag"),
    ("dringlichkeitsantrag", "Dringlichkeitsantrag"),
    ("antrag", "Antrag"),
    ("anfrage", "Anfrage"),
    ("mitteilung", "Mitteilung"),
    ("beschlussvorlage", "Beschlussvorlage"),
    ("informationsvorlage", "Informationsvorlage"),
    ("bericht", "Bericht"),
    ("vorlage", "Vorlage"),
)

GRID_LABELS = (
    "einstimmige Annahme",
    "einstimmige Ablehnung",
    "Ja-Stimmen",
    "Nein-Stimmen",
    "Enthaltungen",
    "Kenntnisnahme",
    "Vertagung",
    "Ohne Votum",
)
"""The fixed labels of ALLRIS's Abstimmungsergebnis grid (shown even when empty)."""


@dataclass
class AuszugRecord:
    """One ALLRIS agenda-item extract as raw strings (see the module docstring)."""

    source: str
    title_line: str = ""
    meeting: str = ""
    agenda_item: str = ""
    committee: str = ""
    decision: str = ""
    date: str = ""
    meeting_status: str = ""
    time: str = ""
    room: str = ""
    location: str = ""
    paper_line: str = ""
    item_status: str = ""
    paper_kind: str = ""
    lead: str = ""
    involved: str = ""
    clerk: str = ""
    minutes: str = ""
    resolution: str = ""
    vote_grid: dict[str, str] = field(default_factory=dict)
    vote_text: str = ""
    outcome: str = ""
    source_system: str = SYSTEM
    source_url: str = ""
    source_id: str = ""


# ---------------------------------------------------------------- text cleaning

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")


def clean_line(text: str) -> str:
    """One line with odd spaces (NBSP, thin spaces, tabs) made plain and collapsed."""
    text = _ODD_SPACES.sub(" ", text.translate(_INVISIBLE))
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Lines cleaned, runs of blank lines reduced to one, outer blank lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean_line(line) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def paragraphs(text: str) -> list[str]:
    """The blank-line separated paragraphs of a cleaned text."""
    return [p for p in clean_text(text).split("\n\n") if p.strip()]


# ---------------------------------------------------------------- the paper line

_VO_REFERENCE = re.compile(r"^(?:VO\s*/\s*)?(\d{4})\s*/\s*(\d+)((?:-\d+)*)$", re.IGNORECASE)
_PAPER_START = re.compile(
    r"^(?P<ref>(?:VO\s*/\s*)?\d{4}\s*/\s*\d+(?:-\d+)*|[A-Za-z]{0,4}[\d][\w./-]*)(?:\s+|$)"
)
_ABBREVIATION = "|".join(sorted(map(re.escape, TYPE_ABBREVIATIONS), key=len, reverse=True))
_TITLED = re.compile(
    rf"^(?:(?P<sponsors>[^:]+?)\s*:\s*)?(?P<abbr>{_ABBREVIATION})\s+(?P<title>\S.*)$"
)
_JOINT = re.compile(r"^interfraktionell\s*(?:[-–—:]\s*)?", re.IGNORECASE)


def normalise_reference(text: str) -> str:
    """``2025/14058-01`` → ``VO/2025/14058-01``; other schemes (``22-0621``) unchanged."""
    text = clean_line(text)
    match = _VO_REFERENCE.match(text)
    if match:
        return f"VO/{match.group(1)}/{match.group(2)}{match.group(3)}"
    return text


def split_sponsors(text: str) -> list[str]:
    """Sponsors from a title prefix: split on commas and "und", never on "&" or in (…)."""
    text = _JOINT.sub("", clean_line(text))
    parts: list[str] = []
    depth = 0
    current = ""
    i = 0
    while i < len(text):
        char = text[i]
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char == ",":
            parts.append(current)
            current = ""
        elif depth == 0 and text.startswith(" und ", i):
            parts.append(current)
            current = ""
            i += len(" und ") - 1
        else:
            current += char
        i += 1
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def parse_title(text: str) -> tuple[list[str], str, str]:
    """``"SPD & FW, Linke & GAL: AT Quartiere …"`` → sponsors, type ("" if unknown), title."""
    text = clean_line(text)
    match = _TITLED.match(text)
    if match:
        sponsors = split_sponsors(match.group("sponsors") or "")
        return sponsors, TYPE_ABBREVIATIONS[match.group("abbr")], match.group("title").strip()
    prefix, colon, rest = text.partition(":")
    if colon and _JOINT.match(prefix) and rest.strip():
        return split_sponsors(prefix), "", rest.strip()
    return [], "", text


def parse_paper_line(text: str) -> tuple[str, list[str], str, str]:
    """A paper line → reference, sponsors, type and title.

    Lines after the first (a subtitle such as "Eingabe vom 19.01.2025") are joined
    to the title with " – ".
    """
    lines = [clean_line(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return "", [], "", ""
    match = _PAPER_START.match(lines[0])
    if not match:
        return "", [], "", ""
    reference = normalise_reference(match.group("ref"))
    sponsors, kind, title = parse_title(lines[0][match.end() :])
    title = " – ".join([title, *lines[1:]]) if title else " – ".join(lines[1:])
    return reference, sponsors, kind, title


def type_from_kind(paper_kind: str) -> str:
    """A motion type from a Drucksache-Art ("Sitzungsvorlage öffentlich" → Vorlage)."""
    lowered = paper_kind.lower()
    for word, kind in _KIND_TYPES:
        if word in lowered:
            return kind
    return ""


# ---------------------------------------------------------------- meeting facts

_DATE = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str, source: str) -> str:
    """``Di, 07.05.2024`` (or ``2024-05-07``) → ``2024-05-07``."""
    text = clean_line(text)
    match = _DATE.search(text)
    iso = _ISO_DATE.search(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day).isoformat()
        if iso:
            return datetime.date(*(int(g) for g in iso.groups())).isoformat()
    except ValueError:
        pass
    raise SourceError(source, f"meeting date {text!r} is not a date like 'Di, 07.05.2024'")


def check_public(record: AuszugRecord) -> None:
    """Refuse a non-public agenda item (TOP ``N …`` or Status ``nichtöffentlich``), and one
    that nothing says is public (``archive.publicity``)."""
    top = clean_line(record.agenda_item)
    status = clean_line(record.item_status)
    if non_public_item(top):
        reason = f"agenda item {top!r} is non-public (N)"
    elif says_non_public(status):
        reason = f"the agenda item's Status is {record.item_status.strip()!r}"
    elif says_non_public(record.paper_kind):
        reason = f"the paper is a {record.paper_kind.strip()!r}"
    elif not public_item(top) and "öffentlich" not in status.lower():
        reason = "neither the TOP (Ö/N) nor a Status line says the agenda item is public"
    else:
        return
    raise SourceError(record.source, f"not public: {reason}; nothing imported")


# ---------------------------------------------------------------- votes and result

_COUNT_WORDS = (
    ("yes", r"ja(?:-?stimmen)?|dafür"),
    ("no", r"nein(?:-?stimmen)?|gegenstimmen|dagegen"),
    ("abstain", r"enthaltung(?:en)?|stimmenthaltung(?:en)?"),
)
_FREE_COUNTS = {
    key: re.compile(rf"\b(?:{words})\s*:\s*(\d+)", re.IGNORECASE) for key, words in _COUNT_WORDS
}
_GRID_KEYS = {"Ja-Stimmen": "yes", "Nein-Stimmen": "no", "Enthaltungen": "abstain"}
_MARK = re.compile(r"^(?:x|✓|✔|☒|ja|1)$", re.IGNORECASE)


def _count(raw: str, label: str, source: str) -> int | None:
    raw = clean_line(raw)
    if not raw or raw in {"-", "–", "—"}:
        return None
    if not raw.isdigit():
        raise SourceError(source, f"vote grid: {label} {raw!r} is not a count")
    return int(raw)


def parse_votes(record: AuszugRecord) -> Votes:
    """Counts from the grid; free-text counts fill what the grid leaves empty."""
    counts: dict[str, int | None] = {"yes": None, "no": None, "abstain": None}
    for label, raw in record.vote_grid.items():
        key = _GRID_KEYS.get(clean_line(label))
        if key:
            counts[key] = _count(raw, label, record.source)
    free = " ".join([record.vote_text, record.outcome])
    for key, pattern in _FREE_COUNTS.items():
        match = pattern.search(free)
        if counts[key] is None and match:
            counts[key] = int(match.group(1))
    return Votes(**counts)


def unanimous(record: AuszugRecord) -> str:
    """``"Annahme"``/``"Ablehnung"`` when the grid marks a unanimous vote, else ``""``."""
    for label, raw in record.vote_grid.items():
        value = clean_line(raw)
        if value and (value.isdigit() or _MARK.match(value)):
            label = clean_line(label).lower()
            if label == "einstimmige annahme":
                return "Annahme"
            if label == "einstimmige ablehnung":
                return "Ablehnung"
    return ""


def parse_result(record: AuszugRecord) -> str:
    """The result as written (Beschlussart, else the outcome sentence), marked einstimmig."""
    result = clean_line(record.decision)
    if result.lower() in {"(offen)", "offen", "-"}:
        result = ""
    outcome = clean_line(record.outcome)
    if not result:
        result = outcome.rstrip(".")
    vote = unanimous(record)
    if vote and "einstimmig" not in result.lower():
        if result:
            result = f"{result} (einstimmig)"
        else:
            result = "einstimmig angenommen" if vote == "Annahme" else "einstimmig abgelehnt"
    return result


# ---------------------------------------------------------------- texts

_POINTER = re.compile(r"^(?:(?:die\s+)?beratung\s+|behandlung\s+)?(?:siehe|s\.)\s+top\b", re.I)
_BULLET = re.compile(r"^(?:[-*•–]|\d{1,2}[.)]|[a-z][.)])\s+")


def split_resolution(text: str) -> tuple[str, list[str]]:
    """A Beschluss → resolution paragraphs and the guiding questions that end it.

    Questions are the run of "…?" items after a paragraph ending in ":" ("Folgende
    Fragestellungen sind besonders zu berücksichtigen:"), when nothing else follows;
    that intro sentence stays in the resolution.
    """
    parts = paragraphs(text)
    for i, intro in enumerate(parts[:-1]):
        if not intro.endswith(":"):
            continue
        items: list[str] = []
        for paragraph in parts[i + 1 :]:
            for item in re.split(r"(?<=\?)\n", paragraph):
                items.append(clean_line(_BULLET.sub("", item.replace("\n", " "))))
        if items and all(item.endswith("?") for item in items):
            return "\n\n".join(parts[: i + 1]), items
    return "\n\n".join(parts), []


def _escape_headings(text: str) -> str:
    return re.sub(r"^#", r"\\#", text, flags=re.MULTILINE)


def minutes_section(consultation: Consultation, minutes: str) -> str:
    """The body section holding one consultation's minutes."""
    day = consultation.date
    if day:
        day = datetime.date.fromisoformat(day).strftime("%d.%m.%Y")
    where = ", ".join(p for p in (consultation.committee, day) if p)
    heading = f"## Wortprotokoll ({where})" if where else "## Wortprotokoll"
    return f"{heading}\n\n{_escape_headings(minutes)}"


# ---------------------------------------------------------------- the normaliser


def normalise_auszug(record: AuszugRecord) -> Motion:
    """Turn one Auszug record into a motion with one consultation.

    Raises ``SourceError`` for a non-public item, an item without a paper, or a
    date that is not a date.
    """
    check_public(record)
    reference, sponsors, kind, title = parse_paper_line(record.paper_line)
    if not reference:
        raise SourceError(
            record.source,
            "the agenda item has no paper (expected a line like 'VO/2024/12903-01 <title>'); "
            "nothing imported",
        )
    if not title:
        sponsors, kind, title = parse_title(re.sub(r"^Auszug\s*-\s*", "", record.title_line))
    if not title:
        raise SourceError(record.source, f"paper {reference} has no title; nothing imported")
    date = parse_date(record.date, record.source)
    minutes = clean_text(record.minutes)
    note = ""
    if minutes and "\n" not in minutes and _POINTER.match(minutes):
        note, minutes = minutes, ""
    consultation = Consultation(
        committee=clean_line(record.committee),
        meeting=clean_line(record.meeting),
        date=date,
        agenda_item=clean_line(record.agenda_item),
        public=True,
        result=parse_result(record),
        votes=parse_votes(record),
        note=note,
    )
    resolution, questions = split_resolution(record.resolution)
    parent = parent_reference(reference)
    involved = [clean_line(p) for p in re.split(r"[\n;]", record.involved)]
    return Motion(
        reference=reference,
        title=title,
        type=kind or type_from_kind(record.paper_kind),
        sponsors=sponsors,
        lead=clean_line(record.lead),
        involved=[p for p in involved if p],
        clerk=clean_line(record.clerk),
        date=date,
        public=True,
        consultations=[consultation],
        related=[parent] if parent else [],
        source=Source(
            system=clean_line(record.source_system) or SYSTEM,
            url=clean_line(record.source_url),
            id=clean_line(record.source_id),
        ),
        resolution=resolution,
        questions=questions,
        body=minutes_section(consultation, minutes) if minutes else "",
    )


def _same_item(a: Consultation, b: Consultation) -> bool:
    return (a.committee, a.date, a.agenda_item) == (b.committee, b.date, b.agenda_item)


def merge_auszug(existing: Motion, new: Motion) -> Motion:
    """Add ``new``'s consultations to ``existing`` (an ``CorpusWriter.save`` merge).

    The same agenda item (committee, date, TOP) is replaced by the newer reading,
    so importing one Auszug twice changes nothing; consultations stay sorted by
    date; the motion's date is the earliest meeting's; other empty fields of
    ``existing`` are filled from ``new``; the minutes sections of ``new`` are
    appended to the body unless already there.
    """
    consultations = [
        c for c in existing.consultations if not any(_same_item(c, n) for n in new.consultations)
    ]
    consultations.extend(new.consultations)
    consultations.sort(key=lambda c: c.date or "")
    body = existing.body.strip()
    for section in re.split(r"\n(?=## )", new.body.strip()):
        if section and section not in body:
            body = f"{body}\n\n{section}" if body else section
    return replace(
        existing,
        title=existing.title or new.title,
        type=existing.type or new.type,
        sponsors=existing.sponsors or new.sponsors,
        lead=existing.lead or new.lead,
        involved=existing.involved or new.involved,
        clerk=existing.clerk or new.clerk,
        date=min(filter(None, [existing.date, new.date]), default=""),
        public=existing.public and new.public,
        consultations=consultations,
        related=list(dict.fromkeys([*existing.related, *new.related])),
        source=existing.source if existing.source.system else new.source,
        resolution=existing.resolution or new.resolution,
        questions=existing.questions or new.questions,
        reasons=existing.reasons or new.reasons,
        body=body,
    )
