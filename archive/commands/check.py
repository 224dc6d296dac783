"""Validate corpus files (not built yet)."""

import click


@click.command("check")
def check() -> None:
    """Validate corpus files (not built yet)."""
    raise click.ClickException("'check' is not built yet")
