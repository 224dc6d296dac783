"""Known-item search quality on real Karlsruhe papers: the site's search beside plain Whoosh.

``make eval`` (``python -m benchmarks.eval_quality``) takes a fixed random sample of the
Karlsruhe papers (1,200 that have a title and extracted text), imports them with the
project's OParl importer into a corpus in a temp dir and builds the index with the
project's full ``reindex``. Every query then goes through ``index.search.SearchIndex.search``,
the one search API of the web site, the JSON API and ``ratsarchiv search`` (its query
compiler, matcher, field boosts and compound lexicon, as shipped).

Two baselines index the same imported motions as a straightforward Whoosh application
would (``benchmarks/whoosh_default.py``'s fields: title, resolution, questions, reasons,
body, sponsors; no field boosts) and answer with ``MultifieldParser`` over those fields
(an AND of the words) and Whoosh's BM25F:

- ``whoosh_default``: ``TEXT()``'s default analyzer (``StandardAnalyzer``: lower case,
  English stopwords);
- ``whoosh_de``: ``LanguageAnalyzer("de")`` (German stopwords, Snowball stemmer).

For papers of the sample it asks queries of six kinds and records where the paper ranks
(MRR@10: 1/rank, 0 beyond rank 10; a paper with the very same title counts as found):

- ``title``: the two rarest content words of the title, as written;
- ``spelling``: the same with ä/ö/ü/ß typed as ae/oe/ue/ss (titles that have one);
- ``inflection``: the two title words in another form (plural/case endings added or removed);
- ``compound_head``: the head of a long title word (``Beiträge`` of
  ``Straßenausbaubeiträge``) that does not stand alone in the paper, and the rarest other
  title word;
- ``compound_modifier``: the same with the front part (``Straßen`` of it);
- ``rare``: three words of the paper's text that occur in at most three papers.

Title words are the rarest content words of the title (what someone who knows the paper
types to tell it apart). The printed table and ``benchmarks/results/eval_quality.json``
hold the numbers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.analysis import Analyzer, LanguageAnalyzer, StandardAnalyzer
from whoosh.lang.stopwords import stoplists
from whoosh.qparser import MultifieldParser

from archive.corpus import iter_motion_files, read_motion
from archive.errors import CorpusErrors
from archive.importers.oparl_import import import_oparl
from archive.motion import Motion
from benchmarks import whoosh_default
from benchmarks.karlsruhe import MEETINGS, PAPERS, main_text
from index.analysis import LEXICON_FILE, Lexicon, text_analyzer
from index.generations import live_generation
from index.indexer import reindex
from index.results import SearchRequest
from index.search import SearchIndex

RESULTS = Path(__file__).resolve().parent / "results" / "eval_quality.json"
ORGANIZATIONS = PAPERS.parent / "organizations.json"
KINDS = ("title", "spelling", "inflection", "compound_head", "compound_modifier", "rare")
SYSTEMS = ("ratsarchiv", "whoosh_default", "whoosh_de")
SEED = 20240507

Ranker = Callable[[str], list[tuple[str, str]]]
"""A search: query text → the first ten hits as (slug, title)."""

_WORD = re.compile(r"[^\W\d_]+")
_LOOSE_WORD = re.compile(r"(?<![\w-])[^\W\d_]{5,}(?![\w-])")
_BROKEN = re.compile(r"[^\W\d_]+-[ \t]*\r?\n[ \t]*[^\W\d_]+")
_STANDALONE = re.compile(r"(?<![\w-])[^\W\d_]{4,}(?![\w-])")
_STOP = set(stoplists["de"]) | {"dass", "sowie", "bzw", "betreff", "antrag", "anfrage"}
_TRANSCRIBE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


# -- the sample, imported and indexed as the site does it ----------------------------------


def sample_papers(size: int, rng: random.Random, target: Path) -> int:
    """Write ``size`` random papers with a title and extracted text to ``target`` (JSON lines)."""
    eligible = []
    with gzip.open(PAPERS, "rt", encoding="utf-8") as lines:
        for line in lines:
            paper = json.loads(line)
            if not paper.get("deleted") and paper.get("name") and len(main_text(paper)) > 200:
                eligible.append(line)
    chosen = sorted(rng.sample(range(len(eligible)), min(size, len(eligible))))
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=1) as out:
        out.writelines(eligible[i] for i in chosen)
    return len(chosen)


def motions(corpus: Path) -> list[Motion]:
    found = []
    for path in iter_motion_files(corpus):
        try:
            motion = read_motion(path)
        except CorpusErrors:
            continue
        if motion.public:
            found.append(motion)
    return found


def text_of(motion: Motion) -> str:
    """Every searchable text of a motion but its title."""
    return "\n".join([motion.resolution, *motion.questions, motion.reasons, motion.body])


def build_baseline(where: Path, docs: list[Motion], analyzer: Analyzer) -> float:
    """Index ``docs`` as plain Whoosh does (one process, default pool); seconds taken."""
    start = time.perf_counter()
    where.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(where), whoosh_default.schema(analyzer))
    with ix.writer() as writer:
        for motion in docs:
            writer.add_document(**whoosh_default.document(motion))
    return time.perf_counter() - start


@contextmanager
def site_search(index_dir: Path) -> Iterator[Ranker]:
    """The site's search (``SearchIndex.search``) on the index in ``index_dir``."""
    search_index = SearchIndex.open(index_dir)
    try:
        yield lambda text: [
            (h.slug, h.title) for h in search_index.search(SearchRequest(text)).hits
        ]
    finally:
        search_index.close()


