"""The controlled vocabulary: corpus/_vocabulary.yml, as an archivist writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.corpus import read_motion
from archive.errors import CorpusError
from archive.outcomes import ABGELEHNT, BESCHLOSSEN, normalise_result
from archive.vocabulary import FILE_NAME, Vocabulary

SEED = Path(__file__).resolve().parents[1] / "corpus" / "luebeck" / "2024" / "vo-2024-12903-01.md"

LUEBECK_GREENS = (
    "BÜNDNIS 90 / DIE GRÜNEN",
    "Bündnis 90 / Die Grünen",
    "BÜ90/DIE GRÜNEN",
    "Bü90/DIE GRÜNEN",
)

VOCABULARY = """\
# Lübeck: the Bürgerschaft's factions
sponsors:
  Grüne:
    - BÜNDNIS 90 / DIE GRÜNEN
    - BÜ90/DIE GRÜNEN
  Linke:
    - Die Linke
    - DIE LINKE
  GAL:
  Linke & GAL:
    variants: [Fraktion Linke & GAL]
    members:
      - name: Die Linke
        from: 2023-06-01
      - name: GAL
        to: 2028-05-31
  SPD & FW:
    members: [SPD, FW]
committees:
  Ausschuss für Soziales: [Sozialausschuss, Soziales]
types:
  Beschlussvorlage: [Vorlage zur Beschlussfassung]
results:
  beschlossen: [Zustimmung mit Auflage]
  abgelehnt: [nicht befürwortet]
offices:
  Fachbereich 2 – Wirtschaft und Soziales: [FB 2]
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / FILE_NAME).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def vocab(tmp_path: Path) -> Vocabulary:
    return Vocabulary.load(write(tmp_path, VOCABULARY))


def test_no_file_is_an_empty_vocabulary_that_changes_nothing(tmp_path: Path) -> None:
    vocab = Vocabulary.load(tmp_path)
    assert not vocab
    assert vocab.digest == ""
    assert vocab.canonical("sponsors", "BÜ90/DIE GRÜNEN") == "BÜ90/DIE GRÜNEN"
    assert not vocab.is_mapped("sponsors", "SPD")
    assert vocab.expand("sponsors", "SPD") == ["SPD"]
    assert vocab.known("committees") == set()


@pytest.mark.parametrize("spelling", [*LUEBECK_GREENS, "bündnis 90 /  die grünen", " GRÜNE "])
def test_every_spelling_of_the_greens_has_one_name(vocab: Vocabulary, spelling: str) -> None:
    assert vocab.canonical("sponsors", spelling) == "Grüne"
    assert vocab.canonical("sponsor", spelling) == "Grüne"  # facet names work as kinds
    assert vocab.is_mapped("sponsors", spelling)


def test_unknown_values_come_back_exactly_as_written(vocab: Vocabulary) -> None:
    assert vocab.canonical("sponsors", "  Die PARTEI") == "  Die PARTEI"
    assert not vocab.is_mapped("sponsors", "Die PARTEI")
    assert vocab.canonical("committees", "soziales") == "Ausschuss für Soziales"
    assert vocab.canonical("lead", "fb 2") == "Fachbereich 2 – Wirtschaft und Soziales"
    assert vocab.canonical("types", "Vorlage zur Beschlussfassung") == "Beschlussvorlage"


def test_joint_faction_stands_for_its_members(vocab: Vocabulary) -> None:
    assert vocab.expand("sponsors", "Fraktion Linke & GAL") == ["Linke & GAL", "Linke", "GAL"]
    assert vocab.expand("sponsors", "SPD & FW") == ["SPD & FW", "SPD", "FW"]
    assert vocab.expand("sponsors", "Die Linke") == ["Linke"]  # not the other way round


def test_members_count_only_within_their_dates(vocab: Vocabulary) -> None:
    assert vocab.expand("sponsors", "Linke & GAL", date="2023-05-31") == ["Linke & GAL", "GAL"]
    assert vocab.expand("sponsors", "Linke & GAL", date="2024-05-07") == [
        "Linke & GAL",
        "Linke",
        "GAL",
    ]
    assert vocab.expand("sponsors", "Linke & GAL", date="2028-06-01") == ["Linke & GAL", "Linke"]


def test_members_are_known_names_but_not_variants(vocab: Vocabulary) -> None:
    assert vocab.is_mapped("sponsors", "FW")
    assert vocab.canonical("sponsors", "FW") == "FW"
    assert {"Grüne", "Linke", "GAL", "Linke & GAL", "SPD & FW", "SPD", "FW"} == vocab.known(
        "sponsors"
    )


def test_results_map_a_wording_to_a_result_class(vocab: Vocabulary) -> None:
    assert vocab.result_class("Zustimmung mit Auflage") == BESCHLOSSEN
    assert vocab.result_class("nicht befürwortet") == ABGELEHNT
    assert vocab.result_class("mehrheitlich abgelehnt") == ABGELEHNT  # built-in rules


