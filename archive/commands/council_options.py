"""``--council KEY`` and ``--council-name NAME``: the options every importer takes."""

from __future__ import annotations

from typing import Any

import click


def council_options(func: Any) -> Any:
    """Add ``--council`` (→ ``council``) and ``--council-name`` (→ ``council_name``)."""
    func = click.option(
        "--council-name",
        "council_name",
        metavar="NAME",
        help="Name of a council this import creates (instead of the name the source gives).",
    )(func)
    return click.option(
        "--council",
        "council",
        metavar="KEY",
        help="Key of the council to import into, like luebeck (created on first use); "
        "default: the corpus's default council.",
    )(func)
