"""PDF text cleaning: removes layout noise, never a word (checked on real Karlsruhe texts)."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from pathlib import Path

import pytest

from archive.importers.pdftext import clean

WORD = re.compile(r"\w+")


def lost_words(raw: str, cleaned: str) -> set[str]:
    """Words of ``raw`` that ``cleaned`` lacks, other than joined line-end fragments.

    A fragment ``Verkehrs-`` / ``planung`` may disappear only when the joined word
    ``Verkehrsplanung`` is in the cleaned text; bare numbers (page numbers) may go.
    """
    raw = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", " ", raw).replace("\u00ad", "-")
    missing = set(WORD.findall(raw)) - set(WORD.findall(cleaned))
    joined: dict[str, list[str]] = {}
    for a, b in re.findall(r"(?=(?<!\w)(\w+)-[ \t]*\n\s*(\w+))", raw):
        joined.setdefault(a, []).append(a + b)
        joined.setdefault(b, []).append(a + b)
    return {
        word
        for word in missing
        if not word.isdigit() and not any(j in cleaned for j in joined.get(word, []))
    }


def test_line_end_hyphenation_is_joined():
    assert clean("Die Verkehrs-\nplanung der Stadt") == "Die Verkehrsplanung\nder Stadt"
    assert clean("religiö-\nser Art") == "religiöser\nArt"
    assert clean("Schullei-\ntungen.") == "Schulleitungen."


def test_real_hyphens_are_kept():
    assert clean("Kinder-\nund Jugendhilfe") == "Kinder-\nund Jugendhilfe"
    assert clean("Ein- und Ausfahrt") == "Ein- und Ausfahrt"
    assert clean("per E-\nMail") == "per E-\nMail"
    assert clean("Verkehrsteilnehmerinnen und -\nteilnehmer") == (
        "Verkehrsteilnehmerinnen und -\nteilnehmer"
    )
    # a dash around an aside is not a hyphenation: ``Vor-\ndrucke- innerhalb``
    assert clean("amtlicher Vor-\ndrucke- innerhalb") == "amtlicher Vor-\ndrucke- innerhalb"


def test_blank_line_runs_and_trailing_spaces_collapse():
    assert clean("\n\n  \nEins  \n \n \n \nZwei \n\n") == "Eins\n\nZwei"


def test_markdown_headings_in_pdf_text_are_escaped():
    assert clean("# 1 Einleitung\n## Beschluss") == "\\# 1 Einleitung\n\\## Beschluss"


def test_control_characters_become_spaces():
    assert clean("Personen\x0bBusse\x03und\x00Bahnen") == "Personen Busse und Bahnen"
    assert clean("Erich\xadHeckel\xadStraße") == "Erich-Heckel-Straße"


def test_repeated_page_headers_and_page_numbers_are_kept_once():
    pages = [
        f"Stadt Karlsruhe – Stadtplanungsamt \nVorlage 2024/0815 \nAbschnitt {n} \n"
        f"mit Inhalt {n}. \n– {n} – "
        for n in range(1, 6)
    ]
    cleaned = clean("\n\n".join(pages))
    assert cleaned.count("Stadt Karlsruhe – Stadtplanungsamt") == 1
    assert cleaned.count("Vorlage 2024/0815") == 1
    assert re.findall(r"^– \d –$", cleaned, re.MULTILINE) == ["– 1 –"]
    for n in range(1, 6):
        assert f"Abschnitt {n}\nmit Inhalt {n}." in cleaned
    assert not lost_words("\n\n".join(pages), cleaned)


def test_a_header_on_few_pages_is_not_removed():
    pages = ["Kopfzeile \nA", "Kopfzeile \nB", "Anderes \nC", "Anderes \nD", "Noch \nE", "X \nF"]
    assert clean("\n\n".join(pages)).count("Kopfzeile") == 2


@pytest.fixture(scope="module")
def karlsruhe_texts(karlsruhe_data: Path) -> list[str]:
    texts = []
    with gzip.open(karlsruhe_data / "papers.jsonl.gz", "rt") as lines:
        for line in itertools.islice(lines, 300):
            paper = json.loads(line)
            texts += [f["text"] for f in paper.get("auxiliaryFile", []) if f.get("text")]
    return texts


def test_cleaning_real_texts_never_drops_a_word(karlsruhe_texts: list[str]):
    assert len(karlsruhe_texts) > 500
    for raw in karlsruhe_texts:
        cleaned = clean(raw)
        assert not lost_words(raw, cleaned), raw[:200]


def test_cleaning_real_texts_removes_noise(karlsruhe_texts: list[str]):
    raw_size = sum(len(t) for t in karlsruhe_texts)
    cleaned = [clean(t) for t in karlsruhe_texts]
    assert sum(len(t) for t in cleaned) < raw_size * 0.95
    assert not any("\n\n\n" in t or " \n" in t for t in cleaned)
    joined = sum(
        len(re.findall(r"[a-zäöüß]-\n[a-zäöüß]", t)) for t in cleaned
    )  # what remains are real hyphens before und/oder/...
    raw_breaks = sum(len(re.findall(r"[a-zäöüß]- *\n *[a-zäöüß]", t)) for t in karlsruhe_texts)
    assert joined < raw_breaks * 0.1
