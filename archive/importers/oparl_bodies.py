"""Which council each OParl body is imported into.

An OParl System lists its bodies (``Body``: a city council, a district council …);
each body becomes a council of its own, described from the Body: ``name``,
``shortName``, ``website``, the System's and the Body's URL. The key rule:

- one body — a Body URL, a paper list URL, a dump, or a System with one body (or
  one chosen with ``--body``): the council ``--council``, else the corpus's default
  council, named after the Body unless ``--council-name`` says otherwise;
- several bodies: each body's key is ``key_for(shortName or name)``
  (``Stadt Karlsruhe`` → ``stadt-karlsruhe``; ``-2``, ``-3`` … when two bodies would
  share one); ``--council`` and ``--council-name`` are refused, since they name one
  council for several bodies.

``--body`` (``BodyPlan`` selection) chooses bodies by their id URL, the id's last
segment (``0001``), their short name or the key their name gives; from a dump or a
paper list it keeps the papers whose ``body`` is chosen.

>>> body_facts({"id": "https://x/oparl/bodies/1", "name": "Stadt Köln", "shortName": "Köln",
...             "classification": "Kreisfreie Stadt"}, "https://x/oparl/system")["kind"]
'Stadt'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archive.councils import KINDS, Council, key_for
from archive.errors import ConfigError, SourceError
from archive.importers.oparl_source import OParlClient
from archive.importers.targets import describe, target_key


@dataclass
class BodyPlan:
    """One body's papers and the council they go into."""

    papers: str
    """The body's paper list URL (``""`` for a dump)."""
    council: Council
    """The description a council created on first use gets."""
    bodies: tuple[str, ...] = ()
    """``--body`` choices a paper's ``body`` must match (a dump, a paper list)."""
    first_page: dict[str, Any] | None = None
    """The paper list's first page when reading the source fetched it already."""
    meetings: str = ""
    """The body's meeting list URL (``""`` for a dump or a body without one)."""

    @property
    def key(self) -> str:
        return self.council.key

    def wants(self, paper: dict[str, Any]) -> bool:
        """Whether a paper of the source belongs to this plan (``--body`` chose its body)."""
        return not self.bodies or chosen({"id": paper.get("body") or ""}, self.bodies)

    def description(self, paper: dict[str, Any]) -> Council:
        """The council's description, its Body URL taken from ``paper`` when unknown."""
        body = paper.get("body")
        if self.council.oparl_body or not isinstance(body, str):
            return self.council
        return replace(self.council, oparl_body=body)


def body_facts(body: dict[str, Any], system: str = "") -> dict[str, str]:
    """What an OParl Body says of its council, as ``Council`` fields."""

    def text(name: str) -> str:
        value = body.get(name)
        return value.strip() if isinstance(value, str) else ""

    classification = text("classification").lower()
    kinds = sorted(KINDS, key=len, reverse=True)  # "Landkreis" before "Kreis" and "Land"
    kind = next((k for k in kinds if k.lower() in classification), "")
    return {
        "name": text("name"),
        "short_name": text("shortName"),
        "kind": kind,
        "website": text("website"),
        "oparl_system": system,
        "oparl_body": text("id"),
    }


def chosen(body: dict[str, Any], wanted: Sequence[str]) -> bool:
    """Whether ``--body`` values ``wanted`` name this body."""
    body_id = str(body.get("id") or "").rstrip("/")
    names = {body_id, body_id.rsplit("/", 1)[-1]}
    for field_name in ("shortName", "name"):
        value = body.get(field_name)
        if isinstance(value, str) and value.strip():
            names |= {value.strip(), key_for(value)}
    return any(w.strip().rstrip("/") in names for w in wanted)


