"""Import ALLRIS classic HTML pages (not built yet)."""

import click


@click.command("allris-html")
def allris_html() -> None:
    """Import ALLRIS classic HTML pages (not built yet)."""
    raise click.ClickException("'allris-html' is not built yet")
