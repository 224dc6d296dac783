"""The mapping of OParl ``Organization``, ``Membership`` and ``Person`` objects to
organisation files.

``import oparl --organizations FILE`` writes a file per Organization that has a name.
Its kind comes from ``organizationType`` and ``classification`` (``kind_of``): a word of
``FACTION_WORDS`` (Fraktion) makes a faction, one of ``COMMITTEE_WORDS`` (Gremium,
Ausschuss, Beirat, Kommission, a Rat) a committee; where neither says, an organisation
that has meetings is a committee, any other ``other`` (an office, a company).

Members come from Membership objects: embedded in the Organization, listed as objects of
the same file, or embedded in the Person objects the file holds (OParl embeds a person's
memberships there); a member's name is their Person's, their faction the organisation
their membership is ``onBehalfOf``. With a live API, a membership or person the file does
not hold is fetched (one request each). A membership only named by its URL, with nothing
to resolve it (Karlsruhe's dump), gives no member; the run counts them.

>>> kind_of({"organizationType": "Gremium"}), kind_of({"classification": "Fraktion"})
('committee', 'faction')
>>> kind_of({"name": "Tiefbauamt"}), kind_of({"meeting": "https://x/meetings"})
('other', 'committee')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from archive.errors import RatsarchivError
from archive.importers.corpus_writer import CorpusWriter, ImportReport, Outcome
from archive.importers.normalise import clean_line
from archive.importers.oparl import SYSTEM, OParlContext
from archive.importers.oparl_bodies import BodyPlan
from archive.importers.organization_store import OrganizationStore
from archive.motion import Source
from archive.organization import COMMITTEE, FACTION, OTHER, Member, Organization

FACTION_WORDS = ("fraktion",)
COMMITTEE_WORDS = ("gremium", "ausschuss", "kommission", "kreistag")
"""Parts of a word that make a committee, besides a word ending in *rat*."""
_WORD = re.compile(r"\w+")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def type_of(data: dict[str, Any]) -> str:
    """``Organization``, ``Person``, ``Membership`` … of an OParl object (``""``: no type)."""
    return str(data.get("type") or "").rstrip("/").rsplit("/", 1)[-1]


def is_organization(data: dict[str, Any]) -> bool:
    """Whether an object of an organizations file is an Organization (one without a type
    counts as one)."""
    return type_of(data) in ("", "Organization")


def kind_of(data: dict[str, Any]) -> str:
    """An Organization's kind (``archive.organization.KINDS``)."""
    said = " ".join(str(data.get(k) or "") for k in ("organizationType", "classification"))
    words = _WORD.findall(said.casefold())
    if any(part in word for word in words for part in FACTION_WORDS):
        return FACTION
    if any(part in word for word in words for part in COMMITTEE_WORDS):
        return COMMITTEE
    if any(word.endswith("rat") for word in words):  # Gemeinderat, Ortschaftsrat, Beirat
        return COMMITTEE
    return COMMITTEE if data.get("meeting") else OTHER


def person_name(person: dict[str, Any]) -> str:
    """A Person's name: ``name``, else its title, given and family name."""
    if person.get("name"):
        return clean_line(str(person["name"]))
    titles = person.get("title") if isinstance(person.get("title"), list) else []
    parts = [*map(str, titles), person.get("givenName"), person.get("familyName")]
    return clean_line(" ".join(str(p) for p in parts if p))


def _date(value: Any) -> str:
    text = str(value or "")
    return text[:10] if _DATE.match(text) else ""


