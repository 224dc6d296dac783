"""German analysis: a user who types any of these words finds the seed motion.

Each test searches a real Whoosh index in tmp_path holding the seed's title and Beschluss
beside real Karlsruhe papers; the compound lexicon comes from the same texts.
"""

from __future__ import annotations

import gzip
import json
import pickle
import re
from itertools import islice
from pathlib import Path

import pytest
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser

from index.analysis import (
    LEXICON_FILE,
    Lexicon,
    analyze_word,
    fold,
    prefix_term,
    prepare_query,
    text_analyzer,
)

SEED_ID = "VO/2024/12903-01"


def seed_doc(seed_path: Path) -> dict[str, str]:
    """The seed's title (from the paper line) and its Beschluss."""
    text = seed_path.read_text(encoding="utf-8")
    title = re.search(r"^VO/2024/12903-01 (.+?)\s*$", text, re.M).group(1)
    resolution = text.split("Beschluss:", 1)[1].split("Abstimmungsergebnis", 1)[0]
    return {"id": SEED_ID, "title": title, "text": resolution}


def karlsruhe_docs(karlsruhe_data: Path, count: int) -> list[dict[str, str]]:
    docs = []
    with gzip.open(karlsruhe_data / "papers.jsonl.gz", "rt", "utf-8") as papers:
        for line in islice(papers, count):
            paper = json.loads(line)
            files = paper.get("auxiliaryFile") or []
            text = next((f["text"] for f in files if f.get("text")), "")
            docs.append({"id": paper["reference"], "title": paper["name"], "text": text})
    return docs


def build_index(where: Path, docs: list[dict[str, str]], lexicon: Lexicon) -> index.Index:
    analyzer = text_analyzer(lexicon)
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, field_boost=2.0),
        text=TEXT(analyzer=analyzer),
    )
    where.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(where), schema)
    with ix.writer() as writer:
        for doc in docs:
            writer.add_document(**doc)
    return ix


def search(ix: index.Index, query: str, limit: int = 20) -> list[str]:
    parser = MultifieldParser(["title", "text"], ix.schema)
    with ix.searcher() as searcher:
        return [
            hit["id"] for hit in searcher.search(parser.parse(prepare_query(query)), limit=limit)
        ]


@pytest.fixture(scope="module")
def corpus(karlsruhe_data: Path, seed_path: Path) -> list[dict[str, str]]:
    return [seed_doc(seed_path), *karlsruhe_docs(karlsruhe_data, 300)]


@pytest.fixture(scope="module")
def lexicon(corpus: list[dict[str, str]]) -> Lexicon:
    return Lexicon.build(f"{doc['title']}\n{doc['text']}" for doc in corpus)


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory, corpus, lexicon) -> index.Index:
    return build_index(tmp_path_factory.mktemp("ix"), corpus[:60], lexicon)


@pytest.mark.parametrize(
    "query",
    [
        "Quartier",  # the text has Quartiere
        "Lebenswelt",  # Lebenswelten
        "gestalten",
        "gestaltet",
        "Angebot",  # Angebote
        "Bürgermeister",
        "Buergermeister",
        "Sozialraum",  # part of Sozialraumorientierung
        "Orientierung",
        "Planung",  # part of Kinder- und Jugendhilfeplanung
        "Jugendhilfe",
        "Akteure",  # the text has Akteur:innen
        "Akteurinnen",
        "Akteur:innen",
        "Akteur*innen",
        "Akteur_innen",
        "AkteurInnen",
        "Quartiere stärken",
        "Quartiere staerken",
    ],
)
def test_the_seed_is_found(ix, query):
    assert SEED_ID in search(ix, query)


@pytest.mark.parametrize("fragment", ["ion", "ung", "Ion", "ierung"])
def test_no_match_on_word_fragments(ix, lexicon, fragment):
    assert SEED_ID not in search(ix, fragment)
    assert analyze_word("Sozialraumorientierung", lexicon)[1]  # it is split ...
    for word in ("Sozialraumorientierung", "Kulturentwicklungsplanung", "Organisation"):
        assert "ion" not in analyze_word(word, lexicon)[1]  # ... but never into fragments
        assert "ung" not in analyze_word(word, lexicon)[1]


def test_whole_word_ranks_above_compound_part(tmp_path, lexicon):
    sentence = "In welcher Zeitschiene können Planung und Umsetzung erfolgen?"  # from the seed
    docs = [
        {"id": "part", "title": "", "text": sentence.replace("Planung", "Jugendhilfeplanung")},
        {"id": "whole", "title": "", "text": sentence},
    ]
    ix = build_index(tmp_path, docs, lexicon)
    assert search(ix, "Planung") == ["whole", "part"]
    assert search(ix, "Jugendhilfeplanung") == ["part"]


@pytest.mark.parametrize("written", ["Akteur*innen", "Akteur_innen", "AkteurInnen", "Akteurinnen"])
@pytest.mark.parametrize("typed", ["Akteure", "Akteurinnen", "Akteur:innen", "AkteurInnen"])
def test_gender_forms_find_each_other(tmp_path, seed_path, written, typed):
    doc = seed_doc(seed_path)
    doc["text"] = doc["text"].replace("Akteur:innen", written)
    ix = build_index(tmp_path, [doc], Lexicon())
    assert search(ix, typed) == [SEED_ID]


