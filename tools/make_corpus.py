"""Make ``corpus/``, the archive ``make run`` serves, from the real data in ``../shared/data``.

    python tools/make_corpus.py                      # make corpus: rebuilds corpus/
    python tools/make_corpus.py --shared DIR --corpus DIR

Seven councils, every paper written by the archive's own importers:

- ``luebeck``: the user's seed, one ALLRIS Auszug (``import allris``);
- ``hamburg-altona``, ``hamburg-bergedorf``, ``hamburg-eimsbuettel``, ``hamburg-mitte``,
  ``hamburg-nord``: each district's Drucksache (``vo020.html``), agenda (``to010.html``),
  Auszug (``to020.html``: an item without a paper becomes an item of its meeting), committee
  (``au020.html``) and faction (``fr020.html``) pages, and Hamburg-Nord's meeting calendar
  (``si010_e.html``) and faction list (``fr010.html``) (``import allris-html``);
- ``karlsruhe``: every paper of the OParl dump dated in ``KARLSRUHE_YEAR`` (the dump's most
  recent year), with its consultations and their results from the meetings' agenda items
  and the faction hints, and the meetings of that year as meeting files (``import oparl
  --meetings --organizations --sponsors``).

Each council's ``_council.yml`` (``COUNCILS``) names its source and terms; ``_archive.yml``
makes ``luebeck`` the default council, so an import without ``--council`` adds to it;
``README.md`` (``readme``) says what is there. The same sources give the same bytes: the
corpus is built in a new folder beside the target and swapped in whole (not over files
of an archivist's own, unless ``--force``), the importers' state files
(``.import-state.json``, …) are left out. ``tests/test_shipped_corpus.py``
proves that ``corpus/`` is exactly what this makes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from archive.corpus import iter_council_files, write_atomic
from archive.councils import ARCHIVE_FILE, Council, ensure_council
from archive.importers.allris_html import import_pages
from archive.importers.allris_text import import_files
from archive.importers.corpus_writer import JOURNAL_FILE, ImportReport, Outcome
from archive.importers.corpus_writer import STATE_FILE as IMPORT_STATE
from archive.importers.oparl_import import import_oparl
from archive.importers.oparl_state import STATE_FILE as OPARL_STATE
from archive.meeting_files import iter_meeting_files
from archive.organization_files import iter_organization_files

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RATSARCHIV_SHARED_DATA") or REPO.parent / "shared" / "data")
SEED = "seed/000_8b99fe79a41c52b0.txt"
KARLSRUHE = "oparl-karlsruhe"
KARLSRUHE_YEAR = "2026"
"""The Karlsruhe slice: the papers whose OParl ``date`` lies in this year (319 papers)."""
HAMBURG_PAGES = (
    "vo020.html",
    "to010.html",
    "to020.html",
    "si010_e.html",
    "au020.html",
    "fr010.html",
    "fr020.html",
)
"""The pages a district has (not every district has a calendar or a faction list)."""
DEFAULT_COUNCIL = "luebeck"
STATE_FILES = frozenset({IMPORT_STATE, JOURNAL_FILE, OPARL_STATE})
"""What an import into a corpus leaves beside the papers (ignored by git, never shipped)."""

_HAMBURG_SOURCE = (
    "ALLRIS pages of the district assembly (sitzungsdienst-{host}.hamburg.de), from the "
    "test fixtures of the MIT-licensed project bv-hh/bv-hh (commit 45e6911)"
)
_HAMBURG_TERMS = (
    "Public documents of the district assembly; the fixtures are published under the "
    "MIT License by bv-hh/bv-hh"
)


HAMBURG = (
    ("hamburg-altona", "altona", "Altona"),
    ("hamburg-bergedorf", "bergedorf", "Bergedorf"),
    ("hamburg-eimsbuettel", "eimsbuettel", "Eimsbüttel"),
    ("hamburg-mitte", "hamburg_mitte", "Hamburg-Mitte"),
    ("hamburg-nord", "hamburg_nord", "Hamburg-Nord"),
)
"""The Hamburg districts: council key, folder in ``allris-hamburg/``, name."""
HAMBURG_FOLDERS = {key: folder for key, folder, _ in HAMBURG}


def _hamburg(key: str, folder: str, district: str) -> Council:
    host = folder.replace("_", "-")  # sitzungsdienst-hamburg-nord.hamburg.de
    return Council(
        key=key,
        name=f"Bezirksversammlung {district}",
        short_name=district,
        kind="Bezirk",
        state="Hamburg",
        website=f"https://www.hamburg.de/{host}/",
        allris_url=f"https://sitzungsdienst-{host}.hamburg.de/bi/",
        source=_HAMBURG_SOURCE.format(host=host) + f" (allris-hamburg/{folder}/)",
        terms=_HAMBURG_TERMS,
    )


COUNCILS: tuple[Council, ...] = (
    Council(
        key="karlsruhe",
        name="Stadt Karlsruhe",
        short_name="Karlsruhe",
        kind="Stadt",
        state="Baden-Württemberg",
        website="https://www.karlsruhe.de/",
        oparl_system="https://web1.karlsruhe.de/oparl/",
        oparl_body="https://web1.karlsruhe.de/oparl/bodies/0001",
        source=(
            "The city's OParl API (https://web1.karlsruhe.de/oparl/), as cached by the "
            "MIT-licensed project maxliesegang/karlsruhe-oparl-syndication (commit 71162e4f); "
            f"the papers dated {KARLSRUHE_YEAR}"
        ),
        terms=(
            "Public council documents of the Stadt Karlsruhe, published through its OParl "
            "API; the cache is published under the MIT License"
        ),
    ),
    *(_hamburg(*district) for district in HAMBURG),
    Council(
        key="luebeck",
        name="Hansestadt Lübeck",
        short_name="Lübeck",
        kind="Stadt",
        state="Schleswig-Holstein",
        website="https://www.luebeck.de/",
        allris_url="https://www.luebeck.de/de/rathaus/politik/pil/bi/",
        source=(
            "The user's own extract: the text of one ALLRIS Auszug (Ausschuss für Soziales, "
            "2024), copied from the city's council information system"
        ),
        terms="The user's own extract of public council documents",
    ),
)


class CorpusBuildError(Exception):
    """An import went wrong (a conflict, or a council left without papers)."""


# -- the sources --------------------------------------------------------------------------


def hamburg_pages(shared: Path, key: str) -> list[str]:
    """The pages of a Hamburg district that the ALLRIS HTML importer reads, in order."""
    folder = shared / "allris-hamburg" / HAMBURG_FOLDERS[key]
    return [str(folder / name) for name in HAMBURG_PAGES if (folder / name).is_file()]


def karlsruhe_meetings(shared: Path, year: str = KARLSRUHE_YEAR) -> Iterator[str]:
    """The meetings dump's lines (meetings) that start in ``year``, in the dump's order."""
    marker = f'"start": "{year}-'
    with gzip.open(shared / KARLSRUHE / "meetings.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            if marker in line and str(json.loads(line).get("start", "")).startswith(year):
                yield line


def karlsruhe_slice(shared: Path, year: str = KARLSRUHE_YEAR) -> Iterator[str]:
    """The dump's lines (papers) whose ``date`` lies in ``year``, in the dump's order."""
    marker = f'"date": "{year}-'
    with gzip.open(shared / KARLSRUHE / "papers.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            if marker in line and str(json.loads(line).get("date", "")).startswith(year):
                yield line  # the marker also finds files' dates: the paper's own decides


def import_luebeck(shared: Path, corpus: Path, council: str = "luebeck") -> ImportReport:
    """``ratsarchiv import allris SEED --council luebeck``."""
    return import_files([shared / SEED], corpus, council=council)


def import_hamburg(shared: Path, corpus: Path, council: str) -> ImportReport:
    """``ratsarchiv import allris-html vo020.html to020.html --council hamburg-…``."""
    return import_pages(hamburg_pages(shared, council), corpus, council=council)


def import_karlsruhe(
    shared: Path,
    corpus: Path,
    papers: Path | None = None,
    council: str = "karlsruhe",
    meetings: Path | None = None,
) -> ImportReport:
    """``ratsarchiv import oparl PAPERS --meetings MEETINGS --organizations --sponsors
    --council karlsruhe``; ``papers`` and ``meetings`` are the dumps unless given (slices:
    a paper is consulted after its date, so the meetings of its year hold its consultations)."""
    data = shared / KARLSRUHE
    run = import_oparl(
        str(papers or data / "papers.jsonl.gz"),
        corpus,
        organizations=data / "organizations.json",
        meetings=meetings or data / "meetings.jsonl.gz",
        sponsors=data / "paper-submitters.json",
        council=council,
    )
    if run.meetings is not None:
        print(f"{council} meetings: {run.meetings.report.summary()}")
        if not run.meetings.report.ok:
            raise CorpusBuildError(f"{council}: {run.meetings.report.problems[:3]}")
    return run.report


# -- the build ----------------------------------------------------------------------------


def build(shared: Path, corpus: Path) -> dict[str, int]:
    """Write the shipped corpus into ``corpus`` (a new, empty folder); papers per council."""
    corpus.mkdir(parents=True, exist_ok=False)
    write_atomic(corpus / ARCHIVE_FILE, f"default_council: {DEFAULT_COUNCIL}\n")
    for council in COUNCILS:
        ensure_council(corpus, council)  # the importers leave these descriptions alone
    with tempfile.TemporaryDirectory(prefix="make-corpus-") as scratch:
        papers = Path(scratch) / f"karlsruhe-{KARLSRUHE_YEAR}.jsonl"
        with papers.open("w", encoding="utf-8") as out:
            out.writelines(karlsruhe_slice(shared))
        meetings = Path(scratch) / f"karlsruhe-meetings-{KARLSRUHE_YEAR}.jsonl"
        with meetings.open("w", encoding="utf-8") as out:
            out.writelines(karlsruhe_meetings(shared))
        _check("karlsruhe", import_karlsruhe(shared, corpus, papers, meetings=meetings))
    for key in HAMBURG_FOLDERS:
        _check(key, import_hamburg(shared, corpus, key))
    _check("luebeck", import_luebeck(shared, corpus))
    _drop_state_files(corpus)
    counts = papers_per_council(corpus)
    empty = [council.key for council in COUNCILS if not counts.get(council.key)]
    if empty:
        raise CorpusBuildError(f"no papers imported for {', '.join(empty)}")
    write_atomic(corpus / "README.md", readme(counts, other_files(corpus)))
    return counts


def _check(key: str, report: ImportReport) -> None:
    print(f"{key}: {report.summary()}")
    for problem in report.problems:
        print(f"  {problem}")
    if report.counts[Outcome.CONFLICT]:
        raise CorpusBuildError(f"{key}: the import conflicted with files already there")


def _drop_state_files(corpus: Path) -> None:
    """The importers' own records (names starting with ``.``): never part of what ships."""
    for path in sorted(corpus.rglob(".*")):
        if path.is_file():
            path.unlink()


