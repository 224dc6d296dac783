"""Statistics (``/<council>/statistics``, ``/statistics`` and their JSON twins), checked
against counts the test makes itself from the corpus files.

A corpus of hand-written paper files (two councils with papers, one without, and a meeting
file whose agenda items and minutes are index documents too) is indexed with the real
``reindex`` and served by the real ``ratsarchiv serve`` over HTTP. ``expected`` counts every
figure from the files, read back with ``archive.corpus.read_motion`` (public papers and
consultations by ``archive.publicity``, result classes by ``archive.outcomes``, the outcome
groups and the days by this file's own reading of docs/statistics.md), never with
``index.statistics``. The last test does the same on the shipped corpus's Karlsruhe council.
"""

from __future__ import annotations

import datetime
import json
import shutil
import statistics
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from webserver import served

from archive.corpus import iter_council_files, read_motion
from archive.councils import qualify
from archive.language import format_number
from archive.outcomes import normalise_result
from archive.publicity import is_public
from archive.vocabulary import Vocabulary
from index.indexer import reindex

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "corpus"

GROUP = {
    "beschlossen": "adopted",
    "geändert beschlossen": "changed",
    "abgelehnt": "rejected",
    "zurückgezogen": "withdrawn",
    "vertagt/zurückgestellt": "other",
    "zur Kenntnis genommen": "other",
    "offen": "other",
}
"""docs/statistics.md: which result class counts as which outcome."""
GROUPS = ("adopted", "changed", "rejected", "withdrawn", "other")
DECIDED = {"adopted", "changed", "rejected"}

COUNCILS = {
    "stadt": "name: Musterstadt\nshort_name: Stadt\nkind: Stadt\nstate: Hessen\n",
    "dorf": "name: Gemeinde Musterdorf\nshort_name: Dorf\nkind: Gemeinde\nstate: Hessen\n",
    "leer": "name: Leerstadt\nkind: Stadt\nstate: Hessen\n",
}


def consultation(committee: str, date: str = "", result: str = "", item: str = "Ö 3") -> str:
    lines = [f"  - committee: {committee}"]
    if date:
        lines.append(f"    date: '{date}'")
    lines.append(f"    agenda_item: {item}")
    if result:
        lines.append(f"    result: '{result}'")
    return "\n".join(lines) + "\n"


def paper(reference: str, kind: str, date: str, sponsors: list[str], *consultations: str,
          public: bool = True) -> str:  # fmt: skip
    """A paper file as an archivist writes one by hand (the optional keys left out)."""
    text = f"---\nreference: '{reference}'\ntitle: Vorlage {reference}\n"
    if kind:
        text += f"type: {kind}\n"
    text += "sponsors:\n" + "".join(f"  - {s}\n" for s in sponsors) if sponsors else ""
    if date:
        text += f"date: '{date}'\n"
    if not public:
        text += "public: false\n"
    if consultations:
        text += "consultations:\n" + "".join(consultations)
    return text + f"---\n\n## Beschlussvorschlag\n\nDer Rat beschließt {reference}.\n"


