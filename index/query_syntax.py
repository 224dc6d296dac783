"""The query language of the search box, read into a syntax tree (``Expr``).

Words are ANDed; ``OR``/``ODER`` binds tighter than the implicit AND
(``Radweg OR Fahrradstraße Durlach`` = ``(Radweg OR Fahrradstraße) AND Durlach``);
``NOT``/``NICHT``/``-wort`` exclude; ``"phrases"``; ``prefix*``; ``fuzzy~`` (``~2``);
``(groups)``; field prefixes (``gremium:``, ``fraktion:``, ``ergebnis:``, ``typ:``,
``jahr:``, ``federführend:``, ``stimmen:``, ``nummer:``, ``datum:``, ``titel:``; the
English facet names work too) and ranges ``jahr:2020-2024``,
``datum:2023-01-01..2024-06-30``. See docs/query-syntax.md.

The tree says what was typed; ``index.query`` compiles it against the index. A query
that cannot be read raises ``Malformed``; ``plain`` reads any text as plain words instead.

>>> tokens('gremium:"Haupt- und Finanzausschuss" -Kita jahr:2020-2024')[:3]
['field:gremium', 'phrase:Haupt- und Finanzausschuss', 'not']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from index.analysis import prepare_query
from index.notices import Notice, NoticeCode, Param
from index.schema import GERMAN_PREFIXES, QUERY_PREFIXES

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
_PLAIN_WORD = re.compile(r"[^\W_][\w./-]*")
_FIELD_PREFIX = re.compile(r"(?<![^\s(])[^\W\d_][\w-]*:(?=\S)")


class Malformed(ValueError):
    """The query cannot be read as written (the search falls back to plain words)."""

    def __init__(self, reason: NoticeCode, **params: Param) -> None:
        super().__init__(reason)
        self.reason = Notice(reason, params)


# -- syntax tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None  # None: every text field (+ reference)
    wildcard: bool = False
    fuzzy: int = 0


@dataclass(frozen=True)
class Quoted:
    """Text in quotes: a phrase (or a word, if it has only one)."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Facet:
    name: str  # facet name, "reference" or "date"
    text: str


@dataclass(frozen=True)
class Group:
    op: Literal["and", "or"]
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    item: Expr


Expr = Word | Quoted | Facet | Group | Not
"""A query as written."""


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

    def parse(self) -> Expr:
        node = self.conjunction()
        if self.peek() is not None:
            raise Malformed(NoticeCode.EXTRA_PARENTHESIS)
        return node

    def conjunction(self) -> Expr:
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
        return items[0] if len(items) == 1 else Group("and", tuple(items))

    def disjunction(self) -> Expr:
        items = [self.unary()]
        while self.peek() == "or":
            self.take()
            if self.peek() in (None, "close", "and", "or"):
                raise Malformed(NoticeCode.WORD_MISSING_AFTER_OR)
            items.append(self.unary())
        return items[0] if len(items) == 1 else Group("or", tuple(items))

    def unary(self) -> Expr:
        if self.peek() == "not":
            self.take()
            if self.peek() in (None, "close", "and", "or", "not"):
                raise Malformed(NoticeCode.WORD_MISSING_AFTER_NOT)
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Expr:
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
            return Quoted(value)
        if kind == "word":
            return _word(value)
        if kind == "field":
            return self.fielded(value)
        if kind == "or":
            raise Malformed(NoticeCode.OR_AT_START)
        raise Malformed(NoticeCode.EXTRA_PARENTHESIS)

    def fielded(self, prefix: str) -> Expr:
        target = QUERY_PREFIXES.get(prefix)
        if target is None:
            known = ", ".join(sorted(GERMAN_PREFIXES))
            raise Malformed(NoticeCode.UNKNOWN_FIELD, field=prefix, known=known)
        if self.peek() not in ("word", "phrase"):
            raise Malformed(NoticeCode.VALUE_MISSING, field=prefix)
        kind, value = self.take()
        if target == "title":
            return Quoted(value, "title") if kind == "phrase" else _word(value, "title")
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


def parse(text: str) -> Expr | None:
    """The syntax tree of a query (``None`` when empty); raises ``Malformed``."""
    toks = _lex(prepare_query(text))
    return _Parser(toks).parse() if toks else None


def plain(text: str) -> Expr | None:
    """``text`` read as plain words, ANDed: no operators, quotes or field prefixes (the
    reading of a query that cannot be parsed)."""
    text = _FIELD_PREFIX.sub(" ", prepare_query(text))
    words = [Word(w) for w in _PLAIN_WORD.findall(text) if w not in _OPERATORS]
    if not words:
        return None
    return words[0] if len(words) == 1 else Group("and", tuple(words))


def words(node: Expr | None) -> Iterator[Word]:
    """The words of a tree of words and groups (``plain``'s), in order."""
    if isinstance(node, Word):
        yield node
    elif isinstance(node, Group):
        for item in node.items:
            yield from words(item)
