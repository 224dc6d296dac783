"""Load: eight readers on the real server while the index is rebuilt under them.

``ratsarchiv serve`` serves a real Karlsruhe search_index; ``ratsarchiv reindex --full`` runs
back to back, swapping in new index generations; eight clients search with varied
queries, facets and sorts and open the motion page of every hit. No 5xx, no failed
connection, no hit without its page. The 60-second version is ``python -m
benchmarks.soak --only load``. The server's limits (threads, connections, request
bodies) are checked over real HTTP too.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from faultkit import run

from benchmarks.harness import Server, bin_path
from benchmarks.soak import load_during_rebuild

pytestmark = pytest.mark.slow  # load on a real server, seconds per test

SECONDS = 12
CLIENTS = 8


@pytest.fixture(scope="module")
def search_index(karlsruhe_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("load")
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(karlsruhe_corpus, corpus)
    result = run("reindex", "--full", "--corpus", corpus, "--index", index)
    assert result.returncode == 0, result.stderr
    return corpus, index


def test_eight_readers_during_full_rebuilds(search_index, record_property) -> None:
    corpus, index = search_index
    report = load_during_rebuild(corpus, index, seconds=SECONDS, clients=CLIENTS, min_rebuilds=2)
    summary = report.summary()
    for key in ("requests", "p50_ms", "p95_ms", "p99_ms", "rebuilds_completed"):
        record_property(key, summary[key])
    print(f"\nload during rebuild: {summary}")
    assert report.server_errors == 0, summary
    assert report.failures == [], summary
    assert report.wrong == [], summary
    assert report.rebuild_failures == [], summary
    assert report.rebuilds >= 2, "no incremental and full rebuild finished under the readers"
    assert report.motions_checked > 0
    assert len(report.latencies) >= CLIENTS * 2


def _serve(index: Path, corpus: Path, *options: str) -> Server:
    command = [bin_path("ratsarchiv"), "serve", "--port", "{port}", *options]
    return Server([*command, "--index", str(index), "--corpus", str(corpus)])


def _raw(port: int, request: bytes, read_timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)  # the server may close before the whole body is sent
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
    return b"".join(chunks)


def test_a_large_request_body_is_refused_at_once(search_index) -> None:
    corpus, index = search_index
    with _serve(index, corpus) as server:
        head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n"
        started = time.monotonic()
        answer = _raw(server.port, head + b"x" * (1 << 20))
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert time.monotonic() - started < 5
        status, _, _ = server.get("/healthz")
        assert status == 200


def test_configured_limits_apply(search_index) -> None:
    """``--max-request-body`` and ``--connection-limit`` reach waitress."""
    corpus, index = search_index
    options = ["--threads", "2", "--connection-limit", "5", "--max-request-body", "100"]
    with _serve(index, corpus, *options) as server:
        answer = _raw(server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(8)]
        try:
            # five idle connections fill the limit; a new request waits in the backlog
            late = socket.create_connection(("127.0.0.1", server.port), timeout=1.5)
            late.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            with pytest.raises(TimeoutError):
                late.recv(100)
        finally:
            for sock in idle:
                sock.close()
        late.settimeout(10)  # the idle ones are gone: now it is served
        answer = late.recv(100)
        late.close()
        assert answer.startswith(b"HTTP/1.1 200"), answer


def test_slow_clients_do_not_block_fast_ones(search_index) -> None:
    """Clients that send half a request and stall hold a connection, not a worker thread."""
    corpus, index = search_index
    with _serve(index, corpus, "--threads", "2") as server:
        stalled = []
        for _ in range(10):
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(b"GET /api/search?q=Stadt HTTP/1.1\r\nHost: x\r\n")  # never finished
            stalled.append(sock)
        try:
            times = []
            for _ in range(5):
                status, _, seconds = server.get("/api/search?q=Karlsruhe")
                assert status == 200
                times.append(seconds)
            assert max(times) < 5
        finally:
            for sock in stalled:
                sock.close()


def test_many_concurrent_connections_all_get_answers(search_index) -> None:
    corpus, index = search_index
    answers: list[bytes] = []
    lock = threading.Lock()
    with _serve(index, corpus, "--threads", "4") as server:

        def ask() -> None:
            answer = _raw(
                server.port,
                b"GET /api/search?q=Schule HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                read_timeout=60,
            )
            with lock:
                answers.append(answer)

        threads = [threading.Thread(target=ask) for _ in range(60)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(answers) == 60
    assert all(a.startswith(b"HTTP/1.1 200") for a in answers), {a[:20] for a in answers}
