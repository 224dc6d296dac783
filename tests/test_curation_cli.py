"""``ratsarchiv show``, ``edit``, ``facets`` and the pre-commit hook, as archivists use them."""

from __future__ import annotations

import difflib
import json
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import read_motion, render_motion, write_motion
from archive.motion import Consultation, Motion, Votes
from archive.vocabulary import FILE_NAME, Vocabulary

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "luebeck" / "2024" / "vo-2024-12903-01.md"

# Real sponsor spellings from Karlsruhe's motions (papers.jsonl.gz) and Lübeck's Bürgerschaft.
SPELLINGS = {
    "GRÜNE-Gemeinderatsfraktion": 5,
    "GRÜNE Gemeinderatsfraktion": 1,
    "GREÜNE-Gemeinderatsfraktion": 1,
    "DIE LINKE.-Gemeinderatsfraktion": 4,
    "DIE LINKE-Gemeinderatsfraktion": 2,
    "DIE-LINKE.-Gemeinderatsfraktion": 1,
    "SPD-Gemeinderatsfraktion": 3,
    "BÜNDNIS 90 / DIE GRÜNEN": 2,
    "Bündnis 90 / Die Grünen": 1,
    "BÜ90/DIE GRÜNEN": 1,
    "Bü90/DIE GRÜNEN": 1,
}


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus of the shipped Lübeck seed alone, in the layout before councils."""
    target = tmp_path / "corpus"
    (target / "2024").mkdir(parents=True)
    shutil.copy(SEED, target / "2024")
    return target


@pytest.fixture
def sponsors_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "sponsors"
    for i, (name, count) in enumerate(SPELLINGS.items()):
        for j in range(count):
            write_motion(
                Motion(
                    reference=f"2021/{i:02d}{j:02d}",
                    title=f"Antrag {i}.{j}",
                    type="Antrag",
                    date="2021-02-01",
                    sponsors=[name],
                    consultations=[Consultation("Gemeinderat", result="Zustimmung")],
                ),
                corpus,
            )
    return corpus


def editor(tmp_path: Path, old: str, new: str) -> dict[str, str]:
    """$EDITOR: a small script that replaces ``old`` by ``new`` in the file it is given."""
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "path = Path(sys.argv[1])\n"
        "text = path.read_text(encoding='utf-8')\n"
        f"path.write_text(text.replace({old!r}, {new!r}, 1), encoding='utf-8')\n",
        encoding="utf-8",
    )
    return {"EDITOR": f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"}


def test_show_prints_path_and_summary(corpus: Path) -> None:
    result = run("show", "VO/2024/12903-01", "--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == str(corpus / "2024" / "vo-2024-12903-01.md")
    assert lines[1] == "VO/2024/12903-01  Quartiere stärken - Lebenswelten gestalten"
    assert "Sponsors: SPD & FW; Linke & GAL" in lines
    assert (
        "  2024-05-07  Ausschuss für Soziales  TOP Ö 7.2  abgelehnt  (yes 7, no 8, abstain –)"
        in lines
    )
    assert "Result:   abgelehnt (abgelehnt)" in lines


def test_show_finds_by_slug_and_any_case_and_names_canonical_forms(corpus: Path) -> None:
    (corpus / FILE_NAME).write_text(
        "sponsors:\n  Linke & GAL:\n    variants: [Linke und GAL]\n    members: [Linke, GAL]\n"
        "committees:\n  Sozialausschuss: [Ausschuss für Soziales]\n",
        encoding="utf-8",
    )
    for reference in ("vo-2024-12903-01", "vo/2024/12903-01"):
        result = run("show", reference, "--corpus", str(corpus))
        assert result.exit_code == 0, result.output
        assert "Ausschuss für Soziales [Sozialausschuss]" in result.output
    as_json = json.loads(run("show", "VO/2024/12903-01", "--json", "--corpus", str(corpus)).output)
    assert as_json["path"].endswith("vo-2024-12903-01.md")
    assert as_json["consultations"][0]["votes"] == {"yes": 7, "no": 8, "abstain": None}


def test_show_unknown_reference_is_one_line(corpus: Path) -> None:
    result = run("show", "VO/2024/99999", "--corpus", str(corpus))
    assert result.exit_code == 1
    assert result.output == f"error: no motion 'VO/2024/99999' in {corpus}\n"


def test_edit_opens_editor_and_checks_the_file(corpus: Path, tmp_path: Path) -> None:
    env = editor(tmp_path, "'no': 8", "'no': 9")
    result = run("edit", "VO/2024/12903-01", "--corpus", str(corpus), env=env)
    assert result.exit_code == 0, result.output
    path = corpus / "2024" / "vo-2024-12903-01.md"
    assert result.output.splitlines()[0] == f"{path}: saved"
    assert result.output.splitlines()[-1] == "ok"
    assert read_motion(path).consultations[0].votes == Votes(7, 9, None)


def test_edit_reports_problems_and_exits_1(corpus: Path, tmp_path: Path) -> None:
    env = editor(tmp_path, "'yes': 7", "'yes': 17")  # 17 yes, 8 no: not "abgelehnt"
    result = run("edit", "VO/2024/12903-01", "--corpus", str(corpus), env=env)
    assert result.exit_code == 1
    path = corpus / "2024" / "vo-2024-12903-01.md"
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1) if "votes:" in t)
    assert f"{path}:{line}: vote counts contradict the result" in result.output
    assert "1 problem(s)" in result.output


def test_edit_prints_quality_warnings_but_succeeds(corpus: Path, tmp_path: Path) -> None:
    (corpus / FILE_NAME).write_text("sponsors:\n  SPD & FW:\n", encoding="utf-8")
    env = editor(tmp_path, "type: Antrag", "type: Austauschantrag")
    result = run("edit", "VO/2024/12903-01", "--corpus", str(corpus), env=env)
    assert result.exit_code == 0, result.output
    assert "'Linke & GAL' is not in the vocabulary (warning)" in result.output
    assert "amends VO/2024/12903, which is not in the corpus (warning)" in result.output
    assert result.output.splitlines()[-1] == "ok, 2 warning(s)"


def test_edit_with_a_missing_editor_is_one_line(corpus: Path) -> None:
    env = {"EDITOR": "/nonexistent/editor --wait"}
    result = run("edit", "VO/2024/12903-01", "--corpus", str(corpus), env=env)
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot start the editor '/nonexistent/editor'")


@pytest.mark.parametrize(
    "change",
    [
        lambda m: setattr(m, "title", "Quartiere stärken"),
        lambda m: setattr(m.consultations[0], "result", "unverändert beschlossen"),
        lambda m: setattr(m.consultations[0].votes, "abstain", 2),
        lambda m: m.sponsors.__setitem__(1, "Linke und GAL"),
        lambda m: setattr(m, "clerk", "no"),  # YAML 1.1 boolean: quoted, still one line
    ],
)
def test_a_one_field_change_is_a_one_line_diff(change) -> None:
    before = SEED.read_text(encoding="utf-8")
    motion = read_motion(SEED)
    assert render_motion(motion) == before  # the shipped file is canonical
    change(motion)
    after = render_motion(motion)
    diff = [
        line
        for line in difflib.unified_diff(before.split("\n"), after.split("\n"), n=0, lineterm="")
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(diff) == 2, diff
    assert diff[0].startswith("-") and diff[1].startswith("+")


def test_facets_flags_variants_and_its_advice_merges_them(sponsors_corpus: Path) -> None:
    result = run("facets", "sponsor", "--corpus", str(sponsors_corpus))
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("sponsor: 11 values in 22 files\n")
    assert re.search(r"^\s+5  GRÜNE-Gemeinderatsfraktion   variant ~\d$", out, re.MULTILINE)
    assert "Probable variants:" in out
    greens = next(
        line for line in out.splitlines() if "map to 'GRÜNE-Gemeinderatsfraktion'" in line
    )
    spellings = [s for s in SPELLINGS if "ÜNE" in s.upper()]
    assert len(spellings) == 7
    for spelling in spellings:
        assert spelling in greens  # Karlsruhe's and Lübeck's spellings of the Greens
    assert "SPD" not in greens and "LINKE" not in greens
    snippet = out[out.index("sponsors:\n") :]
    (sponsors_corpus / FILE_NAME).write_text(snippet, encoding="utf-8")

    after = run("facets", "sponsor", "--corpus", str(sponsors_corpus))
    assert after.exit_code == 0, after.output
    assert "No unmapped variants found." in after.output
    assert re.search(
        r"^\s+1  GREÜNE-Gemeinderatsfraktion   → GRÜNE-Gemeinderatsfraktion$",
        after.output,
        re.MULTILINE,
    )
    vocab = Vocabulary.load(sponsors_corpus)
    assert vocab.canonical("sponsors", "DIE-LINKE.-Gemeinderatsfraktion") == (
        "DIE LINKE.-Gemeinderatsfraktion"
    )


def test_facets_json_for_scripts(sponsors_corpus: Path) -> None:
    result = run("facets", "--json", "--corpus", str(sponsors_corpus))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["sponsor", "committee", "type", "result", "lead"]
    sponsor = data["sponsor"]
    assert sponsor["files"] == 22
    assert {v["value"]: v["count"] for v in sponsor["values"]} == SPELLINGS
    assert data["result"]["values"] == [
        {"value": "Zustimmung", "count": 22, "canonical": None, "result_class": "beschlossen"}
    ]
    assert yaml.safe_load(sponsor["snippet"])["sponsors"]


def test_facets_counts_broken_files_apart(sponsors_corpus: Path) -> None:
    folder = next(sponsors_corpus.rglob("2021"))  # in the new corpus's default council
    (folder / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = run("facets", "type", "--corpus", str(sponsors_corpus))
    assert result.exit_code == 0
    assert "(1 files left out: run 'ratsarchiv check')" in result.output
    assert "     22  Antrag" in result.output or "  22  Antrag" in result.output


def test_facets_with_a_broken_vocabulary_is_one_line(sponsors_corpus: Path) -> None:
    (sponsors_corpus / FILE_NAME).write_text("sponsors:\n  A: [x]\n  B: [X]\n", encoding="utf-8")
    result = run("facets", "--corpus", str(sponsors_corpus))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {sponsors_corpus / FILE_NAME}:3: ")


def test_pre_commit_hook_definition() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "ratsarchiv-check"
    assert hook["entry"] == "ratsarchiv check"
    assert hook["language"] in ("python", "system")
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def checked(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    assert checked("corpus/2024/vo-2024-12903-01.md")
    assert not checked("docs/curation.md")
    assert not checked("corpus/_drafts/x.md")
    assert not checked("corpus/_vocabulary.yml")
    docs = (REPO / "docs" / "curation.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml.*?)```", docs, re.DOTALL)
    assert blocks, "docs/curation.md shows a .pre-commit-config.yaml"
    for block in blocks:
        config = yaml.safe_load(block)
        assert any(h["id"] == "ratsarchiv-check" for r in config["repos"] for h in r["hooks"])


def test_vocabulary_from_facets_advice_gives_one_facet_value_per_faction(
    sponsors_corpus: Path, tmp_path: Path
) -> None:
    """facets → vocabulary → reindex: the index's facets and search use canonical names."""
    from index.indexer import reindex
    from index.results import SearchRequest
    from index.search import SearchIndex

    corpus, index = sponsors_corpus, tmp_path / "index"
    shutil.copytree(SEED.parent, corpus / "2024")  # the Lübeck seed
    reindex(corpus, index)
    with SearchIndex.open(index) as search_index:
        before = {v.name: v.count for v in search_index.search(SearchRequest()).facets["sponsor"]}
    assert before["GRÜNE-Gemeinderatsfraktion"] == 5 and before["BÜ90/DIE GRÜNEN"] == 1

    advice = run("facets", "sponsor", "--corpus", str(corpus)).output
    snippet = advice[advice.index("sponsors:\n") :]
    snippet = snippet.replace("  GRÜNE-Gemeinderatsfraktion:", "  Grüne:")  # the archivist's
    snippet = snippet.replace("  DIE LINKE.-Gemeinderatsfraktion:", "  Linke:")  # own names
    snippet += "  Linke & GAL:\n    members: [Linke, GAL]\n"
    (corpus / FILE_NAME).write_text(snippet, encoding="utf-8")
    assert "No unmapped variants found." in run("facets", "sponsor", "--corpus", str(corpus)).output

    report = reindex(corpus, index)  # incremental: only the documents the vocabulary names
    assert not report.full and report.updated == 12 + 7 + 1 and report.unchanged == 3  # SPD
    with SearchIndex.open(index) as search_index:
        facet = {v.name: v.count for v in search_index.search(SearchRequest()).facets["sponsor"]}
        assert facet["Grüne"] == sum(n for s, n in SPELLINGS.items() if "ÜNE" in s.upper()) == 12
        assert facet["Linke"] == 7 + 1  # three spellings and the joint faction of the seed
        assert not any("GRÜNEN" in value or "LINKE" in value for value in facet)
        assert search_index.search(SearchRequest(query="fraktion:Grüne")).total == 12
        joint = search_index.search(SearchRequest(query="fraktion:GAL"))
        assert [h.reference for h in joint.hits] == ["VO/2024/12903-01"]
        assert joint.hits[0].sponsors == ["SPD & FW", "Linke & GAL"]  # the source's wording
        shown = search_index.motion(joint.hits[0].council, "vo-2024-12903-01")
        assert shown.sponsors == ["SPD & FW", "Linke & GAL"]
    assert reindex(corpus, index).unchanged == 23  # nothing changed: nothing to do
