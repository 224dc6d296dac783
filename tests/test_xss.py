"""Script injection: planted in every field a corpus file or a URL can carry, inert everywhere.

A motion carries ``<script>``, ``onerror=``, ``javascript:`` links and
``"><svg onload=…>`` in its title, sponsors, committee, meeting, note, lead, clerk,
source, in raw HTML inside its Markdown sections, and so does its council's description
(name, short name, kind, state, website, source, terms); the same payloads come in as
queries and facet values. The search page, snippets, facets, motion page, council
page, feed, CSV and JSON exports and the API must carry them as text; CSV cells that a
spreadsheet would run (``= + - @``) are neutralised. Finally Chromium loads the pages —
with the site's CSP and with CSP switched off, so escaping alone is proven — and no
dialog may open and no injected element may exist.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright
from webserver import served

from archive.corpus import write_motion
from archive.councils import Council, ensure_council
from archive.motion import Consultation, Motion, Source, Votes

SCRIPT = '<script id="xss-script">alert("script")</script>'
ONERROR = '<img id="xss-img" src=x onerror=alert("img")>'
BREAKOUT = '"><svg id="xss-svg" onload=alert("svg")>'
SINGLE = "'><iframe id=\"xss-iframe\" src=javascript:alert('iframe')></iframe>"
JS_URL = "javascript:alert('url')"
PAYLOADS = (SCRIPT, ONERROR, BREAKOUT, SINGLE)
COMMITTEE = f"Ausschuss {BREAKOUT}"
FORMULAS = ('=HYPERLINK("https://evil.example","klick")', "+SUM(1;2)", "-2+3", "@cmd", "\t=1")
SLUG = "vo-2024-66601"
HOSTILE = Council(
    "hostile-rat",
    f"Rat {BREAKOUT} {SCRIPT}",
    short_name=ONERROR,
    kind=SINGLE,
    state=SCRIPT,
    website=JS_URL,
    source=BREAKOUT,
    terms=ONERROR,
)
NEIGHBOUR = Council("zweiter-rat", "Zweiter Rat")
"""The neighbour paper's council: the hostile council's names show beside another's."""

RAW_HTML = f"""Radweg mit <b onclick="alert('b')">Rohtext</b> {SCRIPT} und [Link]({JS_URL}).

<div id="xss-div" onmouseover="alert('div')">Radweg</div>

<a id="xss-a" href="{JS_URL}" onclick="alert('a')">klick</a> {BREAKOUT}

<svg><script>alert('svg-script')</script></svg>
<style>body {{ display: none }}</style>
<form id="xss-form" action="{JS_URL}"><button formaction="{JS_URL}">x</button></form>
<details open ontoggle="alert('details')">d</details>
<math><mi xlink:href="{JS_URL}">m</mi></math>

![Bild]({JS_URL}) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
"""


def motions() -> list[Motion]:
    hostile = Motion(
        reference="VO/2024/66601",
        title=f"Radweg {BREAKOUT} am Ufer {SCRIPT} {ONERROR}",
        type="Antrag",
        sponsors=[ONERROR, BREAKOUT, *FORMULAS],
        lead=SINGLE,
        involved=[SCRIPT],
        clerk=ONERROR,
        date="2024-05-01",
        consultations=[
            Consultation(
                committee=COMMITTEE,
                meeting=SCRIPT,
                date="2024-05-07",
                agenda_item="Ö 1",
                result="beschlossen",
                votes=Votes(9, 1, 0),
                note=f"{ONERROR} {JS_URL}",
            )
        ],
        related=["zweiter-rat:VO/2024/66602"],
        source=Source(system=SCRIPT, url=JS_URL, id=BREAKOUT),
        council=HOSTILE.key,
        resolution=f"Beschluss über den Radweg. {RAW_HTML}",
        questions=[BREAKOUT, f"<b onclick=\"alert('q')\">Frage</b> zum Radweg {SCRIPT}"],
        reasons=RAW_HTML,
        body=f"## Anlage {BREAKOUT}\n\n{RAW_HTML}",
    )
    neighbour = Motion(
        reference="VO/2024/66602",
        title="Radweg an der Brücke",
        type="Antrag",
        sponsors=["SPD"],
        date="2024-04-01",
        consultations=[
            Consultation(
                committee=COMMITTEE, date="2024-04-10", result="vertagt", agenda_item="Ö 2"
            )
        ],
        resolution="Der Radweg an der Brücke wird geprüft.",
        related=["hostile-rat:VO/2024/66601"],
        source=Source(system="ALLRIS", url="https://example.org/vo020?VOLFDNR=66602"),
        council=NEIGHBOUR.key,
    )
    return [hostile, neighbour]


