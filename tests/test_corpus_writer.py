"""``CorpusWriter`` and ``ImportReport``: what every importer relies on when saving."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from archive.corpus import read_motion, render_motion
from archive.councils import COUNCIL_FILE, Council, ensure_council
from archive.errors import ConfigError
from archive.importers.allris_text import read_auszug_file
from archive.importers.corpus_writer import STATE_FILE, CorpusWriter, ImportReport, Outcome
from archive.importers.normalise import merge_auszug, normalise_auszug
from archive.motion import Consultation, Motion, Votes

SEED_FILE = Path("default") / "2024" / "vo-2024-12903-01.md"
"""Where the seed goes in a new corpus without --council: the default council's folder."""
LEGACY_FILE = Path("2024") / "vo-2024-12903-01.md"
"""Where it is in a corpus from before councils (the default council's files in the root)."""


@pytest.fixture
def seed_motion(seed_path: Path) -> Motion:
    return normalise_auszug(read_auszug_file(seed_path))


def later_consultation() -> Consultation:
    return Consultation(
        committee="Hauptausschuss",
        meeting="12. Sitzung des Hauptausschusses",
        date="2024-05-28",
        agenda_item="Ö 9.1",
        result="zurückgestellt",
    )


def state(corpus: Path) -> dict[str, str]:
    return json.loads((corpus / STATE_FILE).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- ImportReport


def test_report_counts_and_summary() -> None:
    report = ImportReport()
    for outcome in [Outcome.CREATED] * 3 + [Outcome.UPDATED]:
        report.add(outcome)
    report.add(Outcome.CONFLICT, "VO/1: edited")
    report.add(Outcome.SKIPPED, "a.txt: not public")
    report.add(Outcome.SKIPPED, "b.txt: not an ALLRIS Auszug")
    assert report.summary() == "3 created, 1 updated, 0 unchanged, 1 conflict, 2 skipped"
    assert report.problems == ["VO/1: edited", "a.txt: not public", "b.txt: not an ALLRIS Auszug"]
    assert not report.ok


def test_report_is_ok_without_skips_or_conflicts() -> None:
    report = ImportReport()
    report.add(Outcome.UNCHANGED)
    report.add(Outcome.UPDATED)
    assert report.ok
    assert report.summary() == "0 created, 1 updated, 1 unchanged, 0 conflicts, 0 skipped"


# ---------------------------------------------------------------- saving


def test_create_then_unchanged(seed_motion: Motion, tmp_path: Path) -> None:
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(seed_motion) == (Outcome.CREATED, tmp_path / SEED_FILE)
        assert writer.last_reason is None
        assert writer.save(seed_motion, merge_auszug) == (Outcome.UNCHANGED, tmp_path / SEED_FILE)
    text = (tmp_path / SEED_FILE).read_text(encoding="utf-8")
    assert text == render_motion(seed_motion)
    assert list(state(tmp_path)) == ["default/2024/vo-2024-12903-01.md"]


def test_new_files_are_readable_by_others(seed_motion: Motion, tmp_path: Path) -> None:
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
    umask = os.umask(0)
    os.umask(umask)
    mode = stat.S_IMODE((tmp_path / SEED_FILE).stat().st_mode)
    assert mode == 0o666 & ~umask
    assert [p.name for p in (tmp_path / SEED_FILE.parent).iterdir()] == ["vo-2024-12903-01.md"]


def test_merge_adds_consultation_and_finds_the_file_in_a_new_writer(
    seed_motion: Motion, tmp_path: Path
) -> None:
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
    later = replace(seed_motion, date="2024-05-28", consultations=[later_consultation()])
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(later, merge_auszug) == (Outcome.UPDATED, tmp_path / SEED_FILE)
        assert writer.save(later, merge_auszug)[0] is Outcome.UNCHANGED
        assert writer.save(seed_motion, merge_auszug)[0] is Outcome.UNCHANGED
    motion = read_motion(tmp_path / SEED_FILE)
    assert [c.committee for c in motion.consultations] == [
        "Ausschuss für Soziales",
        "Hauptausschuss",
    ]
    assert motion.date == "2024-05-07"


def test_merge_replaces_a_changed_reading_of_the_same_agenda_item(
    seed_motion: Motion, tmp_path: Path
) -> None:
    corrected = replace(
        seed_motion,
        consultations=[replace(seed_motion.consultations[0], votes=Votes(yes=7, no=8, abstain=1))],
    )
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
        assert writer.save(corrected, merge_auszug)[0] is Outcome.UPDATED
    (consultation,) = read_motion(tmp_path / SEED_FILE).consultations
    assert consultation.votes.abstain == 1


def test_without_merge_the_new_motion_replaces_the_file(
    seed_motion: Motion, tmp_path: Path
) -> None:
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
        shorter = replace(seed_motion, questions=[], consultations=[later_consultation()])
        assert writer.save(shorter)[0] is Outcome.UPDATED
    motion = read_motion(tmp_path / SEED_FILE)
    assert motion.questions == []
    assert [c.committee for c in motion.consultations] == ["Hauptausschuss"]


def test_file_is_found_by_reference_wherever_it_lives(seed_motion: Motion, tmp_path: Path) -> None:
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
    moved = tmp_path / "antraege" / "quartiere.md"
    moved.parent.mkdir()
    (tmp_path / SEED_FILE).rename(moved)
    later = replace(seed_motion, consultations=[later_consultation()])
    with CorpusWriter(tmp_path) as writer:  # moved, but not edited: no conflict
        assert writer.save(later, merge_auszug) == (Outcome.UPDATED, moved)
    assert not (tmp_path / SEED_FILE).exists()
    assert len(read_motion(moved).consultations) == 2
    assert "antraege/quartiere.md" in state(tmp_path)


def test_moved_and_edited_file_conflicts(seed_motion: Motion, tmp_path: Path) -> None:
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
    moved = tmp_path / "quartiere.md"
    moved.write_text(
        (tmp_path / SEED_FILE)
        .read_text(encoding="utf-8")
        .replace("lead: Geschäftsstelle", "lead: GS"),
        encoding="utf-8",
    )
    (tmp_path / SEED_FILE).unlink()
    later = replace(seed_motion, consultations=[later_consultation()])
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(later, merge_auszug) == (Outcome.CONFLICT, None)


# ---------------------------------------------------------------- refusals and conflicts


def test_non_public_motion_is_skipped(seed_motion: Motion, tmp_path: Path) -> None:
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(replace(seed_motion, public=False)) == (Outcome.SKIPPED, None)
        assert writer.last_reason == "not public; nothing written"
    assert list(tmp_path.rglob("*.md")) == []


def test_non_public_consultations_are_dropped(seed_motion: Motion, tmp_path: Path) -> None:
    secret = replace(later_consultation(), public=False, note="vertraulich")
    motion = replace(seed_motion, consultations=[*seed_motion.consultations, secret])
    with CorpusWriter(tmp_path) as writer:
        writer.save(motion)
    text = (tmp_path / SEED_FILE).read_text(encoding="utf-8")
    assert "Hauptausschuss" not in text
    assert "vertraulich" not in text
    assert "public: false" not in text


def test_invalid_motion_is_skipped_with_the_reason(seed_motion: Motion, tmp_path: Path) -> None:
    wrong = replace(
        seed_motion,
        consultations=[replace(seed_motion.consultations[0], votes=Votes(yes=12, no=8))],
    )
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(wrong) == (Outcome.SKIPPED, None)
        assert writer.last_reason.startswith("not written, the file would be invalid: ")
        assert "yes (12) outnumber no (8)" in writer.last_reason
        assert writer.save(replace(seed_motion, type="Petition"))[0] is Outcome.SKIPPED
        assert "unknown type 'Petition'" in writer.last_reason
    assert list(tmp_path.rglob("*.md")) == []


def test_edited_file_conflicts_and_stays_untouched(seed_motion: Motion, tmp_path: Path) -> None:
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
    target = tmp_path / SEED_FILE
    edited = target.read_text(encoding="utf-8").replace(
        "clerk: Bernzen, Hinrich", "clerk: Bernzen, H."
    )
    target.write_text(edited, encoding="utf-8")
    later = replace(seed_motion, consultations=[later_consultation()])
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(later, merge_auszug) == (Outcome.CONFLICT, None)
        assert writer.last_reason == (
            f"{target} was edited since the last import; left alone (--force overwrites)"
        )
    assert target.read_text(encoding="utf-8") == edited
    with CorpusWriter(tmp_path, force=True) as writer:
        assert writer.save(later, merge_auszug) == (Outcome.UPDATED, target)
    motion = read_motion(target)
    assert motion.clerk == "Bernzen, H."
    assert len(motion.consultations) == 2
    with CorpusWriter(tmp_path) as writer:  # the forced write is the new baseline
        assert writer.save(seed_motion, merge_auszug)[0] is Outcome.UNCHANGED


def test_file_without_state_record_counts_as_edited(seed_motion: Motion, tmp_path: Path) -> None:
    target = tmp_path / LEGACY_FILE  # a corpus from before councils
    target.parent.mkdir()
    handmade = render_motion(replace(seed_motion, clerk="Archiv"))
    target.write_text(handmade, encoding="utf-8")
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(seed_motion)[0] is Outcome.CONFLICT
    assert target.read_text(encoding="utf-8") == handmade


def test_file_without_state_record_but_identical_is_unchanged(
    seed_motion: Motion, tmp_path: Path
) -> None:
    target = tmp_path / LEGACY_FILE  # a corpus from before councils
    target.parent.mkdir()
    target.write_text(render_motion(seed_motion), encoding="utf-8")
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(seed_motion)[0] is Outcome.UNCHANGED
    assert list(state(tmp_path)) == [LEGACY_FILE.as_posix()]
    assert not (tmp_path / "default").exists() and not (tmp_path / COUNCIL_FILE).exists()


def test_damaged_state_file_makes_differing_files_conflict(
    seed_motion: Motion, tmp_path: Path
) -> None:
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    later = replace(seed_motion, consultations=[later_consultation()])
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(seed_motion, merge_auszug)[0] is Outcome.UNCHANGED
    with CorpusWriter(tmp_path) as writer:  # UNCHANGED re-recorded the file
        assert writer.save(later, merge_auszug)[0] is Outcome.UPDATED


def test_broken_file_of_the_same_paper_conflicts_unless_forced(
    seed_motion: Motion, tmp_path: Path
) -> None:
    with CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
    target = tmp_path / SEED_FILE
    broken = target.read_text(encoding="utf-8").replace("date: '2024-05-07'\n", "date: [\n", 1)
    target.write_text(broken, encoding="utf-8")
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(seed_motion, merge_auszug)[0] is Outcome.CONFLICT
    assert target.read_text(encoding="utf-8") == broken
    with CorpusWriter(tmp_path, force=True) as writer:
        assert writer.save(seed_motion, merge_auszug)[0] is Outcome.UPDATED
    assert target.read_text(encoding="utf-8") == render_motion(seed_motion)


def test_file_of_another_paper_at_the_same_path_is_never_overwritten(
    seed_motion: Motion, tmp_path: Path
) -> None:
    other = replace(seed_motion, reference="VO-2024-12903-01")  # the same slug
    with CorpusWriter(tmp_path) as writer:
        writer.save(other)
        assert writer.save(seed_motion) == (Outcome.CONFLICT, None)
        assert "already holds 'VO-2024-12903-01'" in writer.last_reason
    with CorpusWriter(tmp_path, force=True) as writer:
        assert writer.save(seed_motion)[0] is Outcome.CONFLICT
    assert read_motion(tmp_path / SEED_FILE).reference == "VO-2024-12903-01"


# ---------------------------------------------------------------- the state file


def test_state_is_flushed_during_long_imports(seed_motion: Motion, tmp_path: Path) -> None:
    writer = CorpusWriter(tmp_path)
    for number in range(200):
        writer.save(replace(seed_motion, reference=f"VO/2024/{20000 + number}"))
    assert len(state(tmp_path)) == 200  # written before close
    writer.save(replace(seed_motion, reference="VO/2024/30000"))
    assert len(state(tmp_path)) == 200
    writer.close()
    writer.close()
    assert len(state(tmp_path)) == 201
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_state_is_written_when_the_import_fails_midway(seed_motion: Motion, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), CorpusWriter(tmp_path) as writer:
        writer.save(seed_motion)
        raise RuntimeError("the source went away")
    assert list(state(tmp_path)) == [SEED_FILE.as_posix()]


def test_unusable_corpus_is_a_config_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "corpus"
    not_a_dir.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cannot use .* as corpus"):
        CorpusWriter(not_a_dir)


def test_unwritable_folder_is_skipped_with_the_reason(seed_motion: Motion, tmp_path: Path) -> None:
    ensure_council(tmp_path, Council("default", "Standardkommune"))
    (tmp_path / SEED_FILE.parent).write_text(
        "a file where the year folder should be", encoding="utf-8"
    )
    with CorpusWriter(tmp_path) as writer:
        assert writer.save(seed_motion) == (Outcome.SKIPPED, None)
        assert writer.last_reason.startswith(f"cannot write {tmp_path / SEED_FILE}: ")


def test_file_records_are_updated_and_an_archivists_edit_survives(
    seed_motion: Motion, tmp_path: Path
) -> None:
    from archive.files import FileRecord

    with CorpusWriter(tmp_path) as writer:
        _, path = writer.save(seed_motion)
    assert path is not None
    record = FileRecord(name="Anlage 1.pdf", url="https://ris.example/1.pdf", text="layer")
    with CorpusWriter(tmp_path) as writer:
        assert writer.update_files(path, [record]) is Outcome.UPDATED
        assert writer.update_files(path, [record]) is Outcome.UNCHANGED
    assert read_motion(path).files == [record]
    with CorpusWriter(tmp_path) as writer:  # the importer's own update is no edit
        assert writer.save(replace(seed_motion, files=[record]))[0] is Outcome.UNCHANGED

    path.write_text(path.read_text().replace(seed_motion.title, "Von Hand korrigiert"))
    with CorpusWriter(tmp_path) as writer:
        writer.update_files(path, [replace(record, pages=3)])
        outcome, _ = writer.save(replace(seed_motion, files=[record]))
    motion = read_motion(path)
    assert (motion.title, motion.files[0].pages) == ("Von Hand korrigiert", 3)
    assert outcome is Outcome.CONFLICT  # still the archivist's edit