def papers_per_council(corpus: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, key in iter_council_files(corpus):
        counts[key] = counts.get(key, 0) + 1
    return counts


def other_files(corpus: Path) -> dict[tuple[str, str], int]:
    """(council, kind) → number of meeting and organisation files."""
    counts: dict[tuple[str, str], int] = {}
    walks = (("meetings", iter_meeting_files), ("organizations", iter_organization_files))
    for kind, walk in walks:
        for _, key in walk(corpus):
            counts[(key, kind)] = counts.get((key, kind), 0) + 1
    return counts


def corpus_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its ``/``-separated relative path, except what an import
    into it leaves beside the papers (``STATE_FILES``, ignored by git)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in STATE_FILES
    }


def replace_corpus(shared: Path, target: Path, *, force: bool = False) -> dict[str, int]:
    """Build beside ``target`` and swap the new corpus in; a failed build leaves it alone,
    and so does one that would lose files the build does not make (unless ``force``)."""
    target = target.resolve()
    work = Path(tempfile.mkdtemp(prefix=".make-corpus-", dir=target.parent))
    try:
        counts = build(shared, work / "corpus")
        if target.exists():
            lost = sorted(set(corpus_files(target)) - set(corpus_files(work / "corpus")))
            if lost and not force:
                raise CorpusBuildError(
                    f"{target}: {len(lost)} of its files are not in the shipped corpus "
                    f"(like {lost[0]}); left alone (--force replaces it anyway)"
                )
            os.replace(target, work / "old")
        os.replace(work / "corpus", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts


# -- corpus/README.md ---------------------------------------------------------------------

README = """\
# The shipped corpus

Real council papers of {count} councils, {papers} in all: what `make run` indexes and
serves. Every paper is written by Ratsarchiv's own importers from the public data in
`../shared/data/` (see its README). `make corpus` (`tools/make_corpus.py`) rebuilds this
folder from that data, byte for byte, and `tests/test_shipped_corpus.py` checks that it is
exactly what the generator makes, so edit nothing here by hand: change the importers or the
generator and run `make corpus`.

| Council | Folder | Papers | Meetings | Organisations | From |
| --- | --- | ---: | ---: | ---: | --- |
{rows}

- **Karlsruhe**: every paper of the OParl dump (`oparl-karlsruhe/papers.jsonl.gz`) dated
  {year}, the dump's most recent year, with its consultations, their results from the
  meetings' agenda items and the factions from the dump's submitter hints (`ratsarchiv import
  oparl --meetings --organizations --sponsors`), and the meetings of {year} with their agenda
  items, linked to those papers. Public council documents of the city, via
  the MIT-licensed project maxliesegang/karlsruhe-oparl-syndication's cache of the city's
  OParl API.
- **Hamburg**: each district assembly's Drucksache (`vo020.html`), agenda (`to010.html`),
  Auszug (`to020.html`), committee (`au020.html`) and faction (`fr020.html`) pages in
  `allris-hamburg/<district>/`, and Hamburg-Nord's meeting calendar and faction list
  (`ratsarchiv import allris-html`): papers, meetings with their agendas (an Auszug of an
  item without a paper is that item of its meeting), committees and factions with their
  members. From the test fixtures of the MIT-licensed project bv-hh/bv-hh.
- **Lübeck**: the user's own extract, the seed `seed/000_8b99fe79a41c52b0.txt`
  (`ratsarchiv import allris`).

Each `<council>/_council.yml` describes its council (name, kind, state, web addresses,
source, terms); its papers are `<council>/<year>/<slug>.md`, its meetings
`<council>/meetings/<id>.md`, its committees and factions `<council>/organizations/<id>.md`
([corpus format](../docs/corpus-format.md)). `_archive.yml` makes `luebeck` the default
council: an import without `--council` adds to Lübeck.
"""

FROM = {
    "karlsruhe": "OParl dump, papers dated {year}",
    "luebeck": "the user's seed (ALLRIS Auszug)",
}
"""The table's column "From" (Hamburg's districts: their ALLRIS pages)."""


def readme(counts: dict[str, int], others: dict[tuple[str, str], int]) -> str:
    """``corpus/README.md``: the councils, their papers, meetings, organisations, sources and
    terms (``others``: (council, ``meetings``/``organizations``) → files)."""
    rows = []
    for council in COUNCILS:
        where = FROM.get(council.key, "ALLRIS pages (bv-hh/bv-hh fixtures)")
        papers = counts.get(council.key, 0)
        meetings = others.get((council.key, "meetings"), 0)
        organisations = others.get((council.key, "organizations"), 0)
        rows.append(
            f"| {council.name} | `{council.key}` | {papers} | {meetings} | {organisations} "
            f"| {where} |"
        )
    return README.format(
        count=len(COUNCILS),
        papers=sum(counts.values()),
        rows="\n".join(rows).format(year=KARLSRUHE_YEAR),
        year=KARLSRUHE_YEAR,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/make_corpus.py", description=__doc__)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the real data")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus", help="where to make it")
    parser.add_argument("--force", action="store_true", help="even if that loses other files")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(f"error: {args.shared}: no such folder (the real data, see README)", file=sys.stderr)
        return 1
    try:
        counts = replace_corpus(args.shared, args.corpus, force=args.force)
    except (CorpusBuildError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.corpus}: {sum(counts.values())} papers in {len(counts)} councils")
    return 0


if __name__ == "__main__":
    sys.exit(main())
