"""``ratsarchiv check`` and ``check_corpus``: every problem as ``path:line: message``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.checking import CheckReport, check_corpus
from archive.cli import main
from archive.corpus import iter_motion_files
from archive.errors import ConfigError, CorpusError
from archive.meeting_files import iter_meeting_files
from archive.organization_files import iter_organization_files

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "corpus" / "luebeck" / "2024" / "vo-2024-12903-01.md"
RATSARCHIV = REPO / ".venv" / "bin" / "ratsarchiv"


def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


def broken(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def with_reference(text: str, reference: str) -> str:
    return broken(text, "reference: VO/2024/12903-01", f"reference: {reference}")


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus of the shipped seed alone, in the layout before councils."""
    target = tmp_path / "corpus"
    (target / "2024").mkdir(parents=True)
    shutil.copy(SHIPPED, target / "2024")
    return target


def write(corpus: Path, name: str, content: str | bytes) -> Path:
    path = corpus / "2024" / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_shipped_corpus_is_clean() -> None:
    result = run("--corpus", str(REPO / "corpus"))
    assert result.exit_code == 0, result.output
    corpus = REPO / "corpus"
    files = sum(
        len(list(walk(corpus)))
        for walk in (iter_motion_files, iter_meeting_files, iter_organization_files)
    )
    assert f"checked {files} files: 0 problems" in result.output


