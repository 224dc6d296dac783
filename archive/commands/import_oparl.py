"""``ratsarchiv import oparl SOURCE``: import OParl papers from an API or a dump."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import corpus_option
from archive.commands.council_options import council_options
from archive.commands.files_fetch import fetch_options, make_fetcher
from archive.extraction.ocr import require_tesseract
from archive.fetching.address_guard import origin
from archive.importers.oparl_import import FileWork, import_oparl
from archive.importers.oparl_source import OParlClient
from archive.importers.progress import ProgressBar

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("oparl")
@click.argument("source")
@click.option(
    "--meetings",
    type=_FILE,
    help="Meetings dump with their agenda items: the consultations' dates and results, "
    "and a meeting file each (corpus/<council>/meetings/).",
)
@click.option(
    "--organizations",
    type=_FILE,
    help="Organizations dump: the committees' names, and an organisation file each "
    "(corpus/<council>/organizations/), with members from its Memberships and Persons.",
)
@click.option("--sponsors", type=_FILE, help="Submitter hints (like paper-submitters.json).")
@click.option("--since", metavar="DATE", help="Only papers modified since DATE (2024-05-01).")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after N papers.")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help="Pause between requests to an API.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=4,
    show_default=True,
    help="Retries of a request that failed with 5xx, 429 or a timeout (at once, then after "
    "2, 4 … s, or as long as the server's Retry-After asks).",
)
@click.option(
    "--body",
    "bodies",
    multiple=True,
    metavar="BODY",
    help="Import only this body (its id URL, the id's last part like 0001, or its short "
    "name); repeat for several.",
)
@click.option("--force", is_flag=True, help="Overwrite files edited since the last import.")
@click.option(
    "--no-files",
    is_flag=True,
    help="Do not fetch the papers' files from an API (ratsarchiv files fetch can, later).",
)
@click.option("--no-ocr", is_flag=True, help="Read the files' text layers only, no OCR.")
@fetch_options
@corpus_option
@council_options
def oparl(
    source: str,
    meetings: Path | None,
    organizations: Path | None,
    sponsors: Path | None,
    since: str | None,
    limit: int | None,
    delay: float,
    retries: int,
    bodies: tuple[str, ...],
    force: bool,
    no_files: bool,
    no_ocr: bool,
    max_size: int,
    file_timeout: float,
    allow_private: bool,
    corpus: Path,
    council: str | None,
    council_name: str | None,
) -> None:
    """Import OParl papers from SOURCE: an API URL or a dump file.

    SOURCE is an OParl System, Body or paper-list URL, or a dump (JSON array,
    JSON object with "data", or JSON Lines; .gz is fine). Consultations get their
    meeting, date, agenda item and result from the meetings (--meetings, or the
    API). A second run against the same API asks only for papers changed since
    the last complete run. Files edited by an archivist since the last import are
    reported and left alone unless --force.

    Each body is a council: with one body (a Body URL, a dump, or a System
    with one body or one chosen with --body) the council --council, else the
    corpus's default council; a System with several bodies gives each its own
    council, keyed by the body's short name (--council is refused then). A
    council created on first use is described by its Body (name, short name,
    website, URLs); --council-name replaces the name.

    From an API, the files of each paper that carry no text are fetched and
    read (text layer, OCR for scans) as the paper is imported; --no-files
    leaves that to `ratsarchiv files fetch` and `files extract`. Files are
    fetched from public addresses and from the API's own server only
    (--allow-private for others in an intranet).
    """
    is_url = source.startswith(("http://", "https://"))
    client = OParlClient(delay=delay, retries=retries) if is_url else None
    work = None
    if is_url and not no_files:
        if not no_ocr:
            require_tesseract()
        fetcher = make_fetcher(
            max_size=max_size,
            file_timeout=file_timeout,
            allow_private=allow_private,
            delay=delay,
            origins=frozenset({origin(source)}),
        )
        work = FileWork(fetcher, ocr=not no_ocr)
    counter = ProgressBar("papers")
    try:
        run = import_oparl(
            source,
            corpus,
            council=council,
            council_name=council_name,
            bodies=bodies,
            organizations=organizations,
            meetings=meetings,
            sponsors=sponsors,
            since=since,
            limit=limit,
            force=force,
            client=client,
            progress=counter,
            files=work,
        )
    finally:
        counter.close()
        if client is not None:
            client.close()
        if work is not None:
            work.fetcher.close()
    report = run.report
    for problem in report.problems:
        click.echo(problem, err=True)
    for message in [*run.fetched.messages, *run.extracted.messages]:
        click.echo(message, err=True)
    notes = []
    if run.since:
        notes.append(f"modified since {run.since}")
    if run.other_bodies:
        notes.append(f"{run.other_bodies} of other bodies left out")
    if run.deleted:
        notes.append(f"{run.deleted} deleted in the source (ignored)")
    if run.links_added:
        notes.append(f"links added to {run.links_added} earlier files")
    if run.requests:
        notes.append(f"{run.requests} requests")
    extra = f" ({'; '.join(notes)})" if notes else ""
    click.echo(f"{report.summary()}{extra}")
    if run.meetings is not None:
        for problem in run.meetings.report.problems:
            click.echo(problem, err=True)
        notes = []
        if run.meetings.closed_items:
            closed = run.meetings.closed_items
            notes.append(f"{closed} non-public agenda item{'' if closed == 1 else 's'} left out")
        if run.meetings.deleted:
            notes.append(f"{run.meetings.deleted} deleted in the source (ignored)")
        left_out = f" ({'; '.join(notes)})" if notes else ""
        click.echo(f"meetings: {run.meetings.report.summary()}{left_out}")
    if run.organizations is not None:
        for problem in run.organizations.report.problems:
            click.echo(problem, err=True)
        click.echo(f"organizations: {run.organizations.summary()}")
    if work is not None and run.fetched.total:
        click.echo(f"files: {run.fetched.summary()}; texts: {run.extracted.summary()}")
    if run.organizations is not None and not run.organizations.report.ok:
        click.get_current_context().exit(1)
    if not report.ok or (run.meetings is not None and not run.meetings.report.ok):
        click.get_current_context().exit(1)
