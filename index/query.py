"""Compiling a search-box query against the open index: ``compile_query``.

The text is read by ``index.query_syntax`` (the query language, see docs/query-syntax.md)
and compiled into ``index.query_nodes``, which ``index.matching`` evaluates: words become
terms of every text field with its boost (compound parts, reference numbers), quoted text
phrases, field prefixes facet filters and date ranges, prefixes and fuzzy words the terms
of the index they expand to.

A query that cannot be read never fails: it is searched as plain words and
``ParsedQuery.notices`` says so (codes of ``index.notices``, worded at the edges).
Expensive patterns are bounded (short prefixes, ``*`` alone, expansions, query length,
number of terms).
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh.analysis import Analyzer
from whoosh.reading import IndexReader

from index import query_syntax as syntax
from index.notices import Notice, NoticeCode, Param
from index.query_nodes import (
    EVERYTHING,
    NOTHING,
    And,
    AndNot,
    DateRange,
    Node,
    Nothing,
    Or,
    Phrase,
    Term,
    Terms,
)
from index.query_syntax import Expr, Facet, Group, Malformed, Not, Quoted, Word
from index.schema import (
    FACETS_BY_NAME,
    REF_BASE,
    REF_BOOSTS,
    REF_EXACT,
    TEXT_FIELDS,
    fold_reference,
)

MAX_QUERY_CHARS = 400
MAX_TERMS = 16
MIN_PREFIX = 3
MIN_FUZZY = 4
MAX_EXPANSIONS = 64
MAX_SCAN = 20_000
"""Terms a prefix or fuzzy pattern may look at in one field before it is cut short."""

_YEAR_RANGE = re.compile(r"^(\d{4})\s*(?:-|\.\.)\s*(\d{4})$")
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_DATE_RANGE = re.compile(rf"^({_DATE})?\.\.({_DATE})?$")


# -- compiling ----------------------------------------------------------------------------


@dataclass
class ParsedQuery:
    """A query ready to run: the compiled tree (``None``: browse everything) and what it used."""

    query: Node | None
    notices: list[Notice] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    """Plain positive words as typed (for "Meinten Sie …?")."""
    terms: set[tuple[str, str]] = field(default_factory=set)
    """(field, term) of positive text matches, for highlighting."""
    empty: bool = False
    """The query had words but none that can match (stopwords only, unknown values)."""


@dataclass
class Context:
    """What compiling needs from the open index."""

    reader: IndexReader
    analyzer: Analyzer
    facet_values: Callable[[str, str], list[str]]
    """(facet name, typed text) → the facet values it means."""


@dataclass(frozen=True, slots=True)
class _Excluded:
    """A compiled ``NOT``: what its group excludes (not a node; an OR group drops it)."""

    node: Node


class _Compiler:
    def __init__(self, ctx: Context, parsed: ParsedQuery) -> None:
        self.ctx = ctx
        self.out = parsed
        self.leaves = 0

    def notice(self, code: NoticeCode, **params: Param) -> None:
        notice = Notice(code, params)
        if notice not in self.out.notices:
            self.out.notices.append(notice)

    def compile(self, node: Expr, negated: bool = False) -> Node | _Excluded | None:
        if isinstance(node, Group):
            parts = [self.compile(item, negated) for item in node.items]
            kept = [p for p in parts if p is not None and not isinstance(p, _Excluded)]
            if node.op == "or":
                return _any(kept) if kept else None
            excluded = tuple(p.node for p in parts if isinstance(p, _Excluded))
            if not kept and not excluded:
                return None
            include = (kept[0] if len(kept) == 1 else And(tuple(kept))) if kept else EVERYTHING
            return AndNot(include, excluded) if excluded else include
        if isinstance(node, Not):
            inner = self.compile(node.item, not negated)
            if isinstance(inner, _Excluded):  # NOT NOT x: keeps the documents with x
                return _Excluded(AndNot(EVERYTHING, (inner.node,)))
            return _Excluded(inner) if inner is not None else None
        self.leaves += 1
        if self.leaves > MAX_TERMS:
            self.notice(NoticeCode.TERMS_CAPPED, max_terms=MAX_TERMS)
            return None
        if isinstance(node, Word):
            return self.word(node, negated)
        if isinstance(node, Quoted):
            return self.phrase(node, negated)
        return self.facet(node)

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

    def word(self, node: Word, negated: bool) -> Node | None:
        if node.wildcard or node.fuzzy:
            return self.expanded(node, negated)
        groups = self._analyzed(node.text)
        alternatives: list[Node] = []
        if groups:
            for name, boost in self._fields(node.field):
                alternatives.append(_sequence(name, groups, boost))
                if not negated:
                    self.out.terms.update((name, t) for g in groups for t in g)
            if not negated and node.field is None:
                self.out.words.append(node.text)
        if node.field is None and any(c.isdigit() for c in node.text):
            alternatives.extend(_reference(node.text))
        return _any(alternatives) if alternatives else None

    def phrase(self, node: Quoted, negated: bool) -> Node | None:
        # whoosh reuses one Token object: copy what we need as we go
        tokens = [
            (t.text, t.pos) for t in self.ctx.analyzer(node.text, positions=True, mode="query")
        ]
        if not tokens:
            return None
        if len(tokens) == 1:
            return self.word(Word(node.text, node.field), negated)
        words = tuple(text for text, _ in tokens)
        gaps = tuple(b[1] - a[1] for a, b in itertools.pairwise(tokens))
        alternatives: list[Node] = []
        for name, boost in self._fields(node.field):
            alternatives.append(Phrase(name, words, gaps, boost))
            if not negated:
                self.out.terms.update((name, w) for w in words)
        return _any(alternatives)

    def expanded(self, node: Word, negated: bool) -> Node | None:
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
        alternatives: list[Node] = []
        capped = False
        for name, boost in self._fields(node.field):
            terms, cut = _expand(self.ctx.reader, name, base, node.fuzzy)
            capped |= cut
            if terms:
                alternatives.append(Or(tuple(Term(name, t) for t in terms), boost))
                if not negated:
                    self.out.terms.update((name, t) for t in terms)
        if capped:
            pattern = f"{raw}{'*' if node.wildcard else '~'}"
            self.notice(NoticeCode.EXPANSION_CAPPED, pattern=pattern, max_terms=MAX_EXPANSIONS)
        return _any(alternatives) if alternatives else NOTHING

    # field prefixes

    def facet(self, node: Facet) -> Node:
        text = node.text.strip()
        if node.name == "reference":
            return Or(_reference(text)) if text else NOTHING
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

    def dates(self, text: str) -> DateRange:
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
        return DateRange(low, high)


def _any(alternatives: list[Node]) -> Node:
    return alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))


def _sequence(name: str, groups: list[list[str]], boost: float) -> Node:
    """One word in one field: its term, the alternatives at one position (compound parts),
    or, if it analyses to several positions, their phrase."""
    if len(groups) == 1:
        group = groups[0]
        if len(group) == 1:
            return Term(name, group[0], boost)
        return Or(tuple(Term(name, t) for t in group), boost)
    if all(len(g) == 1 for g in groups):
        return Phrase(name, tuple(g[0] for g in groups), (1,) * (len(groups) - 1), boost)
    return And(tuple(Or(tuple(Term(name, t) for t in g)) for g in groups), boost)


def _reference(text: str) -> tuple[Term, Term]:
    ref = fold_reference(text)
    return (Term(REF_EXACT, ref, REF_BOOSTS[REF_EXACT]),
            Term(REF_BASE, ref, REF_BOOSTS[REF_BASE]))  # fmt: skip


def _terms(fieldname: str, values: Iterable[str]) -> Node:
    texts = tuple(values)
    return Terms(fieldname, texts) if texts else NOTHING


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
        tree = syntax.parse(text)
        compiled = _Compiler(ctx, parsed).compile(tree) if tree is not None else None
    except Malformed as exc:
        parsed = ParsedQuery(query=None, notices=parsed.notices)
        tree = syntax.plain(text)
        plain = " ".join(w.text for w in syntax.words(tree))
        unreadable = {"reason": exc.reason, "words": plain or "–"}
        parsed.notices.append(Notice(NoticeCode.UNREADABLE, unreadable))
        compiled = _Compiler(ctx, parsed).compile(tree) if tree is not None else None
    if compiled is None or isinstance(compiled, Nothing):
        parsed.empty = True
        parsed.query = NOTHING
    elif isinstance(compiled, _Excluded):
        parsed.query = AndNot(EVERYTHING, (compiled.node,))
    else:
        parsed.query = compiled
    return parsed
