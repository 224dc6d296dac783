"""Importing into councils: the council is part of every paper's identity.

Real Hamburg district pages (``../shared/data/allris-hamburg``; each district numbers its
Drucksachen on its own) and real Karlsruhe OParl papers served as a System with two
bodies. What a user notices: where the files go, which ``_council.yml`` files appear
(named from the source, or ``--council-name``), that the same reference in two councils
is two papers and never a conflict, and that importing into one council leaves every
byte of another council alone.
"""

from __future__ import annotations

import json
import shlex
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from faultkit import no_traceback
from faultkit import run as run_cli
from oparl_data import ORGANIZATIONS, sample_papers, write_jsonl
from realdata import HAMBURG

from archive.cli import main
from archive.corpus import iter_council_files, read_motion
from archive.councils import COUNCIL_FILE, council_layout
from archive.importers.corpus_writer import STATE_FILE
from archive.importers.oparl_source import load_dump

ALTONA, EIMSBUETTEL = HAMBURG / "altona", HAMBURG / "eimsbuettel"
PAGE = ALTONA / "vo020.html"  # Drucksache 22-2362 of the Bezirksversammlung Altona


@pytest.fixture(autouse=True)
def _data(shared_data: Path) -> None:
    """Every test here reads the real data."""


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def imported(corpus: Path, kind: str, *sources: object, options: str = "") -> Result:
    """``ratsarchiv import KIND SOURCES OPTIONS --corpus CORPUS`` (options split like a shell)."""
    return run("import", kind, *sources, *shlex.split(options), "--corpus", corpus)


def motions(corpus: Path) -> dict[str, Path]:
    """``<council>/<slug>`` (the paper's uid) → its file."""
    return {read_motion(path, council).uid: path for path, council in iter_council_files(corpus)}


def snapshot(folder: Path) -> dict[Path, tuple[bytes, int]]:
    """Every file below ``folder`` with its bytes and modification time."""
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- ALLRIS: the collision


