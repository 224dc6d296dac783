"""``ratsarchiv import allris-html FILE|URL...``: import ALLRIS classic HTML pages."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import corpus_option
from archive.commands.council_options import council_options
from archive.commands.files_fetch import fetch_options, make_fetcher
from archive.extraction.ocr import require_tesseract
from archive.fetching.address_guard import origin
from archive.files_report import FilesReport
from archive.importers.allris_html import import_pages
from archive.importers.meeting_store import MeetingImport
from archive.importers.progress import ProgressBar
from archive.paper_files import FileWork


@click.command("allris-html")
@click.argument("sources", nargs=-1, required=True, metavar="FILE|URL...")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after N pages.")
@click.option("--force", is_flag=True, help="Overwrite files edited since the last import.")
@click.option(
    "--no-files",
    is_flag=True,
    help="Do not fetch the documents of pages given as URLs (ratsarchiv files fetch can).",
)
@click.option("--no-ocr", is_flag=True, help="Read the documents' text layers only, no OCR.")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=0.5,
    show_default=True,
    metavar="SECONDS",
    help="Pause between two requests for documents to the same server.",
)
@fetch_options
@corpus_option
@council_options
def allris_html(
    sources: tuple[str, ...],
    limit: int | None,
    force: bool,
    no_files: bool,
    no_ocr: bool,
    delay: float,
    max_size: int,
    file_timeout: float,
    allow_private: bool,
    corpus: Path,
    council: str | None,
    council_name: str | None,
) -> None:
    """Import ALLRIS classic pages: vo020 (Drucksache) and to020 (Auszug).

    Pages may be saved files (ISO-8859-1 as served, or re-saved as UTF-8) or
    http(s) URLs. A Drucksache becomes a motion with its Beratungsfolge; an Auszug
    adds its consultation to the paper's motion, and its agenda item to its
    meeting's file (corpus/<council>/meetings/; an item without a paper, like
    Begrüßung, only there). An agenda (to010) becomes its meeting with the public
    items, a meeting calendar (si010) its meetings (planned, or held up to today).
    Non-public items are reported and skipped. Files edited by an archivist since
    the last import are left alone unless --force.

    Committee pages (au020) and faction pages (fr020) become organisation files
    (corpus/<council>/organizations/) with their members, roles and factions;
    the list of factions (fr010) gives each faction's period.

    The papers go into the council --council, else into the corpus's default
    council. A council created on first use is named after the page's header
    (like "Bezirksversammlung Altona"), or --council-name.

    The documents a page links to (the Drucksache PDF, its Anlagen) become the
    paper's file records; for pages given as URLs they are fetched from that
    server and read (text layer, OCR for scans) at once, as ALLRIS's attachment
    links are valid for the visit only. --no-files leaves them for `ratsarchiv
    files fetch`.
    """
    sources = sources[:limit] if limit else sources
    live = [s for s in sources if s.startswith(("http://", "https://"))]
    work = None
    if live and not no_files:
        if not no_ocr:
            require_tesseract()
        fetcher = make_fetcher(
            max_size=max_size,
            file_timeout=file_timeout,
            allow_private=allow_private,
            delay=delay,
            origins=frozenset(origin(s) for s in live),
        )
        work = FileWork(fetcher, ocr=not no_ocr)
    reports = (FilesReport("fetched"), FilesReport("extracted"))
    counter = ProgressBar("pages", total=len(sources))
    meetings = MeetingImport()
    try:
        report = import_pages(
            sources,
            corpus,
            council=council,
            council_name=council_name,
            force=force,
            progress=counter,
            files=work,
            files_reports=reports,
            meetings=meetings,
        )
    finally:
        counter.close()
        if work is not None:
            work.fetcher.close()
    for problem in [*report.problems, *meetings.report.problems]:
        click.echo(problem, err=True)
    fetched, extracted = reports
    for message in [*fetched.messages, *extracted.messages]:
        click.echo(message, err=True)
    click.echo(report.summary())
    if meetings.seen:
        click.echo(meetings.summary())
    if fetched.total:
        click.echo(f"files: {fetched.summary()}; texts: {extracted.summary()}")
    if not report.ok or not meetings.report.ok:
        click.get_current_context().exit(1)
