"""Serve the web archive (not built yet)."""

import click


@click.command("serve")
def serve() -> None:
    """Serve the web archive (not built yet)."""
    raise click.ClickException("'serve' is not built yet")