@dataclass
class People:
    """The persons and memberships an organizations file holds, and how to get others."""

    ctx: OParlContext
    persons: dict[str, str] = field(default_factory=dict)
    memberships: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_organization: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unresolved: int = 0
    """Memberships that gave no member: named by a URL that neither the file nor the API
    resolved, or of a person whose name is not known."""

    @classmethod
    def of(cls, objects: Iterable[dict[str, Any]], ctx: OParlContext) -> People:
        people = cls(ctx)
        for data in objects:
            kind, own = type_of(data), str(data.get("id") or "")
            if kind == "Person":
                people.persons[own] = person_name(data)
                for m in data.get("membership") or []:
                    if isinstance(m, dict):
                        people.add({**m, "person": m.get("person") or own})
            elif kind == "Membership":
                people.add(data)
        return people  # an Organization's embedded memberships are read with it

    def add(self, membership: dict[str, Any]) -> None:
        own = str(membership.get("id") or "")
        if own and own in self.memberships:
            return
        if own:
            self.memberships[own] = membership
        org = membership.get("organization")
        if isinstance(org, str):
            self.by_organization.setdefault(org, []).append(membership)

    def _fetch(self, url: str) -> dict[str, Any]:
        if self.ctx.lookup is None:
            return {}
        try:
            return self.ctx.lookup(url) or {}
        except RatsarchivError:
            return {}

    def person(self, ref: Any) -> str:
        if isinstance(ref, dict):
            return person_name(ref)
        if not isinstance(ref, str) or not ref:
            return ""
        if ref not in self.persons:
            self.persons[ref] = person_name(self._fetch(ref))
        return self.persons[ref]

    def of_organization(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """The memberships of an Organization: those it lists, then those found elsewhere."""
        own = str(data.get("id") or "")
        found: dict[str, dict[str, Any]] = {}
        for ref in data.get("membership") or []:
            if isinstance(ref, dict):
                found[str(ref.get("id") or id(ref))] = ref
            elif isinstance(ref, str):
                membership = self.memberships.get(ref) or self._fetch(ref)
                if membership:
                    found[ref] = membership
                else:
                    self.unresolved += 1
        for membership in self.by_organization.get(own, []):
            found.setdefault(str(membership.get("id") or id(membership)), membership)
        return [m for m in found.values() if not m.get("deleted")]

    def member(self, membership: dict[str, Any]) -> Member | None:
        name = self.person(membership.get("person"))
        if not name:
            self.unresolved += 1
            return None
        faction = membership.get("onBehalfOf")
        return Member(
            name=name,
            role=clean_line(str(membership.get("role") or "")),
            faction=self.ctx.organization(faction) if isinstance(faction, str) else "",
            start=_date(membership.get("startDate")),
            end=_date(membership.get("endDate")),
        )


class OrganizationSkipped(Exception):
    """An Organization that is not written, with the reason for the report."""


def map_organization(data: dict[str, Any], people: People) -> Organization:
    """One OParl Organization → an organisation (without its id)."""
    name = clean_line(str(data.get("name") or ""))
    if not name:
        raise OrganizationSkipped("the organization has no name")
    members: dict[tuple[str, ...], Member] = {}
    for membership in people.of_organization(data):
        member = people.member(membership)
        if member is not None:
            members.setdefault(tuple(member.to_dict().values()), member)
    start, end = _date(data.get("startDate")), _date(data.get("endDate"))
    return Organization(
        name=name,
        kind=kind_of(data),
        short_name=clean_line(str(data.get("shortName") or "")),
        start=start,
        end=end if not start or end >= start else "",
        members=list(members.values()),
        source=Source(
            system=SYSTEM,
            url=str(data.get("web") or data.get("id") or ""),
            id=str(data.get("id") or ""),
        ),
    )


@dataclass
class OrganizationRun:
    """What the organisations of a run came to."""

    report: ImportReport = field(default_factory=ImportReport)
    deleted: int = 0
    """Organizations deleted in the source (nothing written; an existing file is kept)."""
    unresolved: int = 0
    """Memberships that gave no member (``People.unresolved``)."""

    def summary(self) -> str:
        """The report's counts, and what was left out."""
        notes = []
        if self.deleted:
            notes.append(f"{self.deleted} deleted in the source (ignored)")
        if self.unresolved:
            notes.append(f"{self.unresolved} memberships without a known person: no members")
        return self.report.summary() + (f" ({'; '.join(notes)})" if notes else "")


def _plan_for(data: dict[str, Any], plans: list[BodyPlan]) -> BodyPlan | None:
    if len(plans) == 1:
        return plans[0] if plans[0].wants(data) else None
    return next((p for p in plans if p.council.oparl_body == data.get("body")), None)


def import_organizations(
    objects: list[dict[str, Any]], plans: list[BodyPlan], writer: CorpusWriter, ctx: OParlContext
) -> OrganizationRun:
    """Write an organisation file per named Organization of ``objects`` into its body's
    council; every problem is a ``source-id: reason`` line of the report."""
    run = OrganizationRun()
    people = People.of(objects, ctx)
    stores: dict[str, OrganizationStore] = {}
    for data in filter(is_organization, objects):
        label = str(data.get("id") or data.get("name") or "an organization")
        if data.get("deleted"):
            run.deleted += 1
            continue
        plan = _plan_for(data, plans)
        if plan is None:
            run.report.add(Outcome.SKIPPED, f"{label}: of a body not imported")
            continue
        try:
            organization = map_organization(data, people)
        except OrganizationSkipped as exc:
            run.report.add(Outcome.SKIPPED, f"{label}: {exc}", plan.key)
            continue
        if plan.key not in stores:
            writer.use_council(plan.council)
            stores[plan.key] = OrganizationStore(writer, plan.key)
        outcome, reason = stores[plan.key].save(organization)
        run.report.add(outcome, f"{label}: {reason}" if reason else None, plan.key)
    run.unresolved = people.unresolved
    return run
