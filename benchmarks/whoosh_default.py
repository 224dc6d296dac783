"""The baseline for full-rebuild throughput: plain Whoosh with its default settings.

Same corpus files, same documents as a straightforward Whoosh application would make of them
(title, the text sections and sponsors as stored ``TEXT`` fields, the facets as ``KEYWORD``
fields, the result-list data stored), with Whoosh's defaults everywhere else: one process,
the default ``limitmb`` (128) and Whoosh's English ``StemmingAnalyzer`` (``schema()`` takes
another analyzer: the quality eval's baselines). Texts are capped at the
same 200,000 characters per field as Ratsarchiv's index, so both index the same text.

    python -m benchmarks.whoosh_default --corpus DIR --index DIR
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

from whoosh import fields
from whoosh.analysis import Analyzer, StemmingAnalyzer
from whoosh.index import create_in

from archive.corpus import iter_motion_files, read_motion
from archive.errors import CorpusErrors
from archive.motion import Motion
from archive.outcomes import normalise_result

MAX_FIELD_CHARS = 200_000
TEXT_FIELDS = ("title", "resolution", "questions", "reasons", "body", "sponsors")


def schema(analyzer: Analyzer | None = None) -> fields.Schema:
    """The plain schema; its text fields use ``analyzer`` (default: ``StemmingAnalyzer``)."""
    text = {"analyzer": analyzer or StemmingAnalyzer(), "stored": True}
    return fields.Schema(
        slug=fields.ID(stored=True, unique=True),
        date=fields.ID(stored=True, sortable=True),
        title=fields.TEXT(**text),
        resolution=fields.TEXT(**text),
        questions=fields.TEXT(**text),
        reasons=fields.TEXT(**text),
        body=fields.TEXT(**text),
        sponsors=fields.TEXT(**text),
        committee=fields.KEYWORD(commas=True),
        sponsor=fields.KEYWORD(commas=True),
        type=fields.ID,
        year=fields.ID,
        result=fields.ID,
        hit=fields.STORED,
    )


def build(corpus: Path, index_dir: Path) -> dict:
    """Index every motion of ``corpus`` into a fresh Whoosh index in ``index_dir``."""
    start = time.perf_counter()
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    ix = create_in(str(index_dir), schema())
    writer = ix.writer()
    count = 0
    for path in iter_motion_files(corpus):
        try:
            m = read_motion(path)
        except CorpusErrors:
            continue
        if not m.public:
            continue
        count += 1
        writer.add_document(**document(m))
    writer.commit()
    return {"docs": count, "seconds": round(time.perf_counter() - start, 2)}


def document(m: Motion) -> dict[str, Any]:
    """The document a straightforward Whoosh application would make of motion ``m``."""
    return {
        "slug": m.slug,
        "date": m.date,
        "title": m.title,
        "resolution": m.resolution[:MAX_FIELD_CHARS],
        "questions": "\n".join(m.questions)[:MAX_FIELD_CHARS],
        "reasons": m.reasons[:MAX_FIELD_CHARS],
        "body": m.body[:MAX_FIELD_CHARS],
        "sponsors": "\n".join(m.sponsors),
        "committee": ",".join(m.committees),
        "sponsor": ",".join(m.sponsors),
        "type": m.type,
        "year": m.year,
        "result": normalise_result(m.result),
        "hit": json.dumps(
            {"reference": m.reference, "title": m.title, "type": m.type, "date": m.date},
            ensure_ascii=False,
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.whoosh_default")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(build(args.corpus, args.index)))


if __name__ == "__main__":
    main()
