"""The query language of the search box, parsed into Whoosh queries.

Words are ANDed; ``OR``/``ODER`` binds tighter than the implicit AND
(``Radweg OR Fahrradstraße Durlach`` = ``(Radweg OR Fahrradstraße) AND Durlach``);
``NOT``/``NICHT``/``-wort`` exclude; ``"phrases"``; ``prefix*``; ``fuzzy~`` (``~2``);
``(groups)``; field prefixes (``gremium:``, ``fraktion:``, ``ergebnis:``, ``typ:``,
``jahr:``, ``federführend:``, ``stimmen:``, ``nummer:``, ``datum:``, ``titel:``; the
English facet names work too) and ranges ``jahr:2020-2024``,
``datum:2023-01-01..2024-06-30``. See docs/query-syntax.md.

A query that cannot be read never fails: it is searched as plain words and
``ParsedQuery.notices`` says so (codes of ``index.notices``, worded at the edges).
Expensive patterns are bounded (short prefixes, ``*`` alone, expansions, query length,
number of terms).

>>> tokens('gremium:"Haupt- und Finanzausschuss" -Kita jahr:2020-2024')[:3]
['field:gremium', 'phrase:Haupt- und Finanzausschuss', 'not']
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.analysis import Analyzer
from whoosh.reading import IndexReader

from index.analysis import prepare_query
from index.notices import Notice, NoticeCode, Param
from index.schema import (
    FACETS_BY_NAME,
    QUERY_PREFIXES,
    REF_BASE,
    REF_BOOSTS,
    REF_EXACT,
    TEXT_FIELDS,
    TEXT_FIELDS_BY_NAME,
    normalise_reference,
    stem_hash,
)

MAX_QUERY_CHARS = 400
MAX_TERMS = 16
MIN_PREFIX = 3
MIN_FUZZY = 4
MAX_EXPANSIONS = 64
MAX_SCAN = 20_000
"""Terms a prefix or fuzzy pattern may look at in one field before it is cut short."""

_OPERATORS = {"OR": "or", "ODER": "or", "AND": "and", "UND": "and", "NOT": "not", "NICHT": "not"}
_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<open>\()
      | (?P<close>\))
      | (?P<field>[^\W\d_][\w-]*):(?=[^\s)])
      | (?P<phrase>"[^"]*")
      | (?P<quote>")
      | (?P<word>[^\s()"]+)""",
    re.VERBOSE,
)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*(?:-|\.\.)\s*(\d{4})$")
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_DATE_RANGE = re.compile(rf"^({_DATE})?\.\.({_DATE})?$")
_PLAIN_WORD = re.compile(r"[^\W_][\w./-]*")
_FIELD_PREFIX = re.compile(r"(?<![^\s(])[^\W\d_][\w-]*:(?=\S)")


class Malformed(ValueError):
    """The query cannot be read as written (the search falls back to plain words)."""

    def __init__(self, reason: NoticeCode, **params: Param) -> None:
        super().__init__(reason)
        self.reason = Notice(reason, params)


# -- syntax tree --------------------------------------------------------------------------


@dataclass
class Word:
    text: str
    field: str | None = None  # None: every text field (+ reference)
    wildcard: bool = False
    fuzzy: int = 0


@dataclass
class Phrase:
    text: str
    field: str | None = None


@dataclass
class Facet:
    name: str  # facet name, "reference" or "date"
    text: str


@dataclass
class Group:
    op: str  # "and" | "or"
    items: list


@dataclass
class Not:
    item: object


def tokens(text: str) -> list[str]:
    """The query's tokens as ``kind:value`` (for tests and debugging)."""
    return [f"{k}:{v}" if v else k for k, v in _lex(text)]


