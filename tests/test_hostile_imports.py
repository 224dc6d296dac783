"""Importer input that is broken or hostile: a clear error, no partial file, no endless loop.

Each case runs the real ``ratsarchiv import …`` in a subprocess. Dumps are cut from the
real Karlsruhe papers; the live-API cases talk to a local ``http.server`` that answers
with HTML instead of JSON, loops its ``next`` links, fails for good or redirects forever.
Afterwards every file in the corpus parses, no temp file is left, and the output names
the problem without a traceback.
"""

from __future__ import annotations

import gzip
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from faultkit import HAMBURG, KARLSRUHE, leftovers, motion_problems, no_traceback, run

Route = Callable[[str], tuple[int, str, bytes]]


def karlsruhe_lines(count: int) -> list[str]:
    with gzip.open(KARLSRUHE / "papers.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [line for line in itertools.islice(handle, count)]


def assert_clean(result, corpus: Path, *words: str) -> None:
    """No traceback, a non-zero exit, the problem named, and only whole files written."""
    no_traceback(result)
    assert result.returncode != 0, result.stdout + result.stderr
    output = (result.stdout + result.stderr).lower()
    for word in words:
        assert word.lower() in output, result.stdout + result.stderr
    assert motion_problems(corpus, {}) == []
    if corpus.exists():
        assert leftovers(corpus) == []


# -- dump files -----------------------------------------------------------------------------


@pytest.mark.karlsruhe
def test_truncated_json_array(tmp_path: Path) -> None:
    papers = [json.loads(line) for line in karlsruhe_lines(6)]
    text = json.dumps(papers, ensure_ascii=False)
    dump = tmp_path / "papers.json"
    dump.write_text(text[: int(len(text) * 0.9)], encoding="utf-8")
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", dump, "--corpus", corpus)
    assert_clean(result, corpus, "papers.json", "json")


@pytest.mark.karlsruhe
def test_truncated_json_lines(tmp_path: Path) -> None:
    lines = karlsruhe_lines(6)
    dump = tmp_path / "papers.jsonl"
    dump.write_text("".join(lines[:5]) + lines[5][: len(lines[5]) // 2], encoding="utf-8")
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", dump, "--corpus", corpus)
    assert_clean(result, corpus, "line 6", "json")
    assert len(list(corpus.rglob("*.md"))) == 5  # the whole lines are imported


@pytest.mark.karlsruhe
def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress("".join(karlsruhe_lines(20)).encode("utf-8"))
    dump = tmp_path / "papers.jsonl.gz"
    dump.write_bytes(data[: len(data) // 2])
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", dump, "--corpus", corpus)
    assert_clean(result, corpus, "papers.jsonl.gz")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("page.html", b"<!doctype html><html><body>Wartung</body></html>", ["json"]),
        ("binary.json", bytes(range(256)) * 4, ["binary.json"]),
        ("latin1.jsonl", '{"id": "x", "name": "Stra\xdfe"}\n'.encode("latin-1"), ["latin1"]),
        ("scalars.json", b'[1, "zwei", null, [3]]', ["expected an object"]),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, ["deep.json"]),
        ("huge-number.json", b'[{"id": 1e999999, "reference": 9' + b"9" * 5000 + b"}]", []),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_what_is_not_an_oparl_dump(tmp_path: Path, name: str, content: bytes, words) -> None:
    dump = tmp_path / name
    dump.write_bytes(content)
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", dump, "--corpus", corpus, timeout=60)
    assert_clean(result, corpus, *words)
    assert not list(corpus.rglob("*.md"))


def test_papers_without_what_a_motion_needs_are_skipped_with_reasons(tmp_path: Path) -> None:
    dump = tmp_path / "papers.json"
    dump.write_text(
        json.dumps(
            [
                {"id": "https://x.example/paper/1", "type": "https://schema.oparl.org/1.1/Paper"},
                {"id": "https://x.example/paper/2", "name": "Ohne Nummer"},
                {"id": "https://x.example/paper/3", "reference": "VO/1", "name": 42},
                {
                    "id": "https://x.example/paper/4",
                    "reference": "VO/2",
                    "name": "<b>x</b>",
                    "date": "gestern",
                    "consultation": "keine Liste",
                },
            ]
        ),
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", dump, "--corpus", corpus)
    no_traceback(result)
    assert "https://x.example/paper/1" in result.stderr
    assert motion_problems(corpus, {}) == []


# -- a live OParl API that misbehaves -------------------------------------------------------


class Server:
    """A local HTTP server; ``routes`` maps a path to (status, content type, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                path = self.path.split("?", 1)[0]
                route = server.routes.get(path)
                status, kind, body = route(self.path) if route else (404, "text/plain", b"nope")
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", body.decode())
                    body = b""
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        poll = {"poll_interval": 0.05}  # close() waits for one poll
        threading.Thread(target=self.httpd.serve_forever, kwargs=poll, daemon=True).start()

    def json(self, path: str, data: object) -> None:
        body = json.dumps(data).encode("utf-8")
        self.routes[path] = lambda _: (200, "application/json", body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def papers_page(server: Server, papers: list[dict], next_path: str | None) -> dict:
    links = {"next": server.base + next_path} if next_path else {}
    return {"data": papers, "links": links, "pagination": {}}


def test_html_instead_of_oparl_json(server: Server, tmp_path: Path) -> None:
    page = b"<!doctype html><html><head><title>Wartungsarbeiten</title></head></html>"
    server.routes["/oparl/system"] = lambda _: (200, "text/html; charset=utf-8", page)
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", server.base + "/oparl/system", "--corpus", corpus)
    assert_clean(result, corpus, "not json")
    assert not list(corpus.rglob("*.md"))


def test_json_that_is_not_oparl(server: Server, tmp_path: Path) -> None:
    server.json("/oparl/system", {"hello": "world", "type": "Something"})
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", server.base + "/oparl/system", "--corpus", corpus)
    assert_clean(result, corpus, "oparl")


@pytest.mark.karlsruhe
@pytest.mark.parametrize("loop", ["two-pages", "self"])
def test_next_link_loop_ends(server: Server, tmp_path: Path, loop: str) -> None:
    papers = [json.loads(line) for line in karlsruhe_lines(4)]
    for paper in papers:  # the dump's consultations point at the real API: keep them local
        paper.pop("consultation", None)
    second = "/oparl/papers2" if loop == "two-pages" else "/oparl/papers"
    server.json("/oparl/papers", papers_page(server, papers[:2], second))
    server.json("/oparl/papers2", papers_page(server, papers[2:], "/oparl/papers"))
    corpus = tmp_path / "corpus"
    started = time.monotonic()
    result = run("import", "oparl", server.base + "/oparl/papers", "--corpus", corpus, timeout=60)
    assert time.monotonic() - started < 30
    assert_clean(result, corpus, "loop")
    assert server.requests <= 4
    expected = 4 if loop == "two-pages" else 2
    assert len(list(corpus.rglob("*.md"))) == expected


@pytest.mark.karlsruhe
def test_endless_distinct_pages_stop_at_the_limit(server: Server, tmp_path: Path) -> None:
    """A server that invents page after page: ``--limit`` is the operator's brake."""
    paper = json.loads(karlsruhe_lines(1)[0])
    paper.pop("consultation", None)

    def page(path: str) -> tuple[int, str, bytes]:
        number = int(path.rsplit("=", 1)[-1]) if "=" in path else 0
        body = papers_page(server, [paper], f"/oparl/papers?page={number + 1}")
        return 200, "application/json", json.dumps(body).encode("utf-8")

    server.routes["/oparl/papers"] = page
    corpus = tmp_path / "corpus"
    result = run(
        "import", "oparl", server.base + "/oparl/papers", "--limit", "25", "--corpus", corpus,
        timeout=60,
    )  # fmt: skip
    no_traceback(result)
    assert server.requests <= 30
    assert len(list(corpus.rglob("*.md"))) == 1  # the same paper is one file


@pytest.mark.parametrize(("status", "words"), [(500, "500"), (404, "404")])
def test_a_failing_api_is_a_clear_error(
    server: Server, tmp_path: Path, status: int, words: str
) -> None:
    server.routes["/oparl/system"] = lambda _: (status, "text/html", b"<h1>Fehler</h1>")
    corpus = tmp_path / "corpus"
    result = run(
        "import", "oparl", server.base + "/oparl/system", "--retries", "1", "--corpus", corpus,
        timeout=60,
    )  # fmt: skip
    assert_clean(result, corpus, words)
    assert server.requests <= 2


def test_a_redirect_loop_is_a_clear_error(server: Server, tmp_path: Path) -> None:
    server.routes["/oparl/system"] = lambda _: (302, "text/plain", b"/oparl/system")
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", server.base + "/oparl/system", "--corpus", corpus, timeout=60)
    assert_clean(result, corpus, "redirect")


def test_nobody_listening_is_a_clear_error(tmp_path: Path) -> None:
    s = Server()
    base = s.base
    s.close()
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", base + "/oparl/system", "--retries", "0", "--corpus", corpus)
    assert_clean(result, corpus, "connection")


# -- ALLRIS pages ---------------------------------------------------------------------------


@pytest.mark.usefixtures("shared_data")
def test_html_instead_of_an_auszug_text(tmp_path: Path) -> None:
    files = sorted(HAMBURG.glob("*/to020.html"))[:2]
    pasted = tmp_path / "auszug.txt"
    pasted.write_text("<html><body><h1>Auszug</h1><p>kaputt</p></body></html>", encoding="utf-8")
    corpus = tmp_path / "corpus"
    result = run("import", "allris", *files, pasted, "--corpus", corpus)
    assert_clean(result, corpus, "auszug.txt", files[0].name)
    assert not list(corpus.rglob("*.md"))


NOT_AUSZUEGE = {  # the test adds one made from the seed
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 16,
    "papers.json": b'{"data": []}',
}
NOT_ALLRIS_PAGES = {  # the test adds the seed
    "papers.json": b'{"data": []}',
    "binary.html": bytes(range(256)) * 16,
    "empty.html": b"",
    "other.html": b"<html><body><table><tr><td>Betreff:</td></tr></table></body></html>",
}


def _write_all(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return [folder / name for name in files]


def test_what_is_not_an_auszug(tmp_path: Path, seed_path: Path) -> None:
    files = {**NOT_AUSZUEGE, "huge.txt": seed_path.read_bytes() + b"Wortprotokoll " * 600_000}
    sources = _write_all(tmp_path / "in", files)
    corpus = tmp_path / "corpus"
    result = run("import", "allris", *sources, "--corpus", corpus)
    assert_clean(result, corpus, *files)
    assert not list(corpus.rglob("*.md"))


def test_truncated_auszug_is_refused_or_imported_whole(tmp_path: Path, seed_path: Path) -> None:
    """A cut-off Auszug never crashes; what is written is a whole, valid file."""
    raw = seed_path.read_bytes()
    cuts = {f"cut-{f}.txt": raw[: int(len(raw) * f / 100)] for f in (5, 20, 35, 50, 80)}
    corpus = tmp_path / "corpus"
    result = run("import", "allris", *_write_all(tmp_path / "in", cuts), "--corpus", corpus)
    no_traceback(result)
    assert motion_problems(corpus, {}) == []
    assert leftovers(corpus) == []


def test_what_is_not_an_allris_page(tmp_path: Path, seed_path: Path) -> None:
    files = {"seed.txt": seed_path.read_bytes(), **NOT_ALLRIS_PAGES}
    sources = _write_all(tmp_path / "in", files)
    corpus = tmp_path / "corpus"
    result = run("import", "allris-html", *sources, "--corpus", corpus)
    assert_clean(result, corpus, *files)
    assert not list(corpus.rglob("*.md"))


def test_allris_page_urls_that_misbehave(server: Server, tmp_path: Path) -> None:
    server.json("/bi/vo020.asp", {"not": "html"})
    server.routes["/bi/to020.asp"] = lambda _: (500, "text/html", b"<h1>Fehler</h1>")
    server.routes["/bi/loop.asp"] = lambda _: (302, "text/plain", b"/bi/loop.asp")
    urls = [server.base + p for p in ("/bi/vo020.asp", "/bi/to020.asp", "/bi/loop.asp")]
    corpus = tmp_path / "corpus"
    result = run("import", "allris-html", *urls, "--corpus", corpus, timeout=120)
    assert_clean(result, corpus, "vo020.asp", "to020.asp", "loop.asp")


def test_non_public_consultations_never_reach_the_corpus(server: Server, tmp_path: Path) -> None:
    """An OParl agenda item marked non-public: its committee and result stay out of the file."""
    base = server.base
    paper = {
        "id": f"{base}/oparl/paper/1",
        "type": "https://schema.oparl.org/1.1/Paper",
        "reference": "2024/0815",
        "name": "Antrag zur Stadtbibliothek",
        "paperType": "Antrag",
        "date": "2024-03-01",
        "consultation": [
            {"id": f"{base}/oparl/consultation/{n}", "meeting": f"{base}/oparl/meeting/{n}",
             "agendaItem": f"{base}/oparl/agendaitem/{n}",
             "organization": [f"{base}/oparl/organization/{n}"]}
            for n in (1, 2)
        ],
    }  # fmt: skip
    server.json("/oparl/papers", {"data": [paper], "links": {}})
    for n, (name, public) in enumerate([("Kulturausschuss", True), ("Geheimrunde", False)], 1):
        server.json(
            f"/oparl/organization/{n}", {"id": f"{base}/oparl/organization/{n}", "name": name}
        )
        item = {
            "id": f"{base}/oparl/agendaitem/{n}",
            "number": f"{'Ö' if public else 'N'} {n}",
            "public": public,
            "result": "Zustimmung" if public else "Ablehnung Wisperwort",
            "consultation": f"{base}/oparl/consultation/{n}",
        }
        server.json(f"/oparl/agendaitem/{n}", item)
        server.json(
            f"/oparl/meeting/{n}",
            {"id": f"{base}/oparl/meeting/{n}", "name": f"Sitzung {name}",
             "start": f"2024-03-0{n + 1}T17:00:00+01:00", "agendaItem": [item]},
        )  # fmt: skip
    corpus = tmp_path / "corpus"
    result = run("import", "oparl", base + "/oparl/papers", "--corpus", corpus)
    no_traceback(result)
    texts = [p.read_text(encoding="utf-8") for p in corpus.rglob("*.md")]
    assert len(texts) == 1, result.stdout + result.stderr
    assert "Geheimrunde" not in texts[0] and "Wisperwort" not in texts[0]
