"""``ratsarchiv import oparl``: one import run from an OParl dump or a live OParl API.

A run reads the organizations and meetings first (small), then streams the papers
one at a time through ``map_paper`` into the ``CorpusWriter``; memory stays bounded
by the largest paper, not by the number of papers.

``<corpus>/.oparl-state.json`` remembers between runs:

- ``sources``: per API URL, when the last complete run started; the next run asks
  the server only for papers modified since then (``modified_since``);
- ``papers``: OParl paper id → the reference its file carries. It keeps two papers
  that share a reference apart (the second gets ``<reference> <kind>/<number>``)
  and resolves links to papers imported in earlier runs;
- ``pending``: papers whose linked papers were not (yet) imported; when a later
  paper of the same or a later run fills a gap, the link is added to the file.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archive.corpus import read_motion, write_atomic
from archive.errors import ConfigError, CorpusErrors, RatsarchivError, SourceError
from archive.importers.corpus_writer import CorpusWriter, ImportReport, Outcome
from archive.importers.oparl import (
    AgendaIndex,
    OParlContext,
    PaperSkipped,
    load_submitters,
    map_paper,
    numeric_id,
)
from archive.importers.oparl_source import (
    OParlClient,
    Record,
    count_dump,
    iter_dump,
    load_dump,
)

STATE_FILE = ".oparl-state.json"

PaperProgress = Callable[[int, ImportReport, "int | None"], None]
"""Called after each paper with the count so far, the report and the total (if known)."""


@dataclass
class OParlRun:
    """The outcome of one run: the report and what the summary should also mention."""

    report: ImportReport = field(default_factory=ImportReport)
    total: int | None = None
    deleted: int = 0
    links_added: int = 0
    requests: int = 0
    since: str = ""
    complete: bool = False


def parse_since(text: str) -> str:
    """``2024-05-01`` or an ISO date-time → the ``modified_since`` value sent to servers."""
    try:
        if "T" in text:
            moment = datetime.datetime.fromisoformat(text)
        else:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time())
    except ValueError:
        raise ConfigError(f"--since {text!r} is not a date like 2024-05-01") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.isoformat(timespec="seconds")


def _modified_after(paper: dict[str, Any], since: str) -> bool:
    try:
        modified = datetime.datetime.fromisoformat(str(paper.get("modified")))
    except ValueError:
        return True
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=datetime.UTC)
    return modified >= datetime.datetime.fromisoformat(since)


class _State:
    """``.oparl-state.json``: sources, paper references, pending links."""

    def __init__(self, corpus: Path) -> None:
        self.path = corpus / STATE_FILE
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data = data if isinstance(data, dict) else {}
        self.sources: dict[str, dict[str, str]] = dict(data.get("sources") or {})
        self.papers: dict[str, str] = dict(data.get("papers") or {})
        self.pending: dict[str, dict[str, Any]] = dict(data.get("pending") or {})
        self.owners = {reference: paper for paper, reference in self.papers.items()}

    def reference_for(self, paper_id: str, reference: str) -> str:
        """The reference for a paper's file, kept apart from another paper's."""
        known = self.papers.get(paper_id)
        if known and (known == reference or known.startswith(f"{reference} ")):
            return known
        owner = self.owners.get(reference)
        if owner is None or owner == paper_id:
            return reference
        kind = paper_id.rstrip("/").rsplit("/", 2)[-2] if paper_id.count("/") > 1 else "id"
        return f"{reference} {kind}/{numeric_id(paper_id)}"

    def remember(self, paper_id: str, reference: str) -> None:
        self.papers[paper_id] = reference
        self.owners[reference] = paper_id

    def save(self) -> None:
        data = {"sources": self.sources, "papers": self.papers, "pending": self.pending}
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
        except OSError as exc:
            raise ConfigError(
                f"cannot write {self.path}: {exc.strerror}; every file written is complete, "
                "run the import again when this is fixed"
            ) from None


def build_context(
    *,
    organizations: Path | None = None,
    meetings: Path | None = None,
    sponsors: Path | None = None,
    client: OParlClient | None = None,
) -> OParlContext:
    """Organizations, the meeting/agenda index and submitter hints for ``map_paper``."""
    ctx = OParlContext(lookup=_lookup(client) if client else None)
    if organizations:
        for org in load_dump(organizations):
            if org.get("id"):
                ctx.organizations[str(org["id"])] = str(org.get("name") or "").strip()
    if meetings:
        ctx.agenda = AgendaIndex()
        for record in iter_dump(meetings):
            if record.error is not None or record.data is None:
                raise SourceError(str(meetings), f"{record.where}: {record.error}")
            for org in record.data.get("organization") or []:
                ctx.organization(org)
            ctx.agenda.add_meeting(record.data, ctx.organizations)
    if sponsors:
        try:
            ctx.submitters = load_submitters(json.loads(sponsors.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise SourceError(
                str(sponsors), f"not a submitter file like paper-submitters.json ({exc})"
            ) from None
    return ctx


def _lookup(client: OParlClient) -> Callable[[str], dict[str, Any] | None]:
    def lookup(url: str) -> dict[str, Any] | None:
        if not url.startswith(("http://", "https://")):
            return None
        return client.get_object(url)

    return lookup


def import_oparl(
    source: str,
    corpus: Path,
    *,
    organizations: Path | None = None,
    meetings: Path | None = None,
    sponsors: Path | None = None,
    since: str | None = None,
    limit: int | None = None,
    force: bool = False,
    client: OParlClient | None = None,
    progress: PaperProgress | None = None,
) -> OParlRun:
    """Import the papers of ``source`` (an API URL or a dump file) into ``corpus``."""
    is_url = source.startswith(("http://", "https://"))
    if is_url and client is None:
        client = OParlClient()
    if not is_url and not Path(source).is_file():
        raise SourceError(source, "no such file (expected an OParl dump or an http(s) URL)")
    run = OParlRun()
    ctx = build_context(
        organizations=organizations,
        meetings=meetings,
        sponsors=sponsors,
        client=client if is_url else None,
    )
    corpus.mkdir(parents=True, exist_ok=True)
    state = _State(corpus)
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    remembered = state.sources.get(source, {}).get("last_run", "") if is_url else ""
    run.since = parse_since(since) if since else remembered
    if not is_url and limit is None:
        run.total = count_dump(Path(source))
    fetch_failed = False
    try:
        with CorpusWriter(corpus, force=force) as writer:
            records = _records(source, is_url, run.since, client)
            try:
                for done, record in enumerate(records, 1):
                    if limit is not None and done > limit:
                        break
                    fetch_failed |= _import_one(record, ctx, state, writer, run) == "fetch"
                    if progress:
                        progress(done, run.report, run.total)
                else:
                    run.complete = True
            finally:  # also when the source fails midway: link what did arrive
                run.links_added = _complete_links(state, writer, run.report)
    finally:
        if client is not None:
            run.requests = client.requests
        if is_url and run.complete and not fetch_failed:
            state.sources[source] = {"last_run": started}
        state.save()
    return run


def _records(source: str, is_url: bool, since: str, client: OParlClient | None) -> Iterator[Record]:
    if is_url:
        assert client is not None
        params = {"modified_since": since} if since else None
        for number, paper in enumerate(client.iter_papers(source, params), 1):
            yield Record(str(paper.get("id") or f"paper {number}"), paper)
        return
    for record in iter_dump(Path(source)):
        if record.data is None or not since or _modified_after(record.data, since):
            yield record


def _import_one(
    record: Record, ctx: OParlContext, state: _State, writer: CorpusWriter, run: OParlRun
) -> str:
    """Map and save one paper; every problem becomes a line of the report."""
    report = run.report
    if record.error is not None or record.data is None:
        report.add(Outcome.SKIPPED, f"{record.where}: {record.error}")
        return "error"
    paper = record.data
    paper_id = str(paper.get("id") or "")
    label = paper_id or record.where
    try:
        mapped = map_paper(paper, ctx)
    except PaperSkipped as exc:
        if paper.get("deleted") and paper_id not in state.papers:
            run.deleted += 1  # a tombstone of a paper we never had: nothing to do
            return "deleted"
        if paper.get("deleted"):
            report.add(Outcome.SKIPPED, f"{label}: deleted in the source; its file is kept")
        else:
            report.add(Outcome.SKIPPED, f"{label}: {exc}")
        return "skipped"
    except SourceError as exc:
        report.add(Outcome.SKIPPED, f"{label}: could not fetch {exc}")
        return "fetch"
    motion = mapped.motion
    reference = state.reference_for(paper_id, motion.reference)
    related = [state.papers[i] for i in mapped.related_ids if i in state.papers]
    motion = replace(motion, reference=reference, related=related)
    try:
        outcome, path = writer.save(motion)
    except RatsarchivError as exc:
        report.add(Outcome.SKIPPED, f"{label}: {exc}")
        return "skipped"
    reason = writer.last_reason
    report.add(outcome, f"{label}: {reason}" if reason else None)
    if outcome is Outcome.SKIPPED:
        return "skipped"
    state.remember(paper_id, reference)
    missing = [i for i in mapped.related_ids if i not in state.papers]
    if missing and path is not None:
        state.pending[paper_id] = {
            "path": path.relative_to(writer.corpus).as_posix(),
            "related": mapped.related_ids,
            "written": related,
        }
    else:
        state.pending.pop(paper_id, None)
    return "saved"


def _complete_links(state: _State, writer: CorpusWriter, report: ImportReport) -> int:
    """Add links to papers imported after the papers that point to them."""
    added = 0
    for paper_id, entry in list(state.pending.items()):
        ids = entry.get("related") or []
        resolved = [state.papers[i] for i in ids if i in state.papers]
        if resolved == entry.get("written"):
            continue
        path = writer.corpus / str(entry.get("path", ""))
        try:
            motion = read_motion(path)
        except CorpusErrors:
            state.pending.pop(paper_id, None)  # moved or broken: the archivist's file now
            continue
        outcome, _ = writer.save(replace(motion, related=resolved))
        if outcome is Outcome.CONFLICT:
            report.problems.append(f"{paper_id}: links not added: {writer.last_reason}")
            continue
        added += outcome is Outcome.UPDATED
        if all(i in state.papers for i in ids):
            state.pending.pop(paper_id, None)
        else:
            entry["written"] = resolved
    return added
