"""``ratsarchiv reindex`` and ``ratsarchiv search``: thin commands over index.indexer/search."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from archive.cli import corpus_option, index_option
from archive.language import DEFAULT, LANGUAGES, Language, Plural, Text, fill
from index.results import SORTS, SearchRequest, SearchResult
from index.schema import FACETS_BY_NAME

if TYPE_CHECKING:  # the indexer (and its build machinery) loads only for reindex
    from index.indexer import ReindexReport


@click.command("reindex")
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild from scratch into a new generation, then swap it in atomically.",
)
@corpus_option
@index_option
def reindex(full: bool, corpus: Path, index_dir: Path) -> None:
    """Build or update the search index from the corpus.

    By default only changed, new and deleted files are handled. Exits with 1 if a
    file was skipped (each is listed as path:line: reason) or another run holds the lock.
    Links the corpus walk does not follow (out of the corpus, loops) are listed as warnings.
    """
    from index.indexer import reindex as run

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not sys.stderr.isatty():
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        report = run(corpus, index_dir, full=full, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(_summary(report, index_dir))
    if not report.documents:
        click.echo(f"note: the index is empty: {corpus} holds no public motion file")
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    if report.skipped:
        click.echo(f"skipped {len(report.skipped)}:", err=True)
        for line in report.skipped:
            click.echo(f"  {line}", err=True)
        sys.exit(1)


def _summary(report: ReindexReport, index_dir: Path) -> str:
    kind = "full rebuild" if report.full else "update"
    parts = [
        f"{report.added} added",
        f"{report.updated} updated",
        f"{report.removed} removed",
        f"{report.unchanged} unchanged",
        f"{len(report.skipped)} skipped",
    ]
    if report.private:
        parts.append(f"{report.private} not public (not indexed)")
    meetings = f" and {report.meetings} meetings" if report.meetings else ""
    if report.organizations:
        meetings += f" and {report.organizations} organisations"
    return (
        f"{index_dir / report.generation} ({kind}): {', '.join(parts)}; "
        f"{report.documents} documents{meetings} in {report.seconds:.1f} s"
    )


@click.command("search")
@click.argument("query", nargs=-1)
@click.option(
    "--facet",
    "facets",
    multiple=True,
    metavar="NAME=VALUE",
    help="Filter by a facet value (repeat: values of one facet OR, facets AND).",
)
@click.option(
    "--council",
    "councils",
    multiple=True,
    metavar="KEY",
    help="Search only this council's papers (repeat for several; as --facet council=KEY).",
)
@click.option(
    "--sort", type=click.Choice(SORTS), help="Default: relevance with a query, newest without."
)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of /api/search.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=DEFAULT,
    show_default=True,
    help="Language of the notices and the table (as ?lang= on the site).",
)
@corpus_option
@index_option
def search(
    query: tuple[str, ...],
    facets: tuple[str, ...],
    councils: tuple[str, ...],
    sort: str | None,
    page: int,
    as_json: bool,
    lang: Language,
    corpus: Path,
    index_dir: Path,
) -> None:
    """Search the archive: QUERY in the query language of the search box (docs/query-syntax.md).

    With several councils in the archive, each hit names its council.
    """
    from index.search import SearchIndex

    filters: dict[str, tuple[str, ...]] = {}
    for item in facets:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--facet")
        filters[name.strip()] = (*filters.get(name.strip(), ()), value.strip())
    if councils:
        filters["council"] = (*filters.get("council", ()), *councils)
    request = SearchRequest(query=" ".join(query), filters=filters, sort=sort or "", page=page)
    with SearchIndex.open(index_dir) as search_index:
        result = search_index.search(request)
        several = len(search_index.councils()) > 1
    if as_json:
        click.echo(json.dumps(result_json(result, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(_table(result, request, lang, several))


def result_json(result: SearchResult, lang: Language = DEFAULT) -> dict:
    """``SearchResult.to_dict()`` plus each hit's ``url`` — the JSON of ``/api/search``."""
    data = result.to_dict(lang)
    for hit in data["hits"]:
        hit["url"] = f"/{hit['council']}/motions/{hit['slug']}"
    return data


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _plain(fragment: str) -> str:
    """Highlighted HTML as terminal text: matches bold, entities decoded."""
    text = _MARK.sub(lambda m: click.style(html.unescape(m.group(1)), bold=True), fragment)
    return " ".join(html.unescape(text).split())


_TABLE: dict[Language, dict[str, Text]] = {
    "de": {
        "hits": Plural("n", one="{n} Treffer", other="{n} Treffer"),
        "for": " für „{query}“",
        "page": " (Seite {page} von {pages})",
        "notice": "Hinweis: {text}",
        "suggestion": "Meinten Sie: {query}",
    },
    "en": {
        "hits": Plural("n", one="{n} result", other="{n} results"),
        "for": " for “{query}”",
        "page": " (page {page} of {pages})",
        "notice": "Note: {text}",
        "suggestion": "Did you mean: {query}",
    },
}
"""The words around the results in the terminal (the site's are in ``webapp.i18n``)."""


def _table(
    result: SearchResult, request: SearchRequest, lang: Language, councils: bool = False
) -> str:
    """The result as terminal text; ``councils``: name each hit's council."""
    words = _TABLE[lang]
    head = fill(words["hits"], lang, n=result.total)
    if request.query:
        head += fill(words["for"], lang, query=request.query)
    head += fill(words["page"], lang, page=result.page, pages=max(result.pages, 1))
    lines = [head]
    notice = result.notice(lang)
    if notice:
        lines.append(fill(words["notice"], lang, text=notice))
    if result.suggestion:
        lines.append(fill(words["suggestion"], lang, query=result.suggestion))
    start = (result.page - 1) * request.page_size
    for n, hit in enumerate(result.hits, start + 1):
        where = hit.council_name if councils else ""
        meta = "  ".join(x for x in (where, hit.date, hit.type, hit.result) if x)
        lines.append("")
        lines.append(f"{n:>4}. {hit.reference}  {meta}")
        lines.append(f"      {_plain(hit.title_html)}")
        if hit.snippet_html:
            lines.append(f"      {_plain(hit.snippet_html)}")
    shown = [
        f"{FACETS_BY_NAME[name].label(lang)}: "
        + ", ".join(f"{v.label} ({v.count})" for v in values[:5])
        for name, values in result.facets.items()
        if values
    ]
    if shown:
        lines.append("")
        lines.extend(shown)
    return "\n".join(lines)