# Each case: file content (from the shipped file), the expected line and message.
CASES = {
    "bad-yaml": (
        lambda t: broken(t, "title: Quartiere stärken", "title: [Quartiere stärken"),
        3,
        "front matter is not valid YAML: expected ',' or ']', but got ':' on line 4 "
        "(while parsing a flow sequence from line 3)",
    ),
    "colon-in-value": (
        lambda t: broken(t, "clerk: Bernzen, Hinrich", "clerk: Bearbeiter: Bernzen"),
        10,
        "front matter is not valid YAML: mapping values are not allowed here "
        "(a value containing ': ' must be put in quotes)",
    ),
    "missing-title": (
        lambda t: broken(t, "title: Quartiere stärken - Lebenswelten gestalten\n", ""),
        2,
        "missing required key 'title'",
    ),
    "bad-date": (
        lambda t: broken(t, "date: '2024-05-07'\npublic", "date: 07.05.2024\npublic"),
        11,
        "date: '07.05.2024' is not a date like 2024-05-07",
    ),
    "impossible-date": (
        lambda t: broken(t, "    date: '2024-05-07'", "    date: '2024-02-30'"),
        16,
        "date: '2024-02-30' is not a valid date",
    ),
    "unknown-type": (
        lambda t: broken(t, "type: Antrag", "type: Petition"),
        4,
        "unknown type 'Petition' (known: Antrag, Änderungsantrag, Ergänzungsantrag, "
        "Austauschantrag, Dringlichkeitsantrag, Beschlussvorlage, Informationsvorlage, "
        "Anfrage, Mitteilung, Bericht, Vorlage, Sonstiges)",
    ),
    "unknown-result": (
        lambda t: broken(t, "result: abgelehnt", "result: wird geprüft"),
        19,
        "unknown result 'wird geprüft'",
    ),
    "contradicting-votes": (
        lambda t: broken(t, "'yes': 7", "'yes': 9"),
        20,
        "vote counts contradict the result: result is abgelehnt but yes (9) outnumber no (8)",
    ),
    "number-as-text": (
        lambda t: broken(t, "clerk: Bernzen, Hinrich", "clerk: 1.5"),
        10,
        "clerk: 1.5 is read as a float; quote it to keep it text",
    ),
    "duplicate-key": (
        lambda t: broken(t, "type: Antrag\n", "type: Antrag\ntype: Anfrage\n"),
        5,
        "key 'type' appears twice (lines 4 and 5)",
    ),
    "alias-bomb": (
        lambda t: broken(
            t,
            "related:\n",
            'lol: &a ["lol", "lol", "lol"]\nlol2: &b [*a, *a, *a]\nlol3: [*b, *b, *b]\nrelated:\n',
        ),
        25,
        "front matter is not valid YAML: YAML anchors and aliases (&name, *name) are not allowed",
    ),
    "bom": (
        lambda t: "\ufeff" + t,
        1,
        "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
    ),
    "invalid-utf8": (
        lambda t: t.encode("utf-8").replace("Lübeck".encode(), "Lübeck".encode("latin-1")),
        36,
        "not valid UTF-8 (byte 0xfc at offset 735)",
    ),
    "no-front-matter": (
        lambda t: t.removeprefix("---\n"),
        1,
        "missing front matter: the file must start with a line '---'",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_broken_file_is_reported_with_its_line(corpus: Path, name: str) -> None:
    make, line, message = CASES[name]
    content = make(with_reference(shipped_text(), f"VO/2024/{name}"))
    path = write(corpus, f"{name}.md", content)
    result = run("--corpus", str(corpus))
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"{path}:{line}: {message}", "checked 2 files: 1 problem"]


def test_all_problems_of_one_file_are_listed(corpus: Path) -> None:
    text = with_reference(shipped_text(), "VO/2024/many")
    text = broken(text, "type: Antrag", "type: Petition")
    text = broken(text, "'yes': 7", "'yes': 9")
    text = broken(text, "date: '2024-05-07'\npublic", "date: '2024-5-7'\npublic")
    path = write(corpus, "many.md", text)
    report = check_corpus([corpus])
    assert [(e.path, e.line) for e in report.errors] == [(path, 4), (path, 11), (path, 20)]


def test_same_reference_in_two_files_names_both(corpus: Path) -> None:
    copy = write(corpus, "kopie.md", shipped_text())
    original = corpus / "2024" / "vo-2024-12903-01.md"
    result = run("--corpus", str(corpus))
    assert result.exit_code == 1
    # The file named after the reference keeps it; the other one is reported.
    assert result.output.splitlines() == [
        f"{copy}:2: reference 'VO/2024/12903-01' is already used by {original}",
        "checked 2 files: 1 problem",
    ]


def test_checking_one_file_finds_its_duplicate_elsewhere(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "entwurf.md"
    outside.write_text(shipped_text(), encoding="utf-8")
    original = corpus / "2024" / "vo-2024-12903-01.md"
    result = run(str(outside), "--corpus", str(corpus))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{outside}:2: reference 'VO/2024/12903-01' is already used by {original}",
        "checked 1 file: 1 problem",
    ]
    alone = run(str(original), "--corpus", str(corpus))
    assert alone.exit_code == 0
    assert alone.output == "checked 1 file: 0 problems\n"


def test_yaml_traps_are_read_as_text(corpus: Path) -> None:
    """YAML 1.1 would turn these into booleans, times and dates; the corpus keeps text."""
    text = with_reference(shipped_text(), "VO/2024/traps")
    text = broken(text, "title: Quartiere stärken - Lebenswelten gestalten", "title: no")
    text = broken(text, "agenda_item: Ö 7.2", "agenda_item: 16:00")
    text = broken(text, "clerk: Bernzen, Hinrich", "clerk: on")
    text = broken(text, "'yes': 7\n      'no': 8", "yes: 7\n      no: 8")
    text = broken(text, "date: '2024-05-07'\npublic", "date: 2024-05-07\npublic")
    write(corpus, "traps.md", text)
    report = check_corpus([corpus])
    assert report.errors == []
    assert report.files == 2


def test_report_keeps_warnings_apart() -> None:
    report = CheckReport(
        errors=[CorpusError("a.md", "broken", 3)],
        warnings=[CorpusError("b.md", "odd", 1), CorpusError("c.md", "odd", 2)],
        files=3,
    )
    assert not report.ok
    assert report.summary() == "checked 3 files: 1 problem, 2 warnings"
    assert CheckReport(warnings=report.warnings, files=1).ok


def test_missing_path_is_one_line_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nirgends.md"))
    assert result.exit_code == 1
    assert result.output == f"error: {tmp_path / 'nirgends.md'} does not exist\n"
    with pytest.raises(ConfigError):
        check_corpus([tmp_path / "nirgends"])


def test_missing_corpus_is_one_line_error(tmp_path: Path) -> None:
    result = run("--corpus", str(tmp_path / "leer"))
    assert result.exit_code == 1
    assert result.output == f"error: {tmp_path / 'leer'} does not exist\n"


def test_hidden_and_underscore_files_are_not_motions(corpus: Path) -> None:
    (corpus / ".import-state.json").write_text("{}", encoding="utf-8")
    (corpus / "_vocabulary.yml").write_text("committees: []\n", encoding="utf-8")
    (corpus / "2024" / "_entwurf.md").write_text("kein front matter\n", encoding="utf-8")
    assert check_corpus([corpus]).files == 1


def test_real_command_in_a_subprocess(corpus: Path, seed_path: Path, tmp_path: Path) -> None:
    """The installed ``ratsarchiv`` script: import the seed, break the file, check."""
    fresh = tmp_path / "fresh"
    imported = subprocess.run(
        [str(RATSARCHIV), "import", "allris", str(seed_path), "--corpus", str(fresh)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    target = next(fresh.rglob("2024/vo-2024-12903-01.md"))  # in the default council's folder
    assert target.read_bytes() == SHIPPED.read_bytes()
    target.write_text(broken(shipped_text(), "type: Antrag", "type: Petition"), encoding="utf-8")
    checked = subprocess.run(
        [str(RATSARCHIV), "check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"RATSARCHIV_CORPUS": str(fresh), "PATH": "/usr/bin:/bin"},
    )
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert lines[0].startswith(f"{target}:4: unknown type 'Petition'")
    assert lines[-1] == "checked 2 files: 1 problem"  # the paper and its item's meeting
    assert checked.stderr == ""
