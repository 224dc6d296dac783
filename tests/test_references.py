"""One rule for the paper an amendment belongs to (``archive.references``): the motion page,
search and ``check`` agree, for ``-NN`` and ``.NN`` suffixes alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import write_motion
from archive.motion import Consultation, Motion

FAMILIES = [
    ("21-1234", "21-1234.1"),  # Hamburg: a supplement is numbered .1
    ("VO/2024/300", "VO/2024/300-01"),
]


def paper(reference: str, kind: str, date: str) -> Motion:
    return Motion(
        reference=reference,
        title=f"{kind} zur Elbuferpromenade",
        type=kind,
        date=date,
        consultations=[
            Consultation("Bauausschuss", date=date, agenda_item="Ö 2", result="beschlossen")
        ],
        resolution="Die Promenade wird erneuert.",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    from index.indexer import reindex
    from webapp import create_app

    root = tmp_path_factory.mktemp("references")
    corpus, index = root / "corpus", root / "index"
    for parent, amendment in FAMILIES:
        write_motion(paper(parent, "Antrag", "2024-02-01"), corpus)
        write_motion(paper(amendment, "Änderungsantrag", "2024-03-01"), corpus)
    write_motion(paper("21-1235", "Antrag", "2024-04-01"), corpus)
    reindex(corpus, index, full=True)
    app = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": corpus})
    return app.test_client(), corpus


PAPERS = "/default/motions/"
"""Where the site shows the papers of a corpus from before councils (the default council)."""


def slug(reference: str) -> str:
    return reference.lower().replace("/", "-").replace(".", "-")


@pytest.mark.parametrize(("parent", "amendment"), FAMILIES)
def test_an_amendment_links_to_its_parent_and_is_found_with_it(
    site, parent: str, amendment: str
) -> None:
    client, _ = site
    links = client.get(f"/api{PAPERS}{slug(amendment)}").get_json()["links"]
    assert links["parent"]["reference"] == parent
    assert links["parent"]["url"] == f"{PAPERS}{slug(parent)}"
    listed = client.get(f"/api{PAPERS}{slug(parent)}").get_json()["links"]["amendments"]
    assert [link["reference"] for link in listed] == [amendment]
    page = client.get(f"{PAPERS}{slug(amendment)}").get_data(as_text=True)
    assert f'href="{PAPERS}{slug(parent)}"' in page

    for query in (parent, f'nummer:"{parent}"'):
        hits = client.get("/api/search", query_string={"q": query}).get_json()["hits"]
        assert [h["reference"] for h in hits] == [parent, amendment], query


def test_a_number_of_its_own_is_no_amendment(site) -> None:
    client, _ = site
    assert client.get(f"/api{PAPERS}21-1235").get_json()["links"]["parent"] is None
    hits = client.get("/api/search", query_string={"q": "nummer:21"}).get_json()["hits"]
    assert hits == []


def test_check_warns_only_when_the_amended_paper_is_missing(site, tmp_path: Path) -> None:
    _, corpus = site
    result = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert "amended paper missing" not in result.output
    alone = tmp_path / "corpus"
    written = write_motion(paper("21-1234.1", "Änderungsantrag", "2024-03-01"), alone)
    result = CliRunner().invoke(main, ["check", "--corpus", str(alone)])
    assert (
        f"{written}:2: Änderungsantrag amends 21-1234, which is not in the corpus (warning)"
        in result.output
    )