def test_digest_changes_with_the_file(tmp_path: Path) -> None:
    first = Vocabulary.load(write(tmp_path, VOCABULARY)).digest
    second = Vocabulary.load(write(tmp_path, VOCABULARY + "  Volt: [VOLT]\n")).digest
    assert first and second and first != second


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("sponsors:\n  Grüne: [a, b\n", 2, "not valid YAML"),
        ("sponsor:\n  Grüne: [a]\n", 1, "unknown section 'sponsor'"),
        ("sponsors:\n  Grüne: [a]\n  SPD: [b]\n  Grüne: [c]\n", 4, "appears twice"),
        ("sponsors:\n  Grüne: [Die Grünen]\n  B90: [die  grünen]\n", 3, "one name only"),
        ("sponsors:\n  Grüne: [SPD]\n  SPD: []\n", 3, "one name only"),
        ("results:\n  angenommen: [Zustimmung]\n", 2, "not one of beschlossen"),
        ("types:\n  Fraktionsantrag: []\n", 2, "not one of Antrag"),
        ("committees:\n  Rat:\n    members: [A]\n", 3, "only sponsors"),
        ("sponsors:\n  A:\n    members:\n      - name: B\n        from: 1.6.2023\n", 5, "date"),
        ("sponsors:\n  A:\n    variants: [x]\n    aliases: [y]\n", 4, "unknown key 'aliases'"),
        ("sponsors:\n  Grüne:\n    - 1990\n", 3, "quote it"),
        ("sponsors:\n  A: &x [b]\n  C: *x\n", 2, "anchors"),
        ("- Grüne\n- SPD\n", 1, "must be a mapping"),
    ],
)
def test_mistakes_are_reported_with_their_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    with pytest.raises(CorpusError) as caught:
        Vocabulary.load(write(tmp_path, text))
    error = caught.value
    assert error.path == tmp_path / FILE_NAME
    assert error.line == line, str(error)
    assert message in error.message
    assert str(error).startswith(f"{tmp_path / FILE_NAME}:{line}: ")


def test_yaml_1_1_surprises_stay_text(tmp_path: Path) -> None:
    vocab = Vocabulary.load(write(tmp_path, "offices:\n  'NO': [no, Nord-Ost]\n"))
    assert vocab.canonical("offices", "no") == "NO"
    assert vocab.canonical("offices", "nord-ost") == "NO"


def test_an_empty_file_is_an_empty_vocabulary(tmp_path: Path) -> None:
    assert not Vocabulary.load(write(tmp_path, "# nothing yet\n"))
    assert not Vocabulary.load(write(tmp_path, "sponsors:\n"))


def test_apply_gives_the_index_canonical_names_and_keeps_the_motion(vocab: Vocabulary) -> None:
    seed = read_motion(SEED)
    seed.consultations[0].result = "nicht befürwortet"
    seed.lead = "FB 2"
    view = vocab.apply(seed)
    assert view.sponsors == ["SPD & FW", "SPD", "FW", "Linke & GAL", "Linke", "GAL"]
    assert view.lead == "Fachbereich 2 – Wirtschaft und Soziales"
    assert view.committees == ["Ausschuss für Soziales"]
    assert normalise_result(view.result) == ABGELEHNT
    assert seed.sponsors == ["SPD & FW", "Linke & GAL"]  # the motion's own wording stays
    assert seed.result == "nicht befürwortet"
    assert Vocabulary().apply(seed) is seed


