"""``ratsarchiv import allris-html FILE|URL...``: import ALLRIS classic HTML pages."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import corpus_option
from archive.commands.council_options import council_options
from archive.importers.allris_html import import_pages
from archive.importers.progress import ProgressBar


@click.command("allris-html")
@click.argument("sources", nargs=-1, required=True, metavar="FILE|URL...")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after N pages.")
@click.option("--force", is_flag=True, help="Overwrite files edited since the last import.")
@corpus_option
@council_options
def allris_html(
    sources: tuple[str, ...],
    limit: int | None,
    force: bool,
    corpus: Path,
    council: str | None,
    council_name: str | None,
) -> None:
    """Import ALLRIS classic pages: vo020 (Drucksache) and to020 (Auszug).

    Pages may be saved files (ISO-8859-1 as served, or re-saved as UTF-8) or
    http(s) URLs. A Drucksache becomes a motion with its Beratungsfolge; an Auszug
    adds its consultation to the paper's motion. Non-public items and agenda pages
    (to010) are reported and skipped. Files edited by an archivist since the last
    import are left alone unless --force.

    The papers go into the council --council, else into the corpus's default
    council. A council created on first use is named after the page's header
    (like "Bezirksversammlung Altona"), or --council-name.
    """
    sources = sources[:limit] if limit else sources
    counter = ProgressBar("pages", total=len(sources))
    try:
        report = import_pages(
            sources,
            corpus,
            council=council,
            council_name=council_name,
            force=force,
            progress=counter,
        )
    finally:
        counter.close()
    for problem in report.problems:
        click.echo(problem, err=True)
    click.echo(report.summary())
    if not report.ok:
        click.get_current_context().exit(1)
