"""Search notices in the reader's language: every code on the page, in the API and in the CLI.

The index gives a code with parameters; the site, ``/api/search`` and ``ratsarchiv search``
word it in German or English. Each case below is a query a user could type, with the
notice it must give, worded as the user reads it.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from markupsafe import escape
from webcorpus import build_corpus, build_index

import index.search
import index.snapshot
from archive.cli import main
from archive.corpus import write_motion
from archive.language import LANGUAGES, Plural
from archive.motion import Motion
from index.notices import CATALOG, NoticeCode

_LETTERS = "bdfgkmnprt"
MANY_WORDS = [f"Zykl{a}{b}" for a in _LETTERS for b in _LETTERS[:8]]  # 80 words on "zykl"
PHRASE = "Messstellen werden jährlich geprüft"


@dataclass
class Case:
    query: str
    code: str
    params: dict[str, Any]
    de: str
    en: str
    timed_out: bool = field(default=False)  # the search runs past its time limit

    @property
    def codes(self) -> set[str]:
        reason = self.params.get("reason")
        return {self.code, *([reason["code"]] if reason else [])}


def _unreadable(query: str, reason: str, words: str, de: str, en: str, **params: Any) -> Case:
    return Case(
        query,
        "unreadable",
        {"reason": {"code": reason, "params": params}, "words": words},
        f"Die Suche konnte nicht gelesen werden ({de}); gesucht wurde nach den Wörtern: {words}.",
        f"The query could not be read ({en}); searched for the words: {words}.",
    )


KNOWN = (
    "datum, ergebnis, federführend, fraktion, gremium, jahr, kommune, nummer, stimmen, titel, typ"
)
CASES = [
    Case(
        "Quartier " + "a" * 480,
        "query_cut",
        {"max_chars": 400},
        "Die Suche wurde nach 400 Zeichen abgeschnitten.",
        "The query was cut after 400 characters.",
    ),
    Case(
        " ".join(["Quartier"] * 20),
        "terms_capped",
        {"max_terms": 16},
        "Die Suche wurde auf die ersten 16 Begriffe begrenzt.",
        "The search was limited to the first 16 terms.",
    ),
    Case(
        "Qu*",
        "prefix_too_short",
        {"word": "Qu", "min_letters": 3},
        "„Qu*“: Platzhalter brauchen mindestens 3 Buchstaben davor; gesucht wurde „Qu“.",
        "“Qu*”: a wildcard needs at least 3 letters before it; searched for “Qu”.",
    ),
    Case(
        "*",
        "star_alone",
        {},
        "Ein „*“ allein wurde ignoriert.",
        "A “*” on its own was ignored.",
    ),
    Case(
        "Rad~",
        "fuzzy_too_short",
        {"word": "Rad", "min_letters": 4},
        "„Rad~“: unscharfe Suche braucht mindestens 4 Buchstaben.",
        "“Rad~”: a fuzzy search needs at least 4 letters.",
    ),
    Case(
        "zykl*",
        "expansion_capped",
        {"pattern": "zykl*", "max_terms": 64},
        "„zykl*“ passt auf sehr viele Wörter; gesucht wurde nach den 64 häufigsten.",
        "“zykl*” matches very many words; searched for the 64 most frequent.",
    ),
    Case(
        f'"{PHRASE}"',
        "time_limit",
        {"seconds": 0.0},
        "Die Suche wurde nach 0 Sekunden abgebrochen; die Liste ist unvollständig.",
        "The search was stopped after 0 seconds; the list is incomplete.",
        timed_out=True,
    ),
    _unreadable(
        '"Quartier',
        "unclosed_quote",
        "Quartier",
        "ein Anführungszeichen ist nicht geschlossen",
        "a quotation mark is not closed",
    ),
    _unreadable(
        "(Radweg",
        "unclosed_parenthesis",
        "Radweg",
        "eine Klammer ist nicht geschlossen",
        "a parenthesis is not closed",
    ),
    _unreadable(
        "Radweg)",
        "extra_parenthesis",
        "Radweg",
        "eine schließende Klammer ist zu viel",
        "one closing parenthesis too many",
    ),
    _unreadable("()", "empty_parentheses", "–", "leere Klammern", "empty parentheses"),
    _unreadable(
        "UND Quartier", "and_at_start", "Quartier", "UND steht am Anfang", "AND at the start"
    ),
    _unreadable(
        "ODER Quartier", "or_at_start", "Quartier", "ODER steht am Anfang", "OR at the start"
    ),
    _unreadable(
        "Quartier UND",
        "word_missing_after_and",
        "Quartier",
        "nach UND fehlt ein Wort",
        "a word is missing after AND",
    ),
    _unreadable(
        "Quartier ODER",
        "word_missing_after_or",
        "Quartier",
        "nach ODER fehlt ein Wort",
        "a word is missing after OR",
    ),
    _unreadable(
        "Quartier NICHT",
        "word_missing_after_not",
        "Quartier",
        "nach NICHT fehlt ein Wort",
        "a word is missing after NOT",
    ),
    _unreadable(
        "autor:Radweg",
        "unknown_field",
        "Radweg",
        f"unbekanntes Feld „autor:“ (bekannt: {KNOWN})",
        f"unknown field “autor:” (known: {KNOWN})",
        field="autor",
        known=KNOWN,
    ),
    _unreadable(
        "gremium:(Bau)",
        "value_missing",
        "Bau",
        "nach „gremium:“ fehlt ein Wert",
        "a value is missing after “gremium:”",
        field="gremium",
    ),
    _unreadable(
        "datum:gestern",
        "not_a_date",
        "gestern",
        "„datum:gestern“ ist kein Datum wie 2024-05-07 oder 2023..2024",
        "“datum:gestern” is not a date like 2024-05-07 or 2023..2024",
        value="gestern",
    ),
    _unreadable(
        "Radweg datum:2024-02-30",
        "invalid_date",
        "Radweg 2024-02-30",
        "„2024-02-30“ ist kein gültiges Datum",
        "“2024-02-30” is not a valid date",
        value="2024-02-30",
    ),
]
LANGS = ["de", "en"]


def _case_id(case: Case) -> str:
    return "-".join(sorted(case.codes - {"unreadable"}) or [case.code])


@pytest.fixture(scope="module")
def notice_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web corpus plus a paper whose text has very many words on ``zykl`` and a phrase."""
    root = tmp_path_factory.mktemp("notices")
    corpus = build_corpus(root / "corpus")
    write_motion(
        Motion(
            reference="VO/2025/00001",
            title="Zyklische Prüfung der Messstellen",
            type="Beschlussvorlage",
            date="2025-01-15",
            body=f"{PHRASE}. " + " ".join(MANY_WORDS),
        ),
        corpus,
    )
    return build_index(corpus, root / "index")


