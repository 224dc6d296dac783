"""The ALLRIS Auszug text reader, the normaliser and ``ratsarchiv import allris``.

Real text: the seed from ../shared/data, hand-made variations in tests/data, and
small edits of the seed's text for single variations.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import read_motion
from archive.errors import SourceError
from archive.importers.allris_text import read_auszug_file, read_auszug_text
from archive.importers.normalise import (
    normalise_auszug,
    parse_paper_line,
    parse_title,
    split_resolution,
)
from archive.outcomes import normalise_result, vote_class

DATA = Path(__file__).parent / "data"
AMENDMENT = DATA / "auszug-interfraktionell-aenderungsantrag.txt"
UNANIMOUS = DATA / "auszug-einstimmig-personen.txt"
SEED_FILE = Path("default") / "2024" / "vo-2024-12903-01.md"
"""Where the seed goes in a new corpus without --council: the default council's folder."""

GRID = """Abstimmungsergebnis

\u00a0

einstimmige Annahme

\u00a0

einstimmige Ablehnung

\u00a0

Ja-Stimmen

7

Nein-Stimmen

8

Enthaltungen

\u00a0

Kenntnisnahme

\u00a0

Vertagung

\u00a0

Ohne Votum

\u00a0

Der Antrag wurde mehrheitlich abgelehnt."""


@pytest.fixture(scope="module")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


def motion_from(text: str, source: str = "test.txt"):
    return normalise_auszug(read_auszug_text(text, source))


