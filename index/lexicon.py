"""German word forms and the corpus lexicon that compound splitting relies on.

Plain strings only (no whoosh): ``index.analysis`` builds the Whoosh analyzer on top.

- ``fold`` is the one spelling folding, used at index and at query time: lower case,
  ``ß``→``ss``, ``ä/ö/ü``→``a/o/u`` and the transcriptions ``ae/oe/ue``→``a/o/u`` (except after
  a vowel or ``q``, so ``Steuer``, ``neue``, ``Quelle`` keep their ``ue``), other accents
  dropped. ``Bürgermeister`` and ``Buergermeister`` both fold to ``burgermeister``.
- ``TOKEN_PATTERN`` finds words, gender forms (``Akteur:innen``, ``Akteur*innen``,
  ``Akteur_innen``, ``Bearbeiter/-in``) and words broken at a line end by PDF extraction
  (``Nordtan-\\ngente``); ``base_form`` turns such a token into the plain word.
- ``Lexicon`` is the list of folded word forms with their frequency and whether they are
  used as nouns (mostly capitalised): the corpus's own words, merged with a base list of
  general German (``base_lexicon``, shipped in ``index/data/``), so that a young archive
  splits compounds too. ``Lexicon.split`` cuts a folded compound into known words:
  ``sozialraumorientierung`` → ``sozial|raum|orientierung``.

Usage::

    lexicon = Lexicon.build(texts, base=base_lexicon())   # once per corpus
    lexicon.save(index_dir / LEXICON_FILE)  # atomic, gzipped text
    Lexicon.load(index_dir / LEXICON_FILE)  # a missing file gives the empty lexicon
"""

from __future__ import annotations

import gzip
import hashlib
import marshal
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from archive.corpus import write_atomic

LEXICON_FILE = "lexicon.tsv.gz"
BASE_FILE = Path(__file__).with_name("data") / "german-words.tsv.gz"
"""The base list of general German (source and licence: ``index/data/README.md``)."""
_CACHE_TAG = "ratsarchiv lexicon cache 2"
FORMAT_LINE = "# ratsarchiv lexicon 2: form<TAB>count<TAB>flags (1 noun, 2 never split, 3 both)"
NOUN, UNSPLIT = 1, 2

#: One token: a word broken at a line end, a gender form, or a run of word characters.
TOKEN_PATTERN = (
    r"[^\W\d_]+(?:"
    r"-[ \t]*\r?\n[ \t]*(?!(?:und|oder|bzw|sowie|bis|als|wie)\b)[a-zäöüß]\w*"  # broken word
    r"|(?:[:*_]|/-?)[Ii]n(?:nen)?(?![^\W\d_])"  # Akteur:innen, Bearbeiter/-in
    r"|\w*)"
    r"|\w+"
)
TOKEN_RE = re.compile(TOKEN_PATTERN)

_BROKEN = re.compile(r"-\s+")
_MARKED_GENDER = re.compile(r"^([^\W\d_]{2,}?)(?:[:*_]|/-?)[Ii]n(?:nen)?$")
_BINNEN_I = re.compile(r"^([^\W\d_]*[a-zäöüß])In(?:nen)?$")
# -innen words that are verbs, not feminine plurals
_NOT_FEMININE = re.compile(r"(?:gewinnen|beginnen|besinnen|entrinnen|spinnen|sinnen)$")

_TRANSCRIBED = re.compile(r"(?<![aeiouq])([aou])e")
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})

MIN_PART = 4


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Three-letter words that do occur as parts of council compounds (Gemeinderat, Jugendamt).
SHORT_PARTS = _wordset("amt rat weg bad bau hof zoo see rad bus tag tor gas eis ort uhr")
#: Suffixes and PDF fragments that are never a part of their own (-lich, -ungen, -keit ...).
_SUFFIX_LIKE = re.compile(
    r"(?:lich|isch|ig|bar|sam)(?:e[nrsm]?|keit(?:en)?)?"
    r"|(?:[tnrlgshzd]?ung|heit|keit|s?chaft|[a-z]?tion|ion|ismus|itat|nis|ling|chen|lein"
    r"|[a-z]?ierung)(?:en|s|e|es)?"
)
#: Fugenelemente a modifier may carry, by its last letter (Lebens-, Straßen-, Kinder-).
_FUGEN = {"s": ("s", "es"), "n": ("n", "en"), "r": ("er",), "e": ("e",)}
#: Inflection endings a head may carry, by its last letter.
_ENDINGS = {"e": ("e",), "n": ("en", "n", "ern", "nen"), "s": ("s", "es"), "r": ("er",)}
MAX_PARTS = 4
#: A word is not split if it is SPLIT_RATIO times as frequent as its rarest part.
SPLIT_RATIO = 200


