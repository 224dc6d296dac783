"""TEMPORARY stand-in for ``index.analysis`` until it lands; removed then."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from whoosh.analysis import Analyzer, LanguageAnalyzer


class Lexicon:
    @classmethod
    def build(cls, texts) -> Lexicon:  # type: ignore[no-untyped-def]
        for _ in texts:
            pass
        return cls()

    def save(self, path: Path) -> None:
        Path(path).write_text("", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        return cls()


def text_analyzer(lexicon: Lexicon) -> Analyzer:
    return LanguageAnalyzer("de")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
