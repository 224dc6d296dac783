"""``ratsarchiv files fetch``: the originals of a corpus's files over real HTTP, politely."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import read_motion, write_motion
from archive.file_text import copy_path, files_folder, read_pages, text_path
from archive.files import FileRecord
from archive.motion import Motion
from tests.file_server import FileServer, redirect, serve_bytes


@pytest.fixture
def server(tmp_path: Path, shared_data: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "served"
    root.mkdir()
    shutil.copy(
        shared_data / "pdf" / "erlangen_antrag-csu-stadtratsfraktion-odenwaldallee_2020-07-21.pdf",
        root / "antrag.pdf",
    )
    with FileServer(root) as running:
        running.route(
            "/fehler.pdf", serve_bytes(b"<!DOCTYPE html><p>Wartung</p>", "application/pdf")
        )
        running.route("/meta.pdf", redirect("http://169.254.169.254/latest/meta-data/"))
        yield running


def paper(corpus: Path, *urls: str) -> Path:
    records = [FileRecord(name=url.rsplit("/", 1)[-1], url=url) for url in urls]
    motion = Motion(reference="VO/2020/1", title="Odenwaldallee", date="2020-07-21", files=records)
    return write_motion(motion, corpus, corpus / "2020" / "vo-2020-1.md")


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["files", *args])


def test_a_file_is_fetched_once_and_then_asked_for_conditionally(
    tmp_path: Path, server: FileServer
) -> None:
    corpus = tmp_path / "corpus"
    path = paper(corpus, server.url("/antrag.pdf"))

    first = run("fetch", "--corpus", str(corpus), "--allow-private", "--delay", "0")

    assert first.exit_code == 0, first.output
    assert "1 fetched, 0 unchanged, 0 failed" in first.output
    record = read_motion(path).files[0]
    copy = copy_path(path, 1, record)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == record.sha256
    assert (record.media_type, record.size, record.text) == (
        "application/pdf",
        copy.stat().st_size,
        "pending",
    )
    assert record.etag and record.fetched

    again = run("fetch", "--corpus", str(corpus), "--allow-private", "--delay", "0")

    assert "0 fetched, 1 unchanged" in again.output
    assert server.hits["/antrag.pdf"] == 1  # the copy on disk matched the record: no request
    forced = run("fetch", "--corpus", str(corpus), "--allow-private", "--force", "--delay", "0")
    assert "0 fetched, 1 unchanged" in forced.output
    assert server.headers["/antrag.pdf"].get("If-None-Match") == record.etag

    read = run("extract", "--corpus", str(corpus), "--no-ocr")
    assert "1 extracted" in read.output
    record = read_motion(path).files[0]
    assert record.text == "layer"
    assert "Odenwaldallee" in " ".join(read_pages(text_path(path, 1, record)))


def test_an_html_page_served_as_pdf_is_reported_and_not_kept(
    tmp_path: Path, server: FileServer
) -> None:
    corpus = tmp_path / "corpus"
    path = paper(corpus, server.url("/fehler.pdf"), server.url("/antrag.pdf"))

    result = run("fetch", "--corpus", str(corpus), "--allow-private", "--delay", "0")

    assert result.exit_code == 1
    assert "file 1 (fehler.pdf)" in result.output and "HTML" in result.output
    assert "1 fetched, 0 unchanged, 1 failed" in result.output
    broken, good = read_motion(path).files
    assert broken.text == "failed" and broken.reason.startswith("not fetched: ")
    assert not copy_path(path, 1, broken).exists()
    assert copy_path(path, 2, good).is_file()
    assert not list(files_folder(path).glob(".*.part"))


def test_loopback_needs_allow_private_and_metadata_is_never_fetched(
    tmp_path: Path, server: FileServer
) -> None:
    corpus = tmp_path / "corpus"
    paper(corpus, server.url("/antrag.pdf"), server.url("/meta.pdf"))

    refused = run("fetch", "--corpus", str(corpus), "--delay", "0")
    assert refused.exit_code == 1
    assert "loopback" in refused.output and "--allow-private" in refused.output
    assert server.hits["/antrag.pdf"] == 0

    allowed = run("fetch", "--corpus", str(corpus), "--allow-private", "--delay", "0")
    assert "1 fetched, 0 unchanged, 1 failed" in allowed.output
    assert "169.254.169.254" in allowed.output


def test_a_file_without_url_or_not_public_is_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    records = [
        FileRecord(name="ohne.pdf"),
        FileRecord(name="intern.pdf", url="https://x.de/i", public=False),
    ]
    motion = Motion(reference="VO/2020/2", title="Ohne", date="2020-07-21", files=records)
    write_motion(motion, corpus, corpus / "2020" / "vo-2020-2.md")

    result = run("fetch", "--corpus", str(corpus))

    assert result.exit_code == 0
    assert "0 fetched, 0 unchanged, 0 failed, 2 skipped" in result.output
    assert "file 1 (ohne.pdf): no URL to fetch it from" in result.output
