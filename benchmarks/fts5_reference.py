"""A small SQLite FTS5 search over the same corpus: the yardstick for Ratsarchiv's speed.

It does the same page work as Ratsarchiv's search page: match the words once, keeping each
match's bm25 score (title weighted 5×) in a temp table; count every facet with ``GROUP BY``
over the matching rows (a facet's own selection left out of its counts, as in an
OR-within-a-facet UI); rank; build ten hits with a highlighted title and a ``snippet()``.
Tokenizer: ``unicode61 remove_diacritics 2`` — no German stemming or compound splitting,
so it does less linguistic work than Ratsarchiv.

    python -m benchmarks.fts5_reference build --corpus DIR --db FILE
    python -m benchmarks.fts5_reference serve --db FILE --port 8081   # GET /?q=...&committee=...

>>> parse_query('Kita gremium:"Haupt- und Finanzausschuss" "Tempo 30"')
('"Kita" "Tempo 30"', {'committee': ['Haupt- und Finanzausschuss']})
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from archive.corpus import iter_motion_files, read_motion
from archive.errors import CorpusErrors
from archive.motion import Motion
from archive.outcomes import normalise_result, vote_class

FIELDS = {"gremium": "committee", "jahr": "year", "typ": "type"}
MULTI = ("committee", "sponsor")  # facets with several values per motion (own tables)
FACETS = ("committee", "sponsor", "result", "type", "year", "lead", "votes")  # as index.schema
FACET_LIMIT = 30
MAX_FIELD_CHARS = 200_000  # as index.schema.MAX_FIELD_CHARS
PAGE_SIZE = 10
_TOKEN = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)')
_OPEN, _CLOSE = "\x02", "\x03"

SCHEMA = """
CREATE TABLE docs (
    id INTEGER PRIMARY KEY, reference TEXT, slug TEXT, title TEXT, type TEXT, date TEXT,
    year TEXT, result TEXT, lead TEXT, votes TEXT, sponsors TEXT, committees TEXT
);
CREATE TABLE committee (doc INTEGER, value TEXT);
CREATE TABLE sponsor (doc INTEGER, value TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');
"""


def _doc_row(n: int, motion: Motion) -> tuple:
    latest = motion.latest
    return (
        n,
        motion.reference,
        motion.slug,
        motion.title,
        motion.type,
        motion.date,
        motion.year,
        normalise_result(motion.result),
        motion.lead,
        vote_class(latest.votes, latest.result) if latest else "nicht erfasst",
        json.dumps(motion.sponsors, ensure_ascii=False),
        json.dumps(motion.committees, ensure_ascii=False),
    )


def motion_text(motion: Motion) -> str:
    """The searchable text besides the title: resolution, questions, reasons, other sections.

    Each section is capped at ``MAX_FIELD_CHARS`` like Ratsarchiv's index fields, so both
    index (and snippet from) the same text.
    """
    sections = (motion.resolution, "\n".join(motion.questions), motion.reasons, motion.body)
    return "\n\n".join(part[:MAX_FIELD_CHARS] for part in sections if part)


def build(corpus: Path, db: Path) -> dict[str, Any]:
    """Index every motion of ``corpus`` into a new SQLite file ``db`` (built beside, swapped)."""
    start = time.perf_counter()
    tmp = db.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    docs, committees, sponsors, texts = [], [], [], []
    count = skipped = size = 0

    def flush() -> None:
        conn.executemany(f"INSERT INTO docs VALUES ({', '.join('?' * 12)})", docs)
        conn.executemany("INSERT INTO committee VALUES (?, ?)", committees)
        conn.executemany("INSERT INTO sponsor VALUES (?, ?)", sponsors)
        conn.executemany("INSERT INTO fts (rowid, title, text) VALUES (?, ?, ?)", texts)
        for batch in (docs, committees, sponsors, texts):
            batch.clear()

    for path in iter_motion_files(corpus):
        try:
            motion = read_motion(path)
        except CorpusErrors:
            skipped += 1
            continue
        count += 1
        size += path.stat().st_size
        docs.append(_doc_row(count, motion))
        committees.extend((count, c) for c in motion.committees)
        sponsors.extend((count, s) for s in dict.fromkeys(motion.sponsors))
        texts.append((count, motion.title, motion_text(motion)))
        if len(texts) >= 500:
            flush()
    flush()
    conn.executescript(
        """
        CREATE INDEX committee_doc ON committee (doc);
        CREATE INDEX sponsor_doc ON sponsor (doc);
        INSERT INTO fts (fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
        INSERT INTO fts (fts) VALUES ('optimize');
        """
    )
    conn.commit()
    conn.close()
    os.replace(tmp, db)
    return {
        "docs": count,
        "skipped": skipped,
        "corpus_mb": round(size / 1e6, 1),
        "seconds": round(time.perf_counter() - start, 2),
        "db_mb": round(db.stat().st_size / 1e6, 1),
    }


def parse_query(text: str) -> tuple[str | None, dict[str, list[str]]]:
    """Box text → (FTS5 MATCH expression or None, field filters) — words AND-ed, phrases kept."""
    terms: list[str] = []
    filters: dict[str, list[str]] = {}
    for match in _TOKEN.finditer(text):
        name, value = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        if name and name.lower() in FIELDS:
            filters.setdefault(FIELDS[name.lower()], []).append(value)
            continue
        phrase = match.group(5) if match.group(5) is not None else match.group(0)
        words = re.findall(r"\w+", phrase)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return (" ".join(terms) or None), filters


class Fts5Archive:
    """Searches the FTS5 file; one SQLite connection per thread."""

    def __init__(self, db: Path) -> None:
        if not db.exists():
            raise FileNotFoundError(db)
        self.db = db
        self._local = threading.local()

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("PRAGMA temp_store = MEMORY")
            self._local.conn = conn
        return conn

    def search(self, text: str, filters: dict[str, list[str]] | None = None) -> dict[str, Any]:
        """One result page: total, every facet's counts and ten highlighted hits."""
        match, selected = parse_query(text)
        for name, values in (filters or {}).items():
            selected.setdefault(name, []).extend(values)
        conn = self.conn
        conn.execute("DROP TABLE IF EXISTS temp.m")
        if match:
            conn.execute(
                "CREATE TEMP TABLE m AS SELECT rowid AS id, bm25(fts, 5.0, 1.0) AS score"
                " FROM fts WHERE fts MATCH ?",
                (match,),
            )
        else:
            conn.execute("CREATE TEMP TABLE m AS SELECT id, 0.0 AS score FROM docs")
        where, args = _where(selected)
        total = conn.execute(f"SELECT count(*) FROM m WHERE {where}", args).fetchone()[0]
        facets = {name: self._facet(name, selected) for name in FACETS}
        hits = self._hits(match, where, args)
        return {"total": total, "facets": facets, "hits": hits}

    def _facet(self, name: str, selected: dict[str, list[str]]) -> list[dict[str, Any]]:
        others = {k: v for k, v in selected.items() if k != name}
        where, args = _where(others)
        if name in MULTI:
            sql = f"SELECT f.value, count(*) FROM m JOIN {name} f ON f.doc = m.id"
        else:
            sql = f"SELECT d.{name}, count(*) FROM m JOIN docs d ON d.id = m.id"
        rows = self.conn.execute(
            f"{sql} WHERE {where} GROUP BY 1 ORDER BY 2 DESC LIMIT {FACET_LIMIT}", args
        ).fetchall()
        chosen = set(selected.get(name, ()))
        return [{"value": v, "count": c, "selected": v in chosen} for v, c in rows if v]

    def _hits(self, match: str | None, where: str, args: list[str]) -> list[dict[str, Any]]:
        if match:
            # Scores were kept with the matches; rank those, then snippet only the ten (a
            # snippet in the ranking query would be built for every match before sorting,
            # and ``rowid IN (subquery)`` makes FTS5 run the MATCH once per listed row).
            top = [
                r[0]
                for r in self.conn.execute(
                    f"SELECT id FROM m WHERE {where} ORDER BY score LIMIT {PAGE_SIZE}", args
                )
            ]
            sql = (
                f"SELECT rowid, highlight(fts, 0, '{_OPEN}', '{_CLOSE}'),"
                f" snippet(fts, 1, '{_OPEN}', '{_CLOSE}', '…', 32) FROM fts"
                f" WHERE fts MATCH ? AND rowid IN ({', '.join('?' * len(top))})"
            )
            found = {r[0]: r for r in self.conn.execute(sql, [match, *top])}
            rows = [found[doc] for doc in top]
        else:
            sql = (
                f"SELECT d.id, d.title, substr(f.text, 1, 200) FROM docs d JOIN fts f"
                f" ON f.rowid = d.id WHERE d.id IN (SELECT id FROM m WHERE {where})"
                f" ORDER BY d.date DESC LIMIT {PAGE_SIZE}"
            )
            rows = self.conn.execute(sql, args).fetchall()
        meta = {
            row[0]: row
            for row in self.conn.execute(
                f"SELECT * FROM docs WHERE id IN ({', '.join('?' * len(rows))})",
                [r[0] for r in rows],
            )
        }
        hits = []
        for doc, title, snippet in rows:
            _, reference, slug, _, type_, date, _, result, _, vote, sponsors, committees = meta[doc]
            hits.append(
                {
                    "reference": reference,
                    "slug": slug,
                    "title_html": _marked(title),
                    "snippet_html": _marked(snippet or ""),
                    "type": type_,
                    "date": date,
                    "result": result,
                    "vote_class": vote,
                    "sponsors": json.loads(sponsors),
                    "committees": json.loads(committees),
                }
            )
        return hits


def _where(selected: dict[str, list[str]]) -> tuple[str, list[str]]:
    clauses, args = ["1"], []
    for name, values in selected.items():
        marks = ", ".join("?" * len(values))
        if name in MULTI:
            clauses.append(f"m.id IN (SELECT doc FROM {name} WHERE value IN ({marks}))")
        else:
            clauses.append(f"m.id IN (SELECT id FROM docs WHERE {name} IN ({marks}))")
        args.extend(values)
    return " AND ".join(clauses), args


def _marked(text: str) -> str:
    escaped = html.escape(" ".join(text.split()))
    return escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def render_page(query: str, result: dict[str, Any]) -> str:
    """A plain HTML result page (the same content as Ratsarchiv's, without its styling)."""
    parts = [
        "<!doctype html><html lang=de><meta charset=utf-8><title>Suche</title>",
        f"<form><input name=q value='{html.escape(query, quote=True)}'></form>",
        f"<p>{result['total']} Treffer</p>",
    ]
    for name, values in result["facets"].items():
        items = "".join(f"<li>{html.escape(v['value'])} ({v['count']})" for v in values)
        parts.append(f"<h2>{name}</h2><ul>{items}</ul>")
    for hit in result["hits"]:
        parts.append(
            f"<article><h3><a href='/motion/{hit['slug']}'>{hit['title_html']}</a></h3>"
            f"<p>{html.escape(hit['reference'])} · {hit['date']} · {html.escape(hit['type'])}"
            f"</p><p>{hit['snippet_html']}</p></article>"
        )
    return "".join(parts)


def make_app(archive: Fts5Archive):
    """A WSGI app: ``/healthz`` and ``/?q=...&committee=...`` (same facet parameters)."""

    def app(environ: dict, start_response) -> list[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if path != "/":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        params = parse_qs(environ.get("QUERY_STRING", ""))
        query = (params.pop("q", [""]) or [""])[0]
        filters = {k: v for k, v in params.items() if k in FACETS}
        body = render_page(query, archive.search(query, filters)).encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body]

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fts5_reference")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="index a corpus into an SQLite FTS5 file")
    b.add_argument("--corpus", type=Path, required=True)
    b.add_argument("--db", type=Path, required=True)
    s = sub.add_parser("serve", help="serve the FTS5 search page with waitress")
    s.add_argument("--db", type=Path, required=True)
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    if args.command == "build":
        print(json.dumps(build(args.corpus, args.db)))
    else:
        import waitress

        waitress.serve(
            make_app(Fts5Archive(args.db)), host="127.0.0.1", port=args.port, threads=args.threads
        )


if __name__ == "__main__":
    main()