def test_the_same_page_under_two_councils_is_two_papers_and_no_conflict(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for key in ("hamburg-altona", "hamburg-eimsbuettel"):
        result = run("import", "allris-html", PAGE, "--council", key, "--corpus", corpus)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip().endswith(
            f"1 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped in council {key}"
        )
    found = motions(corpus)
    assert set(found) == {"hamburg-altona/22-2362", "hamburg-eimsbuettel/22-2362"}
    altona, eimsbuettel = found["hamburg-altona/22-2362"], found["hamburg-eimsbuettel/22-2362"]
    assert altona == corpus / "hamburg-altona" / "2026" / "22-2362.md"
    assert eimsbuettel == corpus / "hamburg-eimsbuettel" / "2026" / "22-2362.md"
    assert altona.read_bytes() == eimsbuettel.read_bytes()  # the council is the folder only
    state = json.loads((corpus / STATE_FILE).read_text(encoding="utf-8"))
    assert sorted(state) == [
        "hamburg-altona/2026/22-2362.md",
        "hamburg-eimsbuettel/2026/22-2362.md",
    ]
    for key in ("hamburg-altona", "hamburg-eimsbuettel"):
        again = run("import", "allris-html", PAGE, "--council", key, "--corpus", corpus)
        assert again.exit_code == 0, again.output
        assert "0 created, 0 updated, 1 unchanged, 0 conflicts" in again.stdout


def test_two_districts_side_by_side_make_two_councils_named_by_their_pages(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    for key, district in (("hamburg-altona", ALTONA), ("hamburg-eimsbuettel", EIMSBUETTEL)):
        pages = (district / "vo020.html", district / "to020.html")
        result = run("import", "allris-html", *pages, "--council", key, "--corpus", corpus)
        assert "0 conflicts" in result.stdout, result.output
    layout = council_layout(corpus)
    altona, eimsbuettel = layout.council("hamburg-altona"), layout.council("hamburg-eimsbuettel")
    assert (altona.name, altona.short_name, altona.kind) == (
        "Bezirksversammlung Altona",
        "Altona",
        "Bezirk",
    )
    assert altona.allris_url == "http://sitzungsdienst-altona.hamburg.de/bi/"
    assert (eimsbuettel.name, eimsbuettel.short_name) == (
        "Bezirksversammlung Eimsbüttel",
        "Eimsbüttel",
    )
    assert eimsbuettel.allris_url == "http://sitzungsdienst-eimsbuettel.hamburg.de/bi/"
    assert set(motions(corpus)) == {
        "hamburg-altona/22-2362",
        "hamburg-altona/22-0621",  # Altona's Auszug (Eimsbüttel's names no paper)
        "hamburg-eimsbuettel/22-2368",
    }


def test_the_command_line_of_the_issue_makes_two_councils(tmp_path: Path) -> None:
    """``ratsarchiv import allris-html …/altona/vo020.html --council hamburg-altona``, and the
    same for Eimsbüttel, in a shell: the default ``corpus/`` of the working directory."""
    for district, key in ((ALTONA, "hamburg-altona"), (EIMSBUETTEL, "hamburg-eimsbuettel")):
        result = run_cli(
            "import", "allris-html", district / "vo020.html", "--council", key, cwd=tmp_path
        )
        no_traceback(result)
        assert result.returncode == 0, result.stderr
        assert f"in council {key}" in result.stdout
    corpus = tmp_path / "corpus"
    descriptions = sorted(
        p.relative_to(corpus).as_posix() for p in corpus.glob(f"*/{COUNCIL_FILE}")
    )
    assert descriptions == ["hamburg-altona/_council.yml", "hamburg-eimsbuettel/_council.yml"]
    names = {k: c.name for k, c in council_layout(corpus).councils.items() if k != "default"}
    assert names == {
        "hamburg-altona": "Bezirksversammlung Altona",
        "hamburg-eimsbuettel": "Bezirksversammlung Eimsbüttel",
    }


def test_council_name_replaces_the_name_of_the_page(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    options = "--council altona --council-name 'Bezirk Altona (Hamburg)'"
    result = imported(corpus, "allris-html", PAGE, options=options)
    assert result.exit_code == 0, result.output
    council = council_layout(corpus).council("altona")
    assert (council.name, council.short_name) == ("Bezirk Altona (Hamburg)", "Altona")


def test_the_seed_text_goes_into_the_council_it_is_given(tmp_path: Path, seed_path: Path) -> None:
    corpus = tmp_path / "corpus"
    options = "--council luebeck --council-name 'Hansestadt Lübeck'"
    result = imported(corpus, "allris", seed_path, options=options)
    assert result.exit_code == 0, result.output
    assert "in council luebeck" in result.stdout
    assert set(motions(corpus)) == {"luebeck/vo-2024-12903-01"}
    text = (corpus / "luebeck" / COUNCIL_FILE).read_text(encoding="utf-8")
    assert text == "name: Hansestadt Lübeck\n"


def test_an_existing_council_file_is_never_rewritten(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    description = corpus / "hamburg-altona" / COUNCIL_FILE
    description.parent.mkdir(parents=True)
    description.write_text("name: Altona\nstate: Hamburg\n", encoding="utf-8")
    before = snapshot(description.parent)
    options = "--council hamburg-altona --council-name Anders"
    result = imported(corpus, "allris-html", PAGE, options=options)
    assert result.exit_code == 0, result.output
    assert description.read_text(encoding="utf-8") == "name: Altona\nstate: Hamburg\n"
    assert snapshot(description.parent)[description] == before[description]


@pytest.mark.parametrize(
    "command",
    [
        ("allris-html", PAGE),
        ("allris", HAMBURG.parent / "seed" / "000_8b99fe79a41c52b0.txt"),
        ("oparl", HAMBURG.parent / "oparl-karlsruhe" / "organizations.json"),
    ],
    ids=["allris-html", "allris", "oparl"],
)
def test_an_invalid_key_is_one_line_and_writes_nothing(
    command: tuple[str, Path], tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    result = run("import", *command, "--council", "Hamburg Altona", "--corpus", corpus)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: invalid council key 'Hamburg Altona': a council key is lower-case letters, "
        "digits and hyphens (like hamburg-altona)"
    ]
    assert not corpus.exists()
    reserved = run("import", *command, "--council", "api", "--corpus", corpus)
    assert "'api' is reserved" in reserved.stderr and not corpus.exists()


def test_importing_into_one_council_never_touches_another(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    other = ("--council", "hamburg-eimsbuettel", "--corpus", corpus)
    assert run("import", "allris-html", EIMSBUETTEL / "vo020.html", PAGE, *other).exit_code == 0
    edited = corpus / "hamburg-eimsbuettel" / "2026" / "22-2362.md"  # an archivist's edit
    edited.write_text(edited.read_text(encoding="utf-8").replace("Metrobuslinie", "Buslinie"))
    before = snapshot(corpus / "hamburg-eimsbuettel")
    pages = [ALTONA / "vo020.html", ALTONA / "to020.html", EIMSBUETTEL / "vo020.html"]
    for force in ("", "--force"):
        options = f"{force} --council hamburg-altona"
        result = imported(corpus, "allris-html", *pages, options=options)
        assert "0 conflicts" in result.stdout, result.output
    assert snapshot(corpus / "hamburg-eimsbuettel") == before
    assert set(motions(corpus)) == {
        "hamburg-altona/22-2362",
        "hamburg-altona/22-0621",
        "hamburg-altona/22-2368",
        "hamburg-eimsbuettel/22-2362",
        "hamburg-eimsbuettel/22-2368",
    }


def test_without_council_a_new_corpus_gets_its_default_council(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    result = run("import", "allris-html", PAGE, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "in council default" in result.stdout
    assert set(motions(corpus)) == {"default/22-2362"}
    assert (corpus / "default" / "2026" / "22-2362.md").is_file()
    assert council_layout(corpus).council("default").name == "Bezirksversammlung Altona"


def test_without_council_a_corpus_from_before_councils_stays_as_it_is(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "2025").mkdir(parents=True)  # the layout before councils: years in the root
    result = run("import", "allris-html", PAGE, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert (corpus / "2026" / "22-2362.md").is_file()
    assert sorted(p.name for p in corpus.iterdir()) == [".import-state.json", "2025", "2026"]
    # a second council beside it keeps the root's papers in the default council
    assert imported(corpus, "allris-html", PAGE, options="--council hamburg-altona").exit_code == 0
    assert set(motions(corpus)) == {"default/22-2362", "hamburg-altona/22-2362"}


def test_a_folder_holding_default_council_papers_is_not_made_a_council(tmp_path: Path) -> None:
    scratch, corpus = tmp_path / "scratch", tmp_path / "corpus"
    assert run("import", "allris-html", PAGE, "--corpus", scratch).exit_code == 0
    paper = corpus / "altona" / "2026" / "22-2362.md"  # a folder, but no _council.yml in it
    paper.parent.mkdir(parents=True)
    paper.write_bytes((scratch / "default" / "2026" / "22-2362.md").read_bytes())
    before = snapshot(corpus)
    result = run("import", "allris-html", PAGE, "--council", "altona", "--corpus", corpus)
    assert result.exit_code == 1
    assert "holds papers of the default council 'default'" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(corpus) == before


# ---------------------------------------------------------------- OParl: a System with bodies

KARLSRUHE = "https://web1.karlsruhe.de/oparl"


class TwoBodies:
    """An OParl API on 127.0.0.1: a System whose bodies are the city of Karlsruhe and its
    Ortschaftsrat Durlach (a real Karlsruhe organization, as a body of its own), each with
    real Karlsruhe papers. 2019/1012 is a paper of both; 2020/1246 is the city's, its two
    amendments Durlach's."""

    def __init__(self) -> None:
        papers = sample_papers()
        shared_a, shared_b, mother, *amendments = papers[-5:]
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/oparl"
        durlach = next(o for o in load_dump(ORGANIZATIONS) if o["name"] == "Ortschaftsrat Durlach")
        self.bodies = [
            {
                "id": f"{KARLSRUHE}/bodies/0001",
                "name": "Stadt Karlsruhe",
                "shortName": "Karlsruhe",
                "website": "https://www.karlsruhe.de",
                "classification": "Stadtkreis",
            },
            {
                "id": f"{KARLSRUHE}/bodies/0002",
                "name": durlach["name"],
                "shortName": durlach["shortName"],
            },
        ]
        lists = [[*papers[:6], shared_a, mother], [*papers[6:9], shared_b, *amendments]]
        self.objects: dict[str, Any] = {
            "/oparl/system": {
                "id": f"{KARLSRUHE}/system",
                "type": "https://schema.oparl.org/1.1/System",
                "body": f"{KARLSRUHE}/bodies",
            },
            "/oparl/bodies": {"data": self.bodies, "links": {}},
        }
        for body, listed in zip(self.bodies, lists, strict=True):
            body.update(type="https://schema.oparl.org/1.1/Body", paper=f"{body['id']}/papers")
            self.objects[f"/oparl/bodies/{body['id'][-4:]}"] = body
            self.objects[f"/oparl/bodies/{body['id'][-4:]}/papers"] = {
                "data": [{**p, "body": body["id"]} for p in listed],
                "links": {},
            }
        self.objects = json.loads(json.dumps(self.objects).replace(KARLSRUHE, self.base))
        self.requests: list[str] = []
        self.full = False
        """Whether paper lists ignore ``modified_since`` (answer every paper)."""
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                path, _, query = self.path.partition("?")
                found = server.objects.get(path)
                if found is not None and "modified_since" in query and not server.full:
                    found = {**found, "data": []}  # nothing changed since
                data = json.dumps(found or {"error": "not found"}).encode("utf-8")
                self.send_response(200 if found is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture(scope="module")
def two_bodies() -> Iterator[TwoBodies]:
    server = TwoBodies()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_each_body_of_a_system_is_a_council_of_its_own(two_bodies: TwoBodies, tmp_path: Path):
    corpus = tmp_path / "corpus"
    system = f"{two_bodies.base}/system"
    two_bodies.requests.clear()
    result = run("import", "oparl", system, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert (
        "14 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped in 2 councils: "
        "karlsruhe (8 created), or-durlach (6 created)"
    ) in result.stdout
    layout = council_layout(corpus)
    city, durlach = layout.council("karlsruhe"), layout.council("or-durlach")
    assert (city.name, city.short_name, city.kind, city.website) == (
        "Stadt Karlsruhe",
        "Karlsruhe",
        "Stadt",
        "https://www.karlsruhe.de",
    )
    assert (city.oparl_system, city.oparl_body) == (system, f"{two_bodies.base}/bodies/0001")
    assert (durlach.name, durlach.short_name) == ("Ortschaftsrat Durlach", "OR-Durlach")
    assert durlach.oparl_body == f"{two_bodies.base}/bodies/0002"
    found = {uid: read_motion(path, uid.split("/")[0]) for uid, path in motions(corpus).items()}
    # one reference, two councils: two papers, neither renamed
    assert found["karlsruhe/2019-1012"].reference == "2019/1012"
    assert found["or-durlach/2019-1012"].reference == "2019/1012"
    # links across councils name the other council
    assert found["karlsruhe/2020-1246"].related == [
        "or-durlach:2020/1246/1",
        "or-durlach:2020/1246/2",
    ]
    assert found["or-durlach/2020-1246-1"].related == ["karlsruhe:2020/1246"]
    again = run("import", "oparl", system, "--corpus", corpus)
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped" in again.stdout
    assert sum("modified_since" in r for r in two_bodies.requests) == 2  # each body's list
    two_bodies.full = True  # every paper again: the links across councils stay as they are
    try:
        full = run("import", "oparl", system, "--corpus", corpus)
    finally:
        two_bodies.full = False
    assert "0 created, 0 updated, 14 unchanged, 0 conflicts" in full.stdout, full.output
    assert "links added" not in full.stdout


def test_a_system_with_several_bodies_refuses_one_council_key(
    two_bodies: TwoBodies, tmp_path: Path
):
    corpus = tmp_path / "corpus"
    result = imported(corpus, "oparl", f"{two_bodies.base}/system", options="--council karlsruhe")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert "has 2 bodies (Karlsruhe, OR-Durlach)" in line and "--body" in line
    assert not corpus.exists()


def test_a_chosen_body_goes_into_the_council_given(two_bodies: TwoBodies, tmp_path: Path):
    corpus = tmp_path / "corpus"
    options = "--body OR-Durlach --council karlsruhe-durlach"
    result = imported(corpus, "oparl", f"{two_bodies.base}/system", options=options)
    assert result.exit_code == 0, result.output
    assert "6 created" in result.stdout and "in council karlsruhe-durlach" in result.stdout
    assert {uid.split("/")[0] for uid in motions(corpus)} == {"karlsruhe-durlach"}
    council = council_layout(corpus).council("karlsruhe-durlach")
    assert council.name == "Ortschaftsrat Durlach"
    assert council.oparl_body == f"{two_bodies.base}/bodies/0002"


def test_a_dump_goes_into_one_council_and_can_be_narrowed_to_a_body(tmp_path: Path) -> None:
    papers = sample_papers()[:4]
    papers[3] = {**papers[3], "body": f"{KARLSRUHE}/bodies/0002"}
    dump = write_jsonl(tmp_path / "papers.jsonl", papers)
    corpus = tmp_path / "corpus"
    options = "--council karlsruhe --body 0001 --council-name 'Stadt Karlsruhe'"
    result = imported(corpus, "oparl", dump, options=options)
    assert result.exit_code == 0, result.output
    assert "3 created" in result.stdout and "1 of other bodies left out" in result.stdout
    council = council_layout(corpus).council("karlsruhe")
    assert (council.name, council.oparl_body) == ("Stadt Karlsruhe", f"{KARLSRUHE}/bodies/0001")
    assert len(motions(corpus)) == 3


def test_one_dump_under_two_councils_is_two_sets_of_papers(tmp_path: Path) -> None:
    """The same OParl papers imported twice under two keys: each council has them all, with
    their own references and links; neither import renames or rewrites the other's files."""
    papers = sample_papers()[-5:]  # 2019/1012 twice, 2020/1246 with its two amendments
    dump = write_jsonl(tmp_path / "papers.jsonl", papers)
    corpus = tmp_path / "corpus"
    assert "5 created" in imported(corpus, "oparl", dump, options="--council a").stdout
    before = snapshot(corpus / "a")
    result = imported(corpus, "oparl", dump, options="--council b")
    assert "5 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped in council b" in result.stdout
    assert snapshot(corpus / "a") == before
    found = {uid: read_motion(path, uid.split("/")[0]) for uid, path in motions(corpus).items()}
    for key in ("a", "b"):
        assert found[f"{key}/2019-1012-ag-394"].reference == "2019/1012 ag/394"
        assert found[f"{key}/2020-1246"].related == ["2020/1246/1", "2020/1246/2"]
    for key in ("a", "b"):
        again = imported(corpus, "oparl", dump, options=f"--council {key}")
        assert "0 created, 0 updated, 5 unchanged" in again.stdout, again.output


def test_an_oparl_state_from_before_councils_keeps_its_references(tmp_path: Path) -> None:
    """A corpus of the layout before councils with its old ``.oparl-state.json`` (papers as
    id → reference): a new run reads it as the default council's and changes nothing."""
    dump = write_jsonl(tmp_path / "papers.jsonl", sample_papers()[-5:])
    corpus = tmp_path / "corpus"
    (corpus / "2019").mkdir(parents=True)  # years in the root: the layout before councils
    assert "5 created" in imported(corpus, "oparl", dump).stdout
    state_file = corpus / ".oparl-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    old = {"sources": {}, "papers": state["papers"]["default"], "pending": {}}
    state_file.write_text(json.dumps(old), encoding="utf-8")
    before = {p: v for p, v in snapshot(corpus).items() if p.suffix == ".md"}
    again = imported(corpus, "oparl", dump)
    assert "0 created, 0 updated, 5 unchanged" in again.stdout, again.output
    assert {p: v for p, v in snapshot(corpus).items() if p.suffix == ".md"} == before
    assert (corpus / "2020" / "2019-1012-ag-394.md").is_file()  # the second 2019/1012
    assert not (corpus / "default").exists()