def test_binnen_i_is_read_before_lower_casing():
    assert analyze_word("BürgerInnen")[0] == analyze_word("Bürger")[0]
    assert analyze_word("Bearbeiter/-in")[0] == analyze_word("Bearbeiter")[0]
    assert analyze_word("Gewinnen")[0] != analyze_word("Gew")[0]  # a verb, not Gew:innen


def test_spellings_are_folded_at_index_and_query_time(ix):
    strasse = search(ix, "Straße")
    assert strasse, "the Karlsruhe papers mention streets"
    assert search(ix, "Strasse") == strasse
    assert search(ix, "STRASSE") == strasse
    assert search(ix, "Buergermeister") == search(ix, "Bürgermeister")
    assert fold("Straße") == fold("Strasse") == "strasse"
    assert fold("Größe Ärger Übel") == fold("Groesse Aerger Uebel") == "grosse arger ubel"
    assert fold("Steuer neue Quelle") == "steuer neue quelle"  # no umlaut hidden there


def test_line_broken_words_are_joined_but_not_enumerations():
    analyzer = text_analyzer(Lexicon())
    tokens = [t.text for t in analyzer("die Nordtan-\ngente und die Kinder-\nund Jugendhilfe")]
    assert tokens == ["nordtangent", "kind", "jugendhilf"]


def test_query_mode_adds_no_parts(lexicon):
    analyzer = text_analyzer(lexicon)
    indexed = [t.text for t in analyzer("Sozialraumorientierung", mode="index")]
    queried = [t.text for t in analyzer("Sozialraumorientierung", mode="query")]
    assert queried == ["sozialraumorientier"]
    assert {"sozialraum", "orientier"} <= set(indexed)


def test_lexicon_round_trip_and_missing_file(tmp_path, lexicon):
    path = tmp_path / LEXICON_FILE
    lexicon.save(path)
    again = Lexicon.load(path)
    assert again.counts == lexicon.counts and again.nouns == lexicon.nouns
    assert len(Lexicon.load(tmp_path / "missing.tsv.gz")) == 0
    cache = tmp_path / f"{LEXICON_FILE}.marshal"
    assert sorted(p.name for p in tmp_path.iterdir()) == [LEXICON_FILE, cache.name]  # no temp


def test_lexicon_load_cache_is_only_used_for_the_file_it_was_made_from(tmp_path, lexicon):
    """The text file is the lexicon; a broken or stale cache beside it changes nothing."""
    path = tmp_path / LEXICON_FILE
    lexicon.save(path)
    cache = tmp_path / f"{LEXICON_FILE}.marshal"
    other = Lexicon({"sozial": 9, "raum": 9}, ["raum"])
    other.save(tmp_path / "other.tsv.gz")
    for broken in (b"", b"not marshal", (tmp_path / "other.tsv.gz.marshal").read_bytes()):
        cache.write_bytes(broken)
        again = Lexicon.load(path)
        assert again.counts == lexicon.counts and again.nouns == lexicon.nouns


def test_index_toc_holds_no_lexicon(ix, lexicon):
    analyzer = ix.schema["text"].analyzer
    assert len(pickle.dumps(analyzer)) < 2000
    reopened = index.open_dir(ix.storage.folder)  # schema from the TOC, no lexicon
    assert SEED_ID in search(reopened, "Sozialraum")  # searching needs none
    assert len(lexicon) > 1000


def test_parallel_writers_load_the_saved_lexicon(tmp_path, corpus, lexicon):
    saved = Lexicon.load(tmp_path / "missing")  # an empty lexicon has nothing to split with
    assert analyze_word("Sozialraumorientierung", saved)[1] == ()
    lexicon.save(tmp_path / LEXICON_FILE)  # saved first: the TOC names this file
    analyzer = text_analyzer(Lexicon.load(tmp_path / LEXICON_FILE))
    assert len(pickle.dumps(analyzer)) < 2000
    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=analyzer), text=TEXT(analyzer=analyzer))
    (tmp_path / "ix").mkdir()
    ix = index.create_in(str(tmp_path / "ix"), schema)
    with ix.writer(procs=2, multisegment=True) as writer:  # sub-processes unpickle the schema
        for doc in corpus[:8]:
            writer.add_document(**doc)
    assert SEED_ID in search(index.open_dir(str(tmp_path / "ix")), "Sozialraum")


def test_prefix_terms_are_prefixes_of_the_indexed_stems(ix):
    assert prefix_term("Quartier") == "quarti"
    with ix.searcher() as searcher:
        terms = {t.decode() for f, t in searcher.reader().all_terms() if f == "text"}
    for word in ("Quartier", "Lebenswelt", "Sozialraum", "Bürgerm", "Buergerm", "Planungsp"):
        prefix = prefix_term(word)
        assert any(t.startswith(prefix) for t in terms), word
