"""Probable variants among facet values, on real sponsor spellings from Karlsruhe and Lübeck."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from archive.motion import Consultation, Motion
from archive.variants import facet_report, group_variants, variant_key
from archive.vocabulary import Vocabulary

LUEBECK_GREENS = [
    "BÜNDNIS 90 / DIE GRÜNEN",
    "Bündnis 90 / Die Grünen",
    "BÜ90/DIE GRÜNEN",
    "Bü90/DIE GRÜNEN",
]
PARTIES = ("spd", "cdu", "fdp", "afd", "kult", "kal", "gruene", "linke", "fw", "mfg", "bfw")

# A faction's name heading a Karlsruhe motion: "GRÜNE-Gemeinderatsfraktion", "B‘90/Die
# Grünen OR-Fraktion", ... (the line an importer takes the sponsor from).
_HEADING = re.compile(
    r"^[ \t]*([A-ZÄÖÜ][^\n]{1,40}?[ \t]*-?[ \t]*"
    r"(?:Gemeinderatsfraktion|OR-Fraktion|Ortschaftsratsfraktion)(?:[ \t]+[A-ZÄÖÜ]\w+)?)[ \t]*$",
    re.MULTILINE,
)
_NOT_A_NAME = re.compile(r"Eingang|Antrag|Anfrage|beantragt|,| und$|^der ")


@pytest.fixture(scope="module")
def karlsruhe_sponsors(karlsruhe_data: Path) -> Counter[str]:
    """Sponsor spellings as they head the real Karlsruhe motions (first 12,000 papers)."""
    found: Counter[str] = Counter()
    with gzip.open(karlsruhe_data / "papers.jsonl.gz", "rt") as lines:
        for line in itertools.islice(lines, 12000):
            if not re.search(r'"paperType": "(Antrag|Anfrage|Änderungs)', line):
                continue
            paper = json.loads(line)
            files = [paper["mainFile"]] if isinstance(paper.get("mainFile"), dict) else []
            files += paper.get("auxiliaryFile") or []
            match = files and _HEADING.search((files[0].get("text") or "")[:600])
            if match and not _NOT_A_NAME.search(match.group(1)):
                found[match.group(1)] += 1
    assert len(found) > 40, "expected dozens of real spellings"
    return found


def motions_with(sponsors: Counter[str]) -> list[Motion]:
    motions = []
    for i, (name, count) in enumerate(sorted(sponsors.items())):
        for j in range(count):
            motions.append(
                Motion(
                    reference=f"2020/{i:03d}{j:03d}",
                    title=f"Antrag {i}-{j}",
                    type="Antrag",
                    sponsors=[name],
                    date="2020-03-01",
                    consultations=[Consultation("Gemeinderat", result="Zustimmung")],
                )
            )
    return motions


def group_of(groups: list[list[str]], value: str) -> list[str]:
    return next((g for g in groups if value in g), [value])


def test_the_four_luebeck_spellings_of_the_greens_share_a_key() -> None:
    assert len({variant_key(v) for v in [*LUEBECK_GREENS, "GRÜNE", "Grüne"]}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("DIE LINKE.-Gemeinderatsfraktion", "Die Linke"),
        ("Fraktion Linke & GAL", "Linke und GAL"),
        ("SPD-Fraktion", "Fraktion SPD"),
        ("Ausschuß für Soziales", "Ausschuss fuer Soziales"),
        ("FW|FÜR-Gemeinderatsfraktion", "FW/FÜR"),
        ("MfG – Ortschaftsratsfraktion", "MFG Ortschaftsratsfraktion"),
        ("Freie Wähler-OR-Fraktion", "FW-OR-Fraktion"),
    ],
)
def test_equal_keys(a: str, b: str) -> None:
    assert variant_key(a) == variant_key(b)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Stadtrat Niko Fostiropoulos", "Stadtrat Niko Fostiropoulus", True),
        ("GREÜNE-Gemeinderatsfraktion", "GRÜNE-Gemeinderatsfraktion", True),
        ("Bauausschuss", "Bau-Ausschuss", True),
        ("SPD-Ortschaftsratsfraktion Grötzingen", "CDU-Ortschaftsratsfraktion Grötzingen", False),
        ("Ortsbeirat Nord", "Ortsbeirat Süd", False),
        ("Stadtbezirk 1", "Stadtbezirk 2", False),
        ("SPD", "FDP", False),
        ("Hauptausschuss", "Haupt- und Finanzausschuss", False),
        ("GRÜNE-Gemeinderatsfraktion", "B‘90/Die Grünen-OR-Fraktion", False),
    ],
)
def test_near_misses_are_conservative(a: str, b: str, expected: bool) -> None:
    assert bool(group_variants([a, b])) is expected


def test_real_karlsruhe_spellings_group_by_faction(karlsruhe_sponsors: Counter[str]) -> None:
    groups = group_variants(karlsruhe_sponsors)
    greens = group_of(groups, "GRÜNE-Gemeinderatsfraktion")
    assert {"GRÜNE Gemeinderatsfraktion", "GREÜNE-Gemeinderatsfraktion"} <= set(greens)
    local_greens = group_of(groups, "B ́90/DIE GRÜNEN-OR-Fraktion")
    assert {
        "B‘90/Die Grünen OR-Fraktion",
        "B’90-DIE-GRÜNEN-OR-Fraktion",
        "BÜNDNIS 90/DIE GRÜNEN-Ortschaftsratsfraktion",
    } <= set(local_greens)
    assert not set(greens) & set(local_greens)  # a district council's faction stays apart
    left = group_of(groups, "DIE LINKE.-Gemeinderatsfraktion")
    assert {"DIE LINKE-Gemeinderatsfraktion", "DIE-LINKE.-Gemeinderatsfraktion"} <= set(left)
    for group in groups:  # never two parties in one group
        parties = {variant_key(v).split()[0] for v in group} & set(PARTIES)
        assert len(parties) <= 1, group


def test_report_counts_flags_and_a_snippet_that_merges_them(
    karlsruhe_sponsors: Counter[str],
) -> None:
    motions = motions_with(karlsruhe_sponsors)
    report = facet_report(motions, "sponsor", Vocabulary())
    assert report.files == len(motions)
    assert {v.value: v.count for v in report.values} == dict(karlsruhe_sponsors)
    assert all(v.canonical is None for v in report.values)
    greens = next(g for g in report.groups if "GRÜNE Gemeinderatsfraktion" in g.values)
    assert greens.suggestion == "GRÜNE-Gemeinderatsfraktion"  # the most used spelling
    assert greens.values[0] == "GRÜNE-Gemeinderatsfraktion"

    # a new entry lists its own name too, so renaming the key keeps every spelling mapped
    assert "  GRÜNE-Gemeinderatsfraktion:\n    - GRÜNE-Gemeinderatsfraktion\n" in report.snippet
    joint = {j.value: j.members for j in report.joint}
    assert joint["FDP-OR-Fraktion und CDU-OR-Fraktion"] == ["FDP-OR-Fraktion", "CDU-OR-Fraktion"]
    assert "CDU- und FDP-Ortschaftsratsfraktion" not in joint  # which CDU? not guessed

    vocab = Vocabulary.from_text(report.snippet, "_vocabulary.yml")
    for group in report.groups:
        assert {vocab.canonical("sponsors", v) for v in group.values} == {group.suggestion}
    again = facet_report(motions, "sponsor", vocab)
    assert not again.groups and not again.snippet
    merged = Counter()
    for v in again.values:
        merged[v.canonical or v.value] += v.count
    assert merged["GRÜNE-Gemeinderatsfraktion"] == sum(karlsruhe_sponsors[v] for v in greens.values)


def test_a_new_spelling_joins_its_existing_entry() -> None:
    vocab = Vocabulary.from_text("sponsors:\n  Grüne: [BÜNDNIS 90 / DIE GRÜNEN]\n", "v.yml")
    motions = motions_with(Counter({"BÜNDNIS 90 / DIE GRÜNEN": 3, "BÜ90/DIE GRÜNEN": 2, "SPD": 1}))
    report = facet_report(motions, "sponsor", vocab)
    (group,) = report.groups
    assert group.suggestion == "Grüne"
    assert report.snippet.startswith("# already in _vocabulary.yml")
    assert "Grüne:\n    - BÜ90/DIE GRÜNEN\n" in report.snippet
    assert {v.value: v.canonical for v in report.values} == {
        "BÜNDNIS 90 / DIE GRÜNEN": "Grüne",
        "BÜ90/DIE GRÜNEN": None,
        "SPD": None,
    }


def test_joint_factions_are_recognised_from_their_parts() -> None:
    motions = motions_with(Counter({"SPD & FW": 2, "SPD": 4, "FW": 1, "Bündnis 90/Die Grünen": 1}))
    report = facet_report(motions, "sponsor", Vocabulary())
    assert [(j.value, j.members) for j in report.joint] == [("SPD & FW", ["SPD", "FW"])]
    vocab = Vocabulary.from_text(report.snippet, "v.yml")
    assert vocab.expand("sponsors", "SPD & FW") == ["SPD & FW", "SPD", "FW"]


def test_result_facet_shows_each_wordings_class() -> None:
    motion = Motion(
        reference="1",
        title="t",
        consultations=[
            Consultation("Rat", result="Zustimmung"),
            Consultation("Rat", result="Vertagung"),
        ],
    )
    report = facet_report([motion, None], "result", Vocabulary())
    assert report.unreadable == 1
    assert {v.value: v.result_class for v in report.values} == {
        "Zustimmung": "beschlossen",
        "Vertagung": "vertagt/zurückgestellt",
    }
