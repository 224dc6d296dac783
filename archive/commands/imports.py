"""``ratsarchiv import SOURCE-KIND ...``: one subcommand per source format."""

import click

from archive.commands.import_allris import allris
from archive.commands.import_allris_html import allris_html
from archive.commands.import_oparl import oparl


@click.group("import")
def import_group() -> None:
    """Import council papers into the corpus (one Markdown file per motion)."""


import_group.add_command(allris)
import_group.add_command(allris_html)
import_group.add_command(oparl)
