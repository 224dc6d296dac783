"""When a page's text layer is not worth keeping: (almost) empty, or a scanner's misread OCR.

Scanners often put their own OCR layer on a scan. When it is good, it is kept; when it is
symbol soup (``ı'\\;| e1n ,,Antr@g``), the page is read again by Tesseract. The rule looks at
word-like tokens only, so it holds for any German text: in real text most tokens of three
or more characters are letters with a vowel; in misread text fragments, digits glued to
letters and symbols dominate. Checked on every page of the real text-layer PDFs in
``../shared/data/pdf`` (none is garbage) and on garbled copies of them (tests/test_ocr.py).

>>> layer_is_garbage("Die Verwaltung wird gebeten, im Ausschuss zu berichten, wie viele Plätze")
False
>>> layer_is_garbage("ı'\\\\;| e1n ,,Antr@g ~~ d3r %% §§ ¦¦ Fr4kt10n ^^ 1l1 ]]")
True
"""

from __future__ import annotations

import re

MIN_CHARACTERS = 20
"""A layer with fewer letters than this is no text (a scan with a page number, say)."""
MIN_TOKENS = 8
"""Fewer word tokens than this: too little to judge; the layer is kept."""
MAX_BAD_SHARE = 0.45
"""Above this share of implausible tokens, a layer is garbage."""

_TOKEN = re.compile(r"\S+")
_WORD = re.compile(
    r"^[(\"'„‚«»]*([A-Za-zÄÖÜäöüß][a-zäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*)[).,;:!?\"'“‘«»]*$"
)
_VOWEL = re.compile(r"[aeiouyäöüAEIOUYÄÖÜ]")
_NUMBER = re.compile(r"^[(\[]?[\d.,:/%€§-]+[)\].,;:]?$")
_LETTER = re.compile(r"[A-Za-zÄÖÜäöüß]")


def too_little_text(text: str) -> bool:
    """Whether a page's layer holds (almost) no letters: a scan, or an empty page."""
    return len(_LETTER.findall(text)) < MIN_CHARACTERS


def _plausible(token: str) -> bool:
    if _NUMBER.match(token):
        return True
    match = _WORD.match(token)
    if not match:
        return token.isupper() and token.isalpha()  # CDU, SPD, VO
    return bool(_VOWEL.search(match.group(1))) or len(match.group(1)) <= 3


def layer_is_garbage(text: str) -> bool:
    """Whether a text layer is misread noise that OCR would read better."""
    tokens = [t for t in _TOKEN.findall(text) if len(t) >= 2]
    if len(tokens) < MIN_TOKENS:
        return False
    bad = sum(1 for token in tokens if not _plausible(token))
    return bad / len(tokens) > MAX_BAD_SHARE