@pytest.fixture(scope="module")
def client(notice_index: Path):
    from webapp import create_app

    app = create_app(
        {"TESTING": True, "INDEX_DIR": notice_index, "CORPUS_DIR": notice_index.parent / "corpus"}
    )
    return app.test_client()


@pytest.fixture
def case(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Case:
    case: Case = request.param
    if case.timed_out:
        monkeypatch.setattr(index.snapshot, "TIME_LIMIT", 0.0)  # where the match is timed
        monkeypatch.setattr(index.search, "TIME_LIMIT", 0.0)  # what the notice says
    return case


def _expected(case: Case, lang: str) -> str:
    return case.de if lang == "de" else case.en


def _qs(case: Case, lang: str) -> str:
    return urlencode({"q": case.query, "lang": lang})


# -- the catalog -----------------------------------------------------------------------


def _placeholders(text: str | Plural) -> set[str]:
    forms = [text.one, text.other] if isinstance(text, Plural) else [text]
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


@pytest.mark.parametrize("code", list(NoticeCode))
def test_every_code_is_worded_in_german_and_english(code: NoticeCode) -> None:
    wordings = CATALOG.get(code, {})
    for lang in LANGUAGES:
        assert wordings.get(lang), f"notice {code.value!r} has no {lang} text"
    assert _placeholders(wordings["de"]) == _placeholders(wordings["en"]), code
    counts = {w.count if isinstance(w, Plural) else None for w in wordings.values()}
    assert len(counts) == 1, f"notice {code.value!r} is a plural in one language only"


def test_the_catalog_words_only_codes_and_only_in_our_languages() -> None:
    assert set(CATALOG) == set(NoticeCode)
    assert all(set(wordings) == set(LANGUAGES) for wordings in CATALOG.values())


def test_every_code_is_tested_here_through_a_query() -> None:
    assert set().union(*(c.codes for c in CASES)) == {c.value for c in NoticeCode}


# -- what users see ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=_case_id, indirect=True)
def test_the_api_carries_code_params_and_the_worded_text(client, case: Case, lang: str) -> None:
    data = client.get(f"/api/search?{_qs(case, lang)}").get_json()
    text = _expected(case, lang)
    assert {"code": case.code, "params": case.params, "text": text} in data["notices"]
    assert text in data["notice"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=_case_id, indirect=True)
def test_the_search_page_words_the_notice(client, case: Case, lang: str) -> None:
    html = client.get(f"/?{_qs(case, lang)}").get_data(as_text=True)
    label = "Hinweis" if lang == "de" else "Note"
    notice = re.search(r'<p class="notice"><strong>(.*?):</strong> (.*?)</p>', html)
    assert notice and notice[1] == label
    assert escape(_expected(case, lang)) in notice[2]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=_case_id, indirect=True)
def test_the_cli_words_the_notice(notice_index: Path, case: Case, lang: str) -> None:
    args = ["search", "--lang", lang, "--index", str(notice_index), "--", case.query]
    table = CliRunner().invoke(main, args, catch_exceptions=False)
    assert table.exit_code == 0, table.output
    label = "Hinweis" if lang == "de" else "Note"
    assert f"\n{label}: " in table.output
    assert _expected(case, lang) in table.output
    listed = CliRunner().invoke(main, [*args[:-2], "--json", "--", case.query])
    data = json.loads(listed.output)
    assert {"code": case.code, "params": case.params, "text": _expected(case, lang)} in data[
        "notices"
    ]


def test_a_query_without_notices_says_nothing(client) -> None:
    data = client.get("/api/search?q=Quartier&lang=en").get_json()
    assert data["notice"] is None and data["notices"] == []
    assert 'class="notice"' not in client.get("/?q=Quartier&lang=en").get_data(as_text=True)


def test_the_cli_table_speaks_the_language_asked_for(notice_index: Path) -> None:
    args = ["search", "--index", str(notice_index), "Zyklische", "Prüfung"]
    german = CliRunner().invoke(main, args).output
    english = CliRunner().invoke(main, [*args[:1], "--lang", "en", *args[1:]]).output
    assert german.startswith("1 Treffer für „Zyklische Prüfung“ (Seite 1 von 1)")
    assert english.startswith("1 result for “Zyklische Prüfung” (page 1 of 1)")
    assert "\nArt: Beschlussvorlage (1)" in german and "\nType: Beschlussvorlage (1)" in english