RAT, BAU, HAUPT = "Rat der Stadt", "Bauausschuss", "Haupt- und Finanzausschuss"
STADT_PAPERS = {
    "2020/x1": paper("X1", "Antrag", "2020-11-11", ["Grüne"], consultation(BAU, "2020-11-20")),
    "2023/a1": paper(
        "A1", "Antrag", "2023-01-10", ["CDU"],
        consultation(BAU, "2023-01-20", "vertagt"),
        consultation(BAU, "2023-02-17", "einstimmig beschlossen"),
    ),
    "2023/a2": paper(
        "A2", "Antrag", "2023-05-02", ["SPD", "Grüne"],
        consultation(BAU, "2023-05-10", "Empfehlung: Zustimmung"),
        consultation(RAT, "2023-06-01", "mit Änderungen beschlossen"),
    ),
    "2024/a3": paper(  # the non-public consultation before is not its first
        "A3", "Antrag", "2024-02-01", ["CDU"],
        consultation(HAUPT, "2024-02-05", "beschlossen", item="N 2"),
        consultation(RAT, "2024-02-15", "mehrheitlich abgelehnt"),
    ),
    "2024/a4": paper(
        "A4", "Antrag", "2024-03-01", ["SPD"], consultation(RAT, "2024-03-20", "zurückgezogen")
    ),
    "2024/ae1": paper(
        "Ä1", "Änderungsantrag", "2024-02-10", ["CDU", "SPD"],
        consultation(RAT, "2024-02-15", "abgelehnt"),
    ),
    "2024/b1": paper(  # the later consultation first in the file
        "B1", "Beschlussvorlage", "2024-04-01", [],
        consultation(RAT, "2024-04-30", "beschlossen"),
        consultation(HAUPT, "2024-04-10", "beschlossen"),
    ),
    "2024/b2": paper("B2", "Beschlussvorlage", "2024-06-01", []),
    "2024/i1": paper(
        "I1", "Informationsvorlage", "2024-07-01", [],
        consultation(RAT, "2024-07-10", "zur Kenntnis genommen"),
    ),
    "2024/t1": paper(
        "T1", "", "2024-08-01", [],
        consultation(BAU, "2024-08-02", "zur Kenntnis genommen"),
        consultation(RAT, "2024-08-05", "beschlossen"),
    ),
    "2024/p1": paper(
        "P1", "Antrag", "2024-09-01", ["CDU"], consultation(RAT, "2024-09-10", "beschlossen"),
        public=False,
    ),
    "undatiert/b3": paper("B3", "Beschlussvorlage", "", [], consultation(RAT, "", "beschlossen")),
}  # fmt: skip
DORF_PAPERS = {
    "2024/d1": paper(
        "D1", "Antrag", "2024-01-15", ["CDU"],
        consultation("Gemeinderat", "2024-01-20", "beschlossen"),
        consultation("Gemeinderat", "2024-03-20", "beschlossen"),
    ),
    "2024/d2": paper(
        "D2", "Antrag", "2024-05-15", ["Freie Wähler"],
        consultation("Gemeinderat", "2024-06-01", "abgelehnt"),
    ),
}  # fmt: skip
MEETING = """\
---
committee: Rat der Stadt
date: '2024-05-07'
name: 12. Sitzung des Rates
status: held
items:
  - number: Ö 1
    title: Eröffnung und Feststellung der Beschlussfähigkeit
  - number: Ö 8
    title: Wahl des Seniorenbeirats
    result: beschlossen
  - number: Ö 9
    title: Bericht der Verwaltung
    result: zur Kenntnis genommen
---

## Niederschrift

Die Vorsitzende eröffnet die Sitzung um 16:00 Uhr.
"""


def write_corpus(corpus: Path) -> Path:
    for key, description in COUNCILS.items():
        (corpus / key).mkdir(parents=True)
        (corpus / key / "_council.yml").write_text(description, encoding="utf-8")
    for key, papers in (("stadt", STADT_PAPERS), ("dorf", DORF_PAPERS)):
        for name, text in papers.items():
            path = corpus / key / f"{name}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    meetings = corpus / "stadt" / "meetings"
    meetings.mkdir()
    (meetings / "2024-05-07-rat-der-stadt.md").write_text(MEETING, encoding="utf-8")
    return corpus


