"""OParl import from a live API: a local HTTP server serves real Karlsruhe data as OParl lists.

The server (``http.server`` in a thread on 127.0.0.1, a free port) answers like an
OParl API: System → bodies → Body → paginated paper list with ``links.next``,
``modified_since`` filtering, and every organization, meeting and agenda item by
its id. Failures are injected per page. The client is the real ``requests`` code.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from click.testing import CliRunner, Result
from oparl_data import MEETINGS, ORGANIZATIONS, sample_papers

from archive.checking import check_corpus
from archive.cli import main
from archive.corpus import iter_motion_files, read_motion
from archive.errors import SourceError
from archive.importers.oparl_import import import_oparl
from archive.importers.oparl_source import OParlClient, load_dump
from archive.importers.oparl_state import STATE_FILE

ORIGIN = "https://web1.karlsruhe.de/oparl"
PAGE_SIZE = 20
PAPER_COUNT = 45
PAGE_2 = "/oparl/bodies/0001/papers?page=2"

Failure = int | tuple[int, dict[str, str]]
"""An injected answer: a status, or a status with headers (``Retry-After``)."""


class OParlServer:
    """Serves papers, organizations and meetings under ``<base>/oparl/...``."""

    def __init__(self, papers: list[dict[str, Any]], others: list[dict[str, Any]]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/oparl"
        self.pristine = self._local(papers)
        self.known: dict[str, Any] = {}
        for obj in self._local(others):
            self.known[obj["id"]] = obj
            for item in obj.get("agendaItem") or []:
                self.known[item["id"]] = item
        self.reset()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _local(self, obj: Any) -> Any:
        return json.loads(json.dumps(obj).replace(ORIGIN, self.base))

    def reset(self) -> None:
        """Every test starts with the same papers, no failures and an empty log."""
        self.papers = json.loads(json.dumps(self.pristine))
        self.objects = dict(self.known)
        self.failures: dict[str, list[Failure]] = {}
        """``"/oparl/bodies/0001/papers?page=2": [503]``: the next answers of a page."""
        self.stalls: dict[str, float] = {}
        """``{PAGE_2: 1.0}``: the next answer of a page comes that many seconds late."""
        self.loop = False
        self.log: list[tuple[str, dict[str, list[str]], str]] = []
        self.arrivals: list[tuple[str, float]] = []
        """Each request's page (as in ``failures``) and when it arrived (``time.monotonic``)."""

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def paper_list(self) -> str:
        return f"{self.base}/bodies/0001/papers"

    def page_requests(self) -> list[dict[str, list[str]]]:
        return [query for path, query, _ in self.log if path == "/oparl/bodies/0001/papers"]

    def arrived(self, key: str) -> list[float]:
        return [at for page, at in self.arrivals if page == key]

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        page = int(query.get("page", ["1"])[0])
        key = f"{path}?page={page}" if path.endswith("/papers") else path
        self.arrivals.append((key, time.monotonic()))
        if self.failures.get(key):  # injected failures, one per request
            failure = self.failures[key].pop(0)
            status, headers = failure if isinstance(failure, tuple) else (failure, {})
            return status, {"error": "injected"}, headers
        time.sleep(self.stalls.pop(key, 0.0))
        return (*self._answer(path, query, page), {})

    def _answer(self, path: str, query: dict[str, list[str]], page: int) -> tuple[int, Any]:
        url = f"{self.base}{path.removeprefix('/oparl')}"
        body = {"id": f"{self.base}/bodies/0001", "type": "https://schema.oparl.org/1.1/Body"}
        body["paper"] = self.paper_list
        if path == "/oparl/system":
            system = {"id": url, "type": "https://schema.oparl.org/1.1/System"}
            return 200, {**system, "body": f"{self.base}/bodies"}
        if path == "/oparl/bodies":
            return 200, {"data": [body], "links": {}, "pagination": {"totalElements": 1}}
        if path == "/oparl/bodies/0001":
            return 200, body
        if path == "/oparl/bodies/0001/papers":
            return 200, self._paper_page(page, query)
        if url in self.objects:
            return 200, self.objects[url]
        return 404, {"error": "not found"}

    def _paper_page(self, page: int, query: dict[str, list[str]]) -> dict[str, Any]:
        since = query.get("modified_since", [""])[0]
        papers = [p for p in self.papers if not since or p["modified"] >= since]
        chunk = papers[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        links: dict[str, str] = {}
        if page * PAGE_SIZE < len(papers):
            params = {"page": page if self.loop and page == 2 else page + 1}
            if since:
                params["modified_since"] = since  # type: ignore[assignment]
            links["next"] = f"{self.paper_list}?{urlencode(params)}"
        return {"data": chunk, "links": links, "pagination": {"totalElements": len(papers)}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                server.log.append((parts.path, query, self.headers.get("User-Agent", "")))
                status, payload, headers = server.answer(parts.path, query)
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                try:
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # a stalled answer the client stopped waiting for

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture(scope="module")
def running_server() -> Iterator[OParlServer]:
    papers = sample_papers()
    # the linked papers (2020/1246 before its amendments) and 40 papers with consultations
    chosen = papers[-5:] + papers[FIRST_WITH_CONSULTATION : FIRST_WITH_CONSULTATION + 40]
    server = OParlServer(chosen[:PAPER_COUNT], load_dump(ORGANIZATIONS) + load_dump(MEETINGS))
    yield server
    server.close()


@pytest.fixture
def server(running_server: OParlServer) -> OParlServer:
    running_server.reset()
    return running_server


FIRST_WITH_CONSULTATION = 65  # the dump starts with 65 amendments without consultations


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", "oparl", *map(str, args)])


def fast_client() -> OParlClient:
    return OParlClient(backoff=0.01, timeout=5)


def files(corpus: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in iter_motion_files(corpus)}


def test_import_from_the_system_url_follows_every_page(server: OParlServer, tmp_path: Path):
    corpus = tmp_path / "corpus"
    result = run(f"{server.base}/system", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert f"{PAPER_COUNT} created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped" in result.stdout
    assert [q.get("page", ["1"])[0] for q in server.page_requests()] == ["1", "2", "3"]
    assert not any("modified_since" in q for q in server.page_requests())
    agents = {agent for _, _, agent in server.log}
    # the papers' requests and those of their files (fetched from the API's server) alike
    assert agents and all(agent.startswith("Ratsarchiv/0.1.0 (") for agent in agents)
    motions = {m.reference: m for m in map(read_motion, iter_motion_files(corpus))}
    # committees, meetings and agenda items were fetched from the API by their ids
    consultation = motions["2020/1246"].consultations[0]
    assert (consultation.committee, consultation.agenda_item) == ("Gemeinderat", "8")
    assert consultation.result == "bei Stimmengleichheit abgelehnt"
    assert motions["2020/1246"].related == ["2020/1246/1", "2020/1246/2"]
    assert motions["2020/1246"].source.url.startswith(server.base)
    assert check_corpus([corpus], corpus=corpus).ok
    assert "requests)" in result.stdout


def test_the_next_run_asks_only_for_changes(server: OParlServer, tmp_path: Path):
    corpus = tmp_path / "corpus"
    assert run(f"{server.base}/bodies/0001", "--corpus", corpus).exit_code == 0
    state = json.loads((corpus / STATE_FILE).read_text(encoding="utf-8"))
    last_run = state["sources"][server.paper_list]["last_run"]  # one entry per body
    before = files(corpus)
    server.log.clear()
    server.papers[3]["modified"] = "2099-01-01T00:00:00+01:00"
    server.papers[3]["name"] = "Geänderter Titel"
    result = run(f"{server.base}/bodies/0001", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert server.page_requests() == [{"modified_since": [last_run]}]
    assert "0 created, 1 updated, 0 unchanged" in result.stdout
    assert f"modified since {last_run}" in result.stdout
    changed = {p for p, data in files(corpus).items() if before[p] != data}
    assert len(changed) == 1
    assert read_motion(changed.pop()).title == "Geänderter Titel"


def test_since_is_sent_as_modified_since(server: OParlServer, tmp_path: Path):
    result = run(server.paper_list, "--since", "2025-03-03", "--corpus", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert server.page_requests()[0] == {"modified_since": ["2025-03-03T00:00:00+00:00"]}


def test_a_failing_page_is_retried(server: OParlServer, tmp_path: Path):
    server.failures = {"/oparl/bodies/0001/papers?page=2": [503]}
    run_ = import_oparl(server.paper_list, tmp_path / "corpus", client=fast_client())
    assert run_.report.counts["created"] == PAPER_COUNT
    pages = [q.get("page", ["1"])[0] for q in server.page_requests()]
    assert pages == ["1", "2", "2", "3"]


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_waited_for(server: OParlServer, tmp_path: Path, status: int):
    """A server that asks for a pause gets it, however short the client's own backoff."""
    server.failures = {PAGE_2: [(status, {"Retry-After": "1"})]}
    run_ = import_oparl(server.paper_list, tmp_path / "corpus", client=fast_client())
    assert run_.report.counts["created"] == PAPER_COUNT
    first, second = server.arrived(PAGE_2)
    assert second - first >= 1.0
    assert run_.requests == len(server.log)  # the summary's "… requests" counts the retry


def test_server_errors_are_retried_with_growing_pauses(server: OParlServer, tmp_path: Path):
    server.failures = {PAGE_2: [500, 502, 500]}
    client = OParlClient(backoff=0.2, timeout=5)
    run_ = import_oparl(server.paper_list, tmp_path / "corpus", client=client)
    assert run_.report.counts["created"] == PAPER_COUNT
    gaps = [later - earlier for earlier, later in pairwise(server.arrived(PAGE_2))]
    assert len(gaps) == 3  # three failures, then the page
    assert gaps[1] >= 0.4 and gaps[2] >= 0.8  # at once, then after 2× and 4× the backoff
    assert run_.requests == len(server.log)


def test_a_page_that_answers_too_late_is_asked_again(server: OParlServer, tmp_path: Path):
    server.stalls = {PAGE_2: 1.5}
    client = OParlClient(backoff=0.01, timeout=0.5)
    run_ = import_oparl(server.paper_list, tmp_path / "corpus", client=client)
    assert run_.report.counts["created"] == PAPER_COUNT
    assert len(server.arrived(PAGE_2)) >= 2


def test_a_server_that_stays_unavailable_is_given_up_on(server: OParlServer, tmp_path: Path):
    server.failures = {PAGE_2: [(503, {"Retry-After": "1"})] * 5}
    result = run(server.paper_list, "--retries", "1", "--corpus", tmp_path / "corpus")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: {server.paper_list}?page=2: HTTP 503 Service Unavailable "
        "(gave up after 2 attempts)"
    )
    assert "Traceback" not in result.output
    first, second = server.arrived(PAGE_2)
    assert second - first >= 1.0


def test_a_permanent_error_stops_cleanly(server: OParlServer, tmp_path: Path):
    corpus = tmp_path / "corpus"
    server.failures = {"/oparl/bodies/0001/papers?page=2": [500] * 10}
    result = run(server.paper_list, "--retries", "1", "--corpus", corpus)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: {server.paper_list}?page=2: HTTP 500 Internal Server Error "
        "(gave up after 2 attempts)"
    )
    assert "Traceback" not in result.output
    # the papers of page 1 are complete files; nothing half written, no temp files
    assert len(files(corpus)) == PAGE_SIZE
    assert check_corpus([corpus], corpus=corpus).ok
    assert not [p for p in corpus.rglob("*.tmp")]
    # the failed run is not remembered: the next run asks for everything again
    state = json.loads((corpus / STATE_FILE).read_text(encoding="utf-8"))
    assert state["sources"] == {}
    server.failures = {}
    server.log.clear()
    again = run(server.paper_list, "--corpus", corpus)
    assert again.exit_code == 0
    assert f"{PAPER_COUNT - PAGE_SIZE} created, 0 updated, {PAGE_SIZE} unchanged" in again.stdout
    assert not any("modified_since" in q for q in server.page_requests())


def test_a_next_link_loop_is_detected(server: OParlServer, tmp_path: Path):
    server.loop = True
    result = run(server.paper_list, "--corpus", tmp_path / "corpus")
    assert result.exit_code == 1
    assert "pagination loop: links.next points back to" in result.stderr
    assert len(server.page_requests()) == 2


def test_what_is_not_an_oparl_endpoint_is_a_clear_error(server: OParlServer, tmp_path: Path):
    result = run(f"{server.base}/nothing", "--corpus", tmp_path / "corpus")
    assert result.exit_code == 1
    assert "HTTP 404" in result.stderr
    organization = next(iter(server.objects))
    result = run(organization, "--corpus", tmp_path / "corpus")
    assert "expected an OParl System, Body or paper list, found Organization" in result.stderr


def test_client_gives_up_on_an_unreachable_server():
    client = OParlClient(retries=1, backoff=0.01, timeout=2)
    with pytest.raises(SourceError, match=r"connection failed .* \(gave up after 2 attempts\)"):
        client.get("http://127.0.0.1:9/oparl/system")


def test_client_gives_up_on_a_server_that_never_answers():
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/oparl/system"
        client = OParlClient(retries=1, backoff=0.01, timeout=0.2)
        with pytest.raises(
            SourceError, match=r"no answer within 0.2 s \(gave up after 2 attempts\)"
        ):
            client.get(url)
    assert client.requests == 2


def test_a_meeting_the_api_no_longer_has_leaves_the_consultation_bare(
    server: OParlServer, tmp_path: Path
):
    meeting = next(p for p in server.papers if p["reference"] == "2020/1246")["consultation"][0]
    del server.objects[meeting["meeting"]]
    server.objects.pop(meeting["agendaItem"], None)
    corpus = tmp_path / "corpus"
    result = run(server.paper_list, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    motions = {m.reference: m for m in map(read_motion, iter_motion_files(corpus))}
    (consultation,) = motions["2020/1246"].consultations
    assert (consultation.committee, consultation.meeting, consultation.date) == (
        "Gemeinderat",
        "",
        "",
    )