@contextmanager
def whoosh_search(where: Path) -> Iterator[Ranker]:
    """``MultifieldParser`` over the baseline's text fields (AND), Whoosh's BM25F."""
    ix = index.open_dir(str(where))
    parser = MultifieldParser(list(whoosh_default.TEXT_FIELDS), ix.schema)
    with ix.searcher() as searcher:
        yield lambda text: [
            (hit["slug"], hit["title"]) for hit in searcher.search(parser.parse(text), limit=10)
        ]


# -- query generation (independent of every system) ----------------------------------------


class Words:
    """Document frequencies of lower-cased words in the sample, and standalone word forms."""

    def __init__(self, docs: list[Motion]):
        self.df: Counter[str] = Counter()
        self.standalone: Counter[str] = Counter()
        self.n = len(docs)
        for doc in docs:
            text = f"{doc.title}\n{text_of(doc)}"
            self.df.update({w.lower() for w in _WORD.findall(text)})
            self.standalone.update(set(_STANDALONE.findall(text)))

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


def title_query(doc: Motion, words: Words, rng: random.Random) -> list[str] | None:
    return rarest(words, words.content(doc.title), rng)


def spelling_query(doc: Motion, words: Words, rng: random.Random) -> list[str] | None:
    content = words.content(doc.title)
    umlauts = [w for w in content if re.search("[äöüßÄÖÜ]", w)]
    if not umlauts or len(content) < 2:
        return None
    first = rarest(words, umlauts, rng, 1)[0]
    other = rarest(words, [w for w in content if w != first], rng, 1)[0]
    return [w.translate(_TRANSCRIBE).replace("ß", "ss") for w in (first, other)]


def inflection_query(doc: Motion, words: Words, rng: random.Random) -> list[str] | None:
    plain = [w for w in words.content(doc.title) if w[1:].islower()]  # no GmbH, no KULT
    pair = rarest(words, plain, rng)
    return [inflect(w) for w in pair] if pair else None


def compound_part(long: str, words: Words, own: set[str], head: bool) -> str | None:
    """The longest noun that ends (``head``) or begins ``long`` and stands alone in other
    papers, where the rest of ``long`` is a word too (``Ferien|betreuung`` yes,
    ``Liegen|schaften`` no)."""
    low = long.lower()
    for size in range(len(low) - 4, 4, -1):  # leave at least four letters for the rest
        piece, rest = (low[-size:], low[:-size]) if head else (low[:size], low[size:])
        if piece in own or piece.startswith("inn"):  # Einwohner|innen is no compound
            continue
        if words.standalone[piece.capitalize()] >= 5 and words.is_word(rest, not head):
            return piece.capitalize()
    return None


def compound_query(head: bool) -> Callable[[Motion, Words, random.Random], list[str] | None]:
    def query(doc: Motion, words: Words, rng: random.Random) -> list[str] | None:
        content = words.content(doc.title)
        own = {w.lower() for w in _STANDALONE.findall(f"{doc.title}\n{text_of(doc)}")}
        options = [
            (w, part)
            for w in content
            if len(w) >= 10
            if (part := compound_part(w, words, own, head))
        ]
        if not options or len(content) < 2:
            return None
        long, part = rng.choice(options)
        other = rarest(words, [w for w in content if w != long], rng, 1)[0]
        return [part, other] if content.index(long) < content.index(other) else [other, part]

    return query