def _lex(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "space":
            continue
        if kind == "quote":
            raise Malformed(NoticeCode.UNCLOSED_QUOTE)
        if kind == "phrase":
            out.append(("phrase", value[1:-1]))
        elif kind == "field":
            out.append(("field", match.group("field").lower()))
        elif kind == "word":
            if value in _OPERATORS:
                out.append((_OPERATORS[value], ""))
                continue
            if value[0] in "-+" and len(value) > 1 and not (out and out[-1][0] == "field"):
                if value[0] == "-":
                    out.append(("not", ""))
                value = value[1:]
            if value.strip("-+"):
                out.append(("word", value))
        else:
            out.append((kind, ""))
    return out


class _Parser:
    """Recursive descent: and := or+ ; or := unary (OR unary)* ; unary := NOT* primary."""

    def __init__(self, toks: list[tuple[str, str]]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> object:
        node = self.conjunction()
        if self.peek() is not None:
            raise Malformed(NoticeCode.EXTRA_PARENTHESIS)
        return node

    def conjunction(self) -> object:
        items = []
        while self.peek() not in (None, "close"):
            if self.peek() == "and":
                if not items:
                    raise Malformed(NoticeCode.AND_AT_START)
                self.take()
                if self.peek() in (None, "close", "and", "or"):
                    raise Malformed(NoticeCode.WORD_MISSING_AFTER_AND)
                continue
            items.append(self.disjunction())
        return items[0] if len(items) == 1 else Group("and", items)

    def disjunction(self) -> object:
        items = [self.unary()]
        while self.peek() == "or":
            self.take()
            if self.peek() in (None, "close", "and", "or"):
                raise Malformed(NoticeCode.WORD_MISSING_AFTER_OR)
            items.append(self.unary())
        return items[0] if len(items) == 1 else Group("or", items)

    def unary(self) -> object:
        if self.peek() == "not":
            self.take()
            if self.peek() in (None, "close", "and", "or", "not"):
                raise Malformed(NoticeCode.WORD_MISSING_AFTER_NOT)
            return Not(self.unary())
        return self.primary()

    def primary(self) -> object:
        kind, value = self.take()
        if kind == "open":
            if self.peek() == "close":
                raise Malformed(NoticeCode.EMPTY_PARENTHESES)
            node = self.conjunction()
            if self.peek() != "close":
                raise Malformed(NoticeCode.UNCLOSED_PARENTHESIS)
            self.take()
            return node
        if kind == "phrase":
            return Phrase(value)
        if kind == "word":
            return _word(value)
        if kind == "field":
            return self.fielded(value)
        if kind == "or":
            raise Malformed(NoticeCode.OR_AT_START)
        raise Malformed(NoticeCode.EXTRA_PARENTHESIS)

    def fielded(self, prefix: str) -> object:
        target = QUERY_PREFIXES.get(prefix)
        if target is None:
            known = ", ".join(
                sorted(
                    {p for p in QUERY_PREFIXES if not p.isascii()}
                    | {"gremium", "fraktion", "ergebnis", "typ", "jahr", "nummer", "datum", "titel"}
                )
            )
            raise Malformed(NoticeCode.UNKNOWN_FIELD, field=prefix, known=known)
        if self.peek() not in ("word", "phrase"):
            raise Malformed(NoticeCode.VALUE_MISSING, field=prefix)
        kind, value = self.take()
        if target == "title":
            return Phrase(value, "title") if kind == "phrase" else _word(value, "title")
        return Facet(target, value)


def _word(text: str, fieldname: str | None = None) -> Word:
    fuzzy = 0
    match = re.search(r"~(\d?)$", text)
    if match:
        fuzzy = min(int(match.group(1) or 1), 2) or 1
        text = text[: match.start()]
    wildcard = text.endswith("*")
    text = text.rstrip("*").replace("*", "").replace("?", "")
    return Word(text, fieldname, wildcard=wildcard, fuzzy=fuzzy)


def parse(text: str) -> object | None:
    """The syntax tree of a query (``None`` when empty); raises ``Malformed``."""
    toks = _lex(prepare_query(text))
    return _Parser(toks).parse() if toks else None


# -- compiling to Whoosh ------------------------------------------------------------------


@dataclass
class ParsedQuery:
    """A query ready to run: the Whoosh query (``None``: browse everything) and what it used."""

    query: wq.Query | None
    notices: list[Notice] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    """Plain positive words as typed (for "Meinten Sie …?")."""
    terms: set[tuple[str, str]] = field(default_factory=set)
    """(field, term) of positive text matches, for highlighting."""
    scored: bool = False
    """Whether relevance means anything (some word or phrase, not only field filters)."""
    empty: bool = False
    """The query had words but none that can match (stopwords only, unknown values)."""


@dataclass
class Context:
    """What compiling needs from the open index."""

    reader: IndexReader
    analyzer: Analyzer
    facet_values: Callable[[str, str], list[str]]
    """(facet name, typed text) → the facet values it means."""


class _Compiler:
    def __init__(self, ctx: Context, parsed: ParsedQuery) -> None:
        self.ctx = ctx
        self.out = parsed
        self.leaves = 0

    def notice(self, code: NoticeCode, **params: Param) -> None:
        notice = Notice(code, params)
        if notice not in self.out.notices:
            self.out.notices.append(notice)

    def compile(self, node: object, negated: bool = False) -> wq.Query | None:
        if isinstance(node, Group):
            parts = [self.compile(item, negated) for item in node.items]
            if node.op == "and":
                positive = [p for p in parts if p is not None and not isinstance(p, wq.Not)]
                negative = [p for p in parts if isinstance(p, wq.Not)]
                if not positive and not negative:
                    return None
                if not positive:
                    positive = [wq.Every()]
                return (
                    wq.And(positive + negative)
                    if len(positive) + len(negative) > 1
                    else (positive[0])
                )
            kept = [p for p in parts if p is not None and not isinstance(p, wq.Not)]
            if not kept:
                return None
            return kept[0] if len(kept) == 1 else wq.Or(kept)
        if isinstance(node, Not):
            inner = self.compile(node.item, not negated)
            return wq.Not(inner) if inner is not None else None
        self.leaves += 1
        if self.leaves > MAX_TERMS:
            self.notice(NoticeCode.TERMS_CAPPED, max_terms=MAX_TERMS)
            return None
        if isinstance(node, Word):
            return self.word(node, negated)
        if isinstance(node, Phrase):
            return self.phrase(node, negated)
        if isinstance(node, Facet):
            return self.facet(node)
        raise TypeError(node)

    # words and phrases

    def _fields(self, fieldname: str | None) -> list[tuple[str, float]]:
        if fieldname:
            return [(f.name, f.boost) for f in TEXT_FIELDS if f.name == fieldname]
        return [(f.name, f.boost) for f in TEXT_FIELDS]

    def _analyzed(self, text: str) -> list[list[str]]:
        """Token texts grouped by position (compound parts share one)."""
        groups: dict[int, list[str]] = {}
        for token in self.ctx.analyzer(text, positions=True, mode="query"):
            groups.setdefault(token.pos, [])
            if token.text not in groups[token.pos]:
                groups[token.pos].append(token.text)
        return [groups[p] for p in sorted(groups)]

    def word(self, node: Word, negated: bool) -> wq.Query | None:
        if node.wildcard or node.fuzzy:
            return self.expanded(node, negated)
        groups = self._analyzed(node.text)
        alternatives: list[wq.Query] = []
        if groups:
            for name, boost in self._fields(node.field):
                alternatives.append(_sequence(name, groups, boost))
                if not negated:
                    self.out.terms.update((name, t) for g in groups for t in g)
            if not negated and node.field is None:
                self.out.words.append(node.text)
                self.out.scored = True
            elif not negated:
                self.out.scored = True
        if node.field is None and any(c.isdigit() for c in node.text):
            alternatives.extend(_reference(node.text))
        if not alternatives:
            return None
        return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)

    def phrase(self, node: Phrase, negated: bool) -> wq.Query | None:
        # whoosh reuses one Token object: copy what we need as we go
        tokens = [
            (t.text, t.pos) for t in self.ctx.analyzer(node.text, positions=True, mode="query")
        ]
        if not tokens:
            return None
        if len(tokens) == 1:
            return self.word(Word(node.text, node.field), negated)
        words = [text for text, _ in tokens]
        gaps = [b[1] - a[1] for a, b in itertools.pairwise(tokens)]
        if not negated:
            self.out.scored = True
        alternatives = []
        for name, boost in self._fields(node.field):
            alternatives.append(_phrase(name, words, gaps, boost))
            if not negated:
                self.out.terms.update((name, w) for w in words)
        return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)

    def expanded(self, node: Word, negated: bool) -> wq.Query | None:
        raw = node.text
        if node.wildcard and len(raw) < MIN_PREFIX:
            if raw:
                self.notice(NoticeCode.PREFIX_TOO_SHORT, word=raw, min_letters=MIN_PREFIX)
                return self.word(Word(raw, node.field), negated)
            self.notice(NoticeCode.STAR_ALONE)
            return None
        if node.fuzzy and len(raw) < MIN_FUZZY:
            self.notice(NoticeCode.FUZZY_TOO_SHORT, word=raw, min_letters=MIN_FUZZY)
            return self.word(Word(raw, node.field), negated)
        groups = self._analyzed(raw)
        if not groups:
            return None
        base = groups[0][0] if len(groups) == 1 else raw.lower()
        alternatives: list[wq.Query] = []
        capped = False
        for name, boost in self._fields(node.field):
            terms, cut = _expand(self.ctx.reader, name, base, node.fuzzy)
            capped |= cut
            if terms:
                alternatives.append(wq.Or([wq.Term(name, t) for t in terms], boost=boost))
                if not negated:
                    self.out.terms.update((name, t) for t in terms)
        if capped:
            pattern = f"{raw}{'*' if node.wildcard else '~'}"
            self.notice(NoticeCode.EXPANSION_CAPPED, pattern=pattern, max_terms=MAX_EXPANSIONS)
        if not negated:
            self.out.scored = True
        if not alternatives:
            return wq.NullQuery
        return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)

    # field prefixes

    def facet(self, node: Facet) -> wq.Query:
        text = node.text.strip()
        if node.name == "reference":
            return wq.Or(_reference(text)) if text else wq.NullQuery
        if node.name == "date":
            return self.dates(text)
        spec = FACETS_BY_NAME[node.name]
        if spec.name == "year":
            years = _YEAR_RANGE.match(text)
            if years:
                low, high = sorted(years.groups())
                values = [str(y) for y in range(int(low), int(high) + 1)]
                return _terms(spec.field, values)
        return _terms(spec.field, self.ctx.facet_values(spec.name, text))

    def dates(self, text: str) -> wq.Query:
        match = _DATE_RANGE.match(text)
        if match:
            low, high = match.group(1) or "", match.group(2) or "9999"
        elif re.fullmatch(_DATE, text):
            low = high = text
        else:
            raise Malformed(NoticeCode.NOT_A_DATE, value=text)
        for value in (low, high):
            if len(value) == 10:
                try:
                    datetime.date.fromisoformat(value)
                except ValueError:
                    raise Malformed(NoticeCode.INVALID_DATE, value=value) from None
        return wq.ConstantScoreQuery(DateRange(low, high), 0.0)


