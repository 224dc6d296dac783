"""Custom field types of the index schema (``index.schema`` declares which field uses them).

* ``TextColumn`` — compressed bytes with an empty default: the plain text of a text field,
  kept in a column for snippets (``text_column(name)``);
* ``SequencedText`` — full text whose postings keep term frequencies only, plus the
  document's word sequence in a column (``stem_hash`` per position), so phrases are
  checked against the sequence instead of positions in postings.
"""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from collections import Counter
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import CompositeAnalyzer, RegexTokenizer
from whoosh.system import pack_uint

from index.analysis import PART_BOOST, GermanFilter


class TextColumn(columns.CompressedBytesColumn):
    """Compressed bytes, empty by default (Whoosh's class has no default value: a segment
    in which no document has the column could not be read)."""

    def default_value(self, reverse: bool = False) -> bytes:
        return b""


_STEM_HASHES: dict[str, int] = {}
_STEM_HASH_CACHE = 200_000


def _german_chain(analyzer: Any) -> tuple[re.Pattern[str], GermanFilter] | None:
    """(word pattern, filter) if ``analyzer`` is exactly ``text_analyzer``'s chain.

    Reads the chain's parts (``CompositeAnalyzer.items``) directly (a Whoosh that names
    them otherwise raises here). Any other chain gives ``None`` and is indexed by Whoosh's
    generic token path; ``tests/test_whoosh_internals.py`` fails if the body field, which
    is most of the index, ever takes that slow path.
    """
    if not isinstance(analyzer, CompositeAnalyzer):
        return None
    items = analyzer.items
    if (
        len(items) == 2
        and type(items[0]) is RegexTokenizer
        and not items[0].gaps
        and type(items[1]) is GermanFilter
    ):
        return items[0].expression, items[1]
    return None


def _little_endian(sequence: array) -> bytes:
    """A word sequence as stored: 16-bit little-endian codes (read back with NumPy ``<u2``)."""
    if sys.byteorder == "big":
        sequence.byteswap()
    return sequence.tobytes()


def stem_hash(term: str) -> int:
    """A term's 16-bit fingerprint in a word sequence (0 marks a position without one)."""
    return zlib.crc32(term.encode("utf-8")) & 0xFFFF or 1


class SequencedText(fields.TEXT):
    """Full text whose postings keep term frequencies only (fast to read for common words),
    plus, in a column, the document's word sequence: one ``stem_hash`` per position, so a
    phrase is checked by comparing arrays instead of storing every position in postings.

    The sequence is recorded while Whoosh analyses the field for its postings (the column
    value of a field is taken right after its terms), so no text is analysed twice.
    """

    def __init__(self, analyzer: Any) -> None:
        super().__init__(analyzer=analyzer, phrase=False)
        self.column_type = columns.VarBytesColumn()
        self._sequence = b""

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_sequence": b""}

    def index(self, value: Any, **kwargs: Any) -> Any:
        chain = _german_chain(self.analyzer)
        if chain is not None and isinstance(value, str) and not kwargs:
            return self._index_fast(value, *chain)
        return self._index_generic(value, **kwargs)

    def _index_fast(self, value: str, words: re.Pattern[str], german: GermanFilter) -> Any:
        """What ``_index_generic`` yields for the German chain, without a Python step per
        token: each distinct word of the text is analysed once and counted ``n`` times (its
        weights are multiples of ``PART_BOOST``, so the sums are exact in any order). The
        bulk of a full rebuild is this field's words; ``test_schema`` checks that both paths
        index exactly the same terms, weights and word sequence."""
        tokens = words.findall(value)
        freqs: dict[str, int] = {}
        weights: dict[str, float] = {}
        codes: dict[str, int] = {}
        analyze, cache, hashes = german.analyze, german.index_cache, _STEM_HASHES
        for word, n in Counter(tokens).items():
            found = cache.get(word)
            whole, parts = found if found is not None else analyze(word)
            if whole is None:  # a stopword: a gap in the sequence, no posting
                codes[word] = 0
                continue
            code = hashes.get(whole)
            if code is None:
                if len(hashes) >= _STEM_HASH_CACHE:
                    hashes.clear()
                code = hashes[whole] = stem_hash(whole)
            codes[word] = code
            freqs[whole] = freqs.get(whole, 0) + n
            weights[whole] = weights.get(whole, 0.0) + n
            for part in parts:
                freqs[part] = freqs.get(part, 0) + n
                weights[part] = weights.get(part, 0.0) + n * PART_BOOST
        sequence = array("H", map(codes.__getitem__, tokens))
        while sequence and not sequence[-1]:  # no trailing stopwords
            sequence.pop()
        self._sequence = _little_endian(sequence)
        boost = self.format.field_boost
        return [
            (text.encode("utf-8"), freq, weights[text] * boost, pack_uint(freq))
            for text, freq in freqs.items()
        ]

    def _index_generic(self, value: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("mode", "index")
        recorded: dict[int, int] = {}
        inner = self.analyzer

        def recording(text: str, **options: Any) -> Any:
            options["positions"] = True
            for token in inner(text, **options):
                if not token.stopped and token.pos not in recorded:
                    recorded[token.pos] = stem_hash(token.text)
                yield token

        for text, freq, weight, vbytes in self.format.word_values(value, recording, **kwargs):
            yield (text.encode("utf-8"), freq, weight, vbytes)
        self._record(recorded)

    def _record(self, recorded: dict[int, int]) -> None:
        sequence = array("H", bytes(2 * (max(recorded, default=-1) + 1)))
        for pos, code in recorded.items():
            sequence[pos] = code
        self._sequence = _little_endian(sequence)

    def to_column_value(self, value: Any) -> bytes:
        sequence, self._sequence = self._sequence, b""
        return sequence

    def from_column_value(self, value: bytes) -> bytes:
        return value


def text_column(name: str) -> str:
    """The column holding the plain text of text field ``name`` (read for snippets only)."""
    return f"{name}_text"
