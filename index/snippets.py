"""Plain text for the index, and highlighted, HTML-escaped snippets from it.

Markdown never reaches a snippet: ``markdown_to_text`` turns a section into plain text
at index time, and that text is what the text fields index and keep in their columns.
At search time the spans of the matched words come from the postings where a field keeps
character offsets (``load_spans``: nothing is re-analysed) and, in the body, which keeps
none, from a search of its text for the matched stems (``find_spans``). ``snippet`` then
picks the best fragments around them (Whoosh's ``PinpointFragmenter`` and fragment
scorer) and ``mark_all`` marks a whole title; both escape everything around the
``<mark>`` tags.

>>> markdown_to_text("## Beschluss\\n\\nDer **Rat** beschließt [dies](https://x.de).")
'Beschluss\\n\\nDer Rat beschließt dies.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from typing import NamedTuple

from whoosh.analysis import Token
from whoosh.highlight import FIRST, BasicFragmentScorer, PinpointFragmenter, top_fragments
from whoosh.reading import TermNotFound

from index.analysis import fold

SNIPPET_CHARS = 240
"""Longest snippet fragment, in characters; two fragments at most."""

# Every pattern starts with a literal character, so ``re`` scans for it quickly; line
# patterns start at "\n" (the text gets one in front). (needs, pattern, replacement)
_MARKDOWN = [
    ("-*_", re.compile(r"\n {0,3}([-*_])(?: *\1){2,} *(?=\n)"), "\n"),  # horizontal rules
    ("|", re.compile(r"\n {0,3}\|?[ :|-]*-{3}[ :|-]*(?=\n)"), "\n"),  # table separators
    ("#", re.compile(r"\n {0,3}#{1,6} +"), "\n"),  # ATX headings
    (">", re.compile(r"\n {0,3}(?:> ?)+"), "\n"),  # block quotes
    ("-*+", re.compile(r"\n *[-*+] +(?=\S)"), "\n"),  # bullets
    (".)", re.compile(r"\n *\d{1,3}[.)] +(?=\S)"), "\n"),  # numbered items
    ("[", re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # images → alt text
    ("[", re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # links → their text
    ("[", re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),  # reference links
    ("<", re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    ("*", re.compile(r"\*\*(?=\S)([^\n]+?)(?<=\S)\*\*"), r"\1"),  # strong
    ("_", re.compile(r"__(?=\S)([^\n]+?)(?<=\S)__"), r"\1"),  # strong
    ("*", re.compile(r"\*(?<![\w*]\*)(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    ("_", re.compile(r"_(?<!\w_)(?=\S)([^_\n]+?)(?<=\S)_(?!\w)"), r"\1"),  # emphasis
    ("\\", re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),  # backslash escapes
]
_BLANK_LINES = re.compile(r"\n\n\n+")


def markdown_to_text(markdown: str, limit: int | None = None) -> str:
    """The plain text of a Markdown section (markup removed, words and line breaks kept).

    With ``limit``, only about the first ``limit`` characters are converted and returned.
    """
    text = "\n" + markdown.replace("\r\n", "\n")
    if limit is not None and len(text) > limit:
        text = text[: text.rfind("\n", 0, limit + 2000) + 1 or limit]
    for needs, pattern, replacement in _MARKDOWN:
        if any(c in text for c in needs):
            text = pattern.sub(replacement, text)
    text = text.replace("`", "").replace("|", " ")
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return text[:limit] if limit is not None else text


_FRAGMENTER = PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=60, autotrim=True, charlimit=0)
_SCORER = BasicFragmentScorer()

Spans = dict[str, list[tuple[int, int, str]]]
"""field → [(startchar, endchar, term)] of the matched terms in one document."""


def load_spans(
    reader, docnums: Iterable[int], terms: Iterable[tuple[str, str]]
) -> dict[int, Spans]:  # type: ignore[no-untyped-def]
    """Character spans of ``terms`` (field, text) in each of ``docnums``, read from postings."""
    wanted = sorted(set(docnums))
    spans: dict[int, Spans] = {d: {} for d in wanted}
    if not wanted:
        return spans
    for fieldname, text in sorted(set(terms)):
        try:
            matcher = reader.postings(fieldname, text)
        except TermNotFound:
            continue
        for docnum in wanted:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                found = spans[docnum].setdefault(fieldname, [])
                found.extend((s, e, text) for _pos, s, e in matcher.value_as("characters"))
    return spans


# -- fields without character offsets: find the words in the text ------------------------

_FOLDS = {"a": "(?:ae|a|ä|á|à|â)", "o": "(?:oe|o|ö|ó|ô)", "u": "(?:ue|u|ü|ú|û)", "e": "(?:e|é|è|ê)"}
MAX_SPANS = 16
"""Matches looked for in one text: enough to choose the snippet from."""


def stem_pattern(stem: str) -> str:
    """A regex matching the letters of a folded stem in unfolded text (``strass`` ~ ``Straß``)."""
    out: list[str] = []
    i = 0
    while i < len(stem):
        if stem.startswith("ss", i):
            out.append("(?:ss|ß)")
            i += 2
            continue
        out.append(_FOLDS.get(stem[i], re.escape(stem[i])))
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def _stems_pattern(stems: frozenset[str], ignore_case: bool) -> re.Pattern[str]:
    alternatives = "|".join(stem_pattern(s) for s in sorted(stems, key=len, reverse=True))
    return re.compile(alternatives, re.IGNORECASE if ignore_case else 0)


def _word_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole word around ``text[start:end]``."""
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return start, end


