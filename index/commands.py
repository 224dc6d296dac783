"""Build or update the search index (not built yet)."""

import click


@click.command("reindex")
def reindex() -> None:
    """Build or update the search index (not built yet)."""
    raise click.ClickException("'reindex' is not built yet")


@click.command("search")
def search() -> None:
    """Search the archive from the terminal (not built yet)."""
    raise click.ClickException("'search' is not built yet")
