"""``ratsarchiv files fetch|extract``: work on the files of papers already in the corpus
(docs/files.md), for example a corpus imported before files were fetched."""

import click

from archive.commands.files_extract import extract
from archive.commands.files_fetch import fetch


@click.group("files")
def files_group() -> None:
    """Fetch the papers' files and read their text (text layer, OCR for scans)."""


files_group.add_command(fetch)
files_group.add_command(extract)
