"""Saving imported organisations (committees, factions) into a council's ``organizations/``.

Every importer of organisations (``allris_organizations``, ``oparl_organizations``) saves
through an ``OrganizationStore``: an organisation is matched with its file by its
``source.id`` (so a renamed committee keeps its file), else with the file of its name's
slug when that file has no source (one an archivist wrote by hand); a new one gets the
first free id of its name. A source may show only part of an organisation — ALLRIS's
list of factions (fr010) gives their period but not their members — so an import
refreshes the fields it ``shows`` and keeps the others as the file has them, the notes
after the front matter always. Writing follows ``CorpusWriter.save_document``: unchanged
is left alone, an archivist's edit is a conflict, and nothing is written that ``check``
would reject.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from archive.errors import CorpusErrors
from archive.importers.corpus_writer import CorpusWriter, Outcome
from archive.motion import Source
from archive.organization import Organization, organization_id_for
from archive.organization_files import (
    iter_organization_files,
    next_organization_id,
    organization_path,
    parse_organization,
    read_organization,
    render_organization,
)

EVERYTHING = ("name", "kind", "short_name", "start", "end", "members", "source")
"""The fields a source that has the whole organisation refreshes (all but the notes)."""


def refreshed(existing: Organization, fresh: Organization, shows: Iterable[str]) -> Organization:
    """``existing`` with the fields ``fresh`` comes with (``shows``); an empty field of the
    fresh source keeps the file's value."""
    changes = {key: getattr(fresh, key) for key in shows if key != "source"}
    if "source" in shows:
        old, new = existing.source, fresh.source
        changes["source"] = Source(
            system=new.system or old.system,
            url=new.url or old.url,
            id=new.id or old.id,
            retrieved=new.retrieved or old.retrieved,
        )
    return replace(existing, **changes)


class OrganizationStore:
    """One council's organisation files during an import."""

    def __init__(self, writer: CorpusWriter, council: str) -> None:
        self.writer = writer
        self.council = council
        self.by_source: dict[str, Organization] = {}
        self.by_id: dict[str, Organization] = {}
        self.taken: set[str] = set()
        for path, owner in iter_organization_files(writer.corpus, writer.layout):
            if owner != council:
                continue
            self.taken.add(path.name.removesuffix(".md"))
            try:
                organization = read_organization(path, council)
            except CorpusErrors:
                continue  # a broken file keeps its name; check reports it
            self.by_id[organization.id] = organization
            if organization.source.id:
                self.by_source.setdefault(organization.source.id, organization)

    def find(self, fresh: Organization) -> Organization | None:
        """The file ``fresh`` belongs to: by source id, else a file of its name without one."""
        if fresh.source.id and fresh.source.id in self.by_source:
            return self.by_source[fresh.source.id]
        named = self.by_id.get(organization_id_for(fresh.name))
        return named if named is not None and not named.source.id else None

    def save(
        self, fresh: Organization, shows: Iterable[str] = EVERYTHING
    ) -> tuple[Outcome, str | None]:
        """Save ``fresh`` into its file; the outcome and, when not written, the reason."""
        existing = self.find(fresh)
        if existing is not None:
            organization = refreshed(existing, fresh, tuple(shows))
        else:
            organization = replace(
                fresh, id=next_organization_id(self.taken, fresh.name), council=self.council
            )
            self.taken.add(organization.id)
        target = organization_path(self.writer.layout, self.council, organization.id)
        text = render_organization(organization)
        try:
            parse_organization(text, target, self.council)
        except CorpusErrors as exc:
            problems = "; ".join(e.message for e in exc.errors)
            return Outcome.SKIPPED, f"not written, the file would be invalid: {problems}"
        outcome = self.writer.save_document(target, text)
        if outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED):
            self.by_id[organization.id] = organization
            if organization.source.id:
                self.by_source[organization.source.id] = organization
        return outcome, self.writer.last_reason