def edited(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, f"the seed no longer contains {old!r}"
        text = text.replace(old, new)
    return text


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# ---------------------------------------------------------------- the seed


def test_seed_reads_into_a_record(seed_path: Path) -> None:
    record = read_auszug_file(seed_path)
    assert record.agenda_item == "Ö 7.2"
    assert record.committee == "Ausschuss für Soziales"
    assert record.decision == "abgelehnt"
    assert record.date == "Di, 07.05.2024"
    assert record.meeting == "9. Sitzung des Ausschusses für Soziales"
    assert record.meeting_status == "öffentlich/nichtöffentlich"
    assert record.item_status == "öffentlich"
    assert record.paper_line.startswith("VO/2024/12903-01 SPD & FW, Linke & GAL: AT Quartiere")
    assert record.lead == "Geschäftsstelle Fraktion SPD & FW"
    assert record.clerk == "Bernzen, Hinrich"
    assert record.vote_grid["Ja-Stimmen"] == "7"
    assert record.vote_grid["Nein-Stimmen"] == "8"
    assert record.vote_grid["Enthaltungen"] == ""
    assert record.outcome == "Der Antrag wurde mehrheitlich abgelehnt."


def test_seed_becomes_the_motion_the_archive_needs(seed_path: Path) -> None:
    motion = normalise_auszug(read_auszug_file(seed_path))
    assert motion.reference == "VO/2024/12903-01"
    assert motion.title == "Quartiere stärken - Lebenswelten gestalten"
    assert motion.type == "Antrag"
    assert motion.sponsors == ["SPD & FW", "Linke & GAL"]
    assert motion.lead == "Geschäftsstelle Fraktion SPD & FW"
    assert motion.clerk == "Bernzen, Hinrich"
    assert motion.date == "2024-05-07"
    assert motion.public is True
    assert motion.related == ["VO/2024/12903"]
    (consultation,) = motion.consultations
    assert consultation.committee == "Ausschuss für Soziales"
    assert consultation.meeting == "9. Sitzung des Ausschusses für Soziales"
    assert consultation.agenda_item == "Ö 7.2"
    assert consultation.date == "2024-05-07"
    assert consultation.result == "abgelehnt"
    assert consultation.votes.to_dict() == {"yes": 7, "no": 8, "abstain": None}
    assert consultation.note == "Beratung siehe Top 4.2"
    assert motion.result == "abgelehnt"
    assert vote_class(consultation.votes, consultation.result) == "knapp"
    assert motion.source.system == "ALLRIS"
    assert motion.source.retrieved == ""


def test_seed_beschluss_splits_into_resolution_and_five_questions(seed_path: Path) -> None:
    motion = normalise_auszug(read_auszug_file(seed_path))
    paragraphs = motion.resolution.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Die Fraktionen SPD & FW, Linke & GAL sehen die Notwendigkeit")
    assert paragraphs[1].startswith("Der Bürgermeister wird beauftragt")
    assert "„Wohnen und Leben im Alter“" in paragraphs[1]
    assert paragraphs[-1] == "Folgende Fragestellungen sind besonders zu berücksichtigen:"
    assert len(motion.questions) == 5
    assert motion.questions[0].startswith("Welche Angebote/Hilfen werden bereits stadtteilbezogen")
    # These two questions are not separated by a blank line in the source.
    assert motion.questions[1].endswith("zeitweise angeboten werden?")
    assert motion.questions[2].startswith("Welche Angebote/Hilfen sollten konsequent")
    assert motion.questions[-1] == "In welcher Zeitschiene können Planung und Umsetzung erfolgen?"
    assert all("\u00a0" not in q and "  " not in q for q in motion.questions)
    assert "\u00a0" not in motion.resolution


def test_page_without_section_links_reads_the_same(seed_text: str, seed_path: Path) -> None:
    text = edited(seed_text, ("Wortprotokoll\nBeschluss\nAbstimmungsergebnis\n", ""))
    assert motion_from(text, str(seed_path)) == normalise_auszug(read_auszug_file(seed_path))


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_windows_saved_exports_read_the_same(
    seed_text: str, seed_path: Path, tmp_path: Path, encoding: str
) -> None:
    saved = tmp_path / "auszug.txt"
    saved.write_bytes(seed_text.replace("\n", "\r\n").encode(encoding))
    expected = normalise_auszug(read_auszug_file(seed_path))
    assert normalise_auszug(read_auszug_file(saved)) == expected


# ---------------------------------------------------------------- the paper line


@pytest.mark.parametrize(
    ("title", "sponsors", "kind", "rest"),
    [
        (
            "SPD & FW, Linke & GAL: AT Quartiere stärken - Lebenswelten gestalten",
            ["SPD & FW", "Linke & GAL"],
            "Antrag",
            "Quartiere stärken - Lebenswelten gestalten",
        ),
        (
            "Interfraktionell - BÜNDNIS 90 / DIE GRÜNEN und CDU: AT Klimaschutz im Quartier",
            ["BÜNDNIS 90 / DIE GRÜNEN", "CDU"],
            "Antrag",
            "Klimaschutz im Quartier",
        ),
        (
            "Ratsherr Max Mustermann (FDP, Volt), Ratsfrau Erika Beispiel (Linke & GAL): "
            "AF Stand der Schulsanierung",
            ["Ratsherr Max Mustermann (FDP, Volt)", "Ratsfrau Erika Beispiel (Linke & GAL)"],
            "Anfrage",
            "Stand der Schulsanierung",
        ),
        ("CDU: ÄA Haushalt 2025", ["CDU"], "Änderungsantrag", "Haushalt 2025"),
        ("CDU: AeA Haushalt 2025", ["CDU"], "Änderungsantrag", "Haushalt 2025"),
        ("FDP: EA Haushalt 2025", ["FDP"], "Ergänzungsantrag", "Haushalt 2025"),
        (
            "Die Unabhängigen: DA Hitzeschutz",
            ["Die Unabhängigen"],
            "Dringlichkeitsantrag",
            "Hitzeschutz",
        ),
        ("BV Neubau der Feuerwache 2", [], "Beschlussvorlage", "Neubau der Feuerwache 2"),
        (
            "Volt: MT Sachstand Radwege: Innenstadt",
            ["Volt"],
            "Mitteilung",
            "Sachstand Radwege: Innenstadt",
        ),
        ("Neubau der Feuerwache 2", [], "", "Neubau der Feuerwache 2"),
    ],
)
def test_title_prefix_gives_sponsors_type_and_title(
    title: str, sponsors: list[str], kind: str, rest: str
) -> None:
    assert parse_title(title) == (sponsors, kind, rest)


@pytest.mark.parametrize(
    ("line", "reference"),
    [
        ("VO/2024/12903-01 SPD: AT X", "VO/2024/12903-01"),
        ("2025/14058-01 SPD: ÄA X", "VO/2025/14058-01"),
        ("2025/14058-01-01 SPD: ÄA X", "VO/2025/14058-01-01"),
        ("VO/2025/14058 BV X", "VO/2025/14058"),
        ("22-0621 Geparkte Kfz auf dem Marktplatz Blankenese", "22-0621"),
    ],
)
def test_paper_line_reference_is_normalised(line: str, reference: str) -> None:
    assert parse_paper_line(line)[0] == reference


def test_amendment_without_vo_prefix_relates_to_its_parent() -> None:
    motion = normalise_auszug(read_auszug_file(AMENDMENT))
    assert motion.reference == "VO/2025/14058-01-01"
    assert motion.related == ["VO/2025/14058-01"]
    assert motion.type == "Änderungsantrag"
    assert motion.sponsors == ["BÜNDNIS 90 / DIE GRÜNEN", "CDU"]
    assert motion.title == "Radverkehrsstrategie 2030 - Schulwege sicher gestalten"


def test_seed_paper_line_without_vo_prefix(seed_text: str) -> None:
    text = edited(seed_text, ("VO/2024/12903-01 SPD", "2024/12903-01 SPD"))
    assert motion_from(text).reference == "VO/2024/12903-01"


def test_paper_without_suffix_has_no_parent(seed_text: str) -> None:
    text = edited(seed_text, ("VO/2024/12903-01 SPD", "VO/2024/12903 SPD"))
    assert motion_from(text).related == []


# ---------------------------------------------------------------- offices, votes, results


def test_beteiligt_offices_and_free_text_votes() -> None:
    motion = normalise_auszug(read_auszug_file(AMENDMENT))
    assert motion.lead == "Geschäftsstelle Fraktion BÜNDNIS 90 / DIE GRÜNEN"
    assert motion.involved == ["Bereich Stadtplanung und Bauordnung", "Bereich Schule und Sport"]
    assert motion.clerk == "Muster, Erika"
    (consultation,) = motion.consultations
    assert consultation.votes.to_dict() == {"yes": 45, "no": 2, "abstain": None}
    assert consultation.result == "unverändert beschlossen"
    assert consultation.agenda_item == "Ö 12.1.1"
    # No Wortprotokoll on this page: the Beschluss is the resolution, its heading is not.
    assert motion.resolution.startswith("Der Beschlussvorschlag der Vorlage VO/2025/14058-01")
    assert "Beschluss:" not in motion.resolution
    assert motion.body == ""


def test_free_text_votes_in_place_of_the_grid(seed_text: str) -> None:
    text = edited(
        seed_text,
        ("Beschlussart: abgelehnt", "Beschlussart: unverändert beschlossen"),
        (GRID, "Abstimmungsergebnis\n\nJa-Stimmen: 45 / Nein-Stimmen: 2 / Enthaltungen: 3\n"),
    )
    (consultation,) = motion_from(text).consultations
    assert consultation.votes.to_dict() == {"yes": 45, "no": 2, "abstain": 3}
    assert consultation.result == "unverändert beschlossen"


def test_unanimous_acceptance_marked_in_the_grid() -> None:
    motion = normalise_auszug(read_auszug_file(UNANIMOUS))
    (consultation,) = motion.consultations
    assert consultation.result == "unverändert beschlossen (einstimmig)"
    assert normalise_result(consultation.result) == "beschlossen"
    assert not consultation.votes.recorded
    assert vote_class(consultation.votes, consultation.result) == "einstimmig"


def test_unanimous_rejection_marked_in_the_seed_grid(seed_text: str) -> None:
    text = edited(
        seed_text,
        ("einstimmige Ablehnung\n\n\u00a0\n", "einstimmige Ablehnung\n\nX\n"),
        ("Ja-Stimmen\n\n7\n", "Ja-Stimmen\n\n \n"),
        ("Nein-Stimmen\n\n8\n", "Nein-Stimmen\n\n \n"),
        ("mehrheitlich abgelehnt", "einstimmig abgelehnt"),
    )
    (consultation,) = motion_from(text).consultations
    assert consultation.result == "abgelehnt (einstimmig)"
    assert normalise_result(consultation.result) == "abgelehnt"
    assert vote_class(consultation.votes, consultation.result) == "einstimmig"


def test_open_decision_falls_back_to_the_outcome_sentence(seed_text: str) -> None:
    text = edited(seed_text, ("Beschlussart: abgelehnt", "Beschlussart: (offen)"))
    (consultation,) = motion_from(text).consultations
    assert consultation.result == "Der Antrag wurde mehrheitlich abgelehnt"


@pytest.mark.parametrize(
    "decision",
    ["unverändert beschlossen", "geändert beschlossen", "zurückgestellt", "zur Kenntnis genommen"],
)
def test_decision_is_kept_as_written(seed_text: str, decision: str) -> None:
    text = edited(
        seed_text,
        ("Beschlussart: abgelehnt", f"Beschlussart: {decision}"),
        ("Ja-Stimmen\n\n7\n", "Ja-Stimmen\n\n9\n"),
    )
    assert motion_from(text).consultations[0].result == decision


# ---------------------------------------------------------------- texts


def test_minutes_go_to_the_body_under_their_consultation() -> None:
    motion = normalise_auszug(read_auszug_file(UNANIMOUS))
    assert motion.body.startswith("## Wortprotokoll (Hauptausschuss, 11.06.2024)\n\n")
    assert "Herr Mustermann bringt den Antrag ein" in motion.body
    assert motion.consultations[0].note == ""
    assert motion.sponsors == ["Ratsherr Max Mustermann (FDP)", "Ratsfrau Erika Beispiel (Volt)"]


def test_resolution_without_questions_keeps_every_paragraph() -> None:
    resolution, questions = split_resolution(
        "Erster Absatz.\n\n\u00a0\n\nZweiter Absatz:\n\nDritter."
    )
    assert questions == []
    assert resolution == "Erster Absatz.\n\nZweiter Absatz:\n\nDritter."


def test_questions_followed_by_more_text_stay_in_the_resolution() -> None:
    text = "Zu prüfen ist:\n\nWelche Kosten?\n\nDer Bericht folgt im Herbst."
    assert split_resolution(text) == (text, [])


def test_bulleted_questions_lose_their_bullets() -> None:
    text = "Folgende Fragen:\n\n1. Wer?\n2. Wann?\n\n- Wo?"
    assert split_resolution(text) == ("Folgende Fragen:", ["Wer?", "Wann?", "Wo?"])


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("TOP: Ö\u00a07.2", "TOP: N\u00a07.2", "non-public (N)"),
        ("Status:öffentlich", "Status:nichtöffentlich", "'nichtöffentlich'"),
    ],
)
def test_non_public_item_is_refused(seed_text: str, old: str, new: str, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        motion_from(edited(seed_text, (old, new)), "seed.txt")
    assert caught.value.source == "seed.txt"
    assert "not public" in caught.value.message
    assert reason in caught.value.message


def test_meeting_status_alone_does_not_make_an_item_non_public(seed_text: str) -> None:
    # The header's "öffentlich/nichtöffentlich" describes the meeting, not this item.
    assert "Status: öffentlich/nichtöffentlich" in seed_text
    assert motion_from(seed_text).public is True


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# Ratsarchiv\n\nA searchable archive.\n",
        "Auszug - nur eine Überschrift\n\nohne Sitzungsdaten\n",
        "VO/2024/12903-01 SPD & FW, Linke & GAL: AT Quartiere stärken\n",
    ],
)
def test_text_that_is_not_an_auszug_is_refused(text: str) -> None:
    with pytest.raises(SourceError) as caught:
        read_auszug_text(text, "x.txt")
    assert str(caught.value).startswith("x.txt: not an ALLRIS Auszug: expected ")


