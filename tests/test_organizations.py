"""Organisation files: committees and factions with their members, read and written with the
same bytes, checked with their lines, imported from ALLRIS (au020, fr020, fr010) and OParl,
and served from a per-generation catalog."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from realdata import HAMBURG, KARLSRUHE, REPO, require

from archive.cli import main
from archive.corpus import iter_council_files, render_motion
from archive.errors import CorpusErrors
from archive.importers.allris_html import parse_page
from archive.importers.allris_organizations import read_organization_page, split_function
from archive.importers.oparl import OParlContext
from archive.importers.oparl_organizations import People, map_organization
from archive.motion import Consultation, Motion
from archive.organization import Member, Organization, person_key
from archive.organization_files import (
    iter_organization_files,
    parse_organization,
    read_organization,
    render_organization,
)
from index.indexer import reindex
from index.organization_catalog import OrganizationCatalog
from index.search import SearchIndex

DISTRICTS = ("altona", "bergedorf", "eimsbuettel", "hamburg_mitte", "hamburg_nord")
COUNCIL = "name: Bezirksversammlung Altona\nshort_name: Altona\nkind: Bezirk\n"


def docs_example() -> str:
    """The organisation file shown in docs/corpus-format.md."""
    docs = (REPO / "docs" / "corpus-format.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Organisations\n") :]
    return re.search(r"````markdown\n(.*?)````", section, re.S).group(1)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, list(map(str, args)))


def page(district: str, kind: str):  # an allris_html.Page
    path = HAMBURG / district / f"{kind}.html"
    return parse_page(path.read_bytes(), str(path))


def council_key(district: str) -> str:
    return "hamburg-" + district.removeprefix("hamburg_")


def imported(corpus: Path, district: str, *kinds: str) -> Result:
    pages = [HAMBURG / district / f"{kind}.html" for kind in kinds]
    return run(
        "import", "allris-html", *pages, "--corpus", corpus, "--council", council_key(district)
    )


def organization_files(corpus: Path) -> dict[str, Organization]:
    return {p.stem: read_organization(p, c) for p, c in iter_organization_files(corpus)}


# -- the file: same bytes, problems with their line -------------------------------------------


def test_the_documented_example_reads_and_writes_the_same_bytes(tmp_path: Path) -> None:
    text = docs_example()
    path = tmp_path / "organizations" / "mobilitaetsausschuss.md"
    org = parse_organization(text, path, "hamburg-altona")
    assert render_organization(org) == text
    assert (org.id, org.kind, org.short_name, org.start, org.end) == (
        "mobilitaetsausschuss", "committee", "MobA", "2024-07-09", "")  # fmt: skip
    assert org.members[3] == Member(
        "Test, Tom", "Ständige Vertretung", "Fraktion DIE LINKE", "2024-07-09", "2025-03-31"
    )
    assert not org.members[3].active("2025-06-01") and org.members[0].active("2025-06-01")
    assert org.body.startswith("Tagt in der Regel")


def test_a_written_organisation_round_trips(tmp_path: Path) -> None:
    org = Organization(
        "Fraktion: 'Die Wähler' #1", "faction", "no",  # YAML traps stay text
        members=[Member("Beispiel, Erika", role="Fraktionsvorsitz"), Member("N. Muster")],
        body="## Geschichte\n\nGegründet 2019.\n\nZweiter Absatz.",
    )  # fmt: skip
    text = render_organization(org)
    again = parse_organization(text, tmp_path / "x.md")
    assert render_organization(again) == text
    assert (again.name, again.short_name, again.members, again.body) == (
        org.name, "no", org.members, org.body)  # fmt: skip
    assert "members: []" in render_organization(Organization("Gemeinderat", "committee"))


BROKEN = """\
---
name: Bauausschuss
kind: Ausschuss
start: 2024-13-01
end: '2020-01-01'
color: blue
members:
  - name: Erika Beispiel
    start: '2024-05-01'
    end: '2024-04-01'
  - role: Ausschussmitglied
  - Max Muster