def test_fingerprint_changes_only_for_files_an_edit_affects(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")  # sponsors SPD & FW, Linke & GAL
    karlsruhe = seed.replace("SPD & FW", "CDU").replace("Linke & GAL", "KAL")
    base = "sponsors:\n  Linke & GAL:\n    members: [Linke, GAL]\n  Linke: [Die Linke]\n"
    old = Vocabulary.from_text(base, "v.yml")
    assert old.fingerprint(seed) and old.fingerprint(karlsruhe) == ""
    assert Vocabulary().fingerprint(seed) == ""

    added = Vocabulary.from_text(base + "  CDU: [CDU-Fraktion]\n", "v.yml")
    assert added.fingerprint(seed) == old.fingerprint(seed)  # not affected: not reindexed
    assert added.fingerprint(karlsruhe) != ""  # affected: reindexed

    member = Vocabulary.from_text(base.replace("[Die Linke]", "[Die Linke, DIE LINKE]"), "v.yml")
    assert member.fingerprint(seed) != old.fingerprint(seed)  # a member's entry changed
    body_only = karlsruhe + "\nDie Fraktion Linke & GAL stimmte zu.\n"
    assert old.fingerprint(body_only) == ""  # only the front matter counts


def test_a_name_yaml_may_escape_counts_for_every_file() -> None:
    vocab = Vocabulary.from_text('sponsors:\n  "Wir für\'s Dorf": [WfD]\n', "v.yml")
    assert vocab.fingerprint("---\ntitle: x\n---\n") != ""


# -- per-council vocabularies: <corpus>/<key>/_vocabulary.yml -----------------------------

ARCHIVE_WIDE = "committees:\n  Hauptausschuss: [HA]\nsponsors:\n  CDU: [CDU-Fraktion]\n"
ALTONA = "committees:\n  Hauptausschuss Altona: [Hauptausschuss, HA]\n"


def councils(tmp_path: Path, altona: str = ALTONA) -> Path:
    """Two councils, one with its own vocabulary."""
    corpus = tmp_path / "corpus"
    for key in ("hamburg-altona", "hamburg-nord"):
        (corpus / key).mkdir(parents=True)
        (corpus / key / "_council.yml").write_text(f"name: {key}\n", encoding="utf-8")
    (corpus / FILE_NAME).write_text(ARCHIVE_WIDE, encoding="utf-8")
    (corpus / "hamburg-altona" / FILE_NAME).write_text(altona, encoding="utf-8")
    return corpus


def committee_of(vocab: Vocabulary, council: str, written: str) -> str:
    from archive.motion import Consultation, Motion

    motion = Motion(reference="1", title="t", council=council)
    motion.consultations = [Consultation(committee=written), Consultation(committee="Bauausschuss")]
    motion.sponsors = ["CDU-Fraktion"]
    applied = vocab.apply(motion)
    assert applied.sponsors == ["CDU"]  # the archive-wide entries hold for every council
    assert applied.consultations[1].committee == "Bauausschuss"
    return applied.consultations[0].committee


def test_a_councils_own_entries_hold_for_its_papers_only(tmp_path: Path) -> None:
    vocab = Vocabulary.load(councils(tmp_path))
    assert committee_of(vocab, "hamburg-altona", "HA") == "Hauptausschuss Altona"
    assert committee_of(vocab, "hamburg-altona", "Hauptausschuss") == "Hauptausschuss Altona"
    assert committee_of(vocab, "hamburg-nord", "HA") == "Hauptausschuss"
    assert committee_of(vocab, "hamburg-nord", "Hauptausschuss") == "Hauptausschuss"
    assert vocab.canonical("committees", "HA") == "Hauptausschuss"  # archive-wide


def test_the_fingerprint_is_the_councils(tmp_path: Path) -> None:
    vocab = Vocabulary.load(councils(tmp_path))
    text = "---\nconsultations:\n- committee: HA\n---\n"
    altona, nord = (
        vocab.fingerprint(text, "hamburg-altona"),
        vocab.fingerprint(text, "hamburg-nord"),
    )
    assert altona and nord and altona != nord
    assert vocab.fingerprint(text, "hamburg-nord") == vocab.fingerprint(text)


def test_the_digest_changes_with_any_vocabulary_file(tmp_path: Path) -> None:
    corpus = councils(tmp_path)
    first = Vocabulary.load(corpus).digest
    (corpus / "hamburg-nord" / FILE_NAME).write_text("sponsors:\n  SPD: [SPD-Fraktion]\n", "utf-8")
    second = Vocabulary.load(corpus).digest
    (corpus / "hamburg-altona" / FILE_NAME).write_text(ALTONA + "  Bauausschuss: [BA]\n", "utf-8")
    third = Vocabulary.load(corpus).digest
    assert len({first, second, third}) == 3


def test_a_broken_council_vocabulary_names_its_file_and_line(tmp_path: Path) -> None:
    corpus = councils(tmp_path, altona="committees:\n  Hauptausschuss: [HA]\n  Haupt: [HA]\n")
    path = corpus / "hamburg-altona" / FILE_NAME
    with pytest.raises(CorpusError) as caught:
        Vocabulary.load(corpus)
    assert str(caught.value).startswith(f"{path}:3: 'HA' (variant of 'Haupt')")
    vocab, errors = Vocabulary.load_checked(corpus)
    assert [str(e) for e in errors] == [str(caught.value)]
    assert vocab.canonical("sponsors", "CDU-Fraktion") == "CDU"  # the good files still count


def test_a_council_entry_of_an_archive_wide_name_adds_its_spellings(tmp_path: Path) -> None:
    corpus = councils(tmp_path, altona="sponsors:\n  CDU: [CDU Altona]\n  SPD: [CDU-Fraktion]\n")
    vocab = Vocabulary.load(corpus)
    altona, nord = vocab.for_council("hamburg-altona"), vocab.for_council("hamburg-nord")
    assert altona.canonical("sponsors", "CDU Altona") == "CDU"
    assert nord.canonical("sponsors", "CDU Altona") == "CDU Altona"
    assert altona.canonical("sponsors", "CDU-Fraktion") == "SPD"  # the council's own wins
    assert nord.canonical("sponsors", "CDU-Fraktion") == "CDU"