# -- the test's own count -----------------------------------------------------------------


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def expected(corpus: Path, council: str | None) -> dict[str, Any]:
    """Every figure of ``council`` (``None``: all councils), counted from the files."""
    vocabulary = Vocabulary.load(corpus)
    types: Counter[str] = Counter()
    years: defaultdict[str, Counter[str]] = defaultdict(Counter)
    outcomes: Counter[str] = Counter()
    sponsors: defaultdict[str, Counter[str]] = defaultdict(Counter)
    unsponsored = undecided = unconsulted = 0
    days: list[tuple[str, str, int]] = []
    consultations: Counter[str] = Counter()
    committee_papers: Counter[str] = Counter()
    for path, key in iter_council_files(corpus):
        motion = vocabulary.apply(read_motion(path, key))
        if (council is not None and key != council) or not motion.public:
            continue
        public = [c for c in motion.consultations if is_public(c)]
        types[motion.type] += 1
        years[motion.date[:4]][motion.type] += 1
        latest = max(enumerate(public), key=lambda p: (p[1].date, p[0]))[1] if public else None
        group = GROUP[normalise_result(latest.result if latest else "")]
        outcomes[group] += 1
        for sponsor in dict.fromkeys(motion.sponsors):
            sponsors[qualify(key, sponsor)][group] += 1
        unsponsored += not motion.sponsors
        dated = [d for c in public if (d := _day(c.date))]
        decided = _day(latest.date) if latest and group in DECIDED else None
        if decided and dated:
            days.append((motion.date[:4], motion.type, (decided - min(dated)).days))
        elif public:
            undecided += 1
        else:
            unconsulted += 1
        for name, times in Counter(c.committee for c in public).items():
            consultations[qualify(key, name)] += times
            committee_papers[qualify(key, name)] += 1
    undated = years.pop("", Counter())
    if years:
        first, last = int(min(years)), int(max(years))
        years.update({str(y): Counter() for y in range(first, last + 1) if str(y) not in years})

    def median_of(selected: list[int]) -> dict[str, Any]:
        return {"papers": len(selected), "median_days": _median(selected)}

    return {
        "papers": sum(types.values()),
        "types": dict(types),
        "years": {year: dict(counts) for year, counts in years.items()},
        "undated": {"papers": sum(undated.values()), "types": dict(undated)},
        "all": {"papers": sum(outcomes.values()), **{g: outcomes[g] for g in GROUPS}},
        "sponsors": {v: {"papers": sum(c.values()), **{g: c[g] for g in GROUPS}}
                     for v, c in sponsors.items()},
        "without_sponsor": unsponsored,
        "days": median_of([d for _, _, d in days]),
        "days_by_year": {y: median_of([d for year, _, d in days if year == y])
                         for y in {year for year, _, _ in days if year}},
        "days_by_type": {k: median_of([d for _, kind, d in days if kind == k])
                         for k in {kind for _, kind, _ in days}},
        "same_day": sum(d == 0 for _, _, d in days),
        "undecided": undecided,
        "without_consultations": unconsulted,
        "committees": {v: (consultations[v], committee_papers[v]) for v in consultations},
    }  # fmt: skip


