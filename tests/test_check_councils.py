"""``ratsarchiv check`` of an archive of several councils: identity is (council, reference)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from archive.cli import main
from archive.corpus import render_motion
from archive.motion import Consultation, Motion, Votes

ALTONA = "name: Bezirksversammlung Altona\nshort_name: Altona\nkind: Bezirk\nstate: Hamburg\n"
NORD = "name: Bezirksversammlung Hamburg-Nord\nshort_name: Nord\nkind: Bezirk\n"


def paper(reference: str, **fields) -> Motion:
    fields.setdefault("title", f"Radweg {reference}")
    fields.setdefault("type", "Anfrage")
    fields.setdefault("date", "2024-03-01")
    return Motion(reference=reference, **fields)


def add(corpus: Path, council: str, motion: Motion, name: str = "") -> Path:
    path = corpus / council / motion.year / (name or f"{motion.slug}.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_motion(motion), encoding="utf-8")
    return path


def archive(tmp_path: Path) -> Path:
    """Two Hamburg districts, each with a Drucksache 22-2368."""
    corpus = tmp_path / "corpus"
    for key, description in (("hamburg-altona", ALTONA), ("hamburg-nord", NORD)):
        (corpus / key).mkdir(parents=True)
        (corpus / key / "_council.yml").write_text(description, encoding="utf-8")
        add(corpus, key, paper("22-2368"))
    return corpus


def check(corpus: Path, *paths: Path):
    return CliRunner().invoke(main, ["check", "--corpus", str(corpus), *map(str, paths)])


def test_two_councils_may_hold_the_same_reference(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    result = check(corpus)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "checked 2 files: 0 problems",
        "  hamburg-altona: 1 file, 0 problems",
        "  hamburg-nord: 1 file, 0 problems",
    ]


def test_a_reference_twice_in_one_council_names_both_files(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    original = corpus / "hamburg-altona" / "2024" / "22-2368.md"
    copy = add(corpus, "hamburg-altona", paper("22-2368"), "kopie.md")
    result = check(corpus)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{copy}:2: reference '22-2368' is already used by {original}",
        "checked 3 files: 1 problem",
        "  hamburg-altona: 2 files, 1 problem",
        "  hamburg-nord: 1 file, 0 problems",
    ]
    alone = check(corpus, original)  # the other council's 22-2368 is no duplicate
    assert alone.output.splitlines() == [
        f"{original}:2: reference '22-2368' is also used by {copy}",
        "checked 1 file: 1 problem",
    ]


def test_council_descriptions_are_checked_with_their_lines(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    altona = corpus / "hamburg-altona" / "_council.yml"
    altona.write_text(
        "name: Bezirksversammlung Altona\nkind: Stadtbezirk\nwebsite: www.hamburg.de/altona\n"
        "wappen: Schiff\n",
        encoding="utf-8",
    )
    nord = corpus / "hamburg-nord" / "_council.yml"
    nord.write_text("short_name: Nord\n", encoding="utf-8")
    (corpus / "_archive.yml").write_text("default_council: hamburg\nsprache: de\n", "utf-8")
    result = check(corpus)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:-4] == [
        f"{corpus / '_archive.yml'}:2: unknown setting 'sprache' (known: default_council)",
        f"{altona}:4: unknown field 'wappen' (known: name, short_name, kind, state, website, "
        "oparl_system, oparl_body, allris_url, source, terms)",
        f"{nord}:1: name: missing (the council's full name)",
        f"{altona}:2: kind: 'Stadtbezirk' is not one of the usual kinds (Stadt, Gemeinde, "
        "Bezirk, Kreis, Landkreis, Region, Amt, Samtgemeinde, Verbandsgemeinde, Land) (warning)",
        f"{altona}:3: website: 'www.hamburg.de/altona' is not an http(s) URL (warning)",
    ]
    assert lines[-4] == "checked 2 files: 3 problems, 2 warnings"
    assert lines[-1] == "warnings: 1 unusual council kind, 1 not a URL"
    # The papers are still checked and kept: a broken description hides none.
    assert "  hamburg-nord: 1 file, 1 problem" in lines


def test_a_description_of_another_council_does_not_concern_a_check_of_one_paper(
    tmp_path: Path,
) -> None:
    corpus = archive(tmp_path)
    (corpus / "hamburg-nord" / "_council.yml").write_text("kurz: Nord\n", encoding="utf-8")
    (corpus / "hamburg-nord" / "_vocabulary.yml").write_text("gremien:\n", encoding="utf-8")
    altona = corpus / "hamburg-altona" / "2024" / "22-2368.md"
    assert check(corpus, altona).output == "checked 1 file: 0 problems\n"
    nord = check(corpus, corpus / "hamburg-nord")
    assert nord.exit_code == 1
    assert len([line for line in nord.output.splitlines() if "hamburg-nord/_" in line]) == 3


def test_a_broken_council_vocabulary_is_an_error_with_its_line(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    path = corpus / "hamburg-nord" / "_vocabulary.yml"
    path.write_text("committees:\n  Hauptausschuss: [HA]\n  HA Nord: [ha]\n", encoding="utf-8")
    result = check(corpus)
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:3: 'ha' (variant of 'HA Nord') is already")


def test_related_links_name_a_paper_of_the_same_or_another_council(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    add(corpus, "hamburg-nord", paper("22-1000"))
    linking = paper(
        "22-2400",
        related=["22-2368", "hamburg-nord:22-1000", "22-1000", "hamburg-nord:22-9999", "kiel:12"],
    )
    path = add(corpus, "hamburg-altona", linking)
    result = check(corpus)
    assert result.exit_code == 0, result.output
    related_line = render_motion(linking).splitlines().index("related:") + 1
    assert result.output.splitlines()[:3] == [
        f"{path}:{related_line + 3}: related: no paper '22-1000' in the corpus (warning)",
        f"{path}:{related_line + 4}: related: no paper '22-9999' of the council 'hamburg-nord' "
        "in the corpus (warning)",
        f"{path}:{related_line + 5}: related: 'kiel:12' names the council 'kiel', which is not "
        "in the archive (warning)",
    ]
    assert "warnings: 2 related paper missing, 1 unknown council" in result.output


def test_checking_one_file_finds_a_related_paper_in_another_council(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    path = add(corpus, "hamburg-altona", paper("22-2400", related=["hamburg-nord:22-2368"]))
    assert check(corpus, path).output == "checked 1 file: 0 problems\n"
    path.write_text(render_motion(paper("22-2400", related=["hamburg-nord:22-2369"])), "utf-8")
    assert "no paper '22-2369' of the council 'hamburg-nord'" in check(corpus, path).output


def test_an_amendment_finds_its_parent_in_its_own_council_only(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    add(corpus, "hamburg-nord", paper("22-2400"))
    amendment = add(corpus, "hamburg-altona", paper("22-2400-01", type="Änderungsantrag"))
    result = check(corpus, amendment)
    assert "Änderungsantrag amends 22-2400, which is not in the corpus" in result.output


def votes(council: str, number: int, yes: int) -> Motion:
    consultation = Consultation(
        committee="Hauptausschuss", date="2024-03-05", result="beschlossen", votes=Votes(yes, 0, 0)
    )
    return paper(f"22-{number}", type="Antrag", consultations=[consultation], body="Text.")


def test_committee_sizes_and_duplicates_are_judged_within_a_council(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    for i in range(6):  # Altona's Hauptausschuss has 15 members, Nord's 51
        add(corpus, "hamburg-altona", votes("hamburg-altona", 100 + i, 15))
        add(corpus, "hamburg-nord", votes("hamburg-nord", 100 + i, 51))
    odd = add(corpus, "hamburg-altona", votes("hamburg-altona", 200, 51))
    result = check(corpus)
    warnings = [line for line in result.output.splitlines() if line.endswith("(warning)")]
    assert warnings == [
        f"{odd}:18: 51 votes in Hauptausschuss (hamburg-altona), which usually has about 15 "
        "(warning)"
    ]  # and the same title and date in both councils is no probable duplicate


def test_vocabulary_warnings_say_whose_vocabulary(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    (corpus / "hamburg-altona" / "_vocabulary.yml").write_text(
        "committees:\n  Hauptausschuss: [HA]\n", encoding="utf-8"
    )
    path = add(corpus, "hamburg-altona", votes("hamburg-altona", 300, 15))
    result = check(corpus, path)
    text = render_motion(votes("hamburg-altona", 300, 15)).replace("Hauptausschuss", "Bauausschuss")
    path.write_text(text, encoding="utf-8")
    result = check(corpus, path)
    assert (
        "committees: 'Bauausschuss' is not in the vocabulary of hamburg-altona nor the archive's"
        in result.output
    )


def test_a_folder_that_is_no_council_is_a_warning(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    add(corpus, "entwuerfe", paper("E-1"))
    result = check(corpus)
    assert result.exit_code == 0
    assert (
        f"{corpus / 'entwuerfe'}:1: folder 'entwuerfe' has no _council.yml: its papers are the "
        "default council's (default); add entwuerfe/_council.yml to make it a council (warning)"
    ) in result.output.splitlines()
    assert "  default: 1 file, 0 problems, 1 warning" in result.output.splitlines()


def test_a_vocabulary_outside_a_council_folder_is_not_read_and_says_so(tmp_path: Path) -> None:
    corpus = archive(tmp_path)
    add(corpus, "2024", paper("VO/2024/1"))  # a legacy year folder beside the councils
    stray = corpus / "2024" / "_vocabulary.yml"
    stray.write_text("committees:\n  Hauptausschuss: [HA]\n", encoding="utf-8")
    result = check(corpus)
    assert (
        f"{stray}:1: not read: '2024' is no council folder (it has no _council.yml) (warning)"
        in (result.output.splitlines())
    )
