"""One rule for what is not public (``archive.publicity``): an agenda item the importer
refuses as non-public is also one the index and the motion page leave out, in every
spelling of its number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import write_motion
from archive.motion import Consultation, Motion

NON_PUBLIC = ["N 4.2", "N4", "N.4", "n 4", "N"]
PUBLIC = ["Ö 7.2", "Ö7", "7.2"]
COMMITTEE = "Flimmerbeirat"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """One motion per agenda item spelling, each consulted once in ``COMMITTEE``."""
    from index.indexer import reindex
    from webapp import create_app

    root = tmp_path_factory.mktemp("publicity")
    corpus, index = root / "corpus", root / "index"
    for number, item in enumerate(NON_PUBLIC + PUBLIC, 1):
        consultations = [
            Consultation("Bauausschuss", date="2024-05-02", agenda_item="Ö 1", result="vertagt"),
            Consultation(COMMITTEE, date="2024-05-09", agenda_item=item, result="beschlossen"),
        ]
        motion = Motion(
            reference=f"VO/2024/{number}", title=f"Vorlage {number}", consultations=consultations
        )
        write_motion(motion, corpus)
    reindex(corpus, index, full=True)
    app = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": corpus})
    return app.test_client(), list(enumerate(NON_PUBLIC + PUBLIC, 1))


@pytest.mark.parametrize("item", NON_PUBLIC)
def test_an_agenda_item_the_importer_refuses_is_never_shown(
    site, item: str, seed_path: Path, tmp_path: Path
) -> None:
    text = seed_path.read_text(encoding="utf-8").replace("TOP: Ö\u00a07.2", f"TOP: {item}", 1)
    source = tmp_path / "auszug.txt"
    source.write_text(text, encoding="utf-8")
    imported = run("import", "allris", source, "--corpus", tmp_path / "corpus")
    assert imported.exit_code == 1
    assert "is non-public (N)" in imported.stderr

    client, motions = site
    number = next(n for n, spelled in motions if spelled == item)
    page = client.get(f"/api/motions/vo-2024-{number}").get_json()
    assert [c["committee"] for c in page["consultations"]] == ["Bauausschuss"]
    assert page["result"] == "vertagt"
    assert COMMITTEE not in client.get(f"/motions/vo-2024-{number}").get_data(as_text=True)


def test_the_index_counts_only_public_items(site) -> None:
    client, motions = site
    data = client.get(f"/api/search?committee={COMMITTEE}").get_json()
    expected = sorted(f"VO/2024/{n}" for n, item in motions if item in PUBLIC)
    assert sorted(hit["reference"] for hit in data["hits"]) == expected
    shown = {v["name"]: v["count"] for v in data["facets"]["committee"]}
    assert shown[COMMITTEE] == len(PUBLIC)
    listed = json.dumps(client.get("/api/search?q=Flimmerbeirat").get_json()["hits"])
    assert all(f'"VO/2024/{n}"' not in listed for n, item in motions if item in NON_PUBLIC)
