"""Quality warnings: valid files that an archivist should still look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import read_motion, write_motion
from archive.errors import CorpusError
from archive.motion import Consultation, Motion, Votes
from archive.quality import NO_RESULT, NO_TEXT, parent_references, quality_warnings, summary
from archive.vocabulary import Vocabulary

REPO = Path(__file__).resolve().parents[1]
SEED_MOTION = REPO / "corpus" / "luebeck" / "2024" / "vo-2024-12903-01.md"


def motion(reference: str, **fields) -> Motion:
    defaults = dict(
        title=f"Antrag {reference}",
        type="Antrag",
        date="2024-05-07",
        sponsors=["SPD"],
        resolution="Der Bürgermeister wird beauftragt, …",
        consultations=[
            Consultation("Ausschuss für Soziales", date="2024-05-07", result="beschlossen")
        ],
    )
    return Motion(reference=reference, **(defaults | fields))


def check(tmp_path: Path, *motions: Motion, vocab: Vocabulary | None = None) -> list[CorpusError]:
    pairs = [(write_motion(m, tmp_path), m) for m in motions]
    return quality_warnings(pairs, vocab or Vocabulary(), today="2025-01-01")


def lines_of(path: Path, key: str) -> list[int]:
    text = path.read_text(encoding="utf-8").split("\n")
    return [i for i, line in enumerate(text, 1) if line.lstrip().startswith(key)]


def test_a_clean_motion_has_no_warnings(tmp_path: Path) -> None:
    assert check(tmp_path, motion("VO/2024/1")) == []


def test_values_outside_the_vocabulary_are_located(tmp_path: Path) -> None:
    vocab = Vocabulary.from_text("sponsors:\n  Grüne: [BÜ90/DIE GRÜNEN]\n  SPD:\n", "v.yml")
    m = motion("VO/2024/1", sponsors=["SPD", "Bü90/DIE GRÜNEN", "Volt"])
    (warning,) = check(tmp_path, m, vocab=vocab)
    assert "sponsors: 'Volt' is not in the vocabulary" in warning.message
    assert warning.path.read_text(encoding="utf-8").split("\n")[warning.line - 1] == "  - Volt"
    # committees have no section: any committee is fine
    assert check(tmp_path, motion("VO/2024/2", sponsors=["SPD"]), vocab=vocab) == []


def test_amendment_without_its_parent(tmp_path: Path) -> None:
    child = motion("VO/2025/14058-01", type="Änderungsantrag")
    (warning,) = check(tmp_path, child)
    assert "amends VO/2025/14058, which is not in the corpus" in warning.message
    assert warning.line == lines_of(warning.path, "reference:")[0]
    assert check(tmp_path, child, motion("VO/2025/14058")) == []


def test_amendment_parent_from_related(tmp_path: Path) -> None:
    child = motion("2015/0307", type="Ergänzungsantrag", related=["2015/0100"])
    (warning,) = check(tmp_path, child)
    assert warning.line == lines_of(warning.path, "related:")[0]
    assert parent_references(motion("VO/2025/14058-01-01")) == ["VO/2025/14058-01"]
    assert parent_references(motion("2015/0307", type="Änderungsantrag")) == []
    assert check(tmp_path, motion("2015/0308", type="Änderungsantrag")) == []  # nothing to check


def test_no_result(tmp_path: Path) -> None:
    undecided = [Consultation("Gemeinderat", date="2024-06-01")]
    (warning,) = check(tmp_path, motion("1", consultations=undecided))
    assert warning.message == "no consultation has a result"
    assert warning.line == lines_of(warning.path, "consultations:")[0]
    upcoming = [Consultation("Gemeinderat", date="2025-03-01")]
    assert check(tmp_path, motion("2", consultations=upcoming)) == []
    question = motion("3", type="Anfrage", resolution="", consultations=[])
    assert check(tmp_path, question) == []


def test_more_votes_than_any_council(tmp_path: Path) -> None:
    votes = [Consultation("Gemeinderat", result="beschlossen", votes=Votes(150, 2, 0))]
    (warning,) = check(tmp_path, motion("1", consultations=votes))
    assert "152 votes in Gemeinderat" in warning.message
    assert warning.line == lines_of(warning.path, "votes:")[0]


def test_totals_far_from_a_committees_usual_size(tmp_path: Path) -> None:
    usual = [
        motion(str(i), consultations=[Consultation("Bauausschuss", result="beschlossen", votes=v)])
        for i, v in enumerate([Votes(9, 2, 0), Votes(8, 3, 0), Votes(11, 0, 0)] * 2)
    ]
    odd = motion(
        "99",
        consultations=[Consultation("Bauausschuss", result="beschlossen", votes=Votes(45, 2, 1))],
    )
    warnings = check(tmp_path, *usual, odd)
    assert [w.path.name for w in warnings] == ["99.md"]
    assert "48 votes in Bauausschuss, which usually has about 11" in warnings[0].message


def test_totals_varying_within_one_motion(tmp_path: Path) -> None:
    consultations = [
        Consultation("Hauptausschuss", date="2024-01-01", result="vertagt", votes=Votes(5, 4, 1)),
        Consultation(
            "Hauptausschuss", date="2024-02-01", result="beschlossen", votes=Votes(40, 3, 0)
        ),
    ]
    (warning,) = check(tmp_path, motion("1", consultations=consultations))
    assert "vary from 10 to 43" in warning.message


def test_same_title_and_date_under_two_references(tmp_path: Path) -> None:
    a = motion("2013/0007", title="Mietsystem für Fahrräder")
    b = motion("2013/0008", title="Mietsystem  für Fahrräder")
    other = motion("2013/0009", title="Anderes")
    # Karlsruhe 2016/0131 and 2016/0132: two factions' amendments named after their paper
    cdu = motion("2016/0131", title="Analyse der Veranstaltungsstätten", sponsors=["CDU"])
    greens = motion("2016/0132", title="Analyse der Veranstaltungsstätten", sponsors=["GRÜNE"])
    warnings = check(tmp_path, a, b, other, cdu, greens)
    assert sorted(w.path.name for w in warnings) == ["2013-0007.md", "2013-0008.md"]
    assert "same title and date as 2013/0008" in warnings[0].message
    assert all(w.line == lines_of(w.path, "title:")[0] for w in warnings)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("Antrag", True), ("Beschlussvorlage", True), ("Änderungsantrag", True),
     ("Anfrage", False), ("Informationsvorlage", False), ("Mitteilung", False)],
)  # fmt: skip
def test_missing_resolution_only_where_one_is_expected(
    tmp_path: Path, kind: str, expected: bool
) -> None:
    m = motion("VO/2024/1", type=kind, resolution="", related=["VO/2024/1"])
    warnings = [w for w in check(tmp_path, m) if w.kind == NO_TEXT]
    assert bool(warnings) is expected
    if expected:
        assert warnings[0].message == f"{kind} without text: no ## Beschluss and no other section"
    # an OParl import keeps the paper's own text in a section of its own: that will do
    m.body = "## Antrag\n\nDie Verwaltung wird beauftragt, …"
    assert [w for w in check(tmp_path, m) if w.kind == NO_TEXT] == []


def test_seed_motion_with_a_luebeck_vocabulary(tmp_path: Path) -> None:
    seed = read_motion(SEED_MOTION)
    vocab = Vocabulary.from_text(
        "sponsors:\n  SPD & FW:\n    members: [SPD, FW]\n  Linke & GAL:\n", "v.yml"
    )
    assert check(tmp_path, seed, vocab=vocab) == []
    vocab = Vocabulary.from_text("sponsors:\n  SPD & FW:\n", "v.yml")
    (warning,) = check(tmp_path, seed, vocab=vocab)
    assert "'Linke & GAL' is not in the vocabulary" in warning.message
    assert warning.line == lines_of(warning.path, "- Linke & GAL")[0]


def run_check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def test_check_prints_warnings_and_fails_only_when_strict(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    path = write_motion(read_motion(SEED_MOTION), corpus)
    (corpus / "_vocabulary.yml").write_text("sponsors:\n  SPD & FW:\n", encoding="utf-8")
    result = run_check("--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    line = lines_of(path, "- Linke & GAL")[0]
    assert result.output == (
        f"{path}:{line}: sponsors: 'Linke & GAL' is not in the vocabulary (warning)\n"
        "checked 1 file: 0 problems, 1 warning\n"
        "warnings: 1 not in the vocabulary\n"
    )
    assert run_check("--strict", "--corpus", str(corpus)).exit_code == 1
    assert run_check("--strict", str(path), "--corpus", str(corpus)).exit_code == 1


def test_check_reports_a_broken_vocabulary_as_an_error(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_motion(read_motion(SEED_MOTION), corpus)
    (corpus / "_vocabulary.yml").write_text("sponsors:\n  A: [x]\n  B: [X]\n", encoding="utf-8")
    result = run_check("--corpus", str(corpus))
    assert result.exit_code == 1
    assert result.output.startswith(f"{corpus / '_vocabulary.yml'}:3: 'X' (variant of 'B')")


def test_check_one_amendment_finds_its_parent_in_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    child = motion("VO/2025/14058-01", type="Änderungsantrag")
    child_path = write_motion(child, corpus)
    result = run_check(str(child_path), "--corpus", str(corpus))
    assert "amends VO/2025/14058, which is not in the corpus (warning)" in result.output
    write_motion(motion("VO/2025/14058"), corpus)
    result = run_check(str(child_path), "--corpus", str(corpus))
    assert result.output == "checked 1 file: 0 problems\n"


def test_warnings_have_kinds_for_the_summary(tmp_path: Path) -> None:
    undecided = [Consultation("Gemeinderat", date="2024-06-01")]
    warnings = check(
        tmp_path,
        motion("1", consultations=undecided),
        motion("2", consultations=undecided, resolution=""),
        motion("3", consultations=undecided),
    )
    assert [w.kind for w in warnings] == [NO_RESULT, NO_RESULT, NO_TEXT, NO_RESULT]
    assert summary(warnings) == "3 no result, 1 no resolution or other text"
