"""Outcomes of a consultation: the result normalised to a small set, and the vote class.

Sources word results in many ways ("unverändert beschlossen", "Zustimmung",
"mehrheitlich abgelehnt"); facets need a few stable values. The original wording
is kept for display; these functions only classify it.

>>> normalise_result("Der Antrag wurde mehrheitlich abgelehnt.")
'abgelehnt'
>>> vote_class(Votes(yes=7, no=8))
'knapp'
"""

from __future__ import annotations

import re

from archive.motion import Votes

BESCHLOSSEN = "beschlossen"
GEAENDERT = "geändert beschlossen"
ABGELEHNT = "abgelehnt"
VERTAGT = "vertagt/zurückgestellt"
KENNTNIS = "zur Kenntnis genommen"
ZURUECKGEZOGEN = "zurückgezogen"
OFFEN = "offen"

RESULTS = (BESCHLOSSEN, GEAENDERT, ABGELEHNT, VERTAGT, KENNTNIS, ZURUECKGEZOGEN, OFFEN)

# First match wins: the more specific wording comes first.
_RULES: tuple[tuple[str, str], ...] = (
    (r"zurückgezogen|zurueckgezogen|rücknahme", ZURUECKGEZOGEN),
    (r"geändert|geaendert|mit änderung|änderungen beschlossen|modifiziert", GEAENDERT),
    (r"abgelehnt|ablehnung|nicht zugestimmt|nicht beschlossen", ABGELEHNT),
    (
        r"vertag|zurückgestellt|zurueckgestellt|zurückstellung|verschoben|verwiesen|verweisung|"
        r"wiedervorlage|weiterbehandlung|weitere beratung|abgesetzt|angehalten|"
        r"beratung im fachgremium",
        VERTAGT,
    ),
    (r"kenntnis|ohne votum|ohne beschluss|erledigt|beantwortet|berichtet", KENNTNIS),
    # Karlsruhe: items without a vote of their own
    (r"keine abstimmung|nicht zur abstimmung|keine mitteilungen|aushang|^\s*keine\s*$", KENNTNIS),
    (
        r"beschlossen|zustimmung|zugestimmt|angenommen|annahme|empfohlen|empfehlung|"
        r"einverstanden|genehmigt|beschluss|gewählt|vorberaten",
        BESCHLOSSEN,
    ),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), v) for p, v in _RULES)

UNANIMOUS = "einstimmig"
NARROW = "knapp"
MAJORITY = "mehrheitlich"
NOT_RECORDED = "nicht erfasst"

VOTE_CLASSES = (UNANIMOUS, NARROW, MAJORITY, NOT_RECORDED)


def normalise_result(text: str) -> str:
    """Map a result as written to one of ``RESULTS`` (``offen`` when empty or unknown)."""
    if "einstimmig" in text.lower() and not any(p.search(text) for p, _ in _COMPILED):
        return BESCHLOSSEN
    for pattern, value in _COMPILED:
        if pattern.search(text):
            return value
    return OFFEN


def is_known_result(text: str) -> bool:
    """Whether ``text`` is empty or classifies to something other than ``offen``."""
    return not text.strip() or normalise_result(text) != OFFEN or "offen" in text.lower()


def vote_class(votes: Votes, result: str = "") -> str:
    """``einstimmig``, ``knapp`` (margin 1–2), ``mehrheitlich`` or ``nicht erfasst``."""
    if "einstimmig" in result.lower() and not votes.recorded:
        return UNANIMOUS
    if votes.yes is None and votes.no is None:
        return NOT_RECORDED
    yes, no = votes.yes or 0, votes.no or 0
    if (yes == 0) != (no == 0):
        return UNANIMOUS
    if 1 <= abs(yes - no) <= 2:
        return NARROW
    return MAJORITY


def contradiction(votes: Votes, result: str) -> str | None:
    """Why the counts cannot belong to ``result``, or ``None`` when they can."""
    if votes.yes is None or votes.no is None:
        return None
    outcome = normalise_result(result)
    lowered = result.lower()
    if "einstimmig" in lowered and votes.yes and votes.no:
        return f"result says einstimmig but votes are {votes.yes} yes / {votes.no} no"
    if outcome == ABGELEHNT and votes.yes > votes.no:
        return f"result is abgelehnt but yes ({votes.yes}) outnumber no ({votes.no})"
    if outcome in (BESCHLOSSEN, GEAENDERT) and votes.no > votes.yes:
        return f"result is {outcome} but no ({votes.no}) outnumber yes ({votes.yes})"
    return None
