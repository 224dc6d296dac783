"""``ratsarchiv import oparl``: one import run from an OParl dump or a live OParl API.

A run reads the organizations and meetings first (small), then streams the papers
one at a time through ``map_paper`` into the ``CorpusWriter``; memory stays bounded
by the largest paper, not by the number of papers.

``<corpus>/.oparl-state.json`` (``archive.importers.oparl_state``) remembers between
runs when each body's papers were last read, which reference each paper's file carries
in its council, and the links still to be added.

From an API the meetings come from each body's meeting list (changed since the last complete
run), from a dump with ``--meetings``; either way they are written after the papers
(``archive.importers.oparl_meetings``), so their agenda items link to the papers of the
same run; with ``--organizations``, then an organisation file per named Organization,
with its members (``archive.importers.oparl_organizations``).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from archive.corpus import read_motion
from archive.councils import check_key, council_layout
from archive.errors import ConfigError, CorpusErrors, RatsarchivError, SourceError
from archive.files import carry_over
from archive.files_report import FilesReport
from archive.importers.corpus_writer import CorpusWriter, ImportReport, Outcome
from archive.importers.oparl import (
    AgendaIndex,
    OParlContext,
    PaperSkipped,
    load_submitters,
    map_paper,
)
from archive.importers.oparl_bodies import BodyPlan, Target, plan_source
from archive.importers.oparl_meetings import MeetingRun, PaperLinks, import_meetings
from archive.importers.oparl_organizations import (
    OrganizationRun,
    import_organizations,
    is_organization,
)
from archive.importers.oparl_source import (
    OParlClient,
    Record,
    count_dump,
    iter_dump,
    load_dump,
)
from archive.importers.oparl_state import OParlState
from archive.motion import Motion
from archive.paper_files import FileWork, fetch_and_read

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
    other_bodies: int = 0
    """Papers of bodies ``--body`` did not choose (left out)."""
    fetched: FilesReport = field(default_factory=lambda: FilesReport("fetched"))
    extracted: FilesReport = field(default_factory=lambda: FilesReport("extracted"))
    """What became of the papers' files (only when they are fetched: ``FileWork``)."""
    paper_links: PaperLinks = field(default_factory=PaperLinks)
    """Consultation ids of this run's papers → their references (for the meetings' items)."""
    meetings: MeetingRun | None = None
    """What became of the meetings (``--meetings``)."""
    organizations: OrganizationRun | None = None
    """What became of the organisations (``--organizations``)."""


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
            if org.get("id") and is_organization(org):  # not its Persons, Memberships
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
    council: str | None = None,
    council_name: str | None = None,
    bodies: Sequence[str] = (),
    organizations: Path | None = None,
    meetings: Path | None = None,
    sponsors: Path | None = None,
    since: str | None = None,
    limit: int | None = None,
    force: bool = False,
    client: OParlClient | None = None,
    progress: PaperProgress | None = None,
    files: FileWork | None = None,
) -> OParlRun:
    """Import the papers of ``source`` (an API URL or a dump file) into ``corpus``.

    Each body goes into its council (``archive.importers.oparl_bodies``): ``council``
    (else the default council) when there is one body, one council per body of a System
    with several; ``bodies`` chooses bodies (``--body``).
    """
    is_url = source.startswith(("http://", "https://"))
    if is_url and client is None:
        client = OParlClient()
    if not is_url and not Path(source).is_file():
        raise SourceError(source, "no such file (expected an OParl dump or an http(s) URL)")
    if council:
        check_key(council)  # before anything is fetched or written
    target = Target(Path(corpus), council, council_name, tuple(bodies))
    state = OParlState(corpus, council_layout(corpus).default)
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")

    def since_for(papers: str) -> str:
        return _since(state, source, papers, since, is_url)

    if is_url:
        assert client is not None
        plans = plan_source(source, client, target, since_for)
    else:
        plans = [target.single("", {}, filtered=True)]
    if meetings is not None and len(plans) > 1:
        raise ConfigError(
            f"--meetings is one body's meetings, and {source} has {len(plans)} bodies; "
            "choose one with --body"
        )
    run = OParlRun()
    ctx = build_context(
        organizations=organizations,
        meetings=meetings,
        sponsors=sponsors,
        client=client if is_url else None,
    )
    corpus.mkdir(parents=True, exist_ok=True)
    sinces = {plan.papers: since_for(plan.papers) for plan in plans}
    run.since = next(iter(sinces.values())) if len(set(sinces.values())) == 1 else ""
    if not is_url and limit is None:
        run.total = count_dump(Path(source))
    fetch_failed = False
    try:
        with CorpusWriter(corpus, force=force) as writer:
            records = _records(source, plans, sinces, client, run)
            saved = _import_one if files is None else partial(_import_with_files, work=files)
            try:
                for done, (plan, record) in enumerate(records, 1):
                    if limit is not None and done > limit:
                        break
                    fetch_failed |= saved(record, plan, ctx, state, writer, run) == "fetch"
                    if progress:
                        progress(done, run.report, run.total)
                else:
                    run.complete = True
            finally:  # also when the source fails midway: link what did arrive
                run.links_added = _complete_links(state, writer, run.report)
            if meetings is not None:
                plan = plans[0]
                writer.use_council(plan.council)
                run.meetings = import_meetings(
                    iter_dump(meetings), plan.key, writer, ctx, run.paper_links
                )
            elif client is not None and limit is None and any(p.meetings for p in plans):

                def meetings_since(url: str) -> str:  # never the papers' date: a first
                    if since:  # run of a meeting list reads it whole
                        return parse_since(since)
                    return state.sources.get(url, {}).get("last_run", "")

                run.meetings = _api_meetings(plans, client, state, meetings_since, writer, ctx, run)
            if organizations is not None:
                objects = load_dump(organizations)
                run.organizations = import_organizations(objects, plans, writer, ctx)
    finally:
        if client is not None:
            run.requests = client.requests
        if is_url and run.complete and not fetch_failed:
            for plan in plans:
                state.sources[plan.papers] = {"last_run": started}
            if run.meetings is not None and run.meetings.report.ok:
                for plan in plans:
                    if plan.meetings:
                        state.sources[plan.meetings] = {"last_run": started}
        state.save()
    return run


