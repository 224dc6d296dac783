"""What is not public: the one rule importers, the index and the site share.

* A motion whose file says ``public: false`` is never indexed or shown.
* A consultation is not public when it says ``public: false`` or when its agenda item is
  numbered ``N …`` (ALLRIS numbers the items of the non-public part N, the public ones Ö);
  ``public_view`` drops those before anything is indexed, shown or written by an importer.
* A file marked ``public: false`` is never fetched, read, indexed or shown: in the view
  the index stores it is a blank record (``public_files``), so the files after it keep
  their positions (their texts and links are named by position).
* A source page whose Status or Drucksache-Art reads "nichtöffentlich" (or "nicht
  öffentlich") is not public: importers refuse it.

>>> non_public_item("N 4.2"), non_public_item("Ö 7.2"), non_public_item("Nachtrag 1")
(True, False, False)
>>> says_non_public("Sitzungsvorlage nicht öffentlich"), says_non_public("öffentlich")
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import replace

from archive.files import NONE, FileRecord
from archive.motion import Consultation, Motion

_NON_PUBLIC_ITEM = re.compile(r"^N(?![^\W\d_])", re.IGNORECASE)
"""``N``, ``N 3``, ``N3``, ``N.3``: an N that does not start a word (``Nachtrag`` does)."""
_PUBLIC_ITEM = re.compile(r"^Ö(?![^\W\d_])", re.IGNORECASE)
_NOT_PUBLIC_WORDS = re.compile(r"nicht[\s-]*öff", re.IGNORECASE)
"""nichtöffentlich, nicht öffentlich, nicht-öffentlich, nichtöff."""


def non_public_item(agenda_item: str) -> bool:
    """Whether an agenda item's number marks it as non-public (``N 3.1``)."""
    return bool(_NON_PUBLIC_ITEM.match(agenda_item.strip()))


def public_item(agenda_item: str) -> bool:
    """Whether an agenda item's number marks it as public (``Ö 7.2``)."""
    return bool(_PUBLIC_ITEM.match(agenda_item.strip()))


def says_non_public(text: str) -> bool:
    """Whether a Status or Drucksache-Art says "nichtöffentlich" (or "nicht öffentlich")."""
    return bool(_NOT_PUBLIC_WORDS.search(text))


def is_public(consultation: Consultation) -> bool:
    """A consultation is public unless it says ``public: false`` or its item is ``N …``."""
    return consultation.public and not non_public_item(consultation.agenda_item)


def public_view(motion: Motion) -> Motion:
    """The motion without its non-public consultations (the motion itself unchanged if all
    are public). Whether the motion is public at all is ``motion.public``."""
    kept = [c for c in motion.consultations if is_public(c)]
    if len(kept) == len(motion.consultations):
        return motion
    return replace(motion, consultations=kept)


def public_files(records: list[FileRecord]) -> list[FileRecord]:
    """The records with every non-public one blanked to nothing but its place in the list
    (no name, no URL, no text), so the files after it keep their positions."""
    return [r if r.public else FileRecord(name="", text=NONE, public=False) for r in records]