def fold(text: str) -> str:
    """Lower case with umlauts, ``ß`` and their transcriptions folded (``Straße``→``strasse``)."""
    return transcribe(fold_umlauts(text))


def fold_umlauts(text: str) -> str:
    """Lower case with umlauts, ``ß`` and accents folded, but ``ae/oe/ue`` kept: the form
    compounds are split in (``Büroeinheit`` is ``buro|einheit``, not ``buroinheit``)."""
    text = text.lower().translate(_UMLAUTS)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return text


def transcribe(form: str) -> str:
    """``ae/oe/ue`` → ``a/o/u`` in an umlaut-folded form, except after a vowel or ``q``."""
    if "ae" in form or "oe" in form or "ue" in form:
        return _TRANSCRIBED.sub(r"\1", form)
    return form


def base_form(token: str) -> tuple[str, bool]:
    """The plain word of a token and whether it was a marked gender form.

    ``Nordtan-\\ngente`` → ``Nordtangente``; ``Akteur:innen``, ``Akteur*innen``,
    ``Akteur_innen``, ``AkteurInnen``, ``Bearbeiter/-in`` → ``Akteur`` / ``Bearbeiter``.
    Case is kept (the Binnen-I is only visible before lower-casing).
    """
    if "-" in token:
        token = _BROKEN.sub("", token)
    if "In" in token or ":" in token or "*" in token or "_" in token or "/" in token:
        match = _MARKED_GENDER.match(token) or _BINNEN_I.match(token)
        if match:
            return match.group(1), True
    return token, False


def strip_feminine(form: str) -> str:
    """``akteurinnen`` → ``akteur``, ``burgermeisterin`` → ``burgermeister`` (folded forms)."""
    if form.endswith("innen") and len(form) >= 8 and not _NOT_FEMININE.search(form):
        return form[:-5]
    if form.endswith("erin") and len(form) >= 8:
        return form[:-2]
    return form


def word_forms(texts: Iterable[str]) -> Iterable[tuple[str, int, int]]:
    """``(folded form, count, capitalised count)`` for the alphabetic words of ``texts``."""
    raw: Counter[str] = Counter()
    for text in texts:
        raw.update(TOKEN_RE.findall(text))
    counts: Counter[str] = Counter()
    capitals: Counter[str] = Counter()
    for token, count in raw.items():
        word, _ = base_form(token)
        if not word.isalpha():
            continue
        form = strip_feminine(fold_umlauts(word))
        counts[form] += count
        if word[0].isupper() and not word.isupper():
            capitals[form] += count
    for form, count in counts.items():
        yield form, count, capitals[form]