def _api_meetings(
    plans: list[BodyPlan],
    client: OParlClient,
    state: OParlState,
    since_for: Callable[[str], str],
    writer: CorpusWriter,
    ctx: OParlContext,
    run: OParlRun,
) -> MeetingRun:
    """Each body's meeting list (``modified_since`` the last complete run), written as
    meeting files after its papers; an item's paper this run did not bring is found
    through its Consultation object (its ``paper``) among the papers imported before."""
    meetings = MeetingRun()

    def reference_of(council: str) -> Callable[[str], str]:
        def resolve(consultation: str) -> str:
            paper = (client.get_object(consultation) or {}).get("paper")
            return state.papers.get(council, {}).get(paper, "") if isinstance(paper, str) else ""

        return resolve

    for plan in plans:
        if not plan.meetings:
            continue
        since = since_for(plan.meetings)
        params = {"modified_since": since} if since else None
        listed = client.iter_list(plan.meetings, params)
        records = (Record(str(m.get("id") or f"meeting {n}"), m) for n, m in enumerate(listed, 1))
        links = replace(run.paper_links, resolve=reference_of(plan.key))
        writer.use_council(plan.council)
        import_meetings(records, plan.key, writer, ctx, links, run=meetings)
    return meetings


def _since(state: OParlState, source: str, papers: str, since: str | None, is_url: bool) -> str:
    """``modified_since`` for a body's papers: ``--since``, else when the last complete run
    of that paper list started (a state from before councils kept it under the source)."""
    if since:
        return parse_since(since)
    if not is_url:
        return ""
    remembered = state.sources.get(papers) or state.sources.get(source) or {}
    return remembered.get("last_run", "")


def _records(
    source: str,
    plans: list[BodyPlan],
    sinces: dict[str, str],
    client: OParlClient | None,
    run: OParlRun,
) -> Iterator[tuple[BodyPlan, Record]]:
    """Every paper of the source with the plan of its body (papers of bodies ``--body``
    did not choose are counted in ``run.other_bodies`` and left out)."""
    for plan in plans:
        since = sinces[plan.papers]
        if client is not None:
            params = {"modified_since": since} if since else None
            papers = client.iter_list(plan.papers, params, first_page=plan.first_page)
            found = (Record(str(p.get("id") or f"paper {n}"), p) for n, p in enumerate(papers, 1))
        else:
            found = (
                r
                for r in iter_dump(Path(source))
                if r.data is None or not since or _modified_after(r.data, since)
            )
        for record in found:
            if record.data is not None and not plan.wants(record.data):
                run.other_bodies += 1
                continue
            yield plan, record


