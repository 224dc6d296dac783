"""Conservative cleaning of text extracted from PDF files.

Extracted text carries the layout of the printed page: words hyphenated at line
ends, the same header and footer on every page, page numbers, runs of blank
lines, stray control characters from fonts without a text mapping. ``clean``
removes that noise and nothing else; it never drops a word:

- ``Verkehrs-`` at a line end followed by ``planung`` becomes ``Verkehrsplanung``,
  but real hyphens stay (``Kinder- und Jugendhilfe``, ``E-Mail``, ``Rad-/Fußweg``);
- a line repeated in the top or bottom margin of most pages is kept where it
  first occurs and removed from the other pages (so its words stay findable);
  page numbers (``– 2 –``, ``Seite 2 von 5``) are removed the same way;
- trailing spaces go, blank lines collapse to one, lines starting with ``#``
  are escaped so PDF text cannot start a Markdown section.

>>> clean("Die Verkehrs-\\nplanung und die Kinder-\\nund Jugendhilfe.  \\n \\n \\nEnde")
'Die Verkehrsplanung\\nund die Kinder-\\nund Jugendhilfe.\\n\\nEnde'
"""

from __future__ import annotations

import math
import re

# Pages are separated by a form feed, or (pdf.js / OParl ``text``) by a bare empty line,
# while blank lines inside a page still hold a space.
_PAGE_BREAK = "\f"
_BARE_BLANK = re.compile(r"\n\n+")
_MARGIN_LINES = 3
_MIN_PAGES = 3

# Control characters from fonts without a Unicode mapping: a space keeps words apart.
# Soft hyphens in extracted text are printed hyphens (``Erich\xadHeckel\xadStraße``).
_REPLACE = (
    ("\r\n", "\n"),
    ("\r", "\n"),
    ("\u2028", "\n"),
    ("\u2029", "\n"),
    ("\v", " "),
    ("\u00ad", "-"),
    ("\u200b", ""),
    ("\ufeff", ""),
    (_PAGE_BREAK, "\n\n"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]+")

_LOWER = "a-zäöüß"
_HYPHENATED = re.compile(rf"(?<=[{_LOWER}])-[ \t]*\n[ \t]*([{_LOWER}]\S*)[ \t]*")
_WORD = re.compile(r"\w+")
# After ``Ein-`` these words mean the hyphen is real: ``Ein- und Ausfahrt``.
_KEEP_HYPHEN_BEFORE = frozenset(
    [
        "und",
        "oder",
        "bzw",
        "sowie",
        "bis",
        "wie",
        "als",
        "noch",
        "resp",
        "respektive",
        "beziehungsweise",
        "versus",
        "statt",
        "anstatt",
        "zu",
        "zum",
        "zur",
        "über",
        "von",
        "vom",
    ]
)
# Page numbers, alone or in a footer (``Seite 2 von 5``, ``– 2 –``, ``2/5``).
_PAGE_NUMBER = re.compile(
    r"(?:^|\s)(?:[-–—]\s*\d+\s*[-–—]|seite\s+\d+(?:\s*von\s*\d+)?|\d+\s*(?:von|/)\s*\d+)(?:\s|$)",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"(?<!\w)\d+(?!\w)")
_SPACES = re.compile(r"[ \t]{2,}|\t")
_LINE_EDGES = re.compile(r" ?\n ?")
_BLANK_RUN = re.compile(r"\n{3,}")
_HEADING_START = re.compile(r"^#", re.MULTILINE)


def clean(text: str) -> str:
    """The text without hyphenation, repeated page margins and blank-line runs."""
    for old, new in _REPLACE:
        if old in text:
            text = text.replace(old, new)
    text = _CONTROL.sub(" ", text)
    pages = _split_pages(text)
    if len(pages) >= _MIN_PAGES:
        pages = _drop_repeated_margins(pages)
    text = "\n\n".join(pages)
    return _tidy(_dehyphenate(text))


def _split_pages(text: str) -> list[str]:
    return [page for page in _BARE_BLANK.split(text) if page.strip()]


def _margin_key(line: str) -> str | None:
    """What a header/footer line looks like on every page (page numbers vary)."""
    stripped = _SPACES.sub(" ", line.strip())
    if not stripped:
        return None
    if _PAGE_NUMBER.search(stripped):
        return _DIGITS.sub("#", stripped)
    if not any(ch.isalpha() for ch in stripped):
        return None  # a bare number or a rule is data, not a header
    return stripped


def _margins(lines: list[str]) -> list[int]:
    """Indexes of the first and last few non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:_MARGIN_LINES] + filled[-_MARGIN_LINES:]))


def _drop_repeated_margins(pages: list[str]) -> list[str]:
    split = [page.split("\n") for page in pages]
    seen_on: dict[str, int] = {}
    for lines in split:
        for key in {_margin_key(lines[i]) for i in _margins(lines)} - {None}:
            seen_on[key] = seen_on.get(key, 0) + 1  # type: ignore[index]
    threshold = max(_MIN_PAGES, math.ceil(len(pages) / 2))
    repeated = {key for key, count in seen_on.items() if count >= threshold}
    if not repeated:
        return pages
    kept_once: set[str] = set()
    result = []
    for lines in split:
        drop = set()
        for i in _margins(lines):
            key = _margin_key(lines[i])
            if key in repeated:
                if key in kept_once:
                    drop.add(i)
                else:
                    kept_once.add(key)
        result.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return [page for page in result if page.strip()]


def _dehyphenate(text: str) -> str:
    def join(match: re.Match[str]) -> str:
        word = match.group(1)
        first = _WORD.match(word)
        if (
            first is None
            or first.group(0).lower() in _KEEP_HYPHEN_BEFORE
            or word.endswith("-")  # ``Vor-\ndrucke- innerhalb``: a dash, not a break
        ):
            return match.group(0)
        at_line_end = match.end() == len(text) or text[match.end()] == "\n"
        return word if at_line_end else f"{word}\n"

    return _HYPHENATED.sub(join, text)


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text).strip(" \n")
    text = _BLANK_RUN.sub("\n\n", text)
    return _HEADING_START.sub(r"\\#", text)
