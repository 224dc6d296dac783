"""Make ``index/data/german-words.tsv.gz``, the base list of general German for compound splitting.

From ``wordfreq`` (its ``large`` German list; install it with ``pip install -e '.[wordlist]'``):

    python tools/make_word_list.py            # writes index/data/german-words.tsv.gz

Every alphabetic word of 3–30 letters at least ``MIN_FREQUENCY`` frequent (about one in a
million words), folded as the corpus lexicon folds its words (``fold_umlauts``, feminine
endings off), with the count it would have in ``SCALE`` words of general German. Words that
the splitter would cut into a part rarer than the word itself are marked never to be split:
``Generation`` is not ``Gene|ration``, ``Antwort`` not ``Ant|wort``. That test looks at the
ten times longer list down to ``CHECK_FREQUENCY`` (``Ration`` is rarer than one in a
million) and lets every word be a head. wordfreq has no word classes, so the list marks no
nouns: the corpus does that.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from index.lexicon import BASE_FILE, Lexicon, fold_umlauts, strip_feminine

MIN_FREQUENCY = 1e-6
CHECK_FREQUENCY = 1e-7
SCALE = 1_000_000
UNSPLIT_RATIO = 1.0
"""A word more frequent than this many times its rarest part is a word of its own."""


def folded(frequencies: dict[str, float], least: float) -> dict[str, float]:
    """Folded forms of the words at least ``least`` frequent (forms that fold alike add up)."""
    forms: defaultdict[str, float] = defaultdict(float)
    for word, frequency in frequencies.items():
        if frequency < least or not word.isalpha() or not 3 <= len(word) <= 30:
            continue
        form = strip_feminine(fold_umlauts(word))
        if 3 <= len(form) <= 30:
            forms[form] += frequency
    return forms


def unsplit(forms: dict[str, int]) -> set[str]:
    """Forms the splitter would cut into a part rarer than the whole word."""
    every = Lexicon(forms, forms.keys())  # any word may be a head here
    found = set()
    for form, count in forms.items():
        if len(form) >= 6:
            parts, rarest = every.best_split(form)
            if parts and count > rarest * UNSPLIT_RATIO:
                found.add(form)
    return found


def word_list(frequencies: dict[str, float], least: float = MIN_FREQUENCY) -> Lexicon:
    """The base lexicon of a wordfreq frequency list."""
    forms = folded(frequencies, min(least, CHECK_FREQUENCY))
    fine = {form: round(frequency * 1e9) for form, frequency in forms.items()}  # for the test
    kept = {form: round(f * SCALE) for form, f in forms.items() if f >= least}
    return Lexicon(kept, (), unsplit(fine) & kept.keys())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=BASE_FILE)
    parser.add_argument("--min-frequency", type=float, default=MIN_FREQUENCY)
    args = parser.parse_args(argv)

    from wordfreq import get_frequency_dict  # only needed here, not at run time

    lexicon = word_list(get_frequency_dict("de", wordlist="large"), args.min_frequency)
    with tempfile.TemporaryDirectory() as tmp:
        made = Path(tmp) / args.output.name
        lexicon.save(made)  # (and a load cache beside it, which is not shipped)
        shutil.copyfile(made, args.output)
    size = args.output.stat().st_size / 1e6
    print(f"{args.output}: {len(lexicon)} forms, {len(lexicon.unsplit)} unsplit, {size:.2f} MB")


if __name__ == "__main__":
    main()
