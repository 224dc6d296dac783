"""The ``ratsarchiv`` command: one click group, commands registered by entry point.

``archive`` owns the group and its own commands (check, import, ...); ``index`` and
``webapp`` add theirs through the ``ratsarchiv.commands`` entry-point group, so the
imports keep flowing one way and ``ratsarchiv check`` never loads whoosh or flask.
Errors of the ``RatsarchivError`` hierarchy become one line and exit code 1.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from archive.errors import RatsarchivError

DEFAULT_CORPUS = "corpus"
DEFAULT_INDEX = os.path.join("var", "index")


def _not_root(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """Refuse ``/``: what ``--corpus "$DIR/"`` becomes when ``DIR`` is unset.

    A corpus or index at the file-system root would read every Markdown file on the
    machine, replace the live index with an empty one, or write files into ``/``.
    """
    if value is not None and Path(value).resolve() == Path(Path(value).resolve().anchor):
        name = param.opts[0].lstrip("-")
        raise click.BadParameter(
            f"{value} is the root of the file system; give the {name} directory itself "
            '(an empty variable in a path like "$DIR/"?)'
        )
    return value


def corpus_option(func: Any) -> Any:
    """``--corpus DIR`` (env ``RATSARCHIV_CORPUS``, default ``corpus/``)."""
    return click.option(
        "--corpus",
        "corpus",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="RATSARCHIV_CORPUS",
        default=DEFAULT_CORPUS,
        show_default=True,
        show_envvar=True,
        help="Corpus directory (one Markdown file per motion).",
        callback=_not_root,
    )(func)


def index_option(func: Any) -> Any:
    """``--index DIR`` (env ``RATSARCHIV_INDEX``, default ``var/index``)."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="RATSARCHIV_INDEX",
        default=DEFAULT_INDEX,
        show_default=True,
        show_envvar=True,
        help="Search index directory (rebuildable from the corpus).",
        callback=_not_root,
    )(func)


class _Group(click.Group):
    """Loads plugin commands lazily and turns our errors into one-line messages."""

    def _plugins(self) -> dict[str, Any]:
        return {ep.name: ep for ep in entry_points(group="ratsarchiv.commands")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._plugins()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in self._plugins():
            command = self._plugins()[name].load()
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RatsarchivError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ratsarchiv")
def main() -> None:
    """Ratsarchiv: a searchable archive of municipal council motions.

    Archivists import papers into the corpus (Markdown files), check them,
    build the search index and serve the site.
    """


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
