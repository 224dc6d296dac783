"""Meetings from a live OParl API: the Body's meeting list, read after the papers, and on
the next run only what changed since (``modified_since``).

The local server of ``tests.test_oparl_api`` serves real Karlsruhe papers; here its Body
also names a meeting list with the real meetings those papers were consulted in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oparl_data import MEETINGS, ORGANIZATIONS, sample_papers
from test_oparl_api import FIRST_WITH_CONSULTATION, OParlServer, run

from archive.importers.oparl_source import load_dump
from archive.meeting_files import iter_meeting_files, read_meeting

pytestmark = pytest.mark.karlsruhe


class MeetingServer(OParlServer):
    """The papers' server, whose Body has a meeting list (paged, ``modified_since``)."""

    def __init__(self, papers: list[dict[str, Any]], meetings: list[dict[str, Any]]) -> None:
        super().__init__(papers, load_dump(ORGANIZATIONS) + meetings)
        self.meetings = self._local(meetings)

    def _answer(self, path: str, query: dict[str, list[str]], page: int) -> tuple[int, Any]:
        meeting_list = {"meeting": f"{self.base}/bodies/0001/meetings"}
        if path == "/oparl/bodies/0001":
            status, body = super()._answer(path, query, page)
            return status, {**body, **meeting_list}
        if path == "/oparl/bodies":
            status, listing = super()._answer(path, query, page)
            return status, {**listing, "data": [{**b, **meeting_list} for b in listing["data"]]}
        if path == "/oparl/bodies/0001/meetings":
            since = query.get("modified_since", [""])[0]
            found = [m for m in self.meetings if not since or m["modified"] >= since]
            return 200, {"data": found, "links": {}, "pagination": {"totalElements": len(found)}}
        return super()._answer(path, query, page)


@pytest.fixture(scope="module")
def server() -> Iterator[MeetingServer]:
    papers = sample_papers()[FIRST_WITH_CONSULTATION : FIRST_WITH_CONSULTATION + 15]
    wanted = {c["meeting"] for p in papers for c in p.get("consultation") or [] if "meeting" in c}
    meetings = [m for m in load_dump(MEETINGS) if m["id"] in wanted]
    server = MeetingServer(papers, meetings)
    yield server
    server.close()


def meeting_files(corpus: Path) -> dict[str, Any]:
    return {
        m.source.id: m for path, c in iter_meeting_files(corpus) for m in [read_meeting(path, c)]
    }


def test_a_live_api_gives_the_bodys_meetings_linked_to_the_papers(
    server: MeetingServer, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    first = run(f"{server.base}/system", "--corpus", corpus, "--delay", "0", "--no-files")
    assert first.exit_code == 0, first.output
    written = meeting_files(corpus)
    assert len(written) == len(server.meetings) > 0
    assert f"meetings: {len(server.meetings)} created" in first.output
    linked = {ref for m in written.values() for item in m.items for ref in item.papers}
    references = {p["reference"] for p in server.papers}
    assert linked and linked <= references
    meeting_requests = [q for path, q, _ in server.log if path.endswith("/meetings")]
    assert meeting_requests == [{}]  # the first run reads the whole list

    changed = server.meetings[0]
    changed["modified"] = "2099-01-01T00:00:00+01:00"
    changed["name"] = "Umbenannte Sitzung"
    server.log.clear()
    second = run(f"{server.base}/system", "--corpus", corpus, "--delay", "0", "--no-files")
    assert second.exit_code == 0, second.output
    asked = [q for path, q, _ in server.log if path.endswith("/meetings")]
    assert len(asked) == 1 and "modified_since" in asked[0]
    assert "meetings: 0 created, 1 updated" in second.output
    assert meeting_files(corpus)[changed["id"]].name == "Umbenannte Sitzung"
    # the item links survive a run that brought no papers
    again = {ref for m in meeting_files(corpus).values() for item in m.items for ref in item.papers}
    assert again == linked
