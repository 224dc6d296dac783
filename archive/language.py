"""Ratsarchiv's two languages, and how numbers, dates and plurals are written in them.

German is the source and the default, English the translation. Babel writes numbers and
dates from its CLDR data (bundled with it: nothing is fetched at run time) and picks a
plural's wording; the web app, the notices of ``index.notices`` and the CLI all use it.

>>> format_number(12546, "de"), format_number(12546, "en")
('12.546', '12,546')
>>> format_date("2024-05-07", "de"), format_date("2024-05-07", "en")
('07.05.2024', '7 May 2024')
>>> fill(Plural("n", one="{n} Antrag", other="{n} Anträge"), "de", n=1200)
'1.200 Anträge'
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT: Language = "de"

_LOCALES = {"de": Locale.parse("de_DE"), "en": Locale.parse("en_GB")}
_DATE_FORMATS = {"de": "medium", "en": "long"}  # 07.05.2024, 7 May 2024


@dataclass(frozen=True)
class Plural:
    """A text worded by the CLDR plural category (German and English: one, other) of the
    number in its placeholder ``count``."""

    count: str
    one: str
    other: str


Text = str | Plural


def format_number(value: float, lang: Language) -> str:
    """``1234`` → ``1.234`` (German) or ``1,234`` (English); ``2.5`` → ``2,5`` or ``2.5``."""
    return format_decimal(value, locale=_LOCALES[lang])


def format_date(value: str, lang: Language) -> str:
    """An ISO date ``2024-05-07`` → ``07.05.2024`` or ``7 May 2024``; other text unchanged."""
    try:
        day = datetime.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return value or ""
    return _babel_date(day, _DATE_FORMATS[lang], locale=_LOCALES[lang])


def fill(text: Text, lang: Language, /, **values: object) -> str:
    """``text`` with its ``{name}`` placeholders filled; a ``Plural`` takes the wording of
    its count, and the count is written with ``format_number`` (other values as given)."""
    if isinstance(text, Plural):
        count = values[text.count]
        if not isinstance(count, int | float):
            raise TypeError(f"the count {text.count!r} of a plural must be a number")
        category = _LOCALES[lang].plural_form(count)
        values = {**values, text.count: format_number(count, lang)}
        text = text.one if category == "one" else text.other
    return text.format(**values) if values else text