def find_spans(
    text: str, terms: Iterable[str], analyze: Callable[[str], frozenset[str]]
) -> list[tuple[int, int, str]]:
    """Spans of the words of ``text`` that analyse to one of ``terms`` (stems).

    Candidates come from a regex on the stems' letters; a candidate counts when the
    analyser gives it one of the stems, or (stems of 5 letters or more) when it holds
    the stem inside, as a compound holds its parts (``Jugend`` in ``Jugendhilfeplanung``).
    """
    stems = frozenset(t for t in terms if t)
    if not stems or not text:
        return []
    found: list[tuple[int, int, str]] = []
    last = -1
    lowered = text.lower()  # scanning lower case is far faster than re.IGNORECASE
    same = len(lowered) == len(text)
    for match in _stems_pattern(stems, not same).finditer(lowered if same else text):
        if match.start() < last:
            continue  # a second stem inside a word already taken
        start, end = _word_at(text, match.start(), match.end())
        last = end
        word = text[start:end]
        analysed = analyze(word) & stems
        term = next(iter(analysed), None)
        if term is None:
            folded = fold(word)
            term = next((s for s in stems if len(s) >= 5 and s in folded), None)
        if term is not None:
            found.append((start, end, term))
            if len(found) >= MAX_SPANS:
                break
    return found


def _tokens(spans: list[tuple[int, int, str]]) -> list[Token]:
    tokens: list[Token] = []
    last_end = -1
    # longest span first among spans starting at the same character; no overlaps
    for start, end, term in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if start >= last_end:
            tokens.append(Token(text=term, startchar=start, endchar=end, boost=1.0))
            last_end = end
    return tokens


def _marked(text: str, tokens: Iterable[Token], start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` escaped, each token's characters wrapped in ``<mark>`` (tokens
    in order; one that starts inside the previous one is left out)."""
    out: list[str] = []
    index = start
    for token in tokens:
        if token.startchar is None or token.startchar < index:
            continue
        out.append(escape(text[index : token.startchar], quote=False))
        out.append(f"<mark>{escape(text[token.startchar : token.endchar], quote=False)}</mark>")
        index = token.endchar
    out.append(escape(text[index:end], quote=False))
    return "".join(out)


def mark_all(text: str, spans: list[tuple[int, int, str]] | None) -> str:
    """The whole ``text`` escaped, every span wrapped in ``<mark>`` (titles)."""
    return _marked(text, _tokens(spans or []))


class Snippet(NamedTuple):
    """A snippet's HTML, and where its first fragment starts (field, character), so a hit
    in a paper's files can name the file and page; ``field`` is ``""`` for an opening."""

    html: str
    field: str = ""
    start: int = 0


def snippet(texts: dict[str, str], spans: Spans, fields: Iterable[str]) -> Snippet:
    """The best one or two fragments with matches across ``fields``; else the opening lines."""
    candidates = []
    for order, fieldname in enumerate(fields):
        text = texts.get(fieldname) or ""
        tokens = [t for t in _tokens(spans.get(fieldname, [])) if t.endchar <= len(text)]
        if not tokens:
            continue
        for fragment in _FRAGMENTER.fragment_matches(text, tokens):
            _within_page(fragment)
            candidates.append((_SCORER(fragment), -order, -fragment.startchar, fragment, fieldname))
    if candidates:
        best = sorted(candidates, key=lambda c: c[:3], reverse=True)[:2]
        fragments = top_fragments([c[3] for c in best], 2, _SCORER, FIRST)
        if len({id(f.text) for f in fragments}) > 1:
            fragments = fragments[:1]
        html = " … ".join(_marked(f.text, f.matches, f.startchar, f.endchar) for f in fragments)
        first = fragments[0]
        prefix = "… " if first.startchar > 0 else ""
        suffix = " …" if fragments[-1].endchar < len(fragments[-1].text) else ""
        origin = next(c[4] for c in best if c[3] is first)
        start = first.matches[0].startchar if first.matches else first.startchar
        html = html.translate(_BREAKS)
        return Snippet(f"{prefix}{html}{suffix}", origin, start)
    return Snippet(opening(texts, fields))


_BREAKS = str.maketrans({"\f": " ", "\x1e": " "})
"""Page and file breaks inside a fragment read as spaces."""
_BREAK = re.compile("[\f\x1e]")


def _within_page(fragment) -> None:  # type: ignore[no-untyped-def]
    """Cut a fragment of a file's text to the page of its first match (pages are
    separated by form feeds, files by ``\\x1e``): a snippet shows one page only."""
    text, matches = fragment.text, fragment.matches
    if not matches or not _BREAK.search(text, fragment.startchar, fragment.endchar):
        return
    first = matches[0].startchar
    before = max(text.rfind("\f", 0, first), text.rfind("\x1e", 0, first))
    after = _BREAK.search(text, first)
    start = max(fragment.startchar, before + 1)
    end = min(fragment.endchar, after.start() if after else fragment.endchar)
    fragment.matches = [t for t in matches if start <= t.startchar and t.endchar <= end]
    fragment.startchar, fragment.endchar = start, end


def opening(texts: dict[str, str], fields: Iterable[str]) -> str:
    """The first ``SNIPPET_CHARS`` characters of the first non-empty field, escaped."""
    for fieldname in fields:
        text = " ".join((texts.get(fieldname) or "")[: SNIPPET_CHARS * 2].split())
        if text:
            if len(text) <= SNIPPET_CHARS:
                return escape(text, quote=False)
            cut = text.rfind(" ", 0, SNIPPET_CHARS)
            return escape(text[: cut if cut > 0 else SNIPPET_CHARS], quote=False) + " …"
    return ""