def _sequence(name: str, groups: list[list[str]], boost: float) -> wq.Query:
    if len(groups) == 1:
        group = groups[0]
        if len(group) == 1:
            return wq.Term(name, group[0], boost=boost)
        return wq.Or([wq.Term(name, t) for t in group], boost=boost)
    if all(len(g) == 1 for g in groups):
        return _phrase(name, [g[0] for g in groups], [1] * (len(groups) - 1), boost)
    return wq.And([wq.Or([wq.Term(name, t) for t in g]) for g in groups], boost=boost)


class DateRange(wq.TermRange):
    """Dates from ``low`` to ``high`` (ISO text; ``2024`` or ``2024-05`` cover the period).

    ``index.matching`` answers it from the date column; Whoosh could as a term range."""

    def __init__(self, low: str, high: str) -> None:
        super().__init__("date", low, high + "\uffff")
        self.low, self.high = low, high


class TextPhrase(wq.And):
    """A phrase in a field without positions (``body``): its words ANDed (all Whoosh sees),
    then checked against each candidate's word sequence by ``index.matching``."""

    def __init__(self, fieldname: str, words: list[str], gaps: list[int], boost: float = 1.0):
        super().__init__([wq.Term(fieldname, w) for w in words], boost=boost)
        self.fieldname = fieldname
        self.words = list(words)
        self.gaps = list(gaps)
        self.offsets = [0, *itertools.accumulate(gaps)]
        self.hashes = [stem_hash(w) for w in words]

    def __repr__(self) -> str:
        return f"TextPhrase({self.fieldname!r}, {self.words!r}, {self.gaps!r})"