def rare_query(doc: Motion, words: Words, rng: random.Random) -> list[str] | None:
    text = _BROKEN.sub(" ", text_of(doc))
    found = {
        w: None
        for w in _LOOSE_WORD.findall(text)
        if not w.isupper() and words.df[w.lower()] <= 3 and w.lower() not in _STOP
    }
    if len(found) < 3:
        return None
    return rng.sample(sorted(found), 3)


GENERATORS: dict[str, Callable[[Motion, Words, random.Random], list[str] | None]] = {
    "title": title_query,
    "spelling": spelling_query,
    "inflection": inflection_query,
    "compound_head": compound_query(head=True),
    "compound_modifier": compound_query(head=False),
    "rare": rare_query,
}


def make_queries(
    docs: list[Motion], words: Words, per_kind: int, rng: random.Random
) -> dict[str, list[tuple[str, str]]]:
    """Per kind, up to ``per_kind`` (slug of the paper sought, query text)."""
    queries: dict[str, list[tuple[str, str]]] = {}
    for kind in KINDS:
        order = rng.sample(range(len(docs)), len(docs))
        queries[kind] = []
        for i in order:
            terms = GENERATORS[kind](docs[i], words, rng)
            if terms:
                queries[kind].append((docs[i].slug, " ".join(terms)))
            if len(queries[kind]) >= per_kind:
                break
    return queries


# -- evaluation -----------------------------------------------------------------------------


def same_title(title: str) -> str:
    return " ".join(title.lower().split())


def evaluate(search: Ranker, queries, titles: dict[str, str]) -> dict[str, Any]:
    """MRR@10 per kind; a paper with the very same title as the one sought counts as it."""
    scores: dict[str, Any] = {}
    misses: dict[str, list[str]] = {}
    every: list[int | None] = []
    start = time.perf_counter()
    for kind, items in queries.items():
        ranks = []
        for slug, text in items:
            found = [s == slug or same_title(t) == titles[slug] for s, t in search(text)]
            rank = found.index(True) + 1 if any(found) else None
            ranks.append(rank)
            if rank is None and len(misses.setdefault(kind, [])) < 5:
                misses[kind].append(text)
        scores[kind] = summary(ranks)
        every += ranks
    scores["overall"] = summary(every)
    scores["ms_per_query"] = round(1000 * (time.perf_counter() - start) / max(1, len(every)), 1)
    scores["misses"] = misses
    return scores


def summary(ranks: list[int | None]) -> dict[str, Any]:
    n = len(ranks)
    found = sum(1 for r in ranks if r)
    return {
        "queries": n,
        "mrr@10": round(sum(1 / r for r in ranks if r) / n, 4) if n else 0.0,
        "not_in_top10": round((n - found) / n, 4) if n else 0.0,
    }


def lexicon_stats(gen: Path) -> dict[str, Any]:
    """Size of the index's compound lexicon and how long loading it takes (as a reindex
    does: the first load parses the text, later ones read the cache beside it)."""
    path = gen / LEXICON_FILE
    cache = path.with_name(path.name + ".marshal")
    cache.unlink(missing_ok=True)
    start = time.perf_counter()
    Lexicon.load(path)
    parse_s = time.perf_counter() - start
    Lexicon.load(path).save(path)  # the same bytes again, and the cache beside them
    start = time.perf_counter()
    lexicon = Lexicon.load(path)
    cached_s = time.perf_counter() - start
    return {
        "forms": len(lexicon),
        "nouns": len(lexicon.nouns),
        "file_kb": round(path.stat().st_size / 1024),
        "load_ms": round(1000 * cached_s, 1),
        "load_without_cache_ms": round(1000 * parse_s, 1),
    }


def analyzer_speed(docs: list[Motion], lexicon: Lexicon) -> dict[str, float]:
    """MB/s (UTF-8) of the site's analyzer alone over the sample, fresh caches, CPU time."""
    analyzer = text_analyzer(lexicon)
    texts = [text for doc in docs for text in (doc.title, text_of(doc))]
    size = sum(len(text.encode()) for text in texts) / 1e6
    start = time.process_time()
    for text in texts:
        for _ in analyzer(text, positions=True, chars=True, mode="index"):
            pass
    seconds = time.process_time() - start
    return {
        "mb": round(size, 1),
        "cpu_seconds": round(seconds, 1),
        "mb_per_s": round(size / seconds, 2),
    }


