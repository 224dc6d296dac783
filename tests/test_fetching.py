"""Fetching files over real HTTP from a local server: limits, redirects, the guard, atomicity."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import urllib3.util.connection

from archive.errors import FetchError
from archive.fetching import USER_AGENT, Fetcher, FetchLimits, FetchPolicy, remove_partial
from tests.file_server import FileServer, cut, drip, endless, redirect, serve_bytes, status

REPO = Path(__file__).resolve().parents[1]
PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 200 + b"%%EOF\n"
HTML = b"<!DOCTYPE html><html><body>Die Seite wurde nicht gefunden.</body></html>"
ZIP = b"PK\x03\x04" + bytes(2000)


@pytest.fixture
def source() -> Iterator[FileServer]:
    """The council's server, on 127.0.0.2 (loopback, allowed as the source's origin)."""
    with FileServer(host="127.0.0.2") as server:
        yield server


@pytest.fixture
def inside() -> Iterator[FileServer]:
    """A service on this machine that a hostile redirect points at."""
    with FileServer(host="127.0.0.1") as server:
        server.route("/secret", serve_bytes(PDF, "application/pdf"))
        yield server


def fetcher_for(server: FileServer, **limits: float) -> Fetcher:
    policy = FetchPolicy(allowed_origins=frozenset({server.origin}))
    return Fetcher(FetchLimits(**{"timeout": 2.0, **limits}), policy, retries=0)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_real_pdf_is_fetched_with_its_size_and_sha256(shared_data: Path, tmp_path: Path) -> None:
    pdf = shared_data / "pdf" / "stuttgart_niederschrift-gemeinderat_EF323DF3.pdf"
    data = pdf.read_bytes()
    dest = tmp_path / "files" / "niederschrift.pdf"
    with FileServer(root=shared_data / "pdf", host="127.0.0.2") as server, fetcher_for(server) as f:
        fetched = f.fetch(server.url(pdf.name), dest)
        sent = server.headers["/" + pdf.name]
    assert not fetched.not_modified
    assert fetched.url == server.url(pdf.name)
    assert (fetched.size, fetched.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert fetched.media_type == "application/pdf"
    assert fetched.etag and fetched.last_modified
    assert dest.read_bytes() == data
    assert leftovers(dest.parent) == ["niederschrift.pdf"]
    assert sent["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("Ratsarchiv/")


def test_the_second_fetch_with_the_validators_is_not_modified(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.pdf").write_bytes(PDF)
    dest = tmp_path / "a.pdf"
    with FileServer(root=tmp_path / "site", host="127.0.0.2") as server, fetcher_for(server) as f:
        first = f.fetch(server.url("a.pdf"), dest)
        dest.write_bytes(b"the archive's copy")  # to see that a 304 leaves it alone
        again = f.fetch(server.url("a.pdf"), dest, etag=first.etag)
        assert server.headers["/a.pdf"]["If-None-Match"] == first.etag
        by_date = f.fetch(server.url("a.pdf"), dest, last_modified=first.last_modified)
        assert server.headers["/a.pdf"]["If-Modified-Since"] == first.last_modified
    assert again.not_modified and by_date.not_modified
    assert (again.etag, again.last_modified) == (first.etag, first.last_modified)
    assert dest.read_bytes() == b"the archive's copy"


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (HTML, "an HTML page"),
        (ZIP, "a ZIP archive (or an Office document)"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "of no known file type"),
    ],
)
def test_a_non_pdf_served_as_pdf_is_refused(
    source: FileServer, tmp_path: Path, body: bytes, what: str
) -> None:
    source.route("/a.pdf", serve_bytes(body, "application/pdf"))
    dest = tmp_path / "a.pdf"
    with fetcher_for(source) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("a.pdf"), dest)
    assert str(caught.value) == f"{source.url('a.pdf')}: served as application/pdf but is {what}"
    assert leftovers(tmp_path) == []


def test_without_expect_any_file_is_taken(source: FileServer, tmp_path: Path) -> None:
    source.route("/page", serve_bytes(HTML, "text/html; charset=utf-8"))
    with fetcher_for(source) as f:
        fetched = f.fetch(source.url("page"), tmp_path / "page.html", expect="")
    assert fetched.media_type == "text/html"
    assert (tmp_path / "page.html").read_bytes() == HTML


def test_a_refused_body_leaves_the_existing_file_untouched(
    source: FileServer, tmp_path: Path
) -> None:
    source.route("/a.pdf", serve_bytes(HTML, "application/pdf"))
    dest = tmp_path / "a.pdf"
    dest.write_bytes(PDF)
    with fetcher_for(source) as f, pytest.raises(FetchError, match="HTML page"):
        f.fetch(source.url("a.pdf"), dest)
    assert dest.read_bytes() == PDF
    assert leftovers(tmp_path) == ["a.pdf"]


def test_a_2_gb_content_length_is_refused_before_reading(
    source: FileServer, tmp_path: Path
) -> None:
    source.route("/big.pdf", endless(length=2 * 1024**3))
    started = time.monotonic()
    with fetcher_for(source) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("big.pdf"), tmp_path / "big.pdf")
    assert caught.value.reason == (
        "refused: Content-Length 2147483648 bytes is over the limit of 200 MiB"
    )
    assert time.monotonic() - started < 2
    assert leftovers(tmp_path) == []


def test_an_endless_body_is_cut_at_max_bytes(source: FileServer, tmp_path: Path) -> None:
    source.route("/endless.pdf", endless())
    with fetcher_for(source, max_bytes=1024**2) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("endless.pdf"), tmp_path / "endless.pdf")
    assert caught.value.reason == "refused: more than 1 MiB"
    assert leftovers(tmp_path) == []


def test_a_drip_is_cut_off_at_the_deadline(source: FileServer, tmp_path: Path) -> None:
    source.route("/slow.pdf", drip(PDF, bytes_per_second=5))
    started = time.monotonic()
    with fetcher_for(source, deadline=2.0) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("slow.pdf"), tmp_path / "slow.pdf")
    elapsed = time.monotonic() - started
    assert caught.value.reason.startswith("cut off: not complete after 2 s (")
    assert 1.9 <= elapsed < 3.5
    assert leftovers(tmp_path) == []


def test_a_server_that_does_not_answer_times_out(source: FileServer, tmp_path: Path) -> None:
    source.route("/hang.pdf", lambda request: time.sleep(3))
    with fetcher_for(source, timeout=0.5) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("hang.pdf"), tmp_path / "hang.pdf")
    assert caught.value.reason == "no answer within 0.5 s"


def test_a_redirect_chain_is_followed(source: FileServer, tmp_path: Path) -> None:
    source.route("/final.pdf", serve_bytes(PDF, "application/pdf"))
    source.route("/b", redirect("/final.pdf", 301))
    source.route("/a", redirect(source.url("b"), 307))
    with fetcher_for(source) as f:
        fetched = f.fetch(source.url("a"), tmp_path / "a.pdf")
    assert fetched.url == source.url("final.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == PDF


def test_a_redirect_loop_is_refused(source: FileServer, tmp_path: Path) -> None:
    source.route("/a", redirect("/b"))
    source.route("/b", redirect("/a"))
    with fetcher_for(source) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("a"), tmp_path / "a.pdf")
    assert (
        caught.value.reason
        == f"redirect loop: {source.url('b')} redirects back to {source.url('a')}"
    )
    assert source.hits["/a"] == source.hits["/b"] == 1


def test_too_many_redirects_are_refused(source: FileServer, tmp_path: Path) -> None:
    for hop in range(7):
        source.route(f"/{hop}", redirect(f"/{hop + 1}"))
    with fetcher_for(source, max_redirects=5) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("0"), tmp_path / "a.pdf")
    assert caught.value.url == source.url("0")
    assert caught.value.reason == f"more than 5 redirects (last to {source.url('6')})"
    assert source.hits["/5"] == 1 and source.hits["/6"] == 0


def test_a_redirect_to_this_machine_is_refused(
    source: FileServer, inside: FileServer, tmp_path: Path
) -> None:
    source.route("/a.pdf", redirect(inside.url("secret")))
    with fetcher_for(source) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("a.pdf"), tmp_path / "a.pdf")
    assert str(caught.value).startswith(f"{inside.url('secret')}: refused: 127.0.0.1 is a loopback")
    assert inside.hits["/secret"] == 0
    assert leftovers(tmp_path) == []


def test_a_redirect_to_the_metadata_service_is_refused_without_connecting(
    source: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connected: list[tuple[str, int]] = []
    real_connect = urllib3.util.connection.create_connection

    def connect(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        connected.append(address)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", connect)
    metadata = "http://169.254.169.254/latest/meta-data/"
    source.route("/a.pdf", redirect(metadata))
    with fetcher_for(source) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("a.pdf"), tmp_path / "a.pdf")
    assert str(caught.value).startswith(f"{metadata}: refused: 169.254.169.254 is a cloud metadata")
    assert [host for host, _port in connected] == ["127.0.0.2"]


def test_allow_private_lets_loopback_through(inside: FileServer, tmp_path: Path) -> None:
    with Fetcher(FetchLimits(timeout=2.0), FetchPolicy(allow_private=True)) as f:
        fetched = f.fetch(inside.url("secret"), tmp_path / "a.pdf")
    assert fetched.size == len(PDF)
    with Fetcher() as f, pytest.raises(FetchError, match="loopback"):
        f.fetch(inside.url("secret"), tmp_path / "b.pdf")
    assert inside.hits["/secret"] == 1


def test_only_http_and_https_are_fetched(tmp_path: Path) -> None:
    with Fetcher() as f, pytest.raises(FetchError) as caught:
        f.fetch("file:///etc/passwd", tmp_path / "a.pdf")
    assert (
        str(caught.value) == "file:///etc/passwd: only http and https URLs are fetched, not 'file'"
    )


@pytest.mark.parametrize(("code", "reason"), [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone")])
def test_client_errors_name_the_status(
    source: FileServer, tmp_path: Path, code: int, reason: str
) -> None:
    source.route("/a.pdf", status(code))
    with fetcher_for(source) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("a.pdf"), tmp_path / "a.pdf")
    assert str(caught.value) == f"{source.url('a.pdf')}: {reason}"
    assert source.hits["/a.pdf"] == 1
    assert leftovers(tmp_path) == []


def test_server_errors_are_retried_then_reported(source: FileServer, tmp_path: Path) -> None:
    source.route("/a.pdf", status(500))
    policy = FetchPolicy(allowed_origins=frozenset({source.origin}))
    fetcher = Fetcher(FetchLimits(timeout=2.0), policy, retries=2, backoff=0.1)
    with fetcher as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("a.pdf"), tmp_path / "a.pdf")
    assert caught.value.reason == "HTTP 500 Internal Server Error"
    assert source.hits["/a.pdf"] == 3


def test_too_many_requests_waits_as_retry_after_asks(source: FileServer, tmp_path: Path) -> None:
    source.route("/a.pdf", status(429, headers={"Retry-After": "1"}))
    policy = FetchPolicy(allowed_origins=frozenset({source.origin}))
    started = time.monotonic()
    fetcher = Fetcher(FetchLimits(timeout=2.0), policy, retries=1, backoff=0)
    with fetcher as f, pytest.raises(FetchError, match="HTTP 429"):
        f.fetch(source.url("a.pdf"), tmp_path / "a.pdf")
    assert time.monotonic() - started >= 1
    assert source.hits["/a.pdf"] == 2


def test_requests_to_one_host_start_delay_apart(source: FileServer, tmp_path: Path) -> None:
    source.route("/a.pdf", serve_bytes(PDF, "application/pdf"))
    policy = FetchPolicy(allowed_origins=frozenset({source.origin}))
    started = time.monotonic()
    with Fetcher(FetchLimits(timeout=2.0), policy, delay=0.4) as f, ThreadPoolExecutor(3) as pool:
        done = list(
            pool.map(lambda n: f.fetch(source.url("a.pdf"), tmp_path / f"{n}.pdf"), range(3))
        )
    assert time.monotonic() - started >= 0.8
    assert [fetched.size for fetched in done] == [len(PDF)] * 3
    assert source.hits["/a.pdf"] == 3


def test_a_connection_closed_mid_body_leaves_no_file(source: FileServer, tmp_path: Path) -> None:
    source.route("/a.pdf", cut(PDF, after=2000))
    dest = tmp_path / "a.pdf"
    with fetcher_for(source) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("a.pdf"), dest)
    assert "after 2000 bytes" in caught.value.reason or "2000 of" in caught.value.reason
    assert "\n" not in str(caught.value)
    assert leftovers(tmp_path) == []


def test_a_killed_download_leaves_only_a_part_file_that_is_removed(
    source: FileServer, tmp_path: Path
) -> None:
    source.route("/slow.pdf", drip(PDF, bytes_per_second=200))
    dest = tmp_path / "slow.pdf"
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from archive.fetching import Fetcher, FetchPolicy
        policy = FetchPolicy(allowed_origins=frozenset({{{source.origin!r}}}))
        with Fetcher(policy=policy) as fetcher:
            fetcher.fetch({source.url("slow.pdf")!r}, Path({str(dest)!r}))
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        deadline = time.monotonic() + 10
        while not list(tmp_path.glob(".*.part")) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    parts = leftovers(tmp_path)
    assert len(parts) == 1 and parts[0].startswith(".slow.pdf.") and parts[0].endswith(".part")
    assert remove_partial(tmp_path) == [tmp_path / parts[0]]
    assert leftovers(tmp_path) == []


def test_waiting_for_the_delay_does_not_count_against_the_deadline(
    source: FileServer, tmp_path: Path
) -> None:
    source.route("/a.pdf", serve_bytes(PDF, "application/pdf"))
    policy = FetchPolicy(allowed_origins=frozenset({source.origin}))
    with Fetcher(FetchLimits(timeout=2.0, deadline=0.5), policy, delay=0.8) as f:
        f.fetch(source.url("a.pdf"), tmp_path / "1.pdf")
        second = f.fetch(source.url("a.pdf"), tmp_path / "2.pdf")  # waits 0.8 s first
    assert second.size == len(PDF)


def test_a_redirect_to_a_file_url_is_refused(source: FileServer, tmp_path: Path) -> None:
    source.route("/a.pdf", redirect("file:///etc/passwd"))
    with fetcher_for(source) as f, pytest.raises(FetchError) as caught:
        f.fetch(source.url("a.pdf"), tmp_path / "a.pdf")
    assert (
        str(caught.value) == "file:///etc/passwd: only http and https URLs are fetched, not 'file'"
    )
