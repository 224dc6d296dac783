"""The organisations of an index generation: ``organizations.json``, written at every reindex.

Committee and faction pages, and a person's factions and committees, are served from this
catalog, never by reading the corpus on a request: ``write_catalog`` reads every
organisation file (``archive.organization_files``) once per reindex, reusing what an
earlier catalog holds of a file whose stamp (modification time, size) is unchanged, and
writes the catalog atomically into the generation, only when it changed; a full rebuild
writes it into the new generation before the swap.

A name finds its organisation as ``ratsarchiv facets`` groups spellings
(``archive.variants.compact_key``): a committee member's ``GRÜNE-Fraktion`` is the faction
file „Fraktion Bündnis 90/DIE GRÜNEN“ whose short name it is, ``Die Linke-Fraktion`` the
file „Fraktion Die Linke“. A person is one name however the source orders it
(``Strate, Henrik`` = ``Henrik Strate``, ``archive.organization.person_key``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.councils import CouncilLayout
from archive.errors import CorpusErrors
from archive.organization import COMMITTEE, FACTION, person_key
from archive.organization_files import read_organization, walk_organizations
from archive.variants import compact_key
from index.generation_files import file_stamp, read_entries, write_entries

CATALOG = "organizations.json"
CATALOG_VERSION = 1

Shown = dict[str, Any]
"""An organisation as ``Organization.to_dict`` gives it (members with every field)."""


def write_catalog(
    corpus: Path,
    gen: Path,
    layout: CouncilLayout,
    skipped: list[str],
    previous: Path | None = None,
) -> int:
    """Write ``gen/organizations.json`` for every readable organisation file; returns their
    number. A broken file is a ``skipped`` line (``path:line: reason``); with ``previous``
    (the live generation) its last good version stays, as for papers."""
    earlier = {e["relpath"]: e for e in _entries(previous)} if previous else {}
    found, _ = walk_organizations(corpus, layout)
    entries = []
    for path, council in found:
        relpath = path.relative_to(corpus).as_posix()
        stamp = file_stamp(path)
        known = earlier.get(relpath)
        if known and known["stamp"] == stamp and known["organization"]["council"] == council:
            entries.append(known)
            continue
        try:
            organization = read_organization(path, council)
        except CorpusErrors as exc:
            skipped.extend(str(e) for e in exc.errors)
            if known:
                entries.append(known)
            continue
        entries.append({"relpath": relpath, "stamp": stamp, "organization": organization.to_dict()})
    write_entries(gen / CATALOG, CATALOG_VERSION, "organizations", entries)
    return len(entries)


def _entries(gen: Path | None) -> list[dict[str, Any]]:
    return read_entries(gen / CATALOG if gen else None, CATALOG_VERSION, "organizations")


def catalog_stamp(gen: Path) -> str:
    """Changes whenever the generation's catalog is rewritten."""
    return file_stamp(gen / CATALOG)


@dataclass
class OrganizationCatalog:
    """The organisations of one generation, by council, kind, name and member."""

    organizations: dict[tuple[str, str], Shown] = field(default_factory=dict)
    by_council: dict[str, list[str]] = field(default_factory=dict)
    """Council → ids of its organisations, by name."""
    names: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(council, kind, variant key of a name or short name) → id."""
    people: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    """Person key → (council, id, index of the member) of every listing."""

    @classmethod
    def load(cls, gen: Path) -> OrganizationCatalog:
        catalog = cls()
        for entry in _entries(gen):
            org = entry["organization"]
            council, org_id = org["council"], org["id"]
            catalog.organizations[(council, org_id)] = org
            catalog.by_council.setdefault(council, []).append(org_id)
            for name in filter(None, (org["name"], org["short_name"])):
                catalog.names.setdefault((council, org["kind"], compact_key(name)), org_id)
            for index, member in enumerate(org["members"]):
                listing = (council, org_id, index)
                catalog.people.setdefault(person_key(member["name"]), []).append(listing)
        for council, ids in catalog.by_council.items():
            ids.sort(key=lambda i: (catalog.organizations[(council, i)]["name"].casefold(), i))
        return catalog

    def __len__(self) -> int:
        return len(self.organizations)

    def get(self, council: str, slug: str) -> Shown | None:
        """The organisation of ``council`` whose file is ``<slug>.md``."""
        return self.organizations.get((council, slug))

    def of_council(self, council: str, kind: str = "") -> list[Shown]:
        """A council's organisations by name (of one kind: ``committee``, ``faction`` …)."""
        found = (self.organizations[(council, i)] for i in self.by_council.get(council, []))
        return [org for org in found if not kind or org["kind"] == kind]

    def find(self, council: str, name: str, kind: str = "") -> Shown | None:
        """The organisation ``name`` stands for: its id, its name or short name, or a
        spelling of either (``compact_key``); ``None`` when no file has it."""
        by_id = self.get(council, name)
        if by_id is not None and (not kind or by_id["kind"] == kind):
            return by_id
        key = compact_key(name)
        kinds = [kind] if kind else [COMMITTEE, FACTION, "other"]
        for wanted in kinds:
            org_id = self.names.get((council, wanted, key))
            if org_id is not None:
                return self.organizations[(council, org_id)]
        return None

    def memberships_of(self, person: str, council: str = "") -> list[tuple[Shown, dict]]:
        """Every organisation that lists ``person`` (of ``council``), with their listing."""
        found = []
        for owner, org_id, index in self.people.get(person_key(person), []):
            if not council or owner == council:
                org = self.organizations[(owner, org_id)]
                found.append((org, org["members"][index]))
        return found

    def factions_of(self, person: str, council: str = "") -> list[Shown]:
        """The factions ``person`` belongs to: those whose file lists them, and those their
        committee listings name (where a file has that faction), each once, by name."""
        found: dict[tuple[str, str], Shown] = {}
        for org, member in self.memberships_of(person, council):
            if org["kind"] == FACTION:
                found.setdefault((org["council"], org["id"]), org)
            elif member["faction"]:
                faction = self.find(org["council"], member["faction"], FACTION)
                if faction is not None:
                    found.setdefault((faction["council"], faction["id"]), faction)
        return sorted(found.values(), key=lambda o: (o["name"].casefold(), o["council"]))

    def committees_of_faction(self, council: str, faction: str) -> list[tuple[Shown, list[dict]]]:
        """The committees where members of ``faction`` (its id, name or a spelling) sit,
        each with those members, by the committee's name."""
        wanted = self._faction(council, faction)
        found = []
        for committee in self.of_council(council, COMMITTEE):
            members = [
                m
                for m in committee["members"]
                if m["faction"] and self._faction(council, m["faction"]) == wanted
            ]
            if members:
                found.append((committee, members))
        return found

    def _faction(self, council: str, name: str) -> tuple[str, str]:
        """Whom a faction's name means: its file's id, else the name's spelling key."""
        faction = self.find(council, name, FACTION)
        return ("file", faction["id"]) if faction is not None else ("name", compact_key(name))
