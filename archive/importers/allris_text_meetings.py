"""Lübeck's „Importierte Niederschrift“: a meeting's whole minutes, as an Auszug text.

Lübeck's ALLRIS attaches the minutes of a meeting to its first agenda item, as an Auszug
page of its own. Copied from the browser it reads::

    <the site's navigation: Startseite, Gremien, Sitzungen, …>
    Auszug - Importierte Niederschrift
    12. Sitzung des Ausschusses für Soziales
    TOP: Ö 1
    Gremium: Ausschuss für Soziales Beschlussart: (offen)
    Datum: Di, 04.06.2024 Status: öffentlich/nichtöffentlich
    Zeit / Raum / Ort …
    Wortprotokoll
    <the whole Niederschrift: attendance, every item's discussion, decisions and votes>

The text reader (``archive.importers.allris_text``) keeps the text after the header whole
when ``is_imported_minutes`` says the page is one; ``archive.importers.allris_meetings``
makes ``public_minutes`` of it the minutes (``Meeting.minutes``) of its meeting, found by
council, date and committee like any Auszug's meeting. The page's own TOP is no agenda
item and is not written (the meeting's real ``Ö 1`` comes from its own Auszug). A part of
the minutes under a non-public heading (``Nichtöffentlicher Teil``, ``TOP N 9``) is left
out up to the next public one (``Öffentlicher Teil``, ``TOP Ö 10``).

>>> public_minutes("Ö 1 Eröffnung\\nNichtöffentlicher Teil\\nN 2 Personal\\ngeheim\\nÖ 3 Ende")
('Ö 1 Eröffnung\\n\\nÖ 3 Ende', 1)
"""

from __future__ import annotations

import re

from archive.importers.normalise import clean_line

_IMPORTED = re.compile(r"^importierte\s+niederschrift\b", re.IGNORECASE)
_CLOSED = re.compile(
    r"^(?:nicht\s*öffentliche[rs]?\s+(?:teil|sitzung|sitzungsteil)\b|(?:top\s*)?n\s+\d)",
    re.IGNORECASE,
)
_OPEN = re.compile(
    r"^(?:öffentliche[rs]?\s+(?:teil|sitzung|sitzungsteil)\b|wiederherstellung der "
    r"öffentlichkeit|(?:top\s*)?ö\s+\d)",
    re.IGNORECASE,
)


def is_imported_minutes(title_line: str) -> bool:
    """Whether an Auszug's title says it is its meeting's whole minutes."""
    return bool(_IMPORTED.match(clean_line(title_line)))


def public_minutes(text: str) -> tuple[str, int]:
    """The minutes without their non-public parts, each line a paragraph, and how many
    non-public parts were left out."""
    kept: list[str] = []
    closed = False
    parts = 0
    for line in (clean_line(line) for line in text.split("\n")):
        if _CLOSED.match(line):
            parts += not closed
            closed = True
        elif closed and _OPEN.match(line):
            closed = False
        if line and not closed:
            kept.append(re.sub(r"^#", r"\\#", line))  # no line opens a Markdown heading
    return "\n\n".join(kept), parts
