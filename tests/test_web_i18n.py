"""German first, English on request; every UI string goes through the one catalog."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from webcorpus import SEED_URL

from webapp.i18n import EN

WEBAPP = Path(__file__).resolve().parents[1] / "webapp"
_TEMPLATE_CALL = re.compile(r"""_\(\s*(["'])(.+?)\1""")


def _template_strings() -> set[str]:
    found = set()
    for path in (WEBAPP / "templates").rglob("*.html"):
        found.update(m[2] for m in _TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")))
    return found


def _python_strings() -> set[str]:
    found = set()
    for path in WEBAPP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_ui_string_has_an_english_translation():
    used = _template_strings() | _python_strings()
    assert len(used) > 50
    missing = sorted(s for s in used if s not in EN)
    assert not missing


def test_error_and_sort_labels_are_translated():
    from webapp.errors import _PAGES
    from webapp.views.search import SORT_LABELS

    for text in [*SORT_LABELS.values(), *(s for pair in _PAGES.values() for s in pair)]:
        assert text in EN, text


def test_german_is_the_default(web_client):
    response = web_client.get("/")
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Suchen</button>" in html
    assert response.headers["Content-Language"] == "de"


def test_accept_language_english(web_client):
    html = web_client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Search</button>" in html


def test_lang_switch_is_remembered_in_a_cookie(web_client):
    html = web_client.get(f"{SEED_URL}?lang=en").get_data(as_text=True)
    assert "Consultations" in html and "7 May 2024" in html
    assert "Yes 7 : 8 No" in re.sub(r"<[^>]+>", "", html)
    again = web_client.get(SEED_URL).get_data(as_text=True)
    assert "Consultations" in again
    back = web_client.get("/?lang=de").get_data(as_text=True)
    assert '<html lang="de">' in back


def test_facet_labels_come_from_the_schema(web_client):
    from index.schema import FACETS

    de = web_client.get("/?q=Quartier&lang=de").get_data(as_text=True)
    en = web_client.get("/?q=Quartier&lang=en").get_data(as_text=True)
    committee = next(f for f in FACETS if f.name == "committee")
    assert f">{committee.label_de}</h3>" in de
    assert f">{committee.label_en}</h3>" in en


def _heading(html: str) -> str:
    found = re.search(r'<h2 id="results-heading">(.*?)</h2>', html, re.S)
    assert found
    return re.sub(r"<[^>]+>", "", found[1]).strip()


def test_result_counts_are_worded_by_number(web_client):
    assert _heading(web_client.get("/?q=Buntekuh").get_data(as_text=True)).startswith("1 Treffer")
    one = _heading(web_client.get("/?q=Buntekuh&lang=en").get_data(as_text=True))
    assert one.startswith("1 result for")
    many = _heading(web_client.get("/?q=Quartier&lang=en").get_data(as_text=True))
    assert re.match(r"\d+ results for", many)
    browse = web_client.get("/?lang=en").get_data(as_text=True)
    assert re.search(r'<p class="result-count" role="status">\d+ motions in the archive', browse)


def test_texts_worded_by_a_number_are_plural_in_both_languages():
    from archive.language import Plural
    from webapp.i18n import PLURALS

    for text, german in PLURALS.items():
        english = EN[text]
        assert isinstance(english, Plural) and english.count == german.count, text
