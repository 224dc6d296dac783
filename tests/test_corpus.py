"""Corpus files: the shipped seed file, reading and writing the same bytes, YAML traps."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.corpus import (
    parse_motion,
    path_for,
    read_motion,
    reference_of,
    render_motion,
    write_atomic,
    write_motion,
)
from archive.importers.allris_text import read_auszug_file
from archive.importers.normalise import merge_auszug, normalise_auszug
from archive.motion import Consultation, Motion, Votes

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "corpus" / "luebeck" / "2024" / "vo-2024-12903-01.md"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed_motion(seed_path: Path) -> Motion:
    return normalise_auszug(read_auszug_file(seed_path))


def test_shipped_file_is_exactly_what_the_importer_makes(seed_motion: Motion) -> None:
    assert SHIPPED.read_bytes() == render_motion(seed_motion).encode("utf-8")
    assert path_for(seed_motion, REPO / "corpus") == SHIPPED


def test_documented_example_is_the_shipped_file() -> None:
    doc = (REPO / "docs" / "corpus-format.md").read_text(encoding="utf-8")
    example = doc.split("````markdown\n", 1)[1].split("````\n", 1)[0]
    assert example == SHIPPED.read_text(encoding="utf-8")


def test_shipped_file_carries_the_seed_facts() -> None:
    motion = read_motion(SHIPPED)
    assert motion.reference == "VO/2024/12903-01"
    assert motion.title == "Quartiere stärken - Lebenswelten gestalten"
    assert motion.type == "Antrag"
    assert motion.sponsors == ["SPD & FW", "Linke & GAL"]
    assert motion.lead == "Geschäftsstelle Fraktion SPD & FW"
    assert motion.clerk == "Bernzen, Hinrich"
    assert motion.date == "2024-05-07"
    assert motion.result == "abgelehnt"
    (consultation,) = motion.consultations
    assert consultation.committee == "Ausschuss für Soziales"
    assert consultation.meeting == "9. Sitzung des Ausschusses für Soziales"
    assert consultation.agenda_item == "Ö 7.2"
    assert consultation.votes == Votes(yes=7, no=8, abstain=None)
    assert len(motion.resolution.split("\n\n")) == 5
    assert len(motion.questions) == 5
    assert motion.source.system == "ALLRIS"
    assert motion.source.retrieved == ""


def motions_from_real_text(seed_motion: Motion) -> list[Motion]:
    others = [normalise_auszug(read_auszug_file(p)) for p in sorted(DATA.glob("*.txt"))]
    later = replace(
        seed_motion,
        consultations=[Consultation(committee="Hauptausschuss", date="2024-05-28", result="")],
    )
    return [seed_motion, *others, merge_auszug(seed_motion, later)]


def test_reading_and_writing_gives_the_same_bytes(seed_motion: Motion, tmp_path: Path) -> None:
    for motion in motions_from_real_text(seed_motion):
        path = write_motion(motion, tmp_path)
        written = path.read_bytes()
        again = read_motion(path)
        assert again == motion
        assert render_motion(again).encode("utf-8") == written


def test_shipped_file_reads_and_renders_to_itself() -> None:
    assert render_motion(read_motion(SHIPPED)).encode("utf-8") == SHIPPED.read_bytes()


def test_section_lines_that_look_like_headings_survive(seed_motion: Motion) -> None:
    motion = replace(
        seed_motion,
        resolution="## Vorbemerkung\n\nDer Text.",
        reasons="## 1. Anlass\n\nWeil.",
        body="## Wortprotokoll (Hauptausschuss, 28.05.2024)\n\n\\## kein Abschnitt",
    )
    text = render_motion(motion)
    assert "\n\\## Vorbemerkung\n" in text
    again = parse_motion(text, Path("x.md"))
    assert again.resolution == motion.resolution
    assert again.reasons == motion.reasons
    assert again.body == motion.body
    assert render_motion(again) == text


def test_yaml_traps_are_written_so_they_read_back_as_text(seed_motion: Motion) -> None:
    tricky = ["no", "Yes", "on", "OFF", "16:00", "2024-05-07", "1.5", "0x1F", "1_000", "null"]
    tricky += ["~", "", "- Liste", "Titel: mit Doppelpunkt", "# kein Kommentar", "&anker", "*alias"]
    tricky += ["'zitiert'", '"doppelt"', "Ende mit Leerzeichen ", "@at", "%pct", "!tag", "|", ">"]
    motion = replace(
        seed_motion,
        title="on",
        clerk="16:00",
        sponsors=[t for t in tricky if t],
        involved=tricky,
        consultations=[replace(seed_motion.consultations[0], note="2024-05-07", meeting="yes")],
    )
    again = parse_motion(render_motion(motion), Path("x.md"))
    assert again.metadata() == motion.metadata()


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(title=_TEXT.filter(str.strip), clerk=_TEXT, sponsors=st.lists(_TEXT, max_size=3), note=_TEXT)
def test_any_front_matter_text_round_trips(
    title: str, clerk: str, sponsors: list[str], note: str
) -> None:
    """Found: "0E0" (a number to YAML 1.2, text to 1.1) and NEL (read as a line break)."""
    motion = Motion(
        reference="VO/2024/1",
        title=title,
        clerk=clerk,
        sponsors=sponsors,
        consultations=[Consultation(committee="Hauptausschuss", note=note)],
    )
    again = parse_motion(render_motion(motion), Path("x.md"))
    assert (again.title, again.clerk, again.sponsors) == (title, clerk, sponsors)
    assert again.consultations[0].note == note


@pytest.mark.parametrize("text", ["0E0", "1e5", "-.inf", ".NaN", "Ende\x85", "a\u2028b"])
def test_scalars_yaml_1_1_writers_leave_plain_are_quoted(text: str) -> None:
    motion = Motion(reference="VO/2024/1", title=text)
    assert parse_motion(render_motion(motion), Path("x.md")).title == text


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("alt\n", encoding="utf-8")
    os.chmod(target, 0o640)
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "neu \ud800")
    assert target.read_text(encoding="utf-8") == "alt\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
    write_atomic(target, "neu\n")
    assert target.read_text(encoding="utf-8") == "neu\n"
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("---\nreference: VO/2024/1\ntitle: x\n---\n", "VO/2024/1"),
        ("---\ntitle: x\nreference: 'VO/2024/1'\n---\n", "VO/2024/1"),
        ('---\nreference: "yes"\ntitle: x\n---\n', "yes"),
        # The rest of the front matter is broken, the reference line still names the paper.
        ("---\nreference: VO/2024/1\ntitle: [x\n---\n", "VO/2024/1"),
        ("reference: VO/2024/1\n", None),
        ("---\nreference: [VO/2024/1\n---\n", None),
        ("---\ntitle: x\n---\n", None),
    ],
)
def test_reference_of_reads_only_what_it_needs(
    text: str, reference: str | None, tmp_path: Path
) -> None:
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    assert reference_of(path) == reference


def test_body_text_before_its_first_heading_stays_body_after_questions_and_reasons(tmp_path):
    """A body that starts with a paragraph must not be swallowed by the section before it."""
    from archive.corpus import parse_motion, render_motion
    from archive.motion import Motion

    motion = Motion(
        reference="2024/0001",
        title="Radwege",
        questions=["Wo fehlen Radwege?"],
        reasons="Weil es sicherer ist.",
        body="Antragstext der Fraktion.\n\n## Anlage 1\n\nLageplan",
    )
    text = render_motion(motion)
    again = parse_motion(text, tmp_path / "x.md")
    assert again.questions == ["Wo fehlen Radwege?"]
    assert again.reasons == "Weil es sicherer ist."
    assert "Antragstext der Fraktion." in again.body and "## Anlage 1" in again.body
    assert render_motion(again) == text
