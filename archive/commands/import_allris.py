"""``ratsarchiv import allris FILE...``: import ALLRIS Auszug text exports."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import corpus_option
from archive.commands.council_options import council_options
from archive.importers.allris_text import import_files
from archive.importers.corpus_writer import Outcome
from archive.importers.meeting_store import MeetingImport


@click.command("allris")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@corpus_option
@council_options
@click.option("--force", is_flag=True, help="Overwrite files edited since the last import.")
def allris(
    files: tuple[Path, ...],
    corpus: Path,
    council: str | None,
    council_name: str | None,
    force: bool,
) -> None:
    """Import ALLRIS "Auszug" pages saved as text (one agenda item each).

    A second Auszug of the same paper adds its consultation to the paper's file;
    importing the same Auszug again changes nothing. Each agenda item also goes
    into its meeting's file (corpus/<council>/meetings/; an item without a paper
    only there), and an "Importierte Niederschrift" becomes its meeting's
    minutes. Files edited by an archivist since the last import are reported and
    left alone unless --force.

    The papers go into the council --council (created on first use, named
    --council-name), else into the corpus's default council.
    """

    def progress(file: Path, outcome: Outcome, path: Path | None) -> None:
        if path is not None:
            click.echo(f"{file}: {outcome.value} {path}")

    meetings = MeetingImport()
    report = import_files(
        files,
        corpus,
        council=council,
        council_name=council_name,
        force=force,
        progress=progress,
        meetings=meetings,
    )
    for problem in [*report.problems, *meetings.report.problems]:
        click.echo(problem, err=True)
    click.echo(f"imported {len(files)} file{'s' if len(files) != 1 else ''}: {report.summary()}")
    if meetings.seen:
        click.echo(meetings.summary())
    if not report.ok or not meetings.report.ok:
        click.get_current_context().exit(1)