@pytest.fixture(scope="module")
def site_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from index.indexer import reindex

    root = tmp_path_factory.mktemp("xss")
    corpus, index = root / "corpus", root / "index"
    for council in (HOSTILE, NEIGHBOUR):
        ensure_council(corpus, council)
    for motion in motions():
        write_motion(motion, corpus)
    report = reindex(corpus, index, full=True)
    assert report.ok, report.skipped
    return corpus, index


@pytest.fixture(scope="module")
def client(site_dirs):
    from webapp import create_app

    corpus, index = site_dirs
    return create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": corpus}).test_client()


# -- what "inert" means -------------------------------------------------------------------

_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcdoc", "data")


def _scheme_of(url: str) -> str:
    cleaned = "".join(ch for ch in url if ch > " ").lower()
    return cleaned


def assert_inert_html(html: str, where: str) -> None:
    """No script, no event handler, no script URL, nothing the payloads tried to create."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        what = f"{where}: <{tag.name} {tag.attrs}>"
        assert tag.name not in ("script", "iframe", "object", "embed", "img", "math", "style"), what
        assert tag.name != "svg" or "votebar" in tag.get("class", []), what
        assert tag.name != "form" or tag.get("action") in ("/", "/?"), what
        assert not str(tag.get("id", "")).startswith("xss"), what
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), what
            if attribute.lower() in _URL_ATTRIBUTES and isinstance(value, str):
                assert not _scheme_of(value).startswith(_BAD_SCHEMES), what


def get(client, url: str):
    response = client.get(url)
    assert response.status_code < 500, url
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return response


HTML_PAGES = [
    "/",
    "/?q=Radweg",
    "/?q=Radweg&sort=oldest",
    f"/?q={quote(SCRIPT)}",
    f"/?q={quote(BREAKOUT)}",
    f"/?q={quote(SINGLE)}",
    f"/?q={quote(JS_URL)}",
    f"/?committee={quote(COMMITTEE)}",
    f"/?committee={quote(SCRIPT)}",
    f"/?sponsor={quote(ONERROR)}",
    f"/?q=Radweg&committee={quote(COMMITTEE)}&sponsor={quote(BREAKOUT)}",
    f"/hostile-rat/motions/{SLUG}",
    "/zweiter-rat/motions/vo-2024-66602",
    f"/hostile-rat/motions/{quote(BREAKOUT)}",
    f"/motions/{quote(BREAKOUT)}",
    f"/{quote(BREAKOUT)}/",
    "/hostile-rat/",
    "/zweiter-rat/",
    f"/?council={quote(SCRIPT)}",
    "/?council=hostile-rat",
    f"/?page={quote(SCRIPT)}",
    f"/?sort={quote(BREAKOUT)}",
    "/hilfe",
]


@pytest.mark.parametrize("url", HTML_PAGES)
def test_html_pages_carry_payloads_as_text(client, url: str) -> None:
    response = get(client, url)
    assert response.mimetype == "text/html"
    assert_inert_html(response.get_data(as_text=True), url)


def test_payloads_are_shown_as_text_not_dropped(client) -> None:
    """Escaping, not deletion: a reader sees what the file says."""
    html = get(client, f"/hostile-rat/motions/{SLUG}").get_data(as_text=True)
    text = BeautifulSoup(html, "html.parser").get_text()
    assert BREAKOUT in text and SCRIPT in text and ONERROR in text
    council = BeautifulSoup(get(client, "/hostile-rat/").get_data(as_text=True), "html.parser")
    assert HOSTILE.name in council.get_text() and JS_URL in council.get_text()
    start = BeautifulSoup(get(client, "/").get_data(as_text=True), "html.parser")
    assert HOSTILE.name in start.get_text()


def test_source_link_is_only_a_web_address(client) -> None:
    for path in (f"/hostile-rat/motions/{SLUG}", "/hostile-rat/"):
        html = get(client, path).get_data(as_text=True)
        hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)]
        assert not [h for h in hrefs if _scheme_of(h).startswith(_BAD_SCHEMES)], path
    data = get(client, f"/api/hostile-rat/motions/{SLUG}").get_json()
    assert data["source"]["url"] == JS_URL  # the API gives the file's value, as data


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=Radweg",
        f"/api/search?q={quote(SCRIPT)}",
        "/api/search",
        "/api/hostile-rat/",
        "/api/zweiter-rat/",
    ],
)
def test_api_html_fields_are_escaped(client, url: str) -> None:
    response = get(client, url)
    assert response.mimetype == "application/json"
    data = response.get_json()
    for hit in data.get("hits", data.get("latest")):
        for name in ("title_html", "snippet_html"):
            soup = BeautifulSoup(hit[name], "html.parser")
            assert {tag.name for tag in soup.find_all(True)} <= {"mark"}, hit[name]
            assert_inert_html(hit[name], f"{url} {name}")
        assert hit["title"].startswith("Radweg")


def test_api_motion_is_plain_json(client) -> None:
    response = get(client, f"/api/hostile-rat/motions/{SLUG}")
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["title"] == motions()[0].title
    assert BREAKOUT in data["sponsors"]
    assert data["council_name"] == HOSTILE.name
    councils = {c["key"]: c for c in get(client, "/api/").get_json()["councils"]}
    assert councils[HOSTILE.key]["website"] == JS_URL  # data, as the file says


@pytest.mark.parametrize("feed", ["/feed.atom", "/hostile-rat/feed.atom"])
@pytest.mark.parametrize("query", ["Radweg", SCRIPT, BREAKOUT])
def test_feed_is_well_formed_and_escaped(client, feed: str, query: str) -> None:
    response = get(client, f"{feed}?q={quote(query)}")
    assert response.mimetype == "application/atom+xml"
    body = response.get_data(as_text=True)
    document = ET.fromstring(response.get_data())  # payloads did not break the XML
    assert "<script" not in body and "<svg" not in body and "<img" not in body
    ns = "{http://www.w3.org/2005/Atom}"
    for link in document.iter(f"{ns}link"):
        assert urlsplit(link.get("href")).scheme in ("http", "https")
    titles = [e.findtext(f"{ns}title") for e in document.iter(f"{ns}entry")]
    if query == "Radweg":
        assert any(BREAKOUT in title for title in titles)


def test_csv_export_neutralises_formulas(client) -> None:
    response = get(client, "/export.csv?q=Radweg")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    columns = rows[0]
    hostile = next(row for row in rows[1:] if row[columns.index("reference")] == "VO/2024/66601")
    sponsors = hostile[columns.index("sponsors")]
    for formula in FORMULAS:  # kept, but as text
        assert formula.strip() in sponsors


def test_csv_cells_starting_with_a_formula_character_are_all_neutralised(client) -> None:
    """Every cell, not just sponsors: titles and committees start with ``=`` too."""
    from webapp.views.exports import neutralise

    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"):
        assert neutralise(value).startswith("'")
    assert neutralise("Radweg") == "Radweg"


def test_json_export_is_data(client) -> None:
    response = get(client, "/export.json?q=Radweg")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = json.loads(response.get_data(as_text=True))
    hostile = next(r for r in rows if r["slug"] == SLUG)
    assert hostile["title"] == motions()[0].title
    assert urlsplit(hostile["url"]).scheme in ("http", "https")


# -- in a real browser --------------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
BROWSER_PAGES = [
    "?q=Radweg",
    f"?q={quote(SCRIPT)}",
    f"?q={quote(BREAKOUT)}",
    f"?q={quote(SINGLE)}",
    f"?committee={quote(COMMITTEE)}",
    f"hostile-rat/motions/{SLUG}",
    "zweiter-rat/motions/vo-2024-66602",
    "hostile-rat/",
    f"motions/{SLUG}",
]
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    if ((el.id || '').startsWith('xss')) found.push('id ' + el.id);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
      const value = attr.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (['href', 'src', 'action', 'formaction'].includes(attr.name)
          && /^(javascript|vbscript|data):/.test(value)) found.push(el.tagName + ' ' + value);
    }
  }
  for (const s of document.scripts) found.push('script ' + (s.src || s.textContent));
  return found;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_no_dialog_and_no_injected_element_in_chromium(site_dirs, bypass_csp: bool) -> None:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (make chromium)")
    corpus, index = site_dirs
    dialogs: list[str] = []
    with served(index, corpus) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=bypass_csp, locale="de-DE")
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in BROWSER_PAGES:
            response = page.goto(base + path)
            assert response is not None and response.status < 500, path
            page.wait_for_load_state("load")
            for element in page.locator(".facets a:visible, .hit-title a:visible").all()[:5]:
                element.hover(timeout=5000)  # event handlers (onmouseover) would run now
            assert page.evaluate(INJECTED) == [], path
        page.goto(base + "?q=Radweg")
        page.locator(".facets").get_by_role("link", name="Ausschuss").first.click()
        page.wait_for_load_state("load")
        assert page.evaluate(INJECTED) == []
        page.get_by_role("link", name="Radweg").first.click()
        page.wait_for_load_state("load")
        assert page.evaluate(INJECTED) == []
        assert dialogs == []
        browser.close()
