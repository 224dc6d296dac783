"""``ratsarchiv check [PATH...]``: validate corpus files."""

from __future__ import annotations

from pathlib import Path

import click

from archive import quality
from archive.checking import check_corpus
from archive.cli import corpus_option


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (see docs/curation.md).")
@corpus_option
def check(paths: tuple[Path, ...], corpus: Path, strict: bool = False) -> None:
    """Validate corpus files (default: the whole corpus).

    Prints every problem as path:line: message and exits 1 if there is any.
    Checks the archive's _archive.yml, _council.yml and _vocabulary.yml files
    too, and the papers' file records and stored texts (missing, wrong page
    count or sha256, orphans), and counts per council when the files belong to
    several. Warnings
    (values outside the vocabulary, missing results, related papers not in the
    archive, ...) do not fail the check unless --strict is given.
    """
    report = check_corpus(list(paths) or [corpus], corpus=corpus)
    for error in report.errors:
        click.echo(str(error))
    for warning in report.warnings:
        click.echo(f"{warning} (warning)")
    click.echo(report.summary())
    for line in report.council_lines():  # when the files belong to several councils
        click.echo(line)
    if report.warnings:  # by kind, so one common warning does not hide the rare ones
        click.echo(f"warnings: {quality.summary(report.warnings)}")
    if report.errors or (strict and report.warnings):
        click.get_current_context().exit(1)
