"""The facet names are declared once (``archive.facet_names``): every name and query prefix
a user can type works on the site, in the API and on the command line, and the vocabulary
section a facet reads is the one ``ratsarchiv facets`` advises on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import write_motion
from archive.facet_names import CURATED, FACETS
from archive.motion import Consultation, Motion, Votes

VOCABULARY = """\
committees:
  Ausschuss für Soziales: [Sozialausschuss]
sponsors:
  Grüne: [BÜNDNIS 90/DIE GRÜNEN]
offices:
  Sozialamt: [Amt für Soziales]
"""


def motion(number: int, committee: str, sponsor: str, lead: str, kind: str) -> Motion:
    date = f"2024-0{number}-01"
    votes = Votes(9, 0, 0) if number % 2 else Votes(5, 4, 0)
    result = "beschlossen" if number % 2 else "abgelehnt"
    return Motion(
        reference=f"VO/2024/{number}",
        title=f"Vorlage {number}",
        type=kind,
        sponsors=[sponsor],
        lead=lead,
        date=date,
        consultations=[Consultation(committee, date=date, result=result, votes=votes)],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    from index.indexer import reindex
    from webapp import create_app

    root = tmp_path_factory.mktemp("facet-names")
    corpus, index = root / "corpus", root / "index"
    write_motion(
        motion(1, "Sozialausschuss", "BÜNDNIS 90/DIE GRÜNEN", "Amt für Soziales", "Antrag"), corpus
    )
    write_motion(motion(2, "Ausschuss für Soziales", "Grüne", "Sozialamt", "Anfrage"), corpus)
    write_motion(motion(3, "Bauausschuss", "SPD", "Bauamt", "Antrag"), corpus)
    (corpus / "_vocabulary.yml").write_text(VOCABULARY, encoding="utf-8")
    reindex(corpus, index, full=True)
    app = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": corpus})
    return app.test_client(), corpus, index


def references(client, **args: str) -> list[str]:
    data = client.get("/api/search", query_string=args).get_json()
    return sorted(hit["reference"] for hit in data["hits"])


def test_the_api_lists_every_facet_by_its_name(site) -> None:
    client, _, _ = site
    facets = client.get("/api/search").get_json()["facets"]
    assert list(facets) == [facet.name for facet in FACETS]
    assert all(facets[facet.name] for facet in FACETS)


@pytest.mark.parametrize("facet", FACETS, ids=lambda f: f.name)
def test_a_facet_is_the_same_by_parameter_by_name_and_by_prefix(site, facet) -> None:
    client, _, _ = site
    for value in client.get("/api/search").get_json()["facets"][facet.name]:
        chosen = references(client, **{facet.name: value["value"]})
        assert len(chosen) == value["count"]
        assert references(client, q=f'{facet.name}:"{value["value"]}"') == chosen
        assert references(client, q=f'{facet.prefix}:"{value["value"]}"') == chosen


def test_the_cli_search_takes_every_facet_name(site) -> None:
    client, _, index = site
    for facet in FACETS:
        value = client.get("/api/search").get_json()["facets"][facet.name][0]["value"]
        result = CliRunner().invoke(
            main, ["search", "--json", "--facet", f"{facet.name}={value}", "--index", str(index)]
        )
        assert result.exit_code == 0, result.output
        found = sorted(hit["reference"] for hit in json.loads(result.output)["hits"])
        assert found == references(client, **{facet.name: value}), facet.name


@pytest.mark.parametrize("facet", CURATED, ids=lambda f: f.name)
def test_ratsarchiv_facets_advises_on_the_section_the_index_reads(site, facet) -> None:
    client, corpus, _ = site
    result = CliRunner().invoke(main, ["facets", facet.name, "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{facet.name}: ")
    facets = client.get("/api/search").get_json()["facets"][facet.name]
    shown = {v["name"] for v in facets}  # (committees, factions, offices: without council)
    mapped = {"committee": "Ausschuss für Soziales", "sponsor": "Grüne", "lead": "Sozialamt"}
    if facet.name in mapped:
        canonical = mapped[facet.name]
        assert f"→ {canonical}" in result.output  # the variant, mapped by its section
        assert canonical in shown and not shown & {"Sozialausschuss", "Amt für Soziales"}


def test_a_facet_that_has_no_vocabulary_is_not_offered_for_curation(site) -> None:
    _, corpus, _ = site
    result = CliRunner().invoke(main, ["facets", "year", "--corpus", str(corpus)])
    assert result.exit_code == 2
    assert "'year' is not one of" in result.output


def test_every_facet_name_is_documented() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    syntax = (docs / "query-syntax.md").read_text(encoding="utf-8")
    api = (docs / "api.md").read_text(encoding="utf-8")
    for facet in FACETS:
        assert f"`{facet.prefix}:`/`{facet.name}:`" in syntax
        assert f"| `{facet.name}` |" in api