def _keep_file_state(existing: Motion, fresh: Motion) -> Motion:
    """The fresh paper, keeping what was fetched and read of its unchanged files."""
    return replace(fresh, files=carry_over(existing.files, fresh.files))


def _import_one(
    record: Record,
    plan: BodyPlan,
    ctx: OParlContext,
    state: OParlState,
    writer: CorpusWriter,
    run: OParlRun,
) -> str:
    """Map and save one paper into its body's council; every problem becomes a report line."""
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
        if paper.get("deleted") and not state.known(paper_id, plan.key):
            run.deleted += 1  # a tombstone of a paper we never had: nothing to do
            return "deleted"
        if paper.get("deleted"):
            report.add(Outcome.SKIPPED, f"{label}: deleted in the source; its file is kept")
        else:
            report.add(Outcome.SKIPPED, f"{label}: {exc}", plan.key)
        return "skipped"
    except SourceError as exc:
        report.add(Outcome.SKIPPED, f"{label}: could not fetch {exc}", plan.key)
        return "fetch"
    council = plan.key
    reference = state.reference_for(paper_id, mapped.motion.reference, council)
    related = state.related(mapped.related_ids, council, across=True)
    motion = replace(mapped.motion, reference=reference, related=related, council=council)
    try:
        writer.use_council(plan.description(paper))
        outcome, path = writer.save(motion, merge=_keep_file_state)
    except RatsarchivError as exc:
        report.add(Outcome.SKIPPED, f"{label}: {exc}", council)
        return "skipped"
    reason = writer.last_reason
    report.add(outcome, f"{label}: {reason}" if reason else None, council)
    if outcome is Outcome.SKIPPED:
        return "skipped"
    state.remember(paper_id, reference, council)
    run.paper_links.add_paper(paper, reference)
    missing = [i for i in mapped.related_ids if not state.known(i, council)]
    pending = state.pending_key(council, paper_id)
    if missing and path is not None:
        state.pending[pending] = {
            "path": path.relative_to(writer.corpus).as_posix(),
            "related": mapped.related_ids,
            "written": related,
        }
    else:
        state.pending.pop(pending, None)
    return "saved"


def _import_with_files(
    record: Record,
    plan: BodyPlan,
    ctx: OParlContext,
    state: OParlState,
    writer: CorpusWriter,
    run: OParlRun,
    *,
    work: FileWork,
) -> str:
    """``_import_one``, then the saved paper's files fetched and read: a paper is searchable
    by the words of its PDFs as soon as it is imported; a file that fails is reported
    and the paper keeps the others."""
    outcome = _import_one(record, plan, ctx, state, writer, run)
    if outcome == "saved" and writer.last_path is not None:
        fetch_and_read(
            writer,
            writer.last_path,
            work.fetcher,
            ocr=work.ocr,
            fetched=run.fetched,
            extracted=run.extracted,
        )
    return outcome


def _complete_links(state: OParlState, writer: CorpusWriter, report: ImportReport) -> int:
    """Add links to papers imported after the papers that point to them."""
    added = 0
    for key, entry in list(state.pending.items()):
        council, _, paper_id = key.partition(" ")
        ids = entry.get("related") or []
        resolved = state.related(ids, council, across=True)
        if resolved == entry.get("written"):
            continue
        relpath = str(entry.get("path", ""))
        try:
            motion = read_motion(writer.corpus / relpath, writer.layout.council_of(relpath))
        except CorpusErrors:
            state.pending.pop(key, None)  # moved or broken: the archivist's file now
            continue
        if motion.council != council:
            state.pending.pop(key, None)  # moved into another council by an archivist
            continue
        outcome, _ = writer.save(replace(motion, related=resolved))
        if outcome is Outcome.CONFLICT:
            report.problems.append(f"{paper_id}: links not added: {writer.last_reason}")
            continue
        added += outcome is Outcome.UPDATED
        if all(state.known(i, council) for i in ids):
            state.pending.pop(key, None)
        else:
            entry["written"] = resolved
    return added
