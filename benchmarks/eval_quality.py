"""Known-item search quality on the real Karlsruhe papers: our German analysis vs. Whoosh's default.

``make eval`` (``python -m benchmarks.eval_quality``) indexes a fixed random sample of papers
(title + text of the paper's own document; the title weighted 6×, as on the site) twice in a
temp dir — with ``index.analysis`` and with Whoosh's default ``StemmingAnalyzer`` — then
asks, for papers of the sample, queries of five kinds and records where the paper ranks
(MRR@10: 1/rank, 0 beyond rank 10):

- ``title``: the two rarest content words of the title, as written;
- ``spelling``: the same with ä/ö/ü/ß typed as ae/oe/ue/ss (titles that have one);
- ``inflection``: the two title words in another form (plural/case endings added or removed);
- ``compound``: a noun that is only part of a long title word (``Verkehr`` of
  ``Verkehrsberuhigung``, not standing alone in the paper, the rest a word too) and the
  rarest other title word;
- ``rare``: three words of the paper's text that are rare in the sample.

Title words are the rarest content words of the title (what someone who knows the paper
types to tell it apart). Queries are the words joined by AND (Whoosh's ``MultifieldParser``
over title and text, default AND group); a paper with the very same title as the one sought
counts as found. The printed table and ``benchmarks/results/eval_quality.json`` hold the numbers.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.analysis import Analyzer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.lang.stopwords import stoplists
from whoosh.qparser import MultifieldParser

from benchmarks.karlsruhe import main_text, papers
from index.analysis import Lexicon, prepare_query, text_analyzer

RESULTS = Path(__file__).resolve().parent / "results" / "eval_quality.json"
KINDS = ("title", "spelling", "inflection", "compound", "rare")
SEED = 20240507
TITLE_BOOST = 6.0  # the site's title : body weights (index/schema.py: 5.0 : 0.8)

_WORD = re.compile(r"[^\W\d_]+")
_LOOSE_WORD = re.compile(r"(?<![\w-])[^\W\d_]{5,}(?![\w-])")
_BROKEN = re.compile(r"[^\W\d_]+-[ \t]*\r?\n[ \t]*[^\W\d_]+")
_STANDALONE = re.compile(r"(?<![\w-])[^\W\d_]{4,}(?![\w-])")
_STOP = set(stoplists["de"]) | {"dass", "sowie", "bzw", "betreff", "antrag", "anfrage"}
_TRANSCRIBE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def load_sample(size: int, rng: random.Random) -> list[dict[str, str]]:
    """``size`` random papers that have a title and extracted text."""
    docs = []
    for paper in papers():
        text = main_text(paper)
        if paper.get("name") and len(text) > 200:
            docs.append({"id": paper["id"], "title": paper["name"], "text": text})
    return rng.sample(docs, min(size, len(docs)))


def build_index(where: Path, docs: list[dict[str, str]], analyzer: Analyzer) -> float:
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, field_boost=TITLE_BOOST, stored=True),
        text=TEXT(analyzer=analyzer),
    )
    start = time.perf_counter()
    ix = index.create_in(str(where), schema)
    with ix.writer(limitmb=256) as writer:
        for doc in docs:
            writer.add_document(**doc)
    return time.perf_counter() - start


# -- query generation (independent of either analyzer) -------------------------------------


class Words:
    """Document frequencies of lower-cased words in the sample, and standalone word forms."""

    def __init__(self, docs: list[dict[str, str]]):
        self.df: Counter[str] = Counter()
        self.standalone: Counter[str] = Counter()
        self.n = len(docs)
        for doc in docs:
            text = f"{doc['title']}\n{doc['text']}"
            self.df.update({w.lower() for w in _WORD.findall(text)})
            self.standalone.update({w for w in _STANDALONE.findall(text)})

    def is_word(self, text: str, head: bool) -> bool:
        """Whether ``text`` is a word: a noun (capitalised in three papers) or a longer word
        standing alone in five; a modifier may carry a Fugen-s/-n/-en/-es/-e, a head an
        ending. Fragments (``liche``, ``schaften``) and particles (``über``) are not."""
        cuts = ("", "e", "en", "n", "s", "es", "er") if head else ("", "s", "n", "en", "es", "e")
        for cut in cuts:
            form = text[: len(text) - len(cut)]
            if not text.endswith(cut) or len(form) < 4 or form in _STOP:
                continue
            if self.standalone[form.capitalize()] >= 3:
                return True
            if len(form) >= 6 and self.standalone[form] >= 5:
                return True
        return False

    def content(self, title: str) -> list[str]:
        """Title words a searcher would type: no stopwords, not in 5% of all papers."""
        seen, words = set(), []
        for word in _WORD.findall(title):
            low = word.lower()
            common = self.df[low] >= 0.05 * self.n
            if len(word) >= 4 and low not in _STOP and low not in seen and not common:
                seen.add(low)
                words.append(word)
        return words


def inflect(word: str) -> str:
    """Another form of ``word``: add or remove a plural or case ending."""
    low = word.lower()
    if low.endswith("ungen"):
        return word[:-2]
    if low.endswith("innen"):
        return word[:-3]  # Künstlerinnen -> Künstlerin
    if low.endswith(("ern", "eln")):
        return word[:-1]  # Bürgern -> Bürger
    if low.endswith("in") and word[0].isupper():
        return word + "nen"  # Trägerin -> Trägerinnen
    if low.endswith(("ung", "heit", "keit", "schaft", "ion")):
        return word + "en"
    if low.endswith("s") and len(low) > 5 and low[-2] not in "aiousß":
        return word[:-1]  # genitive: Friedhofs -> Friedhof
    if low.endswith(("s", "ß", "x", "z")):
        return word + "es"
    if low.endswith("en") and len(low) > 5:
        return word[:-1]  # Anlagen -> Anlage, neuen -> neue
    if low.endswith("e"):
        return word + "n"
    if word[0].islower() and low.endswith(("er", "em")):
        return word[:-1] + "n"  # freier -> freien
    if low.endswith(("er", "el")):
        return word + "n"  # Bürger -> Bürgern
    return word + ("s" if word[0].isupper() else "e")


def rarest(words: Words, candidates: list[str], rng: random.Random, k: int = 2) -> list[str]:
    """The ``k`` rarest candidates (ties broken at random), in title order: the words a
    searcher who knows the paper would pick to tell it apart."""
    if len(candidates) < k:
        return []
    keyed = sorted(candidates, key=lambda w: (words.df[w.lower()], rng.random()))
    chosen = set(keyed[:k])
    return [w for w in candidates if w in chosen]


def title_query(doc, words: Words, rng) -> list[str] | None:
    return rarest(words, words.content(doc["title"]), rng)


def spelling_query(doc, words: Words, rng) -> list[str] | None:
    content = words.content(doc["title"])
    umlauts = [w for w in content if re.search("[äöüßÄÖÜ]", w)]
    if not umlauts or len(content) < 2:
        return None
    first = rarest(words, umlauts, rng, 1)[0]
    other = rarest(words, [w for w in content if w != first], rng, 1)[0]
    return [w.translate(_TRANSCRIBE).replace("ß", "ss") for w in (first, other)]


def inflection_query(doc, words: Words, rng) -> list[str] | None:
    plain = [w for w in words.content(doc["title"]) if w[1:].islower()]  # no GmbH, no KULT
    pair = rarest(words, plain, rng)
    return [inflect(w) for w in pair] if pair else None


def compound_part(long: str, words: Words, own: set[str]) -> str | None:
    """The longest noun that begins or ends ``long`` and stands alone in other papers, where
    the rest of ``long`` is a word too (``Ferien|betreuung`` yes, ``Liegen|schaften`` no)."""
    low = long.lower()
    for size in range(len(low) - 4, 4, -1):  # leave at least four letters for the rest
        for piece, rest, head in (
            (low[-size:], low[:-size], False),
            (low[:size], low[size:], True),
        ):
            if piece in own or piece.startswith("inn"):  # Einwohner|innen is no compound
                continue
            if words.standalone[piece.capitalize()] >= 5 and words.is_word(rest, head):
                return piece.capitalize()
    return None


def compound_query(doc, words: Words, rng) -> list[str] | None:
    content = words.content(doc["title"])
    own = {w.lower() for w in _STANDALONE.findall(f"{doc['title']}\n{doc['text']}")}
    options = [(w, part) for w in content if len(w) >= 10 if (part := compound_part(w, words, own))]
    if not options or len(content) < 2:
        return None
    long, part = rng.choice(options)
    other = rarest(words, [w for w in content if w != long], rng, 1)[0]
    return [part, other] if content.index(long) < content.index(other) else [other, part]


def rare_query(doc, words: Words, rng) -> list[str] | None:
    text = _BROKEN.sub(" ", doc["text"])
    found = {
        w: None
        for w in _LOOSE_WORD.findall(text)
        if not w.isupper() and words.df[w.lower()] <= 3 and w.lower() not in _STOP
    }
    if len(found) < 3:
        return None
    return rng.sample(sorted(found), 3)


GENERATORS: dict[str, Callable[..., list[str] | None]] = {
    "title": title_query,
    "spelling": spelling_query,
    "inflection": inflection_query,
    "compound": compound_query,
    "rare": rare_query,
}


def make_queries(docs, words: Words, per_kind: int, rng) -> dict[str, list[tuple[str, str]]]:
    queries: dict[str, list[tuple[str, str]]] = {}
    for kind in KINDS:
        order = rng.sample(range(len(docs)), len(docs))
        queries[kind] = []
        for i in order:
            terms = GENERATORS[kind](docs[i], words, rng)
            if terms:
                queries[kind].append((docs[i]["id"], " ".join(terms)))
            if len(queries[kind]) >= per_kind:
                break
    return queries


# -- evaluation -----------------------------------------------------------------------------


def same_title(title: str) -> str:
    return " ".join(title.lower().split())


def evaluate(where: Path, queries, titles: dict[str, str], prepare) -> dict[str, Any]:
    """MRR@10 per kind; a paper with the very same title as the one sought counts as it."""
    ix = index.open_dir(str(where))
    parser = MultifieldParser(["title", "text"], ix.schema)
    scores: dict[str, Any] = {}
    misses: dict[str, list[str]] = {}
    with ix.searcher() as searcher:
        for kind, items in queries.items():
            ranks = []
            for doc_id, text in items:
                hits = searcher.search(parser.parse(prepare(text)), limit=10)
                found = [same_title(h["title"]) == titles[doc_id] for h in hits]
                rank = found.index(True) + 1 if any(found) else None
                ranks.append(rank)
                if rank is None and len(misses.setdefault(kind, [])) < 5:
                    misses[kind].append(text)
            scores[kind] = summary(ranks)
    all_ranks = []
    for kind in queries:
        all_ranks += scores[kind].pop("_ranks")
    scores["overall"] = summary(all_ranks)
    scores["overall"].pop("_ranks")
    scores["misses"] = misses
    return scores


def summary(ranks: list[int | None]) -> dict[str, Any]:
    n = len(ranks)
    return {
        "queries": n,
        "mrr@10": round(sum(1 / r for r in ranks if r) / n, 4) if n else 0.0,
        "hits@10": round(sum(1 for r in ranks if r) / n, 4) if n else 0.0,
        "_ranks": ranks,
    }


def analyzer_speed(docs: list[dict[str, str]], lexicon: Lexicon) -> dict[str, float]:
    """MB/s (UTF-8) of our analyzer alone over the sample, fresh caches, CPU time."""
    analyzer = text_analyzer(lexicon)
    size = sum(len(d["title"].encode()) + len(d["text"].encode()) for d in docs) / 1e6
    start = time.process_time()
    tokens = 0
    for doc in docs:
        for text in (doc["title"], doc["text"]):
            for _ in analyzer(text, positions=True, chars=True, mode="index"):
                tokens += 1
    seconds = time.process_time() - start
    return {
        "mb": round(size, 1),
        "cpu_seconds": round(seconds, 1),
        "mb_per_s": round(size / seconds, 2),
    }


def print_table(results: dict[str, Any]) -> None:
    ours, base = results["ours"], results["baseline"]
    print(f"{'kind':<12}{'queries':>8}{'ours':>9}{'baseline':>10}   (MRR@10)")
    for kind in (*KINDS, "overall"):
        print(
            f"{kind:<12}{ours[kind]['queries']:>8}{ours[kind]['mrr@10']:>9.3f}"
            f"{base[kind]['mrr@10']:>10.3f}"
        )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=3000, help="papers to index")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    started = time.perf_counter()
    docs = load_sample(args.docs, rng)
    start = time.perf_counter()
    lexicon = Lexicon.build(f"{d['title']}\n{d['text']}" for d in docs)
    lexicon_seconds = time.perf_counter() - start
    queries = make_queries(docs, Words(docs), args.queries, rng)
    titles = {d["id"]: same_title(d["title"]) for d in docs}

    results: dict[str, Any] = {
        "config": {
            "docs": len(docs),
            "queries_per_kind": args.queries,
            "seed": args.seed,
            "title_boost": TITLE_BOOST,
            "query": "MultifieldParser(title, text), AND of the words",
            "relevant": "the paper, or a paper with the very same title",
            "baseline": "whoosh.analysis.StemmingAnalyzer()",
        },
        "lexicon": {"forms": len(lexicon), "nouns": len(lexicon.nouns)},
        "timings": {"lexicon_build_s": round(lexicon_seconds, 1)},
    }
    with tempfile.TemporaryDirectory(prefix="ratsarchiv-eval-") as tmp:
        for name, analyzer, prepare in (
            ("ours", text_analyzer(lexicon), prepare_query),
            ("baseline", StemmingAnalyzer(), str),
        ):
            where = Path(tmp) / name
            where.mkdir()
            results["timings"][f"index_{name}_s"] = round(build_index(where, docs, analyzer), 1)
            results[name] = evaluate(where, queries, titles, prepare)
    results["analyzer_speed"] = analyzer_speed(docs, lexicon)
    results["timings"]["total_s"] = round(time.perf_counter() - started, 1)
    results["examples"] = {kind: [q for _, q in items[:5]] for kind, items in queries.items()}

    print_table(results)
    speed = results["analyzer_speed"]
    print(f"analyzer: {speed['mb']} MB in {speed['cpu_seconds']} s CPU = {speed['mb_per_s']} MB/s")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"written {args.output}")
    return results


if __name__ == "__main__":
    main()
