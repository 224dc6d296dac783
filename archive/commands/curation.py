"""Everyday curation commands: show, edit, facets (not built yet)."""

import click


@click.command("show")
def show() -> None:
    """Print a motion's file path and summary (not built yet)."""
    raise click.ClickException("'show' is not built yet")


@click.command("edit")
def edit() -> None:
    """Open a motion in $EDITOR and check it (not built yet)."""
    raise click.ClickException("'edit' is not built yet")


@click.command("facets")
def facets() -> None:
    """List facet values and probable variants (not built yet)."""
    raise click.ClickException("'facets' is not built yet")
