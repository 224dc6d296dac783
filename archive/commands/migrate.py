"""``ratsarchiv migrate --council KEY``: move a corpus from before councils into KEY/."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import corpus_option
from archive.migration import apply_migration, conflict_line, plan_migration, plural


@click.command("migrate")
@click.option(
    "--council", "key", required=True, metavar="KEY", help="Key of the council to move into."
)
@click.option(
    "--council-name",
    "name",
    default="",
    metavar="NAME",
    help="Its name, for a new _council.yml (default: KEY).",
)
@click.option("--apply", "apply", is_flag=True, help="Move the files (without it: a dry run).")
@corpus_option
def migrate(key: str, name: str, apply: bool, corpus: Path) -> None:
    """Move the papers outside council folders (the layout before councils) into
    <corpus>/KEY/.

    Without --apply, prints what it would do and changes nothing. With --apply,
    names KEY the default council in _archive.yml, moves or creates
    KEY/_council.yml and renames every file into KEY/ (one rename each: the bytes
    stay, git sees renames), printing each move; then re-keys the import state.
    A run after an interruption moves the rest; a run after a complete one has
    nothing to move. A file whose place under KEY/ holds other bytes is left and
    reported, and the command exits 1.
    """
    plan = plan_migration(corpus, key, name)
    if plan.done:
        click.echo(f"nothing to move: {corpus} has no files outside council folders")
        for move in plan.conflicts:
            click.echo(conflict_line(plan, move))
        _exit_on(plan.conflicts)
        return
    if not apply:
        for line in plan.lines():
            click.echo(line)
        click.echo(
            f"dry run: {plural(len(plan.moves), 'file')} to move into {corpus / key}; "
            "nothing changed (--apply does it)"
        )
        _exit_on(plan.conflicts)
        return
    moved = len(plan.moves)
    left = apply_migration(plan, click.echo)
    for move in left.conflicts:
        click.echo(conflict_line(left, move))
    click.echo(
        f"moved {plural(moved, 'file')} into {corpus / key}"
        + (f"; {len(left.conflicts)} left where they are" if left.conflicts else "")
    )
    _exit_on(left.conflicts)


def _exit_on(conflicts: list) -> None:
    if conflicts:
        click.get_current_context().exit(1)