def _phrase(name: str, words: list[str], gaps: list[int], boost: float) -> wq.Query:
    if TEXT_FIELDS_BY_NAME[name].chars:
        return wq.Phrase(name, words, slop=max([1, *gaps]), boost=boost)
    return TextPhrase(name, words, gaps, boost=boost)


def _reference(text: str) -> list[wq.Query]:
    ref = normalise_reference(text)
    return [wq.Term(REF_EXACT, ref, boost=REF_BOOSTS[REF_EXACT]),
            wq.Term(REF_BASE, ref, boost=REF_BOOSTS[REF_BASE])]  # fmt: skip


def _terms(fieldname: str, values: Iterable[str]) -> wq.Query:
    terms = [wq.Term(fieldname, v) for v in values]
    if not terms:
        return wq.NullQuery
    return wq.ConstantScoreQuery(terms[0] if len(terms) == 1 else wq.Or(terms), 0.0)


def _expand(reader: IndexReader, fieldname: str, text: str, fuzzy: int) -> tuple[list[str], bool]:
    """The most frequent terms matching a prefix (or within ``fuzzy`` edits); cut short?"""
    found: list[str] = []
    cut = False
    if fuzzy:
        source = reader.terms_within(fieldname, text, fuzzy, prefix=1)
    else:
        source = (t.decode("utf-8") for t in reader.expand_prefix(fieldname, text))
    for n, term in enumerate(source):
        if n >= MAX_SCAN:
            cut = True
            break
        found.append(term)
    if len(found) > MAX_EXPANSIONS:
        cut = True
        found.sort(key=lambda t: -reader.doc_frequency(fieldname, t))
        found = found[:MAX_EXPANSIONS]
    return found, cut


