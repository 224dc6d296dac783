"""Notices about a search: a code with parameters, worded in German or English.

The index says what happened (``Notice(NoticeCode.STAR_ALONE)``); the edges word it in
the reader's language with ``notice_text``: the web page, ``/api/search`` (which also
carries the code and parameters, for API clients) and ``ratsarchiv search``. ``CATALOG``
here is the one place of those wordings; docs/api.md lists the codes.

A parameter may itself be a notice: the reason a query could not be read is worded
inside the notice that says so. Numbers are written the language's way (Babel).

>>> notice = Notice(NoticeCode.TERMS_CAPPED, {"max_terms": 16})
>>> notice_text(notice, "en")
'The search was limited to the first 16 terms.'
>>> notice.to_dict()
{'code': 'terms_capped', 'params': {'max_terms': 16}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from archive.language import Language, Plural, Text, fill, format_number


class NoticeCode(StrEnum):
    """Every notice a search can give; the value is the code in ``/api/search``."""

    QUERY_CUT = "query_cut"
    TERMS_CAPPED = "terms_capped"
    PREFIX_TOO_SHORT = "prefix_too_short"
    STAR_ALONE = "star_alone"
    FUZZY_TOO_SHORT = "fuzzy_too_short"
    EXPANSION_CAPPED = "expansion_capped"
    TIME_LIMIT = "time_limit"
    UNREADABLE = "unreadable"
    # why a query could not be read: the ``reason`` of UNREADABLE
    UNCLOSED_QUOTE = "unclosed_quote"
    UNCLOSED_PARENTHESIS = "unclosed_parenthesis"
    EXTRA_PARENTHESIS = "extra_parenthesis"
    EMPTY_PARENTHESES = "empty_parentheses"
    AND_AT_START = "and_at_start"
    OR_AT_START = "or_at_start"
    WORD_MISSING_AFTER_AND = "word_missing_after_and"
    WORD_MISSING_AFTER_OR = "word_missing_after_or"
    WORD_MISSING_AFTER_NOT = "word_missing_after_not"
    UNKNOWN_FIELD = "unknown_field"
    VALUE_MISSING = "value_missing"
    NOT_A_DATE = "not_a_date"
    INVALID_DATE = "invalid_date"


@dataclass(frozen=True)
class Notice:
    """What a search tells its reader: a code and the values its wording needs."""

    code: NoticeCode
    params: Mapping[str, Param] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """``{"code": …, "params": {…}}``; a notice parameter nests the same way."""
        params = {k: v.to_dict() if isinstance(v, Notice) else v for k, v in self.params.items()}
        return {"code": str(self.code), "params": params}


Param = str | int | float | Notice


CATALOG: dict[NoticeCode, dict[Language, Text]] = {
    NoticeCode.QUERY_CUT: {
        "de": "Die Suche wurde nach {max_chars} Zeichen abgeschnitten.",
        "en": "The query was cut after {max_chars} characters.",
    },
    NoticeCode.TERMS_CAPPED: {
        "de": "Die Suche wurde auf die ersten {max_terms} Begriffe begrenzt.",
        "en": "The search was limited to the first {max_terms} terms.",
    },
    NoticeCode.PREFIX_TOO_SHORT: {
        "de": (
            "„{word}*“: Platzhalter brauchen mindestens {min_letters} Buchstaben davor; "
            "gesucht wurde „{word}“."
        ),
        "en": (
            "“{word}*”: a wildcard needs at least {min_letters} letters before it; "
            "searched for “{word}”."
        ),
    },
    NoticeCode.STAR_ALONE: {
        "de": "Ein „*“ allein wurde ignoriert.",
        "en": "A “*” on its own was ignored.",
    },
    NoticeCode.FUZZY_TOO_SHORT: {
        "de": "„{word}~“: unscharfe Suche braucht mindestens {min_letters} Buchstaben.",
        "en": "“{word}~”: a fuzzy search needs at least {min_letters} letters.",
    },
    NoticeCode.EXPANSION_CAPPED: {
        "de": (
            "„{pattern}“ passt auf sehr viele Wörter; "
            "gesucht wurde nach den {max_terms} häufigsten."
        ),
        "en": "“{pattern}” matches very many words; searched for the {max_terms} most frequent.",
    },
    NoticeCode.TIME_LIMIT: {
        "de": Plural(
            "seconds",
            one=(
                "Die Suche wurde nach {seconds} Sekunde abgebrochen; die Liste ist unvollständig."
            ),
            other=(
                "Die Suche wurde nach {seconds} Sekunden abgebrochen; die Liste ist unvollständig."
            ),
        ),
        "en": Plural(
            "seconds",
            one="The search was stopped after {seconds} second; the list is incomplete.",
            other="The search was stopped after {seconds} seconds; the list is incomplete.",
        ),
    },
    NoticeCode.UNREADABLE: {
        "de": (
            "Die Suche konnte nicht gelesen werden ({reason}); "
            "gesucht wurde nach den Wörtern: {words}."
        ),
        "en": "The query could not be read ({reason}); searched for the words: {words}.",
    },
    NoticeCode.UNCLOSED_QUOTE: {
        "de": "ein Anführungszeichen ist nicht geschlossen",
        "en": "a quotation mark is not closed",
    },
    NoticeCode.UNCLOSED_PARENTHESIS: {
        "de": "eine Klammer ist nicht geschlossen",
        "en": "a parenthesis is not closed",
    },
    NoticeCode.EXTRA_PARENTHESIS: {
        "de": "eine schließende Klammer ist zu viel",
        "en": "one closing parenthesis too many",
    },
    NoticeCode.EMPTY_PARENTHESES: {
        "de": "leere Klammern",
        "en": "empty parentheses",
    },
    NoticeCode.AND_AT_START: {
        "de": "UND steht am Anfang",
        "en": "AND at the start",
    },
    NoticeCode.OR_AT_START: {
        "de": "ODER steht am Anfang",
        "en": "OR at the start",
    },
    NoticeCode.WORD_MISSING_AFTER_AND: {
        "de": "nach UND fehlt ein Wort",
        "en": "a word is missing after AND",
    },
    NoticeCode.WORD_MISSING_AFTER_OR: {
        "de": "nach ODER fehlt ein Wort",
        "en": "a word is missing after OR",
    },
    NoticeCode.WORD_MISSING_AFTER_NOT: {
        "de": "nach NICHT fehlt ein Wort",
        "en": "a word is missing after NOT",
    },
    NoticeCode.UNKNOWN_FIELD: {
        "de": "unbekanntes Feld „{field}:“ (bekannt: {known})",
        "en": "unknown field “{field}:” (known: {known})",
    },
    NoticeCode.VALUE_MISSING: {
        "de": "nach „{field}:“ fehlt ein Wert",
        "en": "a value is missing after “{field}:”",
    },
    NoticeCode.NOT_A_DATE: {
        "de": "„datum:{value}“ ist kein Datum wie 2024-05-07 oder 2023..2024",
        "en": "“datum:{value}” is not a date like 2024-05-07 or 2023..2024",
    },
    NoticeCode.INVALID_DATE: {
        "de": "„{value}“ ist kein gültiges Datum",
        "en": "“{value}” is not a valid date",
    },
}
"""Every code's wording in each language (``Plural`` where a number decides it)."""


def notice_text(notice: Notice, lang: Language) -> str:
    """The notice worded in ``lang``, its numbers written the language's way (Babel)."""
    text = CATALOG[notice.code][lang]
    count = text.count if isinstance(text, Plural) else None  # ``fill`` writes the count
    values: dict[str, object] = {}
    for name, value in notice.params.items():
        if isinstance(value, Notice):
            value = notice_text(value, lang)
        elif isinstance(value, int | float) and name != count:
            value = format_number(value, lang)
        values[name] = value
    return fill(text, lang, **values)