def test_bad_meeting_date_is_refused(seed_text: str) -> None:
    with pytest.raises(SourceError, match=r"meeting date 'Di, 31\.02\.2024' is not a date"):
        motion_from(edited(seed_text, ("07.05.2024", "31.02.2024")))


def test_agenda_item_without_a_paper_is_refused(seed_text: str) -> None:
    start = seed_text.index("VO/2024/12903-01 SPD")
    end = seed_text.index("Wortprotokoll")
    with pytest.raises(SourceError, match="has no paper"):
        motion_from(seed_text[:start] + seed_text[end:])


# ---------------------------------------------------------------- the import command


def test_import_command_creates_then_leaves_unchanged(seed_path: Path, tmp_path: Path) -> None:
    result = invoke("import", "allris", str(seed_path), "--corpus", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"created {tmp_path / SEED_FILE}" in result.stdout
    assert result.stdout.rstrip().splitlines()[-2:] == [
        "imported 1 file: 1 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped"
        " in council default",
        # the agenda item in its meeting's file (tests/test_allris_meetings.py)
        "meetings: 1 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped in council default",
    ]
    before = (tmp_path / SEED_FILE).read_bytes()
    again = invoke("import", "allris", str(seed_path), "--corpus", str(tmp_path))
    assert again.exit_code == 0
    assert "0 created, 0 updated, 1 unchanged" in again.stdout
    assert (tmp_path / SEED_FILE).read_bytes() == before


def test_second_auszug_of_the_paper_adds_a_consultation(
    seed_path: Path, seed_text: str, tmp_path: Path
) -> None:
    later = tmp_path / "hauptausschuss.txt"
    later.write_text(
        edited(
            seed_text,
            ("9. Sitzung des Ausschusses für Soziales", "12. Sitzung des Hauptausschusses"),
            ("TOP: Ö\u00a07.2", "TOP: Ö\u00a09.1"),
            ("Gremium: Ausschuss für Soziales", "Gremium: Hauptausschuss"),
            ("Beschlussart: abgelehnt", "Beschlussart: zurückgestellt"),
            ("Datum: Di, 07.05.2024", "Datum: Di, 28.05.2024"),
            ("Ja-Stimmen\n\n7\n", "Ja-Stimmen\n\n \n"),
            ("Nein-Stimmen\n\n8\n", "Nein-Stimmen\n\n \n"),
            ("Der Antrag wurde mehrheitlich abgelehnt.", "Der Antrag wurde zurückgestellt."),
        ),
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus"
    # The later meeting first: the file still ends up sorted by date.
    result = invoke("import", "allris", str(later), str(seed_path), "--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated, 0 unchanged" in result.stdout
    motion = read_motion(corpus / SEED_FILE)
    assert [(c.committee, c.date, c.result) for c in motion.consultations] == [
        ("Ausschuss für Soziales", "2024-05-07", "abgelehnt"),
        ("Hauptausschuss", "2024-05-28", "zurückgestellt"),
    ]
    assert motion.date == "2024-05-07"
    assert motion.result == "zurückgestellt"
    assert len(motion.questions) == 5
    before = (corpus / SEED_FILE).read_bytes()
    again = invoke("import", "allris", str(seed_path), str(later), "--corpus", str(corpus))
    assert "0 created, 0 updated, 2 unchanged" in again.stdout
    assert (corpus / SEED_FILE).read_bytes() == before


def test_bad_files_are_reported_and_the_others_still_import(
    seed_path: Path, seed_text: str, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(edited(seed_text, ("TOP: Ö\u00a07.2", "TOP: N\u00a07.2")), encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("Einkaufsliste\nMilch\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    corpus = tmp_path / "corpus"
    result = invoke(
        "import", "allris", str(secret), str(notes), str(missing), str(seed_path),
        "--corpus", str(corpus),
    )  # fmt: skip
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"{secret}: not public: agenda item 'N 7.2' is non-public")
    assert errors[1].startswith(f"{notes}: not an ALLRIS Auszug: expected")
    assert errors[2] == f"{missing}: cannot read file: No such file or directory"
    assert "Traceback" not in result.output
    assert "1 created, 0 updated, 0 unchanged, 0 conflicts, 3 skipped" in result.stdout
    assert sorted(p.name for p in corpus.rglob("*.md")) == [
        "2024-05-07-ausschuss-fuer-soziales.md",  # the seed's meeting, with its item only
        "vo-2024-12903-01.md",
    ]


def test_non_public_import_writes_nothing(seed_text: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(edited(seed_text, ("Status:öffentlich", "Status:nichtöffentlich")))
    corpus = tmp_path / "corpus"
    result = invoke("import", "allris", str(secret), "--corpus", str(corpus))
    assert result.exit_code == 1
    assert "not public" in result.stderr
    assert list(corpus.rglob("*.md")) == []


def test_contradicting_votes_are_not_written(seed_text: str, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(edited(seed_text, ("Ja-Stimmen\n\n7\n", "Ja-Stimmen\n\n12\n")))
    corpus = tmp_path / "corpus"
    result = invoke("import", "allris", str(wrong), "--corpus", str(corpus))
    assert result.exit_code == 1
    assert "vote counts contradict the result" in result.stderr
    assert "yes (12) outnumber no (8)" in result.stderr
    assert list(corpus.rglob("*.md")) == []


def test_edited_file_conflicts_unless_forced(seed_path: Path, tmp_path: Path) -> None:
    assert invoke("import", "allris", str(seed_path), "--corpus", str(tmp_path)).exit_code == 0
    target = tmp_path / SEED_FILE
    text = target.read_text(encoding="utf-8")
    text = text.replace("note: Beratung siehe Top 4.2", "note: Beraten mit TOP 4.2 (Vorlage 12903)")
    text = text.replace("Quartiere stärken - Lebenswelten", "Quartiere stärken – Lebenswelten")
    target.write_text(text, encoding="utf-8")
    result = invoke("import", "allris", str(seed_path), "--corpus", str(tmp_path))
    assert result.exit_code == 1
    assert f"{seed_path}: {target} was edited since the last import; left alone" in result.stderr
    assert "0 unchanged, 1 conflict, 0 skipped" in result.stdout
    assert target.read_text(encoding="utf-8") == text
    forced = invoke("import", "allris", str(seed_path), "--corpus", str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.output
    assert "1 updated" in forced.stdout
    # The import is applied on top of the archivist's file: the Auszug's own
    # consultation is restored, the archivist's title stays.
    motion = read_motion(target)
    assert motion.consultations[0].note == "Beratung siehe Top 4.2"
    assert motion.title == "Quartiere stärken – Lebenswelten gestalten"
    again = invoke("import", "allris", str(seed_path), "--corpus", str(tmp_path))
    assert "1 unchanged" in again.stdout


def test_edit_the_import_would_not_touch_is_no_conflict(seed_path: Path, tmp_path: Path) -> None:
    assert invoke("import", "allris", str(seed_path), "--corpus", str(tmp_path)).exit_code == 0
    target = tmp_path / SEED_FILE
    text = target.read_text(encoding="utf-8") + "\n## Notiz\n\nNachgefragt am 12.05.2024.\n"
    target.write_text(text, encoding="utf-8")
    result = invoke("import", "allris", str(seed_path), "--corpus", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 unchanged" in result.stdout
    assert target.read_text(encoding="utf-8") == text


def test_corpus_that_is_a_file_is_a_usage_error(seed_path: Path, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "corpus"
    not_a_dir.write_text("", encoding="utf-8")
    result = invoke("import", "allris", str(seed_path), "--corpus", str(not_a_dir))
    assert result.exit_code == 2  # click's usage error
    assert "is a file" in result.output
    assert "Traceback" not in result.output