def figures_of(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON twin's figures in the shape of ``expected``."""
    days = data["days_to_decision"]

    def median_of(item: dict[str, Any]) -> dict[str, Any]:
        return {"papers": item["papers"], "median_days": item["median_days"]}

    return {
        "papers": data["papers"],
        "types": {t["type"]: t["papers"] for t in data["types"]},
        "years": {y["year"]: y["types"] for y in data["papers_by_year"]["years"]},
        "undated": data["papers_by_year"]["undated"],
        "all": data["outcomes"]["all"],
        "sponsors": {s["value"]: {g: s[g] for g in ("papers", *GROUPS)}
                     for s in data["outcomes"]["sponsors"]},
        "without_sponsor": data["outcomes"]["without_sponsor"],
        "days": median_of(days["all"]),
        "days_by_year": {y["year"]: median_of(y) for y in days["years"]},
        "days_by_type": {t["type"]: median_of(t) for t in days["types"]},
        "same_day": days["same_day"],
        "undecided": days["undecided"],
        "without_consultations": days["without_consultations"],
        "committees": {c["value"]: (c["consultations"], c["papers"]) for c in data["committees"]},
    }  # fmt: skip


# -- the page's tables and charts ---------------------------------------------------------


class Page(HTMLParser):
    """The tables (by id: each row's cell texts) and the SVG charts of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.captions: dict[str, str] = {}
        self.scopes: list[str] = []
        self.charts: list[dict[str, Any]] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._in_caption = False
        self._title: dict[str, Any] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "table":
            self._table = attr.get("id") or ""
            self.tables[self._table] = []
        elif tag == "caption":
            self._in_caption = True
            self.captions[self._table or ""] = ""
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("th", "td") and self._table is not None:
            self._cell = []
            if tag == "th":
                self.scopes.append(attr.get("scope") or "")
        elif tag == "svg" and attr.get("role") == "img":
            self.charts.append({"labelledby": attr.get("aria-labelledby"), "title": "",
                                "rects": []})  # fmt: skip
        elif tag == "title" and self.charts:
            self._title = {"id": attr.get("id"), "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "title" and self._title is not None:
            chart = self.charts[-1]
            if self._title["id"]:
                chart["title_id"], chart["title"] = self._title["id"], self._title["text"]
            else:
                chart["rects"].append(self._title["text"])
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_caption and self._table is not None:
            self.captions[self._table] += data
        if self._title is not None:
            self._title["text"] += data

    def rows(self, table: str) -> dict[str, list[str]]:
        """The body rows of ``table``, by their first cell."""
        return {row[0]: row[1:] for row in self.tables[table][1:]}


def number(value: float | None, lang: str = "de") -> str:
    return format_number(value, lang) if value is not None else ""


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):
    """(corpus, index, base URL): the hand-written corpus, indexed and served over HTTP."""
    root = tmp_path_factory.mktemp("statistics")
    corpus = write_corpus(root / "corpus")
    report = reindex(corpus, root / "index", full=True)
    assert report.ok, report.skipped
    with served(root / "index", corpus) as url:
        yield corpus, root / "index", url


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def get_json(url: str) -> dict[str, Any]:
    status, body = get(url)
    assert status == 200, body
    return json.loads(body)


# -- the figures ----------------------------------------------------------------------------


@pytest.mark.parametrize("council", ["stadt", "dorf", None])
def test_every_figure_in_the_json_is_what_the_files_say(archive, council):
    corpus, _, url = archive
    path = f"api/{council}/statistics" if council else "api/statistics"
    assert figures_of(get_json(url + path)) == expected(corpus, council)


def test_the_hand_counted_figures_of_the_city(archive):
    """The corpus's edge cases, counted by hand once (so ``expected`` is checked too)."""
    corpus, _, url = archive
    data = figures_of(get_json(url + "api/stadt/statistics"))
    assert data["papers"] == 11  # the non-public P1 and the meeting's items and minutes not
    assert data["years"]["2021"] == {} and data["undated"] == {
        "papers": 1, "types": {"Beschlussvorlage": 1}
    }  # fmt: skip
    assert data["all"] == {"papers": 11, "adopted": 4, "changed": 1, "rejected": 2,
                           "withdrawn": 1, "other": 3}  # fmt: skip
    assert data["sponsors"]["stadt:CDU"]["rejected"] == 2  # A3 and Ä1 (P1 is not public)
    assert data["without_sponsor"] == 5
    # days: A1 28, A2 22, A3 0 (its non-public consultation does not count), Ä1 0, B1 20, T1 3
    assert data["days"] == {"papers": 6, "median_days": 11.5}
    assert data["same_day"] == 2  # A3 and Ä1
    assert data["days_by_year"] == {
        "2023": {"papers": 2, "median_days": 25},
        "2024": {"papers": 4, "median_days": 1.5},
    }
    assert data["days_by_type"][""] == {"papers": 1, "median_days": 3}
    assert (data["undecided"], data["without_consultations"]) == (4, 1)  # X1 A4 I1 B3; B2
    assert data["committees"][qualify("stadt", BAU)] == (5, 4)
    assert data == expected(corpus, "stadt")


def test_the_archive_labels_names_of_several_councils_with_their_council(archive):
    _, _, url = archive
    sponsors = get_json(url + "api/statistics")["outcomes"]["sponsors"]
    labels = {s["value"]: s["label"] for s in sponsors}
    assert labels["stadt:CDU"] == "CDU (Stadt)" and labels["dorf:CDU"] == "CDU (Dorf)"
    own = get_json(url + "api/dorf/statistics")["outcomes"]["sponsors"]
    assert {s["label"] for s in own} == {"CDU", "Freie Wähler"}


def test_each_count_is_the_facet_count_of_its_search(archive):
    """A row's link is the search of the papers it counts: the search's facets agree."""
    _, _, url = archive
    data = get_json(url + "api/stadt/statistics")
    for sponsor in data["outcomes"]["sponsors"]:
        found = get_json(url + "api" + sponsor["url"].replace("/?", "/search?", 1))
        results = Counter()
        for value in found["facets"]["result"]:
            results[GROUP[value["value"]]] += value["count"]
        assert found["total"] == sponsor["papers"]
        assert {g: results[g] for g in GROUPS} == {g: sponsor[g] for g in GROUPS}
    for committee in data["committees"]:
        found = get_json(url + "api" + committee["url"].replace("/?", "/search?", 1))
        assert found["total"] == committee["papers"]
    years = get_json(url + "api/search?council=stadt")["facets"]["year"]
    listed = {y["year"]: y["papers"] for y in data["papers_by_year"]["years"] if y["papers"]}
    assert {v["value"]: v["count"] for v in years} == listed


# -- the page -------------------------------------------------------------------------------


def test_the_tables_hold_the_figures_and_the_charts_draw_them(archive):
    corpus, _, url = archive
    status, html = get(url + "stadt/statistics?lang=de")
    assert status == 200
    page = Page(html)
    want = expected(corpus, "stadt")
    types = sorted(want["types"], key=lambda t: (-want["types"][t], t.casefold()))
    labels = [t or "ohne Angabe" for t in types]

    years = page.tables["papers-by-year-table"]
    assert years[0] == ["Jahr", *labels, "Zusammen"]
    assert page.rows("papers-by-year-table") == {
        year: [number(counts.get(t, 0)) for t in types] + [number(sum(counts.values()))]
        for year, counts in want["years"].items()
    }
    outcomes = page.rows("outcomes-by-sponsor-table")
    assert outcomes["Alle Vorlagen"] == [number(want["all"][g]) for g in (*GROUPS, "papers")]
    for value, counts in want["sponsors"].items():
        assert outcomes[value.partition(":")[2]] == [number(counts[g]) for g in (*GROUPS, "papers")]
    assert page.rows("days-by-year-table") == {
        year: [number(m["median_days"]), number(m["papers"])]
        for year, m in want["days_by_year"].items()
    }
    assert page.rows("days-by-type-table") == {
        (kind or "ohne Angabe"): [number(m["median_days"]), number(m["papers"])]
        for kind, m in want["days_by_type"].items()
    }
    assert page.rows("busiest-committees-table") == {
        value.partition(":")[2]: [number(c), number(p)]
        for value, (c, p) in want["committees"].items()
    }
    assert page.captions["papers-by-year-table"] == "Vorlagen je Jahr nach Art"
    assert set(page.scopes) == {"col", "row"}
    assert "11,5 Tage" in html and "(6 Vorlagen)" in html

    assert len(page.charts) == 5
    for chart in page.charts:
        assert chart["labelledby"] == chart["title_id"] and chart["title"].endswith(
            "Die Zahlen stehen in der Tabelle."
        )
    drawn = Counter(title.rpartition(": ")[2] for title in page.charts[0]["rects"])
    cells = Counter(cell for row in years[1:] for cell in row[1:-1] if cell != "0")
    assert drawn == cells  # a bar for every number above 0 of the table, and no other


def test_the_page_links_its_twin_and_the_council_page_links_the_statistics(archive):
    _, _, url = archive
    with urllib.request.urlopen(url + "stadt/statistics", timeout=10) as response:
        assert response.headers["Link"] == (
            '</api/stadt/statistics>; rel="alternate"; type="application/json"'
        )
        assert "<script" not in response.read().decode("utf-8")
    _, council_page = get(url + "stadt/")
    assert 'href="/stadt/statistics"' in council_page and "Statistik dieser Kommune" in council_page
    assert get_json(url + "api/stadt/")["statistics_url"] == "/stadt/statistics"
    _, archive_page = get(url + "statistics")
    assert 'href="/dorf/statistics"' in archive_page and 'href="/stadt/statistics"' in archive_page


def test_english(archive):
    corpus, _, url = archive
    status, html = get(url + "stadt/statistics?lang=en")
    assert status == 200 and '<html lang="en">' in html
    page = Page(html)
    assert page.captions["papers-by-year-table"] == "Papers per year by type"
    assert page.tables["outcomes-by-sponsor-table"][0] == [
        "Sponsors", "adopted", "adopted with changes", "rejected", "withdrawn", "other/open",
        "Papers",
    ]  # fmt: skip
    assert "All papers" in page.rows("outcomes-by-sponsor-table")
    assert page.rows("days-by-type-table")["not given"] == ["3", "1"]
    assert "Median over all decided papers: 11.5 days (6 papers)" in " ".join(html.split())
    assert page.charts[0]["title"] == (
        "Column chart: Papers per year by type. The numbers are in the table."
    )
    data = get_json(url + "api/stadt/statistics?lang=en")
    assert [c["label"] for c in data["outcomes"]["classes"]][-1] == "other/open"
    assert figures_of(data) == expected(corpus, "stadt")


def test_a_council_without_papers_gets_an_empty_valid_page(archive):
    _, _, url = archive
    status, html = get(url + "leer/statistics")
    assert status == 200
    assert "<h1>Statistik: Leerstadt</h1>" in html and "Noch keine Vorlagen." in html
    assert Page(html).charts == []
    data = get_json(url + "api/leer/statistics")
    assert data["council"]["key"] == "leer" and data["papers"] == 0
    assert data["papers_by_year"]["years"] == [] and data["committees"] == []
    assert data["outcomes"]["all"] == {"papers": 0, **dict.fromkeys(GROUPS, 0)}
    assert data["days_to_decision"]["all"] == {"papers": 0, "median_days": None}
    assert get(url + "unbekannt/statistics")[0] == 404
    assert get(url + "api/unbekannt/statistics")[0] == 404


def test_a_reindex_refreshes_the_figures(archive):
    corpus, index_dir, url = archive
    before = get_json(url + "api/dorf/statistics")
    added = corpus / "dorf" / "2025" / "d3.md"
    added.parent.mkdir()
    try:
        added.write_text(
            paper("D3", "Anfrage", "2025-02-01", ["CDU"], consultation("Gemeinderat", "2025-02-10",
                  "beantwortet")),
            encoding="utf-8",
        )  # fmt: skip
        assert reindex(corpus, index_dir).ok
        after = get_json(url + "api/dorf/statistics")
        assert after["papers"] == before["papers"] + 1
        assert figures_of(after) == expected(corpus, "dorf")
    finally:
        shutil.rmtree(added.parent)
        assert reindex(corpus, index_dir).ok
    assert get_json(url + "api/dorf/statistics") == before


def test_an_incremental_reindex_reads_only_the_changed_papers(archive, tmp_path, monkeypatch):
    from index import statistics as module

    corpus, index_dir, _ = archive
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    index_copy = tmp_path / "index"
    shutil.copytree(index_dir, index_copy)
    read = []
    original = module.paper_facts
    monkeypatch.setattr(module, "paper_facts", lambda m: read.append(m.reference) or original(m))
    assert reindex(copy, index_copy).ok
    assert read == []
    path = copy / "stadt" / "2024" / "a4.md"
    path.write_text(path.read_text(encoding="utf-8").replace("zurückgezogen", "beschlossen"))
    assert reindex(copy, index_copy).ok
    assert read == ["A4"]


def test_an_index_without_statistics_says_to_reindex(archive, tmp_path):
    from index.generations import live_generation
    from index.statistics import FIGURES
    from webapp import create_app

    _, index_dir, _ = archive
    shutil.copytree(index_dir, tmp_path / "index")
    (live_generation(tmp_path / "index") / FIGURES).unlink()
    client = create_app({"TESTING": True, "INDEX_DIR": tmp_path / "index"}).test_client()
    assert client.get("/stadt/statistics").status_code == 503
    assert client.get("/api/statistics").status_code == 503
    assert client.get("/stadt/").status_code == 200  # the rest of the site is unaffected


# -- the shipped corpus ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_client(tmp_path_factory: pytest.TempPathFactory):
    from webapp import create_app

    index_dir = tmp_path_factory.mktemp("shipped") / "index"
    assert reindex(SHIPPED, index_dir, full=True).ok
    return create_app(
        {"TESTING": True, "INDEX_DIR": index_dir, "CORPUS_DIR": SHIPPED}
    ).test_client()


def test_karlsruhe_in_the_shipped_corpus(shipped_client):
    data = shipped_client.get("/api/karlsruhe/statistics").get_json()
    want = expected(SHIPPED, "karlsruhe")
    assert want["papers"] >= 200 and want["committees"]
    assert figures_of(data) == want
    html = shipped_client.get("/karlsruhe/statistics").get_data(as_text=True)
    rows = Page(html).rows("papers-by-year-table")
    assert {year: cells[-1] for year, cells in rows.items()} == {
        year: number(sum(counts.values())) for year, counts in want["years"].items()
    }
