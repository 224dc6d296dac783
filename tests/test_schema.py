"""index.schema: the one schema, facets declared once, references and documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.motion import Consultation, Motion, Votes
from archive.outcomes import RESULTS, VOTE_CLASSES
from archive.publicity import public_view
from index.analysis import Lexicon
from index.documents import to_document
from index.schema import (
    FACETS,
    FACETS_BY_NAME,
    QUERY_PREFIXES,
    SEPARATOR,
    build_schema,
    reference_variants,
)


@pytest.mark.parametrize(
    ("reference", "exact", "base"),
    [
        (
            "VO/2024/12903-01",
            ["vo/2024/12903-01", "2024/12903-01", "12903-01"],
            ["vo/2024/12903", "2024/12903", "12903"],
        ),
        (
            "VO/2025/14058-01-01",
            ["vo/2025/14058-01-01", "2025/14058-01-01", "14058-01-01"],
            [
                "vo/2025/14058-01",
                "vo/2025/14058",
                "2025/14058-01",
                "2025/14058",
                "14058-01",
                "14058",
            ],
        ),
        ("2015/0316", ["2015/0316", "0316"], []),
        ("21-1234.1", ["21-1234.1"], ["21-1234"]),
        ("22-0621", ["22-0621"], []),
    ],
)
def test_reference_variants(reference: str, exact: list[str], base: list[str]) -> None:
    assert reference_variants(reference) == (exact, base)


def test_facets_are_declared_once_with_labels_prefixes_and_order() -> None:
    assert [f.name for f in FACETS] == [
        "council", "committee", "sponsor", "result", "type", "year", "lead", "votes"
    ]  # fmt: skip
    for spec in FACETS:
        assert spec.label_de and spec.label_en and spec.prefix
        assert QUERY_PREFIXES[spec.prefix] == QUERY_PREFIXES[spec.name] == spec.name
        assert spec.order in ("count", "value", "value_desc", "fixed")
        assert spec.field in build_schema(Lexicon()).names()
    assert [f.name for f in FACETS if f.multi] == ["committee", "sponsor"]
    assert FACETS_BY_NAME["result"].fixed_order == RESULTS
    assert FACETS_BY_NAME["votes"].fixed_order == VOTE_CLASSES


def seed_like() -> Motion:
    return Motion(
        reference="VO/2024/12903-01",
        title="Quartiere stärken",
        type="Antrag",
        date="2024-05-07",
        sponsors=["SPD & FW", "Linke & GAL"],
        lead="Sozialamt",
        consultations=[
            Consultation("Hauptausschuss", date="2024-04-01", public=False, result="vertagt"),
            Consultation(
                "Ausschuss für Soziales",
                date="2024-05-07",
                result="mehrheitlich abgelehnt",
                votes=Votes(yes=7, no=8),
            ),
        ],
        resolution="Der **Rat** beschließt [dies](https://example.org).",
        body="## Wortprotokoll\n\n- erster Punkt\n- zweiter Punkt",
    )


def test_document_holds_facets_plain_text_and_the_motion() -> None:
    doc = to_document(public_view(seed_like()), "2024/vo-2024-12903-01.md", "abc")
    assert doc["facet_committee"] == "Ausschuss für Soziales"  # the closed session is gone
    assert doc["facet_sponsor"].split(SEPARATOR) == ["SPD & FW", "Linke & GAL"]
    assert doc["facet_result"] == "abgelehnt"
    assert doc["facet_votes"] == "knapp"
    assert doc["facet_year"] == "2024" and doc["facet_type"] == "Antrag"
    assert doc["resolution"] == "Der Rat beschließt dies."
    assert doc["body"] == "Wortprotokoll\n\nerster Punkt\nzweiter Punkt"
    hit = json.loads(doc["hit"])
    assert (hit["result"], hit["result_class"]) == ("mehrheitlich abgelehnt", "abgelehnt")
    assert hit["committees"] == ["Ausschuss für Soziales"]
    assert hit["opening"] == "Der Rat beschließt dies."
    stored = json.loads(doc["motion"])
    assert [c["committee"] for c in stored["consultations"]] == ["Ausschuss für Soziales"]
    assert stored["resolution"].startswith("Der **Rat**")  # Markdown kept for the page


def test_every_document_field_is_in_the_schema() -> None:
    names = set(build_schema(Lexicon()).names())
    assert set(to_document(seed_like(), "x.md", "abc")) <= names


def test_body_indexing_fast_path_indexes_what_the_analyser_chain_does(
    karlsruhe_corpus: Path, seed_path: Path
) -> None:
    """The body field skips Whoosh's token pipeline for speed; its terms, frequencies,
    weights (compound parts count half) and phrase sequence must stay exactly the same,
    or searches would find different documents after a full rebuild."""
    texts = [seed_path.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(karlsruhe_corpus.rglob("*.md"))[:40]]
    texts.append("Die Akteur:innen, Akteur*innen und AkteurInnen der Straße; Bürgermeister 2024!")
    body = build_schema(Lexicon.build(texts))["body"]
    part_weights = 0
    for text in texts:
        fast = sorted(body.index(text))
        fast_sequence = body.to_column_value(text)
        generic = sorted(body._index_generic(text, mode="index"))
        assert fast == generic
        assert fast_sequence == body.to_column_value(text)
        part_weights += sum(1 for _, _, weight, _ in fast if weight % 1)
    assert part_weights > 0, "compound parts were indexed (at half weight)"
