"""``<corpus>/.oparl-state.json``: what the OParl importer remembers between runs.

- ``sources``: per paper list URL (one per body), when the last complete run started;
  the next run asks the server only for papers modified since then (``modified_since``);
- ``papers``: per council, OParl paper id → the reference its file carries. It keeps two
  papers of one council that share a reference apart (the second gets
  ``<reference> <kind>/<number>``) and resolves links to papers imported in earlier runs
  (``KEY:REFERENCE`` when the linked paper is in another council). The same OParl paper
  may be in two councils (imported twice, under two keys): each is its own paper;
- ``pending``: papers (``"<council> <paper id>"``) whose linked papers are not (yet) in
  their council. At the end of each run their links are completed: with the papers of
  the same council, else (a paper of another body) with another council's; when a later
  run brings a linked paper into the same council, the link is changed to it.

A state from before councils (``papers``: id → reference; ``pending`` keyed by id) is
read as the default council's.

>>> state = OParlState(Path("/nonexistent"), "karlsruhe")
>>> state.remember("https://x/papers/vo/1", "2024/0001", "karlsruhe")
>>> state.reference_for("https://x/papers/ag/2", "2024/0001", "karlsruhe")
'2024/0001 ag/2'
>>> state.reference_for("https://x/papers/ag/2", "2024/0001", "durlach")
'2024/0001'
>>> state.related(["https://x/papers/vo/1"], "durlach", across=True)
['karlsruhe:2024/0001']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archive.corpus import write_atomic
from archive.councils import qualify
from archive.errors import ConfigError
from archive.importers.oparl import numeric_id

STATE_FILE = ".oparl-state.json"


class OParlState:
    """The state of one corpus; ``save`` writes it atomically."""

    def __init__(self, corpus: Path, default: str) -> None:
        self.path = corpus / STATE_FILE
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data = data if isinstance(data, dict) else {}
        self.default = default
        self.sources: dict[str, dict[str, str]] = dict(data.get("sources") or {})
        papers = data.get("papers") or {}
        if papers and all(isinstance(v, str) for v in papers.values()):
            papers = {default: papers}  # a state from before councils
        self.papers: dict[str, dict[str, str]] = {k: dict(v) for k, v in papers.items()}
        self.pending: dict[str, dict[str, Any]] = {
            key if " " in key else self.pending_key(default, key): entry
            for key, entry in dict(data.get("pending") or {}).items()
        }
        self.owners = {
            (council, reference): paper
            for council, known in self.papers.items()
            for paper, reference in known.items()
        }
        self.homes: dict[str, list[str]] = {}
        """OParl paper id → the councils that have it."""
        for council, known in self.papers.items():
            for paper in known:
                self.homes.setdefault(paper, []).append(council)

    @staticmethod
    def pending_key(council: str, paper_id: str) -> str:
        return f"{council} {paper_id}"

    def known(self, paper_id: str, council: str | None = None) -> bool:
        """Whether the paper was imported (into ``council``, or into any council)."""
        homes = self.homes.get(paper_id, ())
        return council in homes if council is not None else bool(homes)

    def reference_for(self, paper_id: str, reference: str, council: str) -> str:
        """The reference for a paper's file, kept apart from another paper's of its council."""
        known = self.papers.get(council, {}).get(paper_id)
        if known and (known == reference or known.startswith(f"{reference} ")):
            return known
        owner = self.owners.get((council, reference))
        if owner is None or owner == paper_id:
            return reference
        kind = paper_id.rstrip("/").rsplit("/", 2)[-2] if paper_id.count("/") > 1 else "id"
        return f"{reference} {kind}/{numeric_id(paper_id)}"

    def remember(self, paper_id: str, reference: str, council: str) -> None:
        self.papers.setdefault(council, {})[paper_id] = reference
        self.owners[(council, reference)] = paper_id
        homes = self.homes.setdefault(paper_id, [])
        if council not in homes:
            homes.append(council)

    def related(self, ids: list[str], council: str, *, across: bool = False) -> list[str]:
        """``related`` entries of a paper of ``council`` for the imported ones of ``ids``: the
        reference in the same council; with ``across``, a paper not (yet) in that council
        as ``KEY:REFERENCE`` of the council that has it. Such a link stays pending, so when
        the same council gets the paper later, its own copy replaces the link."""
        entries = []
        for other in ids:
            homes = self.homes.get(other, [])
            if council in homes:
                entries.append(self.papers[council][other])
            elif homes and across:
                entries.append(qualify(homes[0], self.papers[homes[0]][other]))
        return entries

    def save(self) -> None:
        data = {"sources": self.sources, "papers": self.papers, "pending": self.pending}
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
        except OSError as exc:
            raise ConfigError(
                f"cannot write {self.path}: {exc.strerror}; every file written is complete, "
                "run the import again when this is fixed"
            ) from None
