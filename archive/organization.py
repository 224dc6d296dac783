"""The organisation model: a committee, a faction or another body of a council, and its members.

An organisation is a file of its own, ``<corpus>/<council>/organizations/<id>.md``
(``archive.organization_files``). Its ``id`` is the file's name, the slug of its name
(``-2``, ``-3`` … for a second organisation of the same name, such as a faction of a later
term), and like a paper's council it is written nowhere else. Its ``kind`` is one of a
small fixed list (``KINDS``): ``committee`` (Ausschuss, Gremium, the council itself),
``faction`` (Fraktion, Gruppe) or ``other`` (an office, a company, an advisory post).

A member is a person as the source names them, with their role (Art der Mitarbeit), the
faction they sit for (or the body that named them, such as a Seniorenbeirat) and, where
the source has them, the dates of their membership.

>>> organization_id_for("Ausschuss für Umwelt und Gesundheit")
'ausschuss-fuer-umwelt-und-gesundheit'
>>> Member("Strate, Henrik", role="Vorsitzendes Mitglied").metadata()
{'name': 'Strate, Henrik', 'role': 'Vorsitzendes Mitglied'}
>>> person_key("Strate, Henrik") == person_key("Henrik  Strate")
True
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from archive.corpus_walk import ORGANIZATIONS_FOLDER
from archive.motion import Source, slug_for

__all__ = ["KINDS", "ORGANIZATIONS_FOLDER", "Member", "Organization", "organization_id_for"]

COMMITTEE, FACTION, OTHER = "committee", "faction", "other"
KINDS = (COMMITTEE, FACTION, OTHER)
"""An organisation's kind: a committee (Ausschuss, Gremium, Ortschaftsrat, the council
itself), a faction (Fraktion, Gruppe) or any other body (Amt, Beirat without meetings …)."""

MEMBER_FIELDS = ("name", "role", "faction", "start", "end")


def organization_id_for(name: str, number: int = 1) -> str:
    """An organisation's id from its name; ``number`` > 1 for a later one of the same name."""
    base = slug_for(name)[:120].strip("-") or "organisation"
    return base if number <= 1 else f"{base}-{number}"


def person_key(name: str) -> str:
    """How one person's names are compared: ``Strate, Henrik`` = ``Henrik Strate``, case
    and spacing ignored."""
    text = unicodedata.normalize("NFC", name).casefold()
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    return " ".join(text.split())


@dataclass
class Member:
    """One member of an organisation."""

    name: str
    role: str = ""
    """The role as the source writes it (``Vorsitzendes Mitglied``, ``Fraktionsmitglied``)."""
    faction: str = ""
    """The faction the member sits for, or the body that named them, as written."""
    start: str = ""
    end: str = ""
    """The membership's dates (``YYYY-MM-DD``), where the source has them."""

    def active(self, date: str) -> bool:
        """Whether the membership holds on ``date`` (always, where no dates are known)."""
        return not date or (
            (not self.start or self.start <= date) and (not self.end or date <= self.end)
        )

    def metadata(self) -> dict[str, str]:
        """The member as its file writes it: empty fields left out."""
        return {key: getattr(self, key) for key in MEMBER_FIELDS if getattr(self, key)}

    def to_dict(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in MEMBER_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Member:
        return cls(**{key: data.get(key) or "" for key in MEMBER_FIELDS})


@dataclass
class Organization:
    """A committee, faction or other body of one council, with its members."""

    name: str
    kind: str = OTHER
    short_name: str = ""
    start: str = ""
    end: str = ""
    """The organisation's period (``YYYY-MM-DD``); an empty ``end``: it still exists."""
    members: list[Member] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    body: str = ""
    """Markdown after the front matter (a description, notes), kept verbatim."""
    council: str = ""
    id: str = ""
    """The file's name without ``.md`` (``organization_id_for``)."""

    def active(self, date: str) -> bool:
        """Whether the organisation exists on ``date``."""
        return (not self.start or self.start <= date) and (not self.end or date <= self.end)

    def metadata(self) -> dict[str, Any]:
        """The front-matter fields in their fixed order."""
        return {
            "name": self.name,
            "kind": self.kind,
            "short_name": self.short_name,
            "start": self.start,
            "end": self.end,
            "members": [member.metadata() for member in self.members],
            "source": self.source.to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        """All fields (the catalog's and the API's JSON shape)."""
        return {
            "council": self.council,
            "id": self.id,
            **self.metadata(),
            "members": [member.to_dict() for member in self.members],
            "body": self.body,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Organization:
        """An organisation from validated plain data (``archive.organization_validation``)."""
        return cls(
            name=data["name"],
            kind=data.get("kind") or OTHER,
            short_name=data.get("short_name") or "",
            start=data.get("start") or "",
            end=data.get("end") or "",
            members=[Member.from_dict(m) for m in data.get("members") or []],
            source=Source(**(data.get("source") or {})),
            body=data.get("body") or "",
            council=data.get("council") or "",
            id=data.get("id") or "",
        )