class Lexicon:
    """Folded word forms with their counts; ``nouns`` are mostly capitalised, ``unsplit``
    words are never split (words of their own that look like compounds: ``generation``)."""

    def __init__(
        self,
        counts: dict[str, int] | None = None,
        nouns: Iterable[str] = (),
        unsplit: Iterable[str] = (),
    ):
        self.counts: dict[str, int] = dict(counts or {})
        self.nouns: frozenset[str] = frozenset(nouns)
        self.unsplit: frozenset[str] = frozenset(unsplit)
        self.path: Path | None = None  # the file it was loaded from or saved to
        self._split = lru_cache(maxsize=50_000)(self._split_fine)
        self._split_best = lru_cache(maxsize=50_000)(self._split_uncached)
        self._modifiers = lru_cache(maxsize=50_000)(self._modifiers_uncached)

    def __len__(self) -> int:
        return len(self.counts)

    def __contains__(self, form: object) -> bool:
        return form in self.counts

    def __repr__(self) -> str:
        return f"<Lexicon {len(self.counts)} forms, {len(self.nouns)} nouns>"

    @classmethod
    def build(
        cls,
        texts: Iterable[str],
        min_freq: int = 2,
        max_len: int = 30,
        base: Lexicon | None = None,
    ) -> Lexicon:
        """The lexicon of ``texts``: forms seen at least ``min_freq`` times, 3–``max_len`` long,
        merged with ``base`` (``base_lexicon()``) if given."""
        counts: dict[str, int] = {}
        nouns: list[str] = []
        for form, count, capitals in word_forms(texts):
            if count >= min_freq and 3 <= len(form) <= max_len:
                counts[form] = count
                if capitals * 2 >= count:
                    nouns.append(form)
        own = cls(counts, nouns)
        return base.merged(own) if base is not None else own

    def merged(self, corpus: Lexicon) -> Lexicon:
        """This base list with a corpus's own lexicon: counts add up, so the corpus decides
        what is frequent; a word the corpus uses is a noun if the corpus uses it as one."""
        counts = dict(self.counts)
        for form, count in corpus.counts.items():
            counts[form] = counts.get(form, 0) + count
        nouns = corpus.nouns | (self.nouns - corpus.counts.keys())
        return Lexicon(counts, nouns, self.unsplit | corpus.unsplit)

    def save(self, path: Path) -> None:
        """Write the lexicon as gzipped text (and its load cache) via temp files and renames."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [FORMAT_LINE]
        nouns, unsplit = self.nouns, self.unsplit
        for form in sorted(self.counts):
            flags = NOUN * (form in nouns) + UNSPLIT * (form in unsplit)
            lines.append(f"{form}\t{self.counts[form]}\t{flags}")
        data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
        cache = (_CACHE_TAG, _digest(data), self.counts, sorted(nouns), sorted(unsplit))
        write_atomic(_cache_path(path), marshal.dumps(cache))
        write_atomic(path, data)
        self.path = path.resolve()

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read a saved lexicon; a missing file gives the empty lexicon (no compound splitting).

        The text file is the lexicon; the ``.marshal`` file beside it is only a cache
        (parsing 75,000 lines is a tenth of a second of every ``reindex``), used when it
        was made from exactly these bytes.
        """
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            return cls()
        lexicon = _cached(path, data)
        if lexicon is None:
            counts: dict[str, int] = {}
            nouns: list[str] = []
            unsplit: list[str] = []
            for line in gzip.decompress(data).decode("utf-8").splitlines():
                if not line or line.startswith("#"):
                    continue
                form, count, flags = line.split("\t")
                counts[form] = int(count)
                if flags != "0":
                    if int(flags) & NOUN:
                        nouns.append(form)
                    if int(flags) & UNSPLIT:
                        unsplit.append(form)
            lexicon = cls(counts, nouns, unsplit)
        lexicon.path = Path(path).resolve()
        return lexicon

    # -- compound splitting -------------------------------------------------------------

    def split(self, form: str) -> tuple[str, ...]:
        """The known words a folded compound is made of, or ``()`` if it is none.

        Every part has at least four letters (or is one of ``SHORT_PARTS``), is a word of
        the lexicon (a modifier may carry a Fugen-s/-n/-en/-es/-er/-e, the head an
        inflection ending) and the last part, the head, is a noun. Of several splits the
        one whose parts are most frequent (geometric mean) wins. ``unsplit`` words and
        words far more frequent than a part (``SPLIT_RATIO``) are not split.
        """
        if len(form) < 6 or not self.counts or not form.isalpha() or form in self.unsplit:
            return ()
        return self._split(form)

    def _split_fine(self, form: str) -> tuple[str, ...]:
        """The best split, each longer part split again (stahlbeton|arbeiten → stahl|beton|…)."""
        parts = self._split_best(form)
        if len(parts) >= MAX_PARTS:
            return parts
        fine: list[str] = []
        for part in parts:
            long = len(part) >= 8 and part not in self.unsplit
            inner = self._split_best(part) if long else ()
            fine.extend(inner or (part,))
        return parts if len(fine) > MAX_PARTS else tuple(fine)

    def _split_uncached(self, form: str) -> tuple[str, ...]:
        parts, rarest = self.best_split(form)
        whole = max(self.counts.get(form, 0), self._modifier_count(form))  # entwicklungs: Fuge
        if rarest * SPLIT_RATIO < whole:
            return ()  # a part far rarer than the word is a fragment (arbe|iten, orien|tierung)
        return parts

    def best_split(self, form: str) -> tuple[tuple[str, ...], int]:
        """The most frequent split of ``form`` into known words (no further checks) and the
        count of its rarest part; ``((), 0)`` if there is none."""
        counts, is_head = self.counts, self._is_head
        size = len(form)
        # every head ends the word, so the inflection endings to try are the same for all
        cuts = [0] + [len(e) for e in _ENDINGS.get(form[-1], ()) if form.endswith(e)]
        best: tuple[float, tuple[str, ...]] = (0.0, ())
        rarest = 0
        for start in range(3, size - 2):
            for cut in cuts:
                stem = form[start : size - cut]
                head_count = counts.get(stem, 0)
                if head_count and is_head(stem, head_count):
                    break
            else:
                continue
            for score, least, parts in self._modifiers(form[:start]):
                total = (score * head_count) ** (1 / (len(parts) + 1))
                if total > best[0]:
                    best, rarest = (total, (*parts, form[start:])), min(least, head_count)
        return best[1], rarest

    def _modifiers_uncached(self, text: str, depth: int = 1) -> list[tuple[float, int, tuple]]:
        """Ways to read ``text`` as known modifiers: ``(product of counts, least count, parts)``."""
        found = []
        count = self._modifier_count(text)
        if count:
            found.append((float(count), count, (text,)))
        if depth < MAX_PARTS - 1:
            for cut in range(3, len(text) - 2):
                last = self._modifier_count(text[cut:])
                if not last:
                    continue
                for score, least, parts in self._modifiers(text[:cut], depth + 1):
                    found.append((score * last, min(least, last), (*parts, text[cut:])))
        return found

    def _allowed(self, form: str) -> bool:
        return (len(form) >= MIN_PART or form in SHORT_PARTS) and not _SUFFIX_LIKE.fullmatch(form)

    def _modifier_ok(self, form: str) -> bool:
        return form not in _STOP_PARTS and self._allowed(form)

    def _is_head(self, form: str, count: int) -> bool:
        """A head is a noun, or a longer word seen at least three times (strukturschwach)."""
        return (form in self.nouns or (count >= 3 and len(form) >= 6)) and self._allowed(form)

    def _modifier_count(self, piece: str) -> int:
        """How often ``piece`` occurs as a word, maybe without its Fugenelement (the larger
        count: ``bebauungs`` is mostly ``Bebauung``); 0 if it is no possible modifier."""
        counts = self.counts
        if piece in _STOP_PARTS:
            return 0
        count = counts.get(piece, 0)
        if count and not self._allowed(piece):
            count = 0
        for fuge in _FUGEN.get(piece[-1], ()):
            if piece.endswith(fuge):
                stem = piece[: -len(fuge)]
                found = counts.get(stem, 0)
                if found > count and self._modifier_ok(stem):
                    count = found
        if not count:
            for added in ("e", "en"):  # Schul-weg (Schule), Wohn-raum (wohnen)
                found = counts.get(piece + added, 0)
                if found and self._allowed(piece):
                    return found
        return count


#: Function words that must not be a compound part (unter-nehmen, uber-gang, gegen-stand).
_STOP_PARTS = _wordset(
    "aber alle allem allen aller alles also ander andere anders auch dann dass denn dessen "
    "dies diese diesem diesen dieser dieses doch dort durch eine einem einen einer eines "
    "einig einige etwas gegen hier hinter immer jede jedem jeden jeder jedes jene jetzt kein "
    "keine mehr nach neben nicht noch nur ohne sehr sein seine sich sind soll "
    "sonst uber unter viel voll wann weil welche wenn werde werden will wird zwar "
    "zwischen"
)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _cache_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".marshal")


def _cached(path: Path, data: bytes) -> Lexicon | None:
    """The lexicon from the cache beside ``path`` if it was written for ``data``."""
    try:
        tag, digest, counts, nouns, unsplit = marshal.loads(_cache_path(path).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if tag != _CACHE_TAG or digest != _digest(data) or not isinstance(counts, dict):
        return None
    return Lexicon(counts, nouns, unsplit)


@lru_cache(maxsize=1)
def base_lexicon() -> Lexicon:
    """The shipped base list of general German (read once per process)."""
    return Lexicon.load(BASE_FILE)
