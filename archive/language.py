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
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from babel import Locale

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT: Language = "de"

_LOCALE_NAMES = {"de": "de_DE", "en": "en_GB"}
_DATE_FORMATS = {"de": "medium", "en": "long"}  # 07.05.2024, 7 May 2024


@dataclass(frozen=True)
class Plural:
    """A text worded by the CLDR plural category (German and English: one, other) of the
    number in its placeholder ``count``."""

    count: str
    one: str
    other: str


Text = str | Plural


@cache
def _locale(lang: Language) -> Locale:
    """Babel's locale of ``lang``; Babel is imported on first use, so that commands that
    word nothing (``ratsarchiv reindex``) start without loading it."""
    from babel import Locale

    return Locale.parse(_LOCALE_NAMES[lang])


def format_number(value: float, lang: Language) -> str:
    """``1234`` → ``1.234`` (German) or ``1,234`` (English); ``2.5`` → ``2,5`` or ``2.5``."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(lang))


def format_date(value: str, lang: Language) -> str:
    """An ISO date ``2024-05-07`` → ``07.05.2024`` or ``7 May 2024``; other text unchanged."""
    try:
        day = datetime.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return value or ""
    from babel.dates import format_date as babel_date

    return babel_date(day, _DATE_FORMATS[lang], locale=_locale(lang))


def fill(text: Text, lang: Language, /, **values: object) -> str:
    """``text`` with its ``{name}`` placeholders filled; a ``Plural`` takes the wording of
    its count, and the count is written with ``format_number`` (other values as given)."""
    if isinstance(text, Plural):
        count = values[text.count]
        if not isinstance(count, int | float):
            raise TypeError(f"the count {text.count!r} of a plural must be a number")
        category = _locale(lang).plural_form(count)
        values = {**values, text.count: format_number(count, lang)}
        text = text.one if category == "one" else text.other
    return text.format(**values) if values else text
