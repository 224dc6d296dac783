"""Merging one page's part of a meeting into the meeting's file, in any order.

A meeting is told by several pages: its agenda, an Auszug per item, a calendar, the
minutes. ``merge_meeting`` puts one part into the meeting read from its file so that the
order of the pages does not matter: each field has one kind of page that leads (its value
replaces the file's), and every other kind only fills the field when it is empty.

- ``AGENDA`` leads the name, start, end, place and files, an item's title and note, and
  the order of an item's papers;
- ``AUSZUG`` leads an item's result, votes and resolution, and the item's part of the
  minutes (``### Ö 1 Begrüßung``);
- both lead the committee (each gives the Gremium);
- ``MINUTES`` (a whole Niederschrift) leads the minutes: an item's part is not added to
  minutes of that kind;
- ``CALENDAR`` leads nothing: it fills.

Items are matched by number (by title when there is none) and kept in the order of their
numbers (``item_order``); an item is never dropped. ``status`` is the fresh page's, except
that a meeting once cancelled stays so unless its agenda says otherwise.

>>> sorted(["Ö 10", "Ö 2.1", "Ö 2"], key=lambda n: item_order(AgendaItem(n, "")))
['Ö 2', 'Ö 2.1', 'Ö 10']
>>> render_sections({"Ö 2": ("Ö 2 Bericht", "Text."), "Ö 1": ("Ö 1 Eröffnung", "")})
'### Ö 1 Eröffnung\\n\\n### Ö 2 Bericht\\n\\nText.'
"""

from __future__ import annotations

import re
from dataclasses import replace

from archive.files import carry_over
from archive.meeting import CANCELLED, AgendaItem, Meeting
from archive.motion import Source

AGENDA, AUSZUG, CALENDAR, MINUTES = "agenda", "auszug", "calendar", "minutes"
"""The kinds of page a meeting's part comes from."""

_NUMBER = re.compile(r"^(?:TOP\s*)?[ÖN]?\s*(\d.*)$", re.I)
_SECTION = re.compile(r"^### (\S+(?: [\d.]+[a-z]?)?)(?: |$)", re.MULTILINE)


def item_order(item: AgendaItem) -> tuple:
    """Sort key of an item by its number: ``Ö 2`` < ``Ö 2.1`` < ``Ö 10``; unnumbered last."""
    match = _NUMBER.match(item.number.strip())
    if not match:
        return (1,)
    parts = re.findall(r"\d+|[^\W\d_]+", match.group(1))
    return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in parts))


def _pick(leads: bool, old: str, new: str) -> str:
    """``new`` when it leads and has a value, else ``old`` unless that is empty."""
    return (new or old) if leads else (old or new)


def merge_item(old: AgendaItem, new: AgendaItem, kind: str) -> AgendaItem:
    agenda, auszug = kind == AGENDA, kind == AUSZUG
    papers = [*new.papers, *old.papers] if agenda else [*old.papers, *new.papers]
    return replace(
        old,
        title=_pick(agenda, old.title, new.title),
        papers=list(dict.fromkeys(papers)),
        result=_pick(auszug, old.result, new.result),
        votes=new.votes if new.votes.recorded and (auszug or not old.votes.recorded) else old.votes,
        resolution=_pick(auszug, old.resolution, new.resolution),
        note=_pick(agenda, old.note, new.note),
    )


def _same(a: AgendaItem, b: AgendaItem) -> bool:
    return a.number == b.number if a.number or b.number else a.title == b.title


def merge_items(old: list[AgendaItem], new: list[AgendaItem], kind: str) -> list[AgendaItem]:
    if not new:
        return list(old)
    merged = list(old)
    for item in new:
        at = next((i for i, known in enumerate(merged) if _same(known, item)), None)
        if at is None:
            merged.append(item)
        else:
            merged[at] = merge_item(merged[at], item, kind)
    return sorted(merged, key=item_order)


# ---------------------------------------------------------------- the minutes' item parts


def escape_section_text(text: str) -> str:
    """An item's Protokoll with its own ``#`` lines escaped, so no line opens a part."""
    return re.sub(r"^#", r"\\#", text.strip(), flags=re.MULTILINE)


def parse_sections(minutes: str) -> dict[str, tuple[str, str]] | None:
    """Minutes made only of item parts → number → (heading, text); ``None`` for minutes of
    another kind (a whole Niederschrift, or text an archivist wrote)."""
    text = minutes.strip()
    if not text:
        return {}
    starts = list(_SECTION.finditer(text))
    if not starts or starts[0].start() != 0:
        return None
    sections: dict[str, tuple[str, str]] = {}
    for at, start in enumerate(starts):
        end = starts[at + 1].start() if at + 1 < len(starts) else len(text)
        heading, _, body = text[start.start() + 4 : end].partition("\n")
        sections[start.group(1)] = (heading.strip(), body.strip())
    return sections


def render_sections(sections: dict[str, tuple[str, str]]) -> str:
    """Item parts in the order of their numbers, each ``### <number> <title>`` and its text."""
    ordered = sorted(sections.items(), key=lambda kv: item_order(AgendaItem(kv[0], "")))
    return "\n\n".join(
        f"### {heading}\n\n{text}" if text else f"### {heading}" for _, (heading, text) in ordered
    )


def merge_minutes(old: str, new: str, kind: str) -> str:
    """The minutes after a page of ``kind``: a whole Niederschrift replaces them; an Auszug's
    item part is added to (or replaces its part in) minutes made of item parts only."""
    if kind == MINUTES:
        return new or old
    if kind != AUSZUG or not new:
        return old
    known, fresh = parse_sections(old), parse_sections(new)
    if known is None or not fresh:
        return old
    return render_sections({**known, **fresh})


# ---------------------------------------------------------------- the meeting


def merge_meeting(old: Meeting, new: Meeting, kind: str) -> Meeting:
    """``old`` (read from its file) with the part ``new`` that one page of ``kind`` gives."""
    leads = kind == AGENDA
    header = {
        key: _pick(leads, getattr(old, key), getattr(new, key))
        for key in ("name", "start", "end", "place")
    }
    status = new.status
    if old.status == CANCELLED and not leads:
        status = CANCELLED
    source = Source(
        system=old.source.system or new.source.system,
        url=_pick(leads, old.source.url, new.source.url),
        id=old.source.id or new.source.id,
        retrieved=old.source.retrieved or new.source.retrieved,
    )
    return replace(
        old,
        committee=_pick(kind in (AGENDA, AUSZUG), old.committee, new.committee),
        **header,
        status=status,
        items=merge_items(old.items, new.items, kind),
        files=carry_over(old.files, new.files) if leads and new.files else old.files,
        minutes=merge_minutes(old.minutes, new.minutes, kind),
        source=source,
    )
