"""``ratsarchiv serve``: the web archive on waitress (a production WSGI server)."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import corpus_option, index_option
from archive.errors import IndexMissingError


@click.command("serve")
@corpus_option
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Worker threads."
)
@click.option(
    "--connection-limit",
    default=100,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Open connections at most; more wait in the listen queue.",
)
@click.option(
    "--channel-timeout",
    default=120,
    show_default=True,
    type=click.IntRange(1, 3600),
    metavar="SECONDS",
    help="Close a connection idle this long.",
)
@click.option(
    "--max-request-body",
    default=16 * 1024,
    show_default=True,
    type=click.IntRange(0, 1024**3),
    metavar="BYTES",
    help="Refuse larger request bodies (the site only reads; waitress would buffer them).",
)
def serve(
    corpus: Path,
    index_dir: Path,
    host: str,
    port: int,
    threads: int,
    connection_limit: int = 100,
    channel_timeout: int = 120,
    max_request_body: int = 16 * 1024,
) -> None:
    """Serve the web archive (search page, motion pages, JSON API, feeds, exports).

    Limits (see docs/operations.md): --threads requests at once, --connection-limit
    open connections, request bodies up to --max-request-body bytes.
    """
    import waitress

    from index.search import SearchIndex
    from webapp import create_app
    from webapp.backend import adopt

    try:
        search_index = SearchIndex.open(index_dir)
        search_index.count()
    except IndexMissingError as exc:
        raise IndexMissingError(
            f"no search index in {index_dir} ({exc}); run `ratsarchiv reindex` first"
        ) from None
    app = create_app({"INDEX_DIR": index_dir, "CORPUS_DIR": corpus})
    adopt(app, search_index)  # opened once: the first search needs no second open
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        connection_limit=connection_limit,
        channel_timeout=channel_timeout,
        max_request_body_size=max_request_body,
        ident="ratsarchiv",
    )
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Ratsarchiv: serving {index_dir} on http://{shown}:{server.effective_port}/")
    click.echo("Press Ctrl+C to stop.")
    try:
        server.run()
    finally:
        server.close()
