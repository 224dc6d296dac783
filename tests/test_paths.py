"""Paths: no URL reads a file, no option points the archive somewhere it does harm.

Slugs with ``..``, ``%2e%2e``, encoded slashes, absolute paths and NUL bytes must give
400/404 (never a file's bytes, never a 5xx) — through Flask and through the real
waitress server, which sees the raw request line. ``--corpus``/``--index`` at a file,
at ``/`` or somewhere odd are refused with a clear message or stay harmless.
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from faultkit import auszug_variants, no_traceback, oparl_args, run
from webserver import served

REPO = Path(__file__).resolve().parents[1]
# What a successful traversal would show: bytes of files outside the site.
FOREIGN = ("root:x:0:0", "[project]", "reference: VO/", "#!/", "CURRENT", "gen-0")

ATTACKS = [
    "/motions/..",
    "/motions/../pyproject.toml",
    "/motions/..%2F..%2Fpyproject.toml",
    "/motions/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/motions/%2E%2E/%2E%2E/etc/passwd",
    "/motions/..%5c..%5cpyproject.toml",
    "/motions/%2Fetc%2Fpasswd",
    "/motions//etc/passwd",
    "/motions/vo-2024-12903-01%00.md",
    "/motions/vo-2024-12903-01.md",
    "/motions/2024%2Fvo-2024-12903-01",
    "/motions/..%252f..%252fpyproject.toml",
    "/motions/" + "a" * 5000,
    "/api/motions/..%2F..%2Fpyproject.toml",
    "/api/motions/%2e%2e",
    "/api/motions/%2Fetc%2Fpasswd",
    "/static/../pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%5c..%5cpyproject.toml",
    "/static//etc/passwd",
    "/static/%2Fetc%2Fpasswd",
    "/static/style.css%00.txt",
    "/..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "//etc/passwd",
    "/export.csv/../../pyproject.toml",
    "/hilfe/..%2f..%2fpyproject.toml",
]


def _no_file_bytes(body: str) -> None:
    for marker in FOREIGN:
        assert marker not in body, marker


@pytest.mark.parametrize("url", ATTACKS)
def test_traversal_through_flask_is_refused(web_client, url: str) -> None:
    response = web_client.get(url)
    assert response.status_code in (308, 400, 404, 405), (url, response.status_code)
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    _no_file_bytes(body)
    if response.status_code == 308:  # a redirect must stay on the site, and lead nowhere bad
        target = urlsplit(response.headers["Location"])
        assert target.netloc in ("", "localhost")
        assert web_client.get(target.path).status_code in (400, 404, 405)


@pytest.fixture(scope="module")
def site(web_index: Path):
    with served(web_index, web_index.parent / "corpus") as url:
        yield urlsplit(url)


def raw_get(base, path: str) -> tuple[int, str]:
    """Send ``GET path`` exactly as written (no client-side normalisation)."""
    with socket.create_connection((base.hostname, base.port), timeout=10) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {base.netloc}\r\nConnection: close\r\n\r\n".encode(
                "latin-1"
            )
        )
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks).decode("utf-8", "replace")
    status = int(response.split(" ", 2)[1])
    return status, response


@pytest.mark.parametrize(
    "path",
    [
        *ATTACKS,
        "/static/../../../../etc/passwd",
        "/motions/../../../../etc/passwd",
        "/static/./../pyproject.toml",
        "/static/..\\..\\pyproject.toml",
        "/../../../../../etc/passwd",
    ],
)
def test_traversal_over_real_http_is_refused(site, path: str) -> None:
    status, response = raw_get(site, path)
    assert status in (301, 302, 308, 400, 404, 405), (path, status)
    assert "Traceback" not in response
    _no_file_bytes(response)


def test_static_files_are_still_served(site, web_client) -> None:
    status, _response = raw_get(site, "/static/style.css")
    assert status == 200
    assert web_client.get("/luebeck/motions/vo-2024-12903-01").status_code == 200


# -- --corpus and --index -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["reindex"],
        ["search", "Antrag"],
        ["serve", "--port", "0"],
        ["import", "allris", "AUSZUG"],
        [*oparl_args(1)],
    ],
    ids=["check", "reindex", "search", "serve", "import-allris", "import-oparl"],
)
@pytest.mark.parametrize("where", ["root", "root-dotdot", "file"])
def test_corpus_or_index_at_root_or_a_file_is_refused(
    tmp_path: Path, args: list[str], where: str
) -> None:
    auszug = auszug_variants(tmp_path / "in", 1)[0]
    args = [str(auszug) if a == "AUSZUG" else a for a in args]
    a_file = tmp_path / "a-file"
    a_file.write_text("nicht anfassen")
    target = {"root": "/", "root-dotdot": f"{tmp_path}/" + "../" * 12, "file": str(a_file)}[where]
    uses_index = args[0] in ("reindex", "search", "serve")
    for option in ("--corpus", "--index") if uses_index else ("--corpus",):
        other = ["--index", str(tmp_path / "index")] if option == "--corpus" and uses_index else []
        if option == "--index":
            other = ["--corpus", str(tmp_path / "corpus")]
        result = run(*args, option, target, *other, timeout=30)
        no_traceback(result)
        assert result.returncode != 0, (option, result.stdout)
        message = result.stderr.lower()
        assert "root of the file system" in message or "file" in message, result.stderr
    assert a_file.read_text() == "nicht anfassen"
    assert not Path("/2024").exists()


def test_corpus_outside_the_working_directory_is_fine_and_stays_inside(tmp_path: Path) -> None:
    """An absolute or ``..`` corpus path is the operator's choice; files land only in it."""
    auszug = auszug_variants(tmp_path / "in", 3)
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    before = set(tmp_path.rglob("*"))
    result = run("import", "allris", *auszug, "--corpus", "../../corpus", cwd=work)
    assert result.returncode == 0, result.stderr
    created = {p for p in set(tmp_path.rglob("*")) - before if p.is_file()}
    assert created and all((tmp_path / "corpus") in p.parents for p in created)


def test_hostile_references_never_write_outside_the_corpus(tmp_path: Path) -> None:
    papers = tmp_path / "papers.json"
    references = ["../../../escape", "/etc/cron.d/evil", "..", "../..", "a/../../b", "~root/x"]
    papers.write_text(
        "["
        + ",".join(
            f'{{"id": "https://example.org/paper/{i}", '
            f'"type": "https://schema.oparl.org/1.1/Paper", "reference": "{ref}", '
            f'"name": "Pfad {i}", "date": "2024-01-0{i + 1}"}}'
            for i, ref in enumerate(references)
        )
        + "]",
        encoding="utf-8",
    )
    corpus = tmp_path / "a" / "corpus"
    result = run("import", "oparl", papers, "--corpus", corpus)
    no_traceback(result)
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and corpus not in p.parents]
    assert sorted(p.name for p in outside) == ["papers.json"]
    for path in corpus.rglob("*.md"):
        assert not path.name.startswith("."), path  # hidden files are never indexed
    written = run("check", "--corpus", corpus)
    assert written.returncode == 0, written.stdout
    assert "refused" in result.stderr or "no letter" in result.stderr
