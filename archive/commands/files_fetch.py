"""``ratsarchiv files fetch [PATHS]``: download the originals of the papers' files."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click

from archive.cli import corpus_option
from archive.commands.files_common import files_arguments, finish
from archive.fetching import Fetcher, FetchLimits, FetchPolicy
from archive.files_run import run_files
from archive.importers.progress import ProgressBar
from archive.paper_files import fetch_paper_files


def fetch_options(func: object) -> object:
    """The options of every command that fetches files (``files fetch``, ``import oparl``)."""
    options = [
        click.option(
            "--max-size",
            type=click.IntRange(min=1),
            default=200,
            show_default=True,
            metavar="MB",
            help="Largest file fetched; a larger one is reported and left out.",
        ),
        click.option(
            "--file-timeout",
            type=click.FloatRange(min=1),
            default=600.0,
            show_default=True,
            metavar="SECONDS",
            help="Longest a single file may take to download.",
        ),
        click.option(
            "--allow-private",
            is_flag=True,
            help="Also fetch from private and loopback addresses (an intranet server).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_fetcher(
    *,
    max_size: int,
    file_timeout: float,
    allow_private: bool,
    delay: float,
    origins: frozenset[str] = frozenset(),
) -> Fetcher:
    """A ``Fetcher`` from the fetch options (``origins``: the source's own, allowed)."""
    limits = FetchLimits(max_bytes=max_size * 1024**2, deadline=file_timeout)
    policy = FetchPolicy(allow_private=allow_private, allowed_origins=origins)
    return Fetcher(limits, policy, delay=delay)


@click.command("fetch")
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=16),
    default=4,
    show_default=True,
    help="Files downloaded at once.",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=0.5,
    show_default=True,
    metavar="SECONDS",
    help="Pause between two requests to the same server.",
)
@fetch_options
@files_arguments
@corpus_option
def fetch(
    jobs: int,
    delay: float,
    max_size: int,
    file_timeout: float,
    allow_private: bool,
    paths: tuple[Path, ...],
    council: str | None,
    force: bool,
    corpus: Path,
) -> None:
    """Download the originals of the papers' files into the corpus.

    Each file's copy is kept beside its paper (<slug>.files/). A file fetched before
    is asked for again only conditionally (ETag, Last-Modified) and is not downloaded
    when unchanged; --force downloads it anyway. Only public addresses are fetched
    from (--allow-private for an intranet server); an HTML page or anything else
    that is not the PDF it claims to be is reported and not kept. Then run
    `ratsarchiv files extract` to read their text.
    """
    counter = ProgressBar("papers")
    fetcher = make_fetcher(
        max_size=max_size, file_timeout=file_timeout, allow_private=allow_private, delay=delay
    )
    try:
        step = partial(fetch_paper_files, fetcher=fetcher, force=force)
        report = run_files(
            corpus,
            step,
            verb="fetched",
            paths=paths,
            council=council,
            jobs=jobs,
            progress=counter,
        )
    finally:
        counter.close()
        fetcher.close()
    finish(report)
