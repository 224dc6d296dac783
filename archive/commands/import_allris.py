"""Import ALLRIS Auszug text exports (not built yet)."""

import click


@click.command("allris")
def allris() -> None:
    """Import ALLRIS Auszug text exports (not built yet)."""
    raise click.ClickException("'allris' is not built yet")
