"""German text analysis for the Whoosh index: folding, stemming, compounds, gender forms.

Contract (Whoosh 2.7.4 analysis API; other modules use only these names)::

    Lexicon.build(texts, base=base_lexicon()) -> Lexicon   # the corpus's words merged with
                                          # the shipped base list, for compound splitting
    lexicon.save(path)                    # atomic; store it in the index dir as LEXICON_FILE
    Lexicon.load(path) -> Lexicon         # missing file -> empty lexicon (no compound splitting)
    text_analyzer(lexicon) -> Analyzer    # for every full-text field (TEXT(analyzer=...))
    query_analyzer() -> Analyzer          # the same chain; queries never split compounds
    prepare_query(qstring) -> str         # before the query is parsed: Akteur:innen -> Akteur_innen
    prefix_term(word) -> str              # the term prefix for a prefix query: Quartier* -> quarti
    fold(text) -> str                     # spelling folding for facet/keyword matching
    analyze_word(word, lexicon) -> (stem | None, parts)   # for tests and debugging
    GermanFilter.analyze, .index_cache    # one word's analysis, for index.fields' fast path

How a token is analysed (one filter after ``RegexTokenizer(expression=TOKEN_PATTERN)``):

1. Gender forms lose their feminine ending before lower-casing (the Binnen-I is only visible
   then): ``Akteur:innen``, ``Akteur*innen``, ``Akteur_innen``, ``AkteurInnen``,
   ``Akteurinnen`` all become ``akteur`` — as do ``Akteur`` and ``Akteure``.
2. ``fold``: ``Straße``/``Strasse`` → ``strasse``, ``Bürger``/``Buerger`` → ``burger``.
3. German stopwords go (``removestops=False`` keeps them, marked ``stopped``).
4. Snowball German stemmer (``whoosh.lang.snowball``) plus rules for endings it leaves:
   ``gestaltet``→``gestalt``, ``organisiert``→``organisi``, ``beantragt``→``beantrag``,
   ``Mitteln``→``mittel``, ``Kitas``/``Umbaus``→``kita``/``umbau`` (-s after a vowel).
5. Compounds (index mode only, with a non-empty lexicon): after the whole word's stem, the
   stems of its parts follow AT THE SAME POSITION with ``boost=PART_BOOST`` (0.5). The field
   format sums token boosts into the term weight, so a whole-word match scores above a part
   match in the same field — no extra field and no special query needed.
   ``Kinder- und Jugendhilfeplanung`` is indexed as ``kind``, ``jugendhilfeplan``
   + parts ``jugend``, ``jugendhilf``, ``hilf``, ``hilfeplan``, ``planung``.
   Facet/keyword fields should not use this analyzer: compare ``fold(value)`` instead.

Pickling (Whoosh pickles the schema into the index's TOC): the analyzer pickles only the
FILE NAME of its lexicon — the path it was loaded from or last saved to — never the words,
so the TOC stays small. An unpickled analyzer loads that file (once per process) the first
time it indexes; queries never need it. Ratsarchiv's own writers do not depend on this:
they open an index with a schema built from ``Lexicon.load(path)``
(``index.generations.open_generation(write=True)`` and the full build's workers), after the
full build saved the lexicon (``lexicon.save(path)``) into the new generation. A schema
read back from a TOC whose lexicon file has moved or gone indexes without compound parts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from whoosh.analysis import Analyzer, Filter, RegexTokenizer
from whoosh.lang.snowball.german import GermanStemmer
from whoosh.lang.stopwords import stoplists

from index.lexicon import (
    LEXICON_FILE,
    TOKEN_PATTERN,
    Lexicon,
    base_form,
    base_lexicon,
    fold,
    fold_umlauts,
    strip_feminine,
    transcribe,
)

__all__ = [
    "LEXICON_FILE",
    "PART_BOOST",
    "STOPWORDS",
    "TOKEN_PATTERN",
    "GermanFilter",
    "Lexicon",
    "analyze_word",
    "base_lexicon",
    "fold",
    "prefix_term",
    "prepare_query",
    "query_analyzer",
    "stem",
    "text_analyzer",
]

PART_BOOST = 0.5
CACHE_SIZE = 150_000  # per generation (two are kept)
#: Snowball's German list, folded; ``weg`` stays searchable (Radweg, Weg), ``dass`` is added.
STOPWORDS = frozenset(fold(w) for w in stoplists["de"]) - {"weg"} | {"dass"}

_stemmer = GermanStemmer()
_stems: dict[str, str] = {}
_QUERY_GENDER = re.compile(r"(?<=[^\W\d_])[:*](?=[Ii]n(?:nen)?\b)")
_VOWELS = frozenset("aeiouy")


def stem(form: str) -> str:
    """The stem of a folded word: Snowball German plus the verb endings it leaves."""
    result = _stems.get(form)
    if result is None:
        if len(_stems) >= CACHE_SIZE:
            _stems.clear()
        result = _stems[form] = _stem(form)
    return result


def _stem(form: str) -> str:
    result = _stemmer.stem(form)
    if len(result) < 4 or not form.isalpha():
        return result
    if result[-1] == "s" and result[-2] in "aiouy":
        return result[:-1]  # Kitas, Autos, Umbaus -> kita, auto, umbau (and Haus -> hau)
    if len(result) < 5:
        return result
    if result.endswith("et") and result != "internet":
        before = result[-3]
        if before in "dt" or (before in "mn" and result[-4] not in _VOWELS):
            return result[:-2]  # gestaltet, arbeitet, rechnet
    elif result.endswith("iert"):
        return result[:-3]  # organisiert -> organisi (as organisieren)
    elif result.endswith("gt"):
        return result[:-1]  # beantragt -> beantrag
    elif result.endswith("eln"):
        return result[:-1]  # Mitteln, regeln -> mittel, regel (as Mittel, Regelung)
    return result


def analyze_word(word: str, lexicon: Lexicon | None = None) -> tuple[str | None, tuple[str, ...]]:
    """``(stem, part stems)`` of one token; ``(None, ())`` for a stopword."""
    base, _ = base_form(word)
    literal = strip_feminine(fold_umlauts(base))
    form = transcribe(literal)
    if form in STOPWORDS:
        return None, ()
    if not form.isalpha():
        return form, ()
    whole = stem(form)
    if lexicon is None or not lexicon.counts:
        return whole, ()
    pieces = lexicon.split(literal)
    parts: list[str] = []
    for i in range(len(pieces)):
        for j in range(i + 1, len(pieces) + 1):
            if j - i == len(pieces):
                continue
            part = stem(transcribe("".join(pieces[i:j])))
            if part != whole and part not in parts:
                parts.append(part)
    return whole, tuple(parts)


class GermanFilter(Filter):
    """Gender forms, folding, stopwords, stemming and compound parts in one cached pass."""

    def __init__(self, lexicon: Lexicon | None = None):
        self._lexicon: Lexicon | None = lexicon if lexicon is not None else Lexicon()
        self._path: str | None = None
        self._cache: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self._query_cache: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self._older: dict[bool, dict[str, tuple[str | None, tuple[str, ...]]]] = {
            False: {},
            True: {},
        }

    @property
    def index_cache(self) -> dict[str, tuple[str | None, tuple[str, ...]]]:
        """The current cache of ``analyze`` in index mode (word → stem and parts), for
        ``index.fields.SequencedText``, which looks each word up without a call."""
        return self._cache

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon; an unpickled filter loads it from the saved file on first need."""
        if self._lexicon is None:
            self._lexicon = _load_shared(self._path)
        return self._lexicon

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__getstate__() == self.__getstate__()

    def __hash__(self) -> int:
        return hash(self.__getstate__()["lexicon"])

    def __getstate__(self) -> dict[str, Any]:
        # The index's TOC gets the lexicon's file name, not its words (see the module docstring).
        path = self._lexicon.path if self._lexicon is not None else self._path
        return {"lexicon": str(path) if path else None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()
        self._lexicon, self._path = None, state.get("lexicon")

    def analyze(self, word: str, query: bool = False) -> tuple[str | None, tuple[str, ...]]:
        """``analyze_word`` through a bounded two-generation cache (the words used since the
        last turnover survive it); queries never need the lexicon."""
        name = "_query_cache" if query else "_cache"
        cache = getattr(self, name)
        found = cache.get(word)
        if found is None:
            found = self._older[query].get(word)
            if found is None:
                found = analyze_word(word, None if query else self.lexicon)
            if len(cache) >= CACHE_SIZE:
                self._older[query] = cache
                cache = {}
                setattr(self, name, cache)
            cache[word] = found
        return found

    def __call__(self, tokens):  # whoosh's token stream protocol
        analyze = self.analyze
        cache = query = None
        for t in tokens:
            if cache is None:  # one stream, one mode
                query = t.mode == "query"
                cache = self._query_cache if query else self._cache
            found = cache.get(t.text)
            whole, parts = found if found is not None else analyze(t.text, query)
            if whole is None:
                if not t.removestops:
                    t.stopped = True
                    t.text = fold(t.text)
                    yield t
                continue
            t.text = whole
            yield t
            if parts:
                boost = t.boost
                t.boost = boost * PART_BOOST
                for part in parts:
                    t.text = part
                    yield t
                t.boost = boost


_shared: dict[tuple[str, int, int], Lexicon] = {}


def _load_shared(path: str | None) -> Lexicon:
    """One loaded lexicon per file (and version of it) per process."""
    if not path:
        return Lexicon()
    try:
        info = os.stat(path)
    except OSError:
        return Lexicon()
    key = (path, info.st_mtime_ns, info.st_size)
    if key not in _shared:
        _shared.clear()
        _shared[key] = Lexicon.load(Path(path))
    return _shared[key]


def text_analyzer(lexicon: Lexicon | None = None) -> Analyzer:
    """The analyzer for full-text fields; with a lexicon it also indexes compound parts."""
    return RegexTokenizer(expression=TOKEN_PATTERN) | GermanFilter(lexicon)


def query_analyzer() -> Analyzer:
    """The same chain without a lexicon; query mode never adds compound parts anyway."""
    return text_analyzer(None)


def prefix_term(word: str) -> str:
    """The indexed prefix for a prefix search ``word*``: folded and stemmed, so that
    ``Quartier*`` looks for terms starting ``quarti`` (the stem of Quartier, Quartiere ...)."""
    base, _ = base_form(word)
    form = fold(base)
    return stem(form) if form.isalpha() else form


def prepare_query(qstring: str) -> str:
    """Rewrite ``Akteur:innen``/``Akteur*innen`` so the query parser (``index.query``) does
    not read a field prefix or a wildcard; the analyzer treats the result (``Akteur_innen``)
    the same way."""
    return _QUERY_GENDER.sub("_", qstring)
