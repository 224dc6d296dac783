"""Text PDFs made from real Karlsruhe file texts, for tests and the extraction benchmark.

Karlsruhe's OParl dump carries each File's extracted ``text``. Written back into a PDF
(fpdf2, a test extra) and served without that ``text``, a paper becomes what nearly every
other OParl server offers: a ``downloadUrl`` to a PDF and no text. What Ratsarchiv reads
from the PDF can then be compared with the original text.

Pages break where the original had form feeds, else every ``LINES_PER_PAGE`` lines (a page
whose wrapped lines do not fit continues on the next one, so no word is lost).
fpdf2's core font Helvetica covers Latin-1 (ä ö ü ß); the few characters outside it
(typographic quotes, dashes) are written as their ASCII look-alikes by ``printable``.
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF

LINES_PER_PAGE = 45
_LOOKALIKE = str.maketrans(
    {"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "–": "-", "—": "-"}
)
_SPACES = re.compile(r"[ \t]+")


def printable(text: str) -> str:
    """``text`` in the characters the core font can show (Latin-1)."""
    text = _SPACES.sub(" ", text.translate(_LOOKALIKE))
    return text.encode("latin-1", "replace").decode("latin-1")


def pages_of(text: str) -> list[str]:
    """The pages a text is written on: its own form feeds, else ``LINES_PER_PAGE`` lines."""
    pages: list[str] = []
    for part in text.split("\f"):
        lines = [line for line in part.splitlines() if line.strip()]
        for start in range(0, max(len(lines), 1), LINES_PER_PAGE):
            pages.append("\n".join(lines[start : start + LINES_PER_PAGE]))
    return pages


def write_pdf(pages: list[str], path: Path) -> Path:
    """A text PDF with one page per entry of ``pages`` (long lines wrap on their page)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_font("Helvetica", size=9)
    for page in pages:
        pdf.add_page()
        pdf.set_xy(15, 15)
        for line in printable(page).splitlines():
            pdf.multi_cell(180, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