---
"""


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bauausschuss.md"
    with pytest.raises(CorpusErrors) as caught:
        parse_organization(BROKEN, path)
    found = {(e.line, e.message) for e in caught.value.errors}
    assert found == {
        (3, "unknown kind 'Ausschuss' (known: committee, faction, other)"),
        (4, "start: '2024-13-01' is not a valid date"),
        (6, "unknown key 'color' (known: name, kind, short_name, start, end, members, source)"),
        (10, "end '2024-04-01' is before start '2024-05-01'"),
        (11, "member 2: missing name"),
        (12, "member 3: expected keys like 'name: …', found 'Max Muster'"),
    }
    with pytest.raises(CorpusErrors) as caught:
        parse_organization("---\nkind: faction\n---\n", path)
    assert [str(e) for e in caught.value.errors] == [f"{path}:2: missing required key 'name'"]


def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "hamburg-altona").mkdir(parents=True)
    (corpus / "hamburg-altona" / "_council.yml").write_text(COUNCIL, encoding="utf-8")
    folder = corpus / "hamburg-altona" / "organizations"
    folder.mkdir()
    (folder / "mobilitaetsausschuss.md").write_text(docs_example(), encoding="utf-8")
    (folder / "bauausschuss.md").write_text(BROKEN, encoding="utf-8")
    paper = Motion(
        "22-2368",
        "Radweg an der Elbchaussee",
        "Antrag",
        sponsors=["GRÜNE"],
        date="2024-05-07",
        consultations=[
            Consultation("Mobilitäts-Ausschuss", date="2024-05-07", result="beschlossen")
        ],
        resolution="Die Bezirksversammlung beschließt.",
    )
    (corpus / "hamburg-altona" / "2024").mkdir()
    (corpus / "hamburg-altona" / "2024" / "22-2368.md").write_text(render_motion(paper), "utf-8")
    return corpus


def test_check_reads_organisation_files_and_warns_of_other_spellings(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path)
    result = run("check", "--corpus", corpus)
    assert result.exit_code == 1, result.output
    folder = corpus / "hamburg-altona" / "organizations"
    assert f"{folder / 'bauausschuss.md'}:3: unknown kind 'Ausschuss'" in result.output
    assert "mobilitaetsausschuss.md:" not in result.output.replace(str(folder), "")
    paper = corpus / "hamburg-altona" / "2024" / "22-2368.md"
    warning = (
        f"{paper}:13: committee 'Mobilitäts-Ausschuss' is 'Mobilitätsausschuss' in "
        f"{folder / 'mobilitaetsausschuss.md'}; map the spelling in the vocabulary"
    )
    assert warning in result.output
    assert "checked 3 files: 6 problems, 1 warning" in result.output
    # Mapped in the vocabulary, the warning is gone.
    vocabulary = "committees:\n  Mobilitätsausschuss: [Mobilitäts-Ausschuss]\n"
    (corpus / "_vocabulary.yml").write_text(vocabulary, encoding="utf-8")
    (folder / "bauausschuss.md").unlink()
    result = run("check", "--corpus", corpus)
    assert result.exit_code == 0 and "spelled" not in result.output, result.output
    # One file on the command line is checked as an organisation, not as a paper.
    result = run("check", folder / "mobilitaetsausschuss.md", "--corpus", corpus)
    assert result.exit_code == 0 and "checked 1 file: 0 problems" in result.output, result.output


def test_the_paper_walk_does_not_list_organisation_files(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path)
    (corpus / "organizations").mkdir()  # a corpus from before councils has one in its root
    (corpus / "organizations" / "rat.md").write_text("---\nname: Rat\nkind: committee\n---\n")
    papers = [p.relative_to(corpus).as_posix() for p, _ in iter_council_files(corpus)]
    assert papers == ["hamburg-altona/2024/22-2368.md"]
    assert sorted(p.name for p, _ in iter_organization_files(corpus)) == [
        "bauausschuss.md", "mobilitaetsausschuss.md", "rat.md"]  # fmt: skip


def test_facets_marks_organisation_files_and_suggests_their_names(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path)
    (corpus / "hamburg-altona" / "organizations" / "bauausschuss.md").unlink()
    result = run("facets", "committee", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "Mobilitäts-Ausschuss   variant ~1  (file: Mobilitätsausschuss)" in result.output
    assert "map to 'Mobilitätsausschuss'" in result.output
    assert "committees:\n  Mobilitätsausschuss:\n    - Mobilitäts-Ausschuss" in result.output
    data = json.loads(run("facets", "committee", "--json", "--corpus", corpus).output)
    assert data["committee"]["organizations"] == {"Mobilitäts-Ausschuss": "Mobilitätsausschuss"}
    assert data["committee"]["unused"] == []


# -- ALLRIS: the real Hamburg pages ------------------------------------------------------------

# district: (committee, members, a member (name, role, faction)), (faction, short name, members)
HAMBURG_PAGES: dict[str, tuple[tuple[str, int, tuple[str, str, str]], tuple[str, str, int]]] = {
    "altona": (
        ("Mobilitätsausschuss", 29,
         ("van den Heuvel, Jan", "Hinzugezogene:r Sachkundige:r", "Bezirks-Senior:innenbeirat")),
        ("Fraktion GRÜNE", "", 46),
    ),
    "bergedorf": (
        ("Fachausschuss für Sport und Bildung", 22, ("", "Stellvert. Vorsitz", "")),
        ("CDU-Fraktion - Bergedorf", "CDU-Fraktion", 45),
    ),
    "eimsbuettel": (
        ("Kerngebietsausschuss", 25, ("", "Vorsitzendes Mitglied", "")),
        ("AfD Fraktion Eimsbüttel", "AfD-Fraktion", 10),
    ),
    "hamburg_mitte": (
        ("Jugendhilfeausschuss", 58, ("Kay Dassow", "Ausschussvorsitz", "SPD-Fraktion")),
        ("AfD-Fraktion", "", 8),
    ),
    "hamburg_nord": (
        ("Regionalausschuss Langenhorn-Fuhlsbüttel-Ohlsdorf-Alsterdorf-Groß Borstel", 27,
         ("Nadja Grichisch", "Ausschussmitglied – Sprecherin-Langenhorn", "GRÜNE-Fraktion")),
        ("Fraktion Bündnis 90/DIE GRÜNEN", "GRÜNE-Fraktion", 51),
    ),
}  # fmt: skip


@pytest.mark.parametrize("district", DISTRICTS)
def test_the_committee_and_faction_pages_of_each_district(district: str) -> None:
    require()
    (name, count, (person, role, faction)), (f_name, f_short, f_count) = HAMBURG_PAGES[district]
    [committee] = read_organization_page(page(district, "au020"))
    org = committee.organization
    assert (org.name, org.kind, len(org.members)) == (name, "committee", count)
    assert org.source.id.startswith("AULFDNR=") and org.source.url.endswith(org.source.id)
    assert all(m.name and m.role and m.faction for m in org.members)
    assert not any(m.start or m.end for m in org.members)  # ALLRIS shows no dates
    if person:
        assert Member(person, role, faction) in org.members
    else:
        assert any(m.role == role for m in org.members)
    assert "members" in committee.shows and "end" not in committee.shows
    [reading] = read_organization_page(page(district, "fr020"))
    faction_org = reading.organization
    assert (faction_org.name, faction_org.kind, faction_org.short_name) == (
        f_name,
        "faction",
        f_short,
    )
    assert len(faction_org.members) == f_count
    roles = {m.role.casefold() for m in faction_org.members}
    assert "zubenannte/r bürger/in" in roles and "fraktionsmitglied" in roles
    assert all(not m.faction for m in faction_org.members)  # it is the faction itself
    assert faction_org.source.id.startswith("FRLFDNR=")


def test_what_the_pages_leave_out_is_said() -> None:
    require()
    notes = read_organization_page(page("hamburg_nord", "fr020"))[0].notes
    assert notes == [
        "a member without a name (zubenannte/r Bürger/in) left out",
        "a vacant seat (N. N., zubenannte/r Bürger/in) left out",
    ]
    assert read_organization_page(page("hamburg_mitte", "fr020"))[0].notes == [
        "a member without a name (zubenannte/r Bürger/in) left out"
    ]


def test_funktion_cells_split_into_faction_and_role() -> None:
    assert split_function("SPD-Fraktion (Sprecherin)") == ("SPD-Fraktion", "Sprecherin")
    assert split_function("AfD  - Fraktion") == ("AfD - Fraktion", "")
    assert split_function("freie Träger") == ("freie Träger", "")


def test_the_list_of_factions_of_hamburg_nord() -> None:
    require()
    readings = read_organization_page(page("hamburg_nord", "fr010"))
    periods = {r.organization.name: r.organization.end for r in readings}
    assert periods == {
        "Fraktion Bündnis 90/DIE GRÜNEN": "",
        "SPD-Fraktion": "",
        "CDU-Bezirksfraktion": "",
        "Die Linke-Fraktion": "",
        "FDP-Fraktion": "",
        "AfD-Fraktion": "",
        "Volt-Fraktion": "",
        "FDP-Gruppe": "2019-05-28",
        "AfD-Gruppe": "2024-07-03",
        "Gruppe Piraten": "2019-06-19",
    }
    assert {r.organization.kind for r in readings} == {"faction"}
    assert readings[0].organization.source.id == "FRLFDNR=1120"
    assert all("members" not in r.shows for r in readings)


def test_import_twice_changes_nothing_and_either_page_may_come_first(tmp_path: Path) -> None:
    require()
    corpus = tmp_path / "corpus"
    result = imported(corpus, "hamburg_nord", "fr020", "fr010", "au020")
    assert result.exit_code == 0, result.output
    assert "11 created, 0 updated, 1 unchanged, 0 conflicts, 0 skipped" in result.output
    assert "fr020.html: Fraktion Bündnis 90/DIE GRÜNEN: a vacant seat (N. N." in result.output
    files = organization_files(corpus)
    assert len(files) == 11
    greens = files["fraktion-buendnis-90-die-gruenen"]
    assert (greens.short_name, len(greens.members)) == ("GRÜNE-Fraktion", 51)
    assert greens.source.url.endswith("/bi/fr020.asp?FRLFDNR=1120")  # kept from fr020
    assert files["afd-gruppe"].end == "2024-07-03"
    before = {p: p.read_bytes() for p in corpus.rglob("*.md")}
    result = imported(corpus, "hamburg_nord", "fr010", "au020", "fr020")
    assert "0 created, 0 updated, 12 unchanged" in result.output, result.output
    assert {p: p.read_bytes() for p in corpus.rglob("*.md")} == before
    assert run("check", "--corpus", corpus).exit_code == 0


def test_the_five_districts_each_get_their_files(tmp_path: Path) -> None:
    require()
    corpus = tmp_path / "corpus"
    for district in DISTRICTS:
        result = imported(corpus, district, "au020", "fr020")
        assert result.exit_code == 0, result.output
        assert "2 created" in result.output
    councils = sorted({c for _, c in iter_organization_files(corpus)})
    assert councils == sorted(council_key(d) for d in DISTRICTS)
    assert run("check", "--corpus", corpus).exit_code == 0


def test_an_archivists_edit_is_a_conflict(tmp_path: Path) -> None:
    require()
    corpus = tmp_path / "corpus"
    assert imported(corpus, "altona", "au020").exit_code == 0
    path = corpus / "hamburg-altona" / "organizations" / "mobilitaetsausschuss.md"
    # What the page does not show (a short name, notes) is the archivist's: kept, no conflict.
    completed = path.read_text(encoding="utf-8").replace("short_name: ''", "short_name: MobA")
    path.write_text(completed + "\nTagt montags.\n", encoding="utf-8")
    result = imported(corpus, "altona", "au020")
    assert result.exit_code == 0 and "1 unchanged" in result.output, result.output
    # A member's role the page shows otherwise: a conflict, the file left alone.
    edited = path.read_text(encoding="utf-8").replace("Vorsitzendes Mitglied", "Vorsitz")
    path.write_text(edited, encoding="utf-8")
    result = imported(corpus, "altona", "au020")
    assert result.exit_code == 1
    assert f"Mobilitätsausschuss: {path} was edited since the last import" in result.output
    assert "1 conflict" in result.output
    assert path.read_text(encoding="utf-8") == edited
    result = run(
        "import", "allris-html", HAMBURG / "altona" / "au020.html",
        "--corpus", corpus, "--council", "hamburg-altona", "--force",
    )  # fmt: skip
    assert "1 updated" in result.output
    again = read_organization(path)
    assert again.members[0].role == "Vorsitzendes Mitglied"  # the source's again
    assert (again.short_name, again.body) == ("MobA", "Tagt montags.")


# -- OParl -------------------------------------------------------------------------------------

BASE = "https://oparl.example.org/bodies/1"


def small_dump() -> list[dict[str, Any]]:
    """A committee with embedded and linked memberships, two factions, persons with their
    own memberships, an office, a deleted and a nameless organisation."""
    org, person, membership = f"{BASE}/organizations", f"{BASE}/persons", f"{BASE}/memberships"
    return [
        {"id": f"{org}/1", "type": "https://schema.oparl.org/1.1/Organization",
         "name": "Bauausschuss", "shortName": "BA", "organizationType": "Gremium",
         "classification": "Ausschuss", "startDate": "2019-07-01",
         "membership": [
             {"id": f"{membership}/1", "person": f"{person}/1", "role": "Vorsitz",
              "onBehalfOf": f"{org}/2", "startDate": "2019-07-01"},
             f"{membership}/2",
             f"{membership}/99",
         ]},
        {"id": f"{org}/2", "type": "https://schema.oparl.org/1.1/Organization",
         "name": "SPD-Fraktion", "organizationType": "Fraktion"},
        {"id": f"{org}/3", "type": "https://schema.oparl.org/1.1/Organization",
         "name": "Fraktion GRÜNE", "classification": "Fraktion", "endDate": "2024-06-30",
         "membership": [f"{membership}/3"]},
        {"id": f"{org}/4", "name": "Tiefbauamt", "shortName": "TBA"},
        {"id": f"{org}/5", "name": "Alter Ausschuss", "deleted": True},
        {"id": f"{org}/6", "name": ""},
        {"id": f"{membership}/2", "type": "https://schema.oparl.org/1.1/Membership",
         "person": f"{person}/2", "organization": f"{org}/1", "role": "Mitglied",
         "onBehalfOf": f"{org}/3", "startDate": "2019-07-01", "endDate": "2024-06-30"},
        {"id": f"{person}/1", "type": "https://schema.oparl.org/1.1/Person",
         "name": "Erika Beispiel",
         "membership": [{"id": f"{membership}/4", "organization": f"{org}/2",
                         "role": "Fraktionsvorsitzende"}]},
        {"id": f"{person}/2", "type": "https://schema.oparl.org/1.1/Person",
         "givenName": "Max", "familyName": "Muster", "title": ["Dr."],
         "membership": [{"id": f"{membership}/3", "organization": f"{org}/3",
                         "role": "Mitglied"}]},
    ]  # fmt: skip


def import_oparl(tmp_path: Path, organizations: Path, *extra: str) -> Result:
    papers = tmp_path / "papers.json"
    papers.write_text("[]", encoding="utf-8")
    corpus = tmp_path / "corpus"
    return run("import", "oparl", papers, "--organizations", organizations,
               "--corpus", corpus, "--council", "musterstadt", *extra)  # fmt: skip


def test_oparl_organisations_with_memberships_and_persons(tmp_path: Path) -> None:
    dump = tmp_path / "organizations.json"
    dump.write_text(json.dumps(small_dump()), encoding="utf-8")
    result = import_oparl(tmp_path, dump)
    assert result.exit_code == 1, result.output  # the nameless one is skipped
    assert f"{BASE}/organizations/6: the organization has no name" in result.output
    assert (
        "organizations: 4 created, 0 updated, 0 unchanged, 0 conflicts, 1 skipped in council "
        "musterstadt (1 deleted in the source (ignored); 1 memberships without a known person: "
        "no members)"
    ) in result.output
    files = organization_files(tmp_path / "corpus")
    assert sorted(files) == ["bauausschuss", "fraktion-gruene", "spd-fraktion", "tiefbauamt"]
    committee = files["bauausschuss"]
    assert (committee.kind, committee.short_name, committee.start) == (
        "committee",
        "BA",
        "2019-07-01",
    )
    assert committee.members == [
        Member("Erika Beispiel", "Vorsitz", "SPD-Fraktion", "2019-07-01"),
        Member("Dr. Max Muster", "Mitglied", "Fraktion GRÜNE", "2019-07-01", "2024-06-30"),
    ]
    assert files["spd-fraktion"].members == [Member("Erika Beispiel", "Fraktionsvorsitzende")]
    greens = files["fraktion-gruene"]
    assert (greens.kind, greens.end, greens.members) == (
        "faction", "2024-06-30", [Member("Dr. Max Muster", "Mitglied")])  # fmt: skip
    assert files["tiefbauamt"].kind == "other"
    assert committee.source.id == f"{BASE}/organizations/1"
    again = import_oparl(tmp_path, dump)
    assert "organizations: 0 created, 0 updated, 4 unchanged" in again.output, again.output


def test_karlsruhes_organizations_become_files_without_members(tmp_path: Path) -> None:
    require()
    result = import_oparl(tmp_path, KARLSRUHE / "organizations.json")
    assert result.exit_code == 0, result.output
    assert "organizations: 97 created" in result.output
    files = organization_files(tmp_path / "corpus")
    kinds = {
        kind: sorted(k for k, o in files.items() if o.kind == kind)
        for kind in ("committee", "faction", "other")
    }
    assert (len(kinds["committee"]), len(kinds["faction"]), len(kinds["other"])) == (27, 0, 70)
    assert {"gemeinderat", "ortschaftsrat-durlach", "gestaltungsbeirat", "bauausschuss"} <= set(
        kinds["committee"]
    )
    assert {"tiefbauamt", "stadtplanungsamt", "fraktionsgeschaeftsstelle"} <= set(kinds["other"])
    assert (files["gemeinderat"].name, files["gemeinderat"].short_name) == ("Gemeinderat", "GR")
    assert files["baederausschuss"].start == "2009-09-01"
    assert not any(o.members for o in files.values())
    assert run("check", "--corpus", tmp_path / "corpus").exit_code == 0


# -- the catalog -------------------------------------------------------------------------------


def test_the_catalog_of_a_generation(tmp_path: Path) -> None:
    require()
    corpus = tmp_path / "corpus"
    for district in ("altona", "hamburg_nord"):
        kinds = ("au020", "fr020", "fr010") if district == "hamburg_nord" else ("au020", "fr020")
        assert imported(corpus, district, *kinds).exit_code == 0
    report = reindex(corpus, tmp_path / "index", full=True)
    assert report.organizations == 13
    catalog = SearchIndex.open(tmp_path / "index").organizations()
    assert len(catalog) == 13
    nord = "hamburg-nord"
    assert [o["name"] for o in catalog.of_council("hamburg-altona")] == [
        "Fraktion GRÜNE", "Mobilitätsausschuss"]  # fmt: skip
    assert len(catalog.of_council(nord, "faction")) == 10
    assert catalog.get(nord, "afd-gruppe")["end"] == "2024-07-03"
    assert catalog.find(nord, "GRÜNE-Fraktion")["id"] == "fraktion-buendnis-90-die-gruenen"
    assert catalog.find(nord, "Fraktion Die Linke", "faction")["name"] == "Die Linke-Fraktion"
    [(committee, greens)] = catalog.committees_of_faction(nord, "fraktion-buendnis-90-die-gruenen")
    assert committee["id"].startswith("regionalausschuss-langenhorn")
    assert len(greens) == 6 and "Nadja Grichisch" in {m["name"] for m in greens}
    assert [f["name"] for f in catalog.factions_of("Nadja Grichisch")] == [
        "Fraktion Bündnis 90/DIE GRÜNEN"]  # fmt: skip
    roles = {(o["name"], m["role"]) for o, m in catalog.memberships_of("Dana Vornhagen")}
    assert roles == {
        ("Fraktion GRÜNE", "Fraktionsvorsitz"),
        ("Mobilitätsausschuss", "Ausschussmitglied"),
    }
    assert person_key("Vornhagen, Dana") == person_key("Dana Vornhagen")


def test_the_catalog_follows_an_edit_and_keeps_a_broken_files_last_version(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path)
    (corpus / "hamburg-altona" / "organizations" / "bauausschuss.md").unlink()
    index_dir = tmp_path / "index"
    reindex(corpus, index_dir, full=True)
    search = SearchIndex.open(index_dir)
    assert (
        search.organizations().get("hamburg-altona", "mobilitaetsausschuss")["short_name"] == "MobA"
    )
    path = corpus / "hamburg-altona" / "organizations" / "mobilitaetsausschuss.md"
    path.write_text(path.read_text(encoding="utf-8").replace("MobA", "MA"), encoding="utf-8")
    reindex(corpus, index_dir)
    search.refresh()
    assert (
        search.organizations().get("hamburg-altona", "mobilitaetsausschuss")["short_name"] == "MA"
    )
    path.write_text("---\nname: [\n---\n", encoding="utf-8")
    report = reindex(corpus, index_dir)
    assert any(line.startswith(f"{path}:") for line in report.skipped)
    search.refresh()
    kept = OrganizationCatalog.load(index_dir / report.generation)
    assert kept.get("hamburg-altona", "mobilitaetsausschuss")["short_name"] == "MA"


def test_a_sponsor_spelled_otherwise_than_its_faction_file(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path)
    folder = corpus / "hamburg-altona" / "organizations"
    (folder / "bauausschuss.md").unlink()
    faction = Organization("Fraktion GRÜNE", "faction", "GRÜNE-Fraktion")
    (folder / "fraktion-gruene.md").write_text(render_organization(faction), encoding="utf-8")
    result = run("check", "--corpus", corpus)
    assert (
        f"faction 'GRÜNE' is 'Fraktion GRÜNE' in {folder / 'fraktion-gruene.md'}" in result.output
    )
    data = json.loads(run("facets", "sponsor", "--json", "--corpus", corpus).output)
    assert data["sponsor"]["organizations"] == {"GRÜNE": "Fraktion GRÜNE"}
    assert "Fraktion GRÜNE:\n    - GRÜNE" in data["sponsor"]["snippet"]


def test_a_legacy_corpus_keeps_its_organisations_in_the_root(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "organizations").mkdir(parents=True)
    (corpus / "organizations" / "rat.md").write_text(
        render_organization(Organization("Rat", "committee")), encoding="utf-8"
    )
    result = run("check", "--corpus", corpus)
    assert result.output.strip() == "checked 1 file: 0 problems", result.output


def test_an_api_is_asked_for_the_memberships_and_persons_a_file_lacks() -> None:
    objects = {
        f"{BASE}/memberships/7": {"id": f"{BASE}/memberships/7", "person": f"{BASE}/persons/7",
                                  "role": "Mitglied", "onBehalfOf": f"{BASE}/organizations/2"},
        f"{BASE}/persons/7": {"id": f"{BASE}/persons/7", "familyName": "Probe",
                              "givenName": "Paula"},
        f"{BASE}/organizations/2": {"id": f"{BASE}/organizations/2", "name": "SPD-Fraktion"},
    }  # fmt: skip
    asked: list[str] = []

    def lookup(url: str) -> dict[str, Any] | None:
        asked.append(url)
        return objects.get(url)

    ctx = OParlContext(lookup=lookup)
    committee = {"id": f"{BASE}/organizations/1", "name": "Bauausschuss",
                 "membership": [f"{BASE}/memberships/7", f"{BASE}/memberships/8"]}  # fmt: skip
    people = People.of([committee], ctx)
    org = map_organization(committee, people)
    assert org.members == [Member("Paula Probe", "Mitglied", "SPD-Fraktion")]
    assert people.unresolved == 1  # membership 8 is gone
    assert f"{BASE}/memberships/8" in asked