def print_table(results: dict[str, Any]) -> None:
    print(f"{'kind':<19}{'queries':>8}" + "".join(f"{s:>16}" for s in SYSTEMS))
    for kind in (*KINDS, "overall"):
        cells = [results[s][kind] for s in SYSTEMS]
        row = "".join(f"{c['mrr@10']:>9.3f} ({c['not_in_top10']:>4.0%})" for c in cells)
        print(f"{kind:<19}{cells[0]['queries']:>8}{row}")
    print("(MRR@10, in brackets the share of queries whose paper is not in the top ten)")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=1200, help="papers in the sample")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--workdir", type=Path, help="keep corpus and indexes here (default: temp)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ratsarchiv-eval-") as tmp:
        work = args.workdir or Path(tmp)
        results = run(work, args)
    results["timings"]["total_s"] = round(time.perf_counter() - started, 1)

    print_table(results)
    speed = results["analyzer_speed"]
    print(f"analyzer: {speed['mb']} MB in {speed['cpu_seconds']} s CPU = {speed['mb_per_s']} MB/s")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"written {args.output}")
    return results


def run(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Import, index and search the sample in ``work``; a kept corpus of the same sample
    and its baseline indexes are reused (the site's index is always built anew)."""
    rng = random.Random(args.seed)
    timings: dict[str, float] = {}
    corpus, index_dir = work / "corpus", work / "index"
    stamp = {"papers": args.papers, "seed": args.seed, "source": PAPERS.stat().st_size}
    stamp_file = work / "sample.json"
    fresh = not stamp_file.exists() or json.loads(stamp_file.read_text()) != stamp
    sampled = work / "papers.jsonl.gz"
    start = time.perf_counter()
    if fresh:
        for old in (corpus, work / "whoosh_default", work / "whoosh_de"):
            if old.exists():
                raise SystemExit(f"{old} exists from another sample: remove it first")
        work.mkdir(parents=True, exist_ok=True)
        sample_papers(args.papers, rng, sampled)
        import_oparl(str(sampled), corpus, meetings=MEETINGS, organizations=ORGANIZATIONS)
        stamp_file.write_text(json.dumps(stamp))
        timings["import_s"] = round(time.perf_counter() - start, 1)
    docs = motions(corpus)
    rng = random.Random(args.seed + 1)  # the same queries for a kept corpus
    queries = make_queries(docs, Words(docs), args.queries, rng)
    titles = {d.slug: same_title(d.title) for d in docs}

    start = time.perf_counter()
    reindex(corpus, index_dir, full=True)
    timings["reindex_full_s"] = round(time.perf_counter() - start, 1)
    gen = live_generation(index_dir)
    assert gen is not None
    results: dict[str, Any] = {
        "config": {
            "papers": len(docs),
            "queries_per_kind": args.queries,
            "seed": args.seed,
            "ratsarchiv": "index.search.SearchIndex.search (the site's search) on a full reindex",
            "whoosh_default": "TEXT() (StandardAnalyzer), MultifieldParser, BM25F, no boosts",
            "whoosh_de": 'LanguageAnalyzer("de"), MultifieldParser, BM25F, no boosts',
            "relevant": "the paper, or a paper with the very same title",
        },
        "lexicon": lexicon_stats(gen),
        "timings": timings,
    }
    with site_search(index_dir) as search:
        results["ratsarchiv"] = evaluate(search, queries, titles)
    for name, analyzer in (
        ("whoosh_default", StandardAnalyzer()),
        ("whoosh_de", LanguageAnalyzer("de")),
    ):
        where = work / name
        if not (where / "done").exists():
            timings[f"index_{name}_s"] = round(build_baseline(where, docs, analyzer), 1)
            (where / "done").touch()
        with whoosh_search(where) as search:
            results[name] = evaluate(search, queries, titles)
    results["analyzer_speed"] = analyzer_speed(docs, Lexicon.load(gen / LEXICON_FILE))
    results["examples"] = {kind: [q for _, q in items[:5]] for kind, items in queries.items()}
    return results


if __name__ == "__main__":
    main()
