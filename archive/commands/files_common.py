"""What ``files fetch`` and ``files extract`` share: their arguments and their summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.files_report import FilesReport


def files_arguments(func: Any) -> Any:
    """``[PATHS]...``, ``--council KEY`` and ``--force``."""
    func = click.option("--force", is_flag=True, help="Do it again for unchanged files too.")(func)
    func = click.option("--council", metavar="KEY", help="Only the papers of this council.")(func)
    return click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))(func)


def finish(report: FilesReport) -> None:
    """Every message on stderr, the summary on stdout; exit 1 when a file failed."""
    for message in report.messages:
        click.echo(message, err=True)
    click.echo(report.summary())
    if not report.ok:
        click.get_current_context().exit(1)
