"""``show``, ``edit`` and ``facets`` in an archive of several councils."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from archive.cli import main
from archive.corpus import render_motion
from archive.motion import Consultation, Motion

COUNCILS = {
    "hamburg-altona": "name: Bezirksversammlung Altona\nshort_name: Altona\n",
    "hamburg-nord": "name: Bezirksversammlung Hamburg-Nord\nshort_name: Nord\n",
}


def paper(reference: str, committee: str, sponsor: str) -> Motion:
    return Motion(
        reference=reference,
        title=f"Radweg {reference}",
        type="Antrag",
        date="2024-03-01",
        sponsors=[sponsor],
        consultations=[Consultation(committee=committee, date="2024-03-05")],
    )


def archive(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    papers = {
        "hamburg-altona": [paper("22-2368", "Hauptausschuss", "CDU-Fraktion")],
        "hamburg-nord": [
            paper("22-2368", "Hauptausschuss", "CDU"),
            paper("22-2369", "Hauptausschuß", "CDU"),
        ],
    }
    for key, description in COUNCILS.items():
        (corpus / key).mkdir(parents=True)
        (corpus / key / "_council.yml").write_text(description, encoding="utf-8")
        for motion in papers[key]:
            path = corpus / key / motion.year / f"{motion.slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_motion(motion), encoding="utf-8")
    return corpus


def run(corpus: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--corpus", str(corpus)])


def test_show_takes_the_council_as_an_option_or_a_prefix(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    nord = corpus / "hamburg-nord" / "2024" / "22-2368.md"
    for args in (["hamburg-nord:22-2368"], ["22-2368", "--council", "hamburg-nord"]):
        result = run(corpus, "show", *args)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[:3] == [
            str(nord),
            "22-2368  Radweg 22-2368",
            "Council:  Bezirksversammlung Hamburg-Nord (hamburg-nord)",
        ]
    shown = json.loads(run(corpus, "show", "--json", "hamburg-altona:22-2368").output)
    assert shown["council"] == "hamburg-altona"
    assert shown["path"] == str(corpus / "hamburg-altona" / "2024" / "22-2368.md")


def test_a_reference_of_several_councils_needs_the_council(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    result = run(corpus, "show", "22-2368")
    assert result.exit_code == 1
    assert result.output == (
        "error: '22-2368' is a paper of several councils (hamburg-altona, hamburg-nord): "
        "give --council KEY or KEY:22-2368\n"
    )
    assert run(corpus, "show", "22-2369").exit_code == 0  # only Nord has it
    missing = run(corpus, "show", "hamburg-altona:22-2369")
    assert missing.output == f"error: no motion '22-2369' in council 'hamburg-altona' of {corpus}\n"
    unknown = run(corpus, "show", "22-2368", "--council", "kiel")
    assert unknown.output == (
        f"error: no council 'kiel' in {corpus} (councils: hamburg-altona, hamburg-nord)\n"
    )


def test_edit_opens_the_councils_file(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    editor = tmp_path / "editor.py"
    editor.write_text("import sys; print('editing', sys.argv[1])\n", encoding="utf-8")
    result = CliRunner(env={"EDITOR": f"{sys.executable} {editor}"}).invoke(
        main, ["edit", "hamburg-altona:22-2368", "--corpus", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    assert f"{corpus / 'hamburg-altona' / '2024' / '22-2368.md'}: unchanged" in result.output


def test_facets_lists_each_councils_values_apart(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    result = run(corpus, "facets", "committee")
    assert result.exit_code == 0, result.output
    blocks = result.output.split("\n\n")
    assert blocks[0].splitlines()[:2] == [
        "committee of hamburg-altona (Altona): 1 values in 1 file",
        "  1  Hauptausschuss",
    ]
    nord = blocks[1].splitlines()
    assert nord[0] == "committee of hamburg-nord (Nord): 2 values in 2 files"
    assert f"Suggested for {corpus / 'hamburg-nord' / '_vocabulary.yml'}" in blocks[1]
    assert "Hauptausschuß" not in blocks[0]  # a variant within Nord only

    one = run(corpus, "facets", "sponsor", "--council", "hamburg-altona")
    assert one.output.splitlines()[:2] == [
        "sponsor of hamburg-altona (Altona): 1 values in 1 file",
        "  1  CDU-Fraktion",
    ]
    data = json.loads(run(corpus, "facets", "committee", "--json").output)
    assert sorted(data["committee"]) == ["hamburg-altona", "hamburg-nord"]
    assert data["committee"]["hamburg-nord"]["groups"][0]["values"] == [
        "Hauptausschuss",
        "Hauptausschuß",
    ]


def test_facets_of_one_council_use_its_own_vocabulary(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    shutil.rmtree(corpus / "hamburg-altona")
    (corpus / "hamburg-nord" / "_vocabulary.yml").write_text(
        "committees:\n  Hauptausschuss: [Hauptausschuß]\n", encoding="utf-8"
    )
    result = run(corpus, "facets", "committee")
    assert result.output.splitlines()[:3] == [
        "committee: 2 values in 2 files",
        "  1  Hauptausschuss   (vocabulary)",
        "  1  Hauptausschuß   → Hauptausschuss",
    ]
