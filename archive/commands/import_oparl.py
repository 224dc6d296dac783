"""Import OParl papers from an API or a dump (not built yet)."""

import click


@click.command("oparl")
def oparl() -> None:
    """Import OParl papers from an API or a dump (not built yet)."""
    raise click.ClickException("'oparl' is not built yet")