def _plain(text: str) -> object | None:
    text = _FIELD_PREFIX.sub(" ", text)
    words = [Word(w) for w in _PLAIN_WORD.findall(text) if w not in _OPERATORS]
    if not words:
        return None
    return words[0] if len(words) == 1 else Group("and", words)


def compile_query(text: str, ctx: Context) -> ParsedQuery:
    """Parse and compile a query; never raises for bad input (see ``ParsedQuery.notices``)."""
    parsed = ParsedQuery(query=None)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        parsed.notices.append(Notice(NoticeCode.QUERY_CUT, {"max_chars": MAX_QUERY_CHARS}))
    if not text:
        return parsed
    try:
        tree = parse(text)
        compiled = _Compiler(ctx, parsed).compile(tree) if tree is not None else None
    except Malformed as exc:
        parsed = ParsedQuery(query=None, notices=parsed.notices)
        tree = _plain(prepare_query(text))
        plain = " ".join(w.text for w in _walk_words(tree))
        unreadable = {"reason": exc.reason, "words": plain or "–"}
        parsed.notices.append(Notice(NoticeCode.UNREADABLE, unreadable))
        compiled = _Compiler(ctx, parsed).compile(tree) if tree is not None else None
    if compiled is None or compiled is wq.NullQuery:
        parsed.empty = True
        parsed.query = wq.NullQuery
    elif isinstance(compiled, wq.Not):
        parsed.query = wq.And([wq.Every(), compiled])
    else:
        parsed.query = compiled
    return parsed


def _walk_words(node: object | None) -> Iterable[Word]:
    if isinstance(node, Word):
        yield node
    elif isinstance(node, Group):
        for item in node.items:
            yield from _walk_words(item)
