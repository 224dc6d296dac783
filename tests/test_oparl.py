"""OParl import from dumps: the mapping of real Karlsruhe papers and the import command."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from click.testing import CliRunner, Result
from oparl_data import (
    FIRST,
    MEETINGS,
    ORGANIZATIONS,
    PAPERS,
    SUBMITTERS,
    sample_papers,
    write_jsonl,
)

from archive.checking import check_corpus
from archive.cli import main
from archive.corpus import iter_motion_files, read_motion
from archive.importers.oparl import OParlContext, PaperSkipped, map_paper, motion_type
from archive.importers.oparl_import import build_context, import_oparl
from archive.importers.oparl_state import STATE_FILE
from archive.motion import MOTION_TYPES, Motion
from archive.outcomes import OFFEN, is_known_result, normalise_result

SAMPLE_FILES = FIRST + 5


@pytest.fixture(scope="module")
def context() -> OParlContext:
    return build_context(organizations=ORGANIZATIONS, meetings=MEETINGS, sponsors=SUBMITTERS)


@pytest.fixture(scope="module")
def papers() -> list[dict[str, Any]]:
    return sample_papers()


@pytest.fixture
def dump(tmp_path: Path, papers: list[dict[str, Any]]) -> Path:
    return write_jsonl(tmp_path / "papers.jsonl.gz", papers, compress=True)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", "oparl", *map(str, args)])


def import_sample(dump: Path, corpus: Path, *extra: str | Path) -> Result:
    return run(
        dump,
        "--meetings",
        MEETINGS,
        "--organizations",
        ORGANIZATIONS,
        "--sponsors",
        SUBMITTERS,
        "--corpus",
        corpus,
        *extra,
    )


def import_light(dump: Path, corpus: Path, *extra: str | Path) -> Result:
    """Without the meetings (1.5 s to read): consultations keep their committee only."""
    return run(dump, "--organizations", ORGANIZATIONS, "--corpus", corpus, *extra)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """The sample imported once: (dump, corpus, result of the command)."""
    folder = tmp_path_factory.mktemp("oparl")
    dump = write_jsonl(folder / "papers.jsonl.gz", sample_papers(), compress=True)
    corpus = folder / "corpus"
    return dump, corpus, import_sample(dump, corpus)


def snapshot(corpus: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in iter_motion_files(corpus)}


def by_reference(corpus: Path) -> dict[str, Motion]:
    motions = (read_motion(p) for p in iter_motion_files(corpus))
    return {m.reference: m for m in motions}


# ---------------------------------------------------------------- the mapping


def test_every_karlsruhe_paper_type_maps_to_a_known_type():
    kinds = ["Beschlussvorlage", "Antrag", "Anfrage", "Änderungs-/Ergänzungsantrag"]
    kinds += ["Informationsvorlage", "Haushalt THH 4100", "Haushalt Gesamt", "Offenlage"]
    mapped = {kind: motion_type(kind) for kind in kinds}
    assert mapped["Änderungs-/Ergänzungsantrag"] == "Änderungsantrag"
    assert mapped["Haushalt THH 4100"] == "Antrag"  # budget motions of the factions
    assert all(value in MOTION_TYPES for value in mapped.values())
    assert motion_type("Irgendwas Neues") == "Sonstiges"


def test_real_papers_map_to_valid_motions(papers: list[dict[str, Any]], context: OParlContext):
    motions = [map_paper(p, context).motion for p in papers]
    assert len(motions) == SAMPLE_FILES
    for motion in motions:
        assert motion.reference and motion.title
        assert motion.type in MOTION_TYPES
        assert motion.source.system == "OParl"
        assert motion.source.id.startswith("https://web1.karlsruhe.de/oparl/")
    joined = [c for m in motions for c in m.consultations]
    # every consultation of the sample found its meeting and agenda item
    assert len(joined) == 239  # 235 + one for each of the five later papers but one
    assert all(c.committee and c.meeting and c.date and c.agenda_item for c in joined)


def test_consultations_are_joined_with_their_agenda_items(papers, context):
    family = {p["reference"]: map_paper(p, context).motion for p in papers}
    main_paper = family["2020/1246"]
    (consultation,) = main_paper.consultations
    assert consultation.committee == "Gemeinderat"
    assert consultation.meeting == "Gemeinderat (öffentlich/nicht öffentlich)"
    assert consultation.date == "2021-05-18"
    assert consultation.agenda_item == "8"
    assert consultation.result == "bei Stimmengleichheit abgelehnt"
    assert main_paper.lead == "Ordnungs- und Bürgeramt"
    amendment = family["2020/1246/1"]
    assert amendment.type == "Änderungsantrag"
    assert amendment.sponsors == ["GRÜNE"]  # from the submitter hints
    assert amendment.consultations[0].result == "mehrheitlich abgelehnt"


def test_file_texts_become_cleaned_sections(papers, context):
    paper = next(p for p in papers if p["reference"] == "2020/1246/2")
    motion = map_paper(paper, context).motion
    names = [f["name"] for f in paper["auxiliaryFile"] if f.get("text")]
    for name in names:
        assert f"## {name}\n\n" in motion.body
    assert "\n\n\n" not in motion.body
    assert "Landesschutzbeauftragten" in motion.body or "Landesdatenschutz" in motion.body


def test_nothing_public_is_not_mapped(papers, context):
    paper = json.loads(json.dumps(papers[FIRST - 1]))
    assert paper["consultation"]
    context.agenda.find(paper["consultation"][0]).public = False
    try:
        with pytest.raises(PaperSkipped, match="non-public"):
            map_paper(paper, context)
    finally:
        context.agenda.find(paper["consultation"][0]).public = True


def test_every_karlsruhe_result_is_classified_or_kept_as_a_note(context: OParlContext):
    results = {e.result for e in context.agenda.by_item.values() if e.result}
    assert len(results) > 60
    unclassified = {r for r in results if normalise_result(r) == OFFEN}
    # what archive.outcomes cannot classify goes to the note (see docs/importing.md)
    assert "Zustimmung" not in unclassified and "Kenntnisnahme" not in unclassified
    for result in unclassified:
        assert not is_known_result(result)


# ---------------------------------------------------------------- the command


def test_import_builds_a_corpus_that_passes_check(imported):
    _, corpus, result = imported
    assert result.exit_code == 0, result.output
    assert f"{SAMPLE_FILES} created, 0 updated, 0 unchanged" in result.stdout
    assert f"{SAMPLE_FILES}/{SAMPLE_FILES} papers" in result.stderr  # the progress counter
    assert len(list(iter_motion_files(corpus))) == SAMPLE_FILES
    report = check_corpus([corpus], corpus=corpus)
    assert report.ok, [str(e) for e in report.errors[:5]]


def test_links_resolve_to_references_of_imported_papers(imported):
    _, corpus, _ = imported
    motions = by_reference(corpus)
    # 2020/1246 comes before its amendments in the dump; the link is added afterwards
    assert motions["2020/1246"].related == ["2020/1246/1", "2020/1246/2"]
    assert motions["2020/1246/1"].related == ["2020/1246"]
    # links to papers that are not in the dump are left out
    assert all(r in motions for m in motions.values() for r in m.related)


def test_two_papers_sharing_a_reference_are_kept_apart(imported):
    _, corpus, _ = imported
    motions = by_reference(corpus)
    assert motions["2019/1012"].source.id.endswith("/papers/vo/38195")
    assert motions["2019/1012 ag/394"].source.id.endswith("/papers/ag/394")


def test_importing_twice_changes_no_file(imported):
    dump, corpus, _ = imported
    before = snapshot(corpus)
    state = (corpus / STATE_FILE).read_bytes()
    result = import_sample(dump, corpus)
    assert result.exit_code == 0
    assert f"0 created, 0 updated, {SAMPLE_FILES} unchanged" in result.stdout
    assert snapshot(corpus) == before
    assert (corpus / STATE_FILE).read_bytes() == state
    assert by_reference(corpus)["2019/1012 ag/394"]  # the same assignment again


def test_a_changed_paper_updates_its_file(papers, tmp_path: Path):
    corpus = tmp_path / "corpus"
    dump = write_jsonl(tmp_path / "papers.jsonl", papers[:20])
    assert import_light(dump, corpus).exit_code == 0
    changed = json.loads(json.dumps(papers[:20]))
    changed[3]["name"] = "Ein neuer Titel"
    write_jsonl(dump, changed)
    result = import_light(dump, corpus)
    assert "0 created, 1 updated, 19 unchanged" in result.stdout
    assert by_reference(corpus)[changed[3]["reference"]].title == "Ein neuer Titel"


def test_an_archivists_edit_is_left_alone_and_reported(papers, tmp_path: Path):
    corpus = tmp_path / "corpus"
    dump = write_jsonl(tmp_path / "papers.jsonl", papers[:20])
    assert import_light(dump, corpus).exit_code == 0
    edited = next(iter_motion_files(corpus))
    text = edited.read_text(encoding="utf-8") + "\n## Notiz\n\nGeprüft vom Archiv.\n"
    edited.write_text(text, encoding="utf-8")
    changed = json.loads(json.dumps(papers[:20]))
    for paper in changed:
        paper["name"] += " (neu)"
    write_jsonl(dump, changed)
    result = import_light(dump, corpus)
    assert result.exit_code == 1
    assert "0 created, 19 updated, 0 unchanged, 1 conflict, 0 skipped" in result.stdout
    assert "was edited since the last import" in result.stderr
    assert edited.read_text(encoding="utf-8") == text
    forced = import_light(dump, corpus, "--force")
    assert forced.exit_code == 0
    assert "Geprüft vom Archiv" not in edited.read_text(encoding="utf-8")


def test_problems_are_reported_per_paper_and_the_rest_imported(papers, tmp_path: Path):
    corpus = tmp_path / "corpus"
    sample = json.loads(json.dumps(papers[FIRST - 3 : FIRST]))
    sample[0]["reference"] = ""
    deleted = {"id": "https://example.org/papers/9", "deleted": True, "type": "Paper"}
    lines = [json.dumps(p, ensure_ascii=False) for p in [*sample, deleted]]
    lines.insert(2, '{"id": "broken", ')
    dump = tmp_path / "papers.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_light(dump, corpus)
    assert result.exit_code == 1  # something was skipped
    assert "2 created, 0 updated, 0 unchanged, 0 conflicts, 2 skipped" in result.stdout
    assert "1 deleted in the source (ignored)" in result.stdout
    assert f"{sample[0]['id']}: the paper has no reference" in result.stderr
    assert "line 3: not valid JSON" in result.stderr
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def expected_light(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, bytes]:
    """The corpus of the first 10 papers, imported from JSON Lines."""
    folder = tmp_path_factory.mktemp("expected")
    dump = write_jsonl(folder / "papers.jsonl", sample_papers()[:10])
    assert import_light(dump, folder / "corpus").exit_code == 0
    corpus = folder / "corpus"
    return {p.relative_to(corpus): p.read_bytes() for p in iter_motion_files(corpus)}


@pytest.mark.parametrize("shape", ["array", "data", "jsonl.gz"])
def test_dump_shapes_give_the_same_corpus(shape: str, papers, expected_light, tmp_path: Path):
    sample = papers[:10]
    if shape == "array":
        dump = tmp_path / "papers.json"
        dump.write_text(json.dumps(sample, ensure_ascii=False, indent=1), encoding="utf-8")
    elif shape == "data":
        dump = tmp_path / "papers.json"
        page = {"pagination": {"totalElements": 10}, "links": {}, "data": sample}
        dump.write_text(json.dumps(page), encoding="utf-8")
    else:
        dump = write_jsonl(tmp_path / "papers.jsonl.gz", sample, compress=True)
    corpus = tmp_path / "corpus"
    assert import_light(dump, corpus).exit_code == 0
    got = {p.relative_to(corpus): p.read_bytes() for p in iter_motion_files(corpus)}
    assert got == expected_light and len(got) == 10


def test_since_and_limit(papers, tmp_path: Path):
    sample = json.loads(json.dumps(papers[:20]))
    for paper in sample[:4]:
        paper["modified"] = "2025-06-02T09:00:00+02:00"
    dump = write_jsonl(tmp_path / "papers.jsonl", sample)
    result = import_light(dump, tmp_path / "since", "--since", "2025-06-01")
    assert "4 created, 0 updated" in result.stdout
    result = import_light(dump, tmp_path / "limited", "--limit", "7")
    assert result.exit_code == 0 and "7 created" in result.stdout
    assert len(list(iter_motion_files(tmp_path / "limited"))) == 7
    bad = import_light(dump, tmp_path / "bad", "--since", "gestern")
    assert bad.exit_code == 1 and "is not a date like 2024-05-01" in bad.stderr


def test_a_missing_source_is_a_clear_error(tmp_path: Path):
    result = run(tmp_path / "nope.jsonl", "--corpus", tmp_path / "corpus")
    assert result.exit_code == 1
    assert "no such file (expected an OParl dump or an http(s) URL)" in result.stderr


# ---------------------------------------------------------------- the whole council


@pytest.mark.karlsruhe
@pytest.mark.slow  # the whole dump: a minute or more
def test_whole_karlsruhe_dump_streams_in_bounded_memory(tmp_path: Path):
    """All 12,546 papers (260 MB of text) into a corpus that passes check."""
    process = psutil.Process()
    start = process.memory_info().rss
    peak = start
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    corpus = tmp_path / "corpus"
    began = time.monotonic()
    try:
        result = import_oparl(str(PAPERS), corpus, meetings=MEETINGS, organizations=ORGANIZATIONS)
    finally:
        done.set()
        watcher.join()
    elapsed = time.monotonic() - began
    report = result.report
    assert report.ok, report.problems[:5]
    assert result.deleted == 240
    assert report.counts["created"] == 12_546 - 240
    assert (peak - start) / 2**20 < 250, f"RSS grew by {(peak - start) / 2**20:.0f} MB"
    check = check_corpus([corpus], corpus=corpus)
    assert check.ok, [str(e) for e in check.errors[:5]]
    print(f"imported in {elapsed:.0f} s, RSS +{(peak - start) / 2**20:.0f} MB")
