"""Paper references: which paper an amendment belongs to.

An amendment (Änderungs-, Ergänzungsantrag, a Nachtrag) is numbered as its parent paper
plus a suffix of one to three digits after ``-`` or ``.``; amendments of amendments add
another. Four or more digits are a paper's own number (Hamburg's ``22-0621``), and
``/`` separates the parts of a number (``2015/0316``), never an amendment. Importers,
``check``, the index and the motion page all ask this module.

>>> parent_reference("VO/2024/12903-01"), parent_reference("21-1234.1")
('VO/2024/12903', '21-1234')
>>> ancestors("VO/2025/14058-01-01")
['VO/2025/14058-01', 'VO/2025/14058']
>>> parent_reference("22-0621"), parent_reference("2015/0316")
(None, None)
"""

from __future__ import annotations

import re

_AMENDMENT = re.compile(r"^(.*[0-9A-Za-z])[-.][0-9]{1,3}$")


def parent_reference(reference: str) -> str | None:
    """The paper ``reference`` amends (its number without the last suffix), or ``None``."""
    match = _AMENDMENT.match(reference.strip())
    return match.group(1) if match else None


def ancestors(reference: str) -> list[str]:
    """Its parent, the parent's parent and so on, nearest first."""
    found: list[str] = []
    parent = parent_reference(reference)
    while parent is not None:
        found.append(parent)
        parent = parent_reference(parent)
    return found