@dataclass
class Target:
    """Where an import goes: the corpus, ``--council``, ``--council-name``, ``--body``."""

    corpus: Path
    council: str | None = None
    council_name: str | None = None
    bodies: tuple[str, ...] = field(default_factory=tuple)

    def single(
        self, papers: str, facts: dict[str, str], *, filtered: bool, meetings: str = ""
    ) -> BodyPlan:
        """The plan of a source with one body (``filtered``: papers are matched by body)."""
        key = target_key(self.corpus, self.council)
        council = describe(key, self.council_name, **facts)
        return BodyPlan(papers, council, self.bodies if filtered else (), meetings=meetings)

    def several(self, bodies: list[dict[str, Any]], system: str, where: str) -> list[BodyPlan]:
        """One plan per body of a System (the chosen ones)."""
        if self.bodies:
            bodies = [b for b in bodies if chosen(b, self.bodies)]
            if not bodies:
                raise SourceError(where, f"no body matches --body {', '.join(self.bodies)}")
        if len(bodies) == 1:
            facts = body_facts(bodies[0], system)
            papers = paper_list(bodies[0], where)
            return [self.single(papers, facts, filtered=False, meetings=meeting_list(bodies[0]))]
        if self.council or self.council_name:
            names = ", ".join(_label(b) for b in bodies)
            raise ConfigError(
                f"{where} has {len(bodies)} bodies ({names}); --council and --council-name name "
                "one council: choose one body with --body, or leave them out to give each body "
                "its own council"
            )
        plans: list[BodyPlan] = []
        for body in bodies:
            facts = body_facts(body, system)
            key = key_for(facts["short_name"] or facts["name"] or _label(body))
            unique = _unique(key, {p.key for p in plans})
            council = describe(unique, None, **facts)
            plans.append(BodyPlan(paper_list(body, where), council, meetings=meeting_list(body)))
        return plans


def plan_source(
    source: str, client: OParlClient, target: Target, since: Callable[[str], str]
) -> list[BodyPlan]:
    """The bodies behind an OParl System, Body or paper list URL, each with its council;
    ``since(paper_list)`` is the ``modified_since`` a paper list is asked with."""
    params = {"modified_since": since(source)} if since(source) else None
    data = client.get(source, params)  # a System or Body ignores modified_since
    kind = str(data.get("type", "")).rsplit("/", 1)[-1]
    if kind == "System":
        listing = data.get("body")
        if not isinstance(listing, str):
            raise SourceError(source, "the OParl System names no body list")
        system = str(data.get("id") or source)
        return target.several(list(client.iter_list(listing)), system, source)
    if kind == "Body":
        if target.bodies and not chosen(data, target.bodies):
            raise SourceError(source, f"this Body is not --body {', '.join(target.bodies)}")
        system = data.get("system")
        facts = body_facts(data, system if isinstance(system, str) else "")
        papers = paper_list(data, source)
        return [target.single(papers, facts, filtered=False, meetings=meeting_list(data))]
    if isinstance(data.get("data"), list):
        return [replace(target.single(source, {}, filtered=True), first_page=data)]
    raise SourceError(
        source, f"expected an OParl System, Body or paper list, found {kind or 'something else'}"
    )


def paper_list(body: dict[str, Any], where: str) -> str:
    """A Body's paper list URL; ``SourceError`` when it names none."""
    papers = body.get("paper")
    if not isinstance(papers, str):
        raise SourceError(str(body.get("id") or where), "the OParl Body names no paper list")
    return papers


def meeting_list(body: dict[str, Any]) -> str:
    """A Body's meeting list URL, ``""`` when it names none."""
    meetings = body.get("meeting")
    return meetings if isinstance(meetings, str) else ""


def _unique(key: str, taken: set[str]) -> str:
    """``key``, or ``key-2``, ``key-3`` … when another body of the System has it already."""
    candidate, number = key, 1
    while candidate in taken:
        number += 1
        candidate = f"{key}-{number}"
    return candidate


def _label(body: dict[str, Any]) -> str:
    return str(body.get("shortName") or body.get("name") or body.get("id") or "?")
