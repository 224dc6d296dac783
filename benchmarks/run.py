"""The speed benchmark on the real Karlsruhe council: ``python -m benchmarks.run`` (``make bench``).

Imports the OParl dump into a scratch corpus (reused while up to date), then measures full
rebuild, incremental update, cold start, search over HTTP and in-process, memory, a mixed
archive (Karlsruhe, Lübeck and the Hamburg districts as seven councils) and scaling to 2×
and 4× the archive, each beside a yardstick (plain Whoosh defaults for indexing, SQLite
FTS5 for search), and prints one table, also written as JSON under ``benchmarks/results/``.

    python -m benchmarks.run --small          # ~300 papers, well under a minute (tests)
    python -m benchmarks.run --papers 3000 --scales 1,2 --workdir /tmp/rb
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from archive.corpus import iter_council_files
from benchmarks import corpora, pages
from benchmarks.fts5_reference import Fts5Archive
from benchmarks.harness import (
    Measured,
    Server,
    bin_path,
    machine_info,
    measure,
    render_table,
    summarize,
    write_json,
)
from benchmarks.queries import QUERIES, WARMUP, Query

RESULTS = Path(__file__).resolve().parent / "results"
ORDER = (
    "import",
    "rebuild_seconds",
    "rebuild_throughput",
    "rebuild_memory",
    "fts5_build",
    "incremental",
    "cold_cli",
    "cold_serve",
    "search_http_x1",
    "search_inproc_x1",
    "server_rss_x1",
    *[f"pages_{kind}" for kind in pages.LABELS],
    "rebuild_mixed",
    "search_http_mixed",
    "search_inproc_mixed",
    "server_rss_mixed",
    *[
        f"{kind}_x{f}"
        for f in (2, 4)
        for kind in ("rebuild", "search_http", "search_inproc", "server_rss")
    ],
)
PROBE = "Karlsruhe"


@dataclass(frozen=True)
class Archive:
    """Which archive a search row measures: ``key`` ends its row keys (``search_http_x2``)."""

    key: str
    title: str
    factor: int = 1
    council: str | None = None
    """Karlsruhe's council when the archive has several (a click then sends its names)."""

    @classmethod
    def scaled(cls, factor: int) -> Archive:
        return cls(f"x{factor}", f"{factor}×", factor)


MIXED = Archive("mixed", "mixed archive", council=corpora.MIXED_KARLSRUHE)


class Bench:
    """One benchmark run: its settings, the rows of the table and the raw details."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rows: list[dict[str, Any]] = []
        self.details: dict[str, Any] = {}
        self.ratsarchiv = bin_path("ratsarchiv")
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.finished: str | None = None
        self.machine = machine_info()

    # -- rows -----------------------------------------------------------------------------

    def row(self, key: str, label: str, **fields: Any) -> dict[str, Any]:
        row = {"key": key, "label": label, "ratsarchiv": "", "reference": "", "ratio": ""}
        row.update(target="", status="", values={})
        row.update(fields)
        row["load_1m"] = round(os.getloadavg()[0], 2)  # a busy shared machine shows here
        self.rows.append(row)
        write_json(self.args.output, self.result())  # what was measured so far survives
        print(f"  {label}: {row['ratsarchiv']}  {row['reference']}  {row['status']}", flush=True)
        return row

    def failed(self, key: str, label: str, exc: BaseException) -> None:
        message = " ".join(str(exc).split())[:160]
        self.details.setdefault("errors", {})[key] = traceback.format_exc()[-4000:]
        self.row(key, label, ratsarchiv=f"error: {message}", status="error")

    # -- steps ----------------------------------------------------------------------------

    def rebuild(self, corpus: Path, index: Path, key: str, stats: dict) -> float:
        cmd = [self.ratsarchiv, "reindex", "--full", "--corpus", str(corpus), "--index", str(index)]
        run = measure(cmd).check("ratsarchiv reindex --full")
        self.details[key] = {
            "seconds": run.seconds,
            "cpu_seconds": run.cpu_seconds,
            "peak_rss_mb": run.peak_rss_mb,
            **stats,
        }
        return run.seconds

    def full_rebuild(self, corpus: Path, index: Path, stats: dict) -> None:
        seconds = self.rebuild(corpus, index, "rebuild_x1", stats)
        self.row(
            "rebuild_seconds",
            f"Full rebuild 1× ({stats['files']} files, {stats['mb']:.0f} MB)",
            ratsarchiv=f"{seconds:.1f} s (CPU {self.details['rebuild_x1']['cpu_seconds']:.0f} s)",
            target="≤ 180 s",
            status=_status(seconds <= 180),
            values={"seconds": seconds, "mb": stats["mb"], "files": stats["files"]},
        )

    def baseline(self, corpus: Path, stats: dict) -> None:
        """The same full rebuild with plain Whoosh defaults (after the 1× rebuild)."""
        seconds = self.details["rebuild_x1"]["seconds"]
        peak = self.details["rebuild_x1"]["peak_rss_mb"]
        mbps = stats["mb"] / seconds
        if self.args.baseline_from:  # a measurement of the same corpus made before
            data = json.loads(self.args.baseline_from.read_text(encoding="utf-8"))
            data = data.get("details", {}).get("whoosh_default", data)  # a results file too
            base = Measured(data["seconds"], data["peak_rss_mb"], 0, "", "", data["cpu_seconds"])
        else:
            baseline_dir = self.workdir / "whoosh-default"
            cmd = [sys.executable, "-m", "benchmarks.whoosh_default", "--corpus", str(corpus)]
            base = measure([*cmd, "--index", str(baseline_dir)]).check("whoosh default baseline")
        base_mbps = stats["mb"] / base.seconds
        ratio = mbps / base_mbps
        self.details["whoosh_default"] = {
            "seconds": base.seconds,
            "cpu_seconds": base.cpu_seconds,
            "peak_rss_mb": base.peak_rss_mb,
            "reused_from": str(self.args.baseline_from or ""),
        }
        self.row(
            "rebuild_throughput",
            "Full rebuild throughput (vs plain Whoosh defaults)",
            ratsarchiv=f"{mbps:.2f} MB/s",
            reference=f"{base_mbps:.2f} MB/s ({base.seconds:.1f} s, CPU {base.cpu_seconds:.0f} s)",
            ratio=f"{ratio:.2f}×",
            target="≥ 2.0×",
            status=_status(ratio >= 2.0),
            values={"mbps": mbps, "baseline_mbps": base_mbps, "ratio": ratio},
        )
        self.row(
            "rebuild_memory",
            "Full rebuild peak RSS (process tree)",
            ratsarchiv=f"{peak:.0f} MB",
            reference=f"{base.peak_rss_mb:.0f} MB",
            ratio=f"{peak / base.peak_rss_mb:.2f}×",
            values={"mb": peak, "baseline_mb": base.peak_rss_mb},
        )

    def fts5(self, corpus: Path, archive: Archive) -> Path:
        """The FTS5 reference database of a corpus (rebuilt when corpus or code changed)."""
        db = self.workdir / f"fts5-{archive.key}.sqlite"
        stamp_file = self.workdir / f"fts5-{archive.key}.stamp.json"
        stamp = {
            "corpus": corpora.base_stamp(self.workdir),
            "factor": archive.factor,
            "code": corpora.code_digest(["benchmarks/fts5_reference.py"]),
        }
        if archive.council:
            stamp["mixed"] = corpora.code_digest(corpora.MIXED_CODE)
        cached = json.loads(stamp_file.read_text()) if stamp_file.exists() else {}
        if db.exists() and cached.get("stamp") == stamp:
            self.details[f"fts5_build_{archive.key}"] = cached["build"]
            return db
        cmd = [sys.executable, "-m", "benchmarks.fts5_reference", "build", "--corpus", str(corpus)]
        run = measure([*cmd, "--db", str(db)]).check("FTS5 build")
        build = {**json.loads(run.stdout), "wall_seconds": run.seconds, "rss_mb": run.peak_rss_mb}
        write_json(stamp_file, {"stamp": stamp, "build": build})
        self.details[f"fts5_build_{archive.key}"] = build
        return db

    def incremental(self, corpus: Path, index: Path, server: Server) -> None:
        files = sorted(path for path, _ in iter_council_files(corpus))  # papers, not meetings
        reps = self.args.reps
        step = max(1, len(files) // (reps + 1))
        total, reindex_only = [], []
        for rep in range(reps):
            path = files[(rep + 1) * step % len(files)]
            original = path.read_text(encoding="utf-8")
            token = "zqxmarke" + "".join(
                chr(97 + int(d)) for d in f"{rep:02d}{time.time_ns() % 997:03d}"
            )
            start = time.perf_counter()
            try:
                _write(path, original.rstrip("\n") + f"\n\nBenchmark-Marke {token}\n")
                cmd = [self.ratsarchiv, "reindex", "--corpus", str(corpus), "--index", str(index)]
                seen = _searchable_while_reindexing(server, cmd, token, path.name)
                total.append(seen - start)
                reindex_only.append(time.perf_counter() - start)
            finally:
                _write(path, original)
        measure([self.ratsarchiv, "reindex", "--corpus", str(corpus), "--index", str(index)]).check(
            "ratsarchiv reindex (restore)"
        )
        s, r = summarize(total), summarize(reindex_only)
        self.details["incremental"] = {"end_to_end": s, "edit_to_reindex_exit": r}
        self.row(
            "incremental",
            f"One edited file → searchable (edit, `reindex`, GET sees it; median of {reps})",
            ratsarchiv=f"{s['p50_ms'] / 1000:.2f} s (max {s['max_ms'] / 1000:.2f})",
            reference=f"edit → reindex exited {r['p50_ms'] / 1000:.2f} s",
            target="≤ 1 s",
            status=_status(s["p50_ms"] <= 1000),
            values={"p50_s": s["p50_ms"] / 1000, "max_s": s["max_ms"] / 1000},
        )

    def cold_start(self, corpus: Path, index: Path) -> None:
        cli, serve = [], []
        for _ in range(self.args.reps):
            cmd = [self.ratsarchiv, "search", PROBE, "--json", "--index", str(index)]
            run = measure([*cmd, "--corpus", str(corpus)]).check("ratsarchiv search --json")
            json.loads(run.stdout)
            cli.append(run.seconds)
            with self.server(corpus, index, health=f"/api/search?q={PROBE}") as server:
                serve.append(server.ready_seconds)
        s, v = summarize(cli), summarize(serve)
        self.details["cold_start"] = {"search_cli": s, "serve_first_search": v}
        self.row(
            "cold_cli",
            f"Cold start: `ratsarchiv search {PROBE} --json` (median of {len(cli)})",
            ratsarchiv=f"{s['p50_ms'] / 1000:.2f} s",
            target="≤ 1 s",
            status=_status(s["p50_ms"] <= 1000),
            values={"p50_s": s["p50_ms"] / 1000},
        )
        self.row(
            "cold_serve",
            "Cold start: `ratsarchiv serve` → first /api/search answered",
            ratsarchiv=f"{v['p50_ms'] / 1000:.2f} s",
            target="≤ 1 s",
            status=_status(v["p50_ms"] <= 1000),
            values={"p50_s": v["p50_ms"] / 1000},
        )

    def server(self, corpus: Path, index: Path, health: str = "/healthz") -> Server:
        cmd = [self.ratsarchiv, "serve", "--corpus", str(corpus), "--index", str(index)]
        return Server([*cmd, "--host", "127.0.0.1", "--port", "{port}"], health=health)

    def search(self, corpus: Path, index: Path, db: Path, archive: Archive) -> None:
        """HTTP (full page) and in-process timings, Ratsarchiv and FTS5 interleaved.

        Each round starts fresh servers (and opens fresh in-process archives), warms them up
        with ``WARMUP`` and then sends every query once, so no timing is a cache hit. In an
        archive of several councils Ratsarchiv gets the facet parameters a click sends there
        (``Query.clicked``); FTS5, which has no councils, gets them as they are.
        """
        from index.results import SearchRequest
        from index.search import SearchIndex

        fts_cmd = [sys.executable, "-m", "benchmarks.fts5_reference", "serve", "--db", str(db)]
        http: dict[str, list[float]] = {"ratsarchiv": [], "fts5": []}
        local: dict[str, list[float]] = {"ratsarchiv": [], "fts5": []}
        per_query: dict[str, dict[str, list[float]]] = {}
        rss = peak = fts_rss = 0.0
        council, per_council = archive.council, _per_council_facets()
        for _ in range(self.args.rounds):
            with self.server(corpus, index) as ours, Server([*fts_cmd, "--port", "{port}"]) as fts:
                _timed(
                    http,
                    per_query,
                    "http ",
                    lambda q: _get(ours, _page(q, q.clicked(council, per_council))),
                    "ratsarchiv",
                )
                _timed(http, per_query, "http ", lambda q: _get(fts, _page(q)), "fts5")
                rss, fts_rss = max(rss, ours.rss_mb()), max(fts_rss, fts.rss_mb())
                peak = max(peak, ours.peak_rss_mb)
            search_index, reference = SearchIndex.open(index), Fts5Archive(db)
            totals: dict[str, dict[str, int]] = {}

            def ours_local(q: Query, search_index=search_index, totals=totals) -> None:
                filters = {k: (v,) for k, v in q.clicked(council, per_council).items()}
                result = search_index.search(SearchRequest(query=q.text, filters=filters))
                totals.setdefault(q.label, {})["ratsarchiv"] = result.total

            def fts_local(q: Query, reference=reference, totals=totals) -> None:
                result = reference.search(q.text, {k: [v] for k, v in q.filters.items()})
                totals.setdefault(q.label, {})["fts5"] = result["total"]

            _timed(local, per_query, "local ", ours_local, "ratsarchiv")
            _timed(local, per_query, "local ", fts_local, "fts5")
            search_index.close()
        suffix, factor = archive.key, archive.factor
        h, hf = summarize(http["ratsarchiv"]), summarize(http["fts5"])
        lr, lf = summarize(local["ratsarchiv"]), summarize(local["fts5"])
        self.details[f"search_{suffix}"] = {
            "http": {"ratsarchiv": h, "fts5": hf},
            "in_process": {"ratsarchiv": lr, "fts5": lf},
            "per_query_median_ms": {
                label: {k: round(statistics.median(v) * 1000, 2) for k, v in t.items()}
                for label, t in per_query.items()
            },
            "totals": totals,
        }
        big = factor > 1
        limit = 150 if factor >= 4 else 50
        judged = factor in (1, 4)
        self.row(
            f"search_http_{suffix}",
            f"Search {archive.title} over HTTP, GET / full page, ms p50/p95/p99",
            ratsarchiv=_pcts(h),
            reference=f"FTS5 {_pcts(hf)}",
            ratio=f"{h['p95_ms'] / hf['p95_ms']:.2f}×",
            target=f"p95 ≤ {limit} ms" if judged else "",
            status=_status(h["p95_ms"] <= limit) if judged else "",
            values={"ratsarchiv": h, "fts5": hf},
        )
        self.row(
            f"search_inproc_{suffix}",
            f"Search {archive.title} in-process (SearchIndex.search vs FTS5), ms p50/p95/p99",
            ratsarchiv=_pcts(lr),
            reference=f"FTS5 {_pcts(lf)}",
            ratio=f"{lr['p95_ms'] / lf['p95_ms']:.2f}×",
            target="" if big else "p95 ≤ 1.0× FTS5",
            status="" if big else _status(lr["p95_ms"] <= lf["p95_ms"]),
            values={"ratsarchiv": lr, "fts5": lf},
        )
        self.row(
            f"server_rss_{suffix}",
            f"Server memory {archive.title} (RSS after the queries; peak)",
            ratsarchiv=f"{rss:.0f} MB (peak {peak:.0f})",
            reference=f"FTS5 server {fts_rss:.0f} MB",
            ratio=f"{rss / fts_rss:.2f}×",
            target="" if big else "≤ 300 MB",
            status="" if big else _status(peak <= 300),
            values={"rss_mb": rss, "peak_mb": peak, "fts5_rss_mb": fts_rss},
        )

    # -- the whole run --------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        args = self.args
        self.workdir = args.workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        print(f"Ratsarchiv speed benchmark ({args.label}); work directory {self.workdir}")
        corpus, imported = corpora.imported_corpus(self.workdir, args.papers, skip=args.skip_import)
        stats = corpora.corpus_stats(corpus)
        self.row(
            "import",
            f"Import OParl dump ({stats['files']} files, {stats['mb']:.0f} MB)",
            ratsarchiv=f"{imported.seconds:.1f} s" if imported else "reused scratch corpus",
            values={"seconds": imported.seconds if imported else None, **stats},
        )
        index = self.workdir / "index-x1"
        try:
            self.full_rebuild(corpus, index, stats)
        except Exception as exc:
            self.failed("rebuild_seconds", "Full rebuild 1×", exc)
            raise
        db = self.fts5(corpus, Archive.scaled(1))
        build = self.details["fts5_build_x1"]
        self.row(
            "fts5_build",
            "FTS5 reference build 1× (informational)",
            reference=f"{build['wall_seconds']:.1f} s, {build['db_mb']:.0f} MB",
            values=build,
        )
        steps = (
            ("cold_start", lambda: self.cold_start(corpus, index)),
            (
                "search_x1",
                lambda: self.search_at(corpus, index, db, Archive.scaled(1), incremental=True),
            ),
            ("pages", lambda: self.pages(corpus, index)),
            ("rebuild_throughput", lambda: self.baseline(corpus, stats)),
            *([("search_http_mixed", lambda: self.mixed(corpus))] if args.mixed else []),
        )
        for key, step in steps:
            try:
                step()
            except Exception as exc:
                self.failed(key, key, exc)
        for factor in args.scales:
            if factor == 1:
                continue
            try:
                self.scale(corpus, factor)
            except Exception as exc:
                self.failed(f"search_http_x{factor}", f"Scale {factor}×", exc)
        self.finished = datetime.now(UTC).isoformat(timespec="seconds")
        return self.result()

    def result(self) -> dict[str, Any]:
        args = self.args
        return {
            "label": args.label,
            "started": self.started,
            "finished": self.finished,  # None while running or after a fatal error
            "machine": self.machine,
            "config": {
                "commit": _commit(),
                "papers": args.papers,
                "scales": args.scales,
                "rounds": args.rounds,
                "reps": args.reps,
                "queries": len(QUERIES),
                "warmup_queries": len(WARMUP),
                "workdir": str(args.workdir),
            },
            "rows": self.ordered_rows(),
            "details": self.details,
        }

    def ordered_rows(self) -> list[dict[str, Any]]:
        order = {key: n for n, key in enumerate(ORDER)}
        return sorted(self.rows, key=lambda r: (order.get(r["key"], len(order)), r["key"]))

    def pages(self, corpus: Path, index: Path) -> None:
        """Meeting, committee, faction, calendar and statistics pages (``benchmarks.pages``)."""
        with self.server(corpus, index) as server:
            pages.page_rows(server, self.row, _pcts)

    def search_at(
        self, corpus: Path, index: Path, db: Path, archive: Archive, incremental: bool = False
    ) -> None:
        self.search(corpus, index, db, archive)
        if incremental:
            with self.server(corpus, index) as server:
                self.incremental(corpus, index, server)

    def scale(self, base: Path, factor: int) -> None:
        corpus = corpora.scaled_corpus(self.workdir, base, factor)
        stats = corpora.corpus_stats(corpus)
        index = self.workdir / f"index-x{factor}"
        seconds = self.rebuild(corpus, index, f"rebuild_x{factor}", stats)
        cpu = self.details[f"rebuild_x{factor}"]["cpu_seconds"]
        self.row(
            f"rebuild_x{factor}",
            f"Full rebuild {factor}× ({stats['files']} files, {stats['mb']:.0f} MB)",
            ratsarchiv=f"{seconds:.1f} s ({stats['mb'] / seconds:.2f} MB/s, CPU {cpu:.0f} s)",
            values={"seconds": seconds, **stats},
        )
        db = self.fts5(corpus, Archive.scaled(factor))
        self.search_at(corpus, index, db, Archive.scaled(factor))

    def mixed(self, base: Path) -> None:
        """The mixed archive: Karlsruhe beside Lübeck and the Hamburg districts, searched
        with the 1× queries and judged by the 1× targets."""
        corpus = corpora.mixed_corpus(self.workdir, base)
        stats = corpora.corpus_stats(corpus)
        index = self.workdir / "index-mixed"
        seconds = self.rebuild(corpus, index, "rebuild_mixed", stats)
        cpu = self.details["rebuild_mixed"]["cpu_seconds"]
        self.row(
            "rebuild_mixed",
            f"Full rebuild, mixed archive ({stats['councils']} councils, {stats['files']} files, "
            f"{stats['mb']:.0f} MB)",
            ratsarchiv=f"{seconds:.1f} s ({stats['mb'] / seconds:.2f} MB/s, CPU {cpu:.0f} s)",
            values={"seconds": seconds, **stats},
        )
        self.search(corpus, index, self.fts5(corpus, MIXED), MIXED)


def _write(path: Path, text: str) -> None:
    from archive.corpus import write_atomic

    write_atomic(path, text)


def _searchable_while_reindexing(server: Server, cmd: list[str], token: str, name: str) -> float:
    """Run ``reindex`` and poll the site meanwhile; the moment a query first sees ``token``.

    Polled while reindex runs: it commits the edit before it tidies up segments and exits.
    Waits for reindex to finish; its stderr goes to a file (a pipe could fill and stall it).
    """
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            deadline = time.perf_counter() + 20
            seen = None
            while seen is None:
                status, body, _ = server.get(f"/api/search?q={quote(token)}")
                if status == 200 and json.loads(body)["total"] >= 1:
                    seen = time.perf_counter()
                elif process.poll() not in (None, 0) or time.perf_counter() > deadline:
                    break
                else:
                    time.sleep(0.01)
            code = process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if seen is None or code != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-500:]
            raise RuntimeError(f"edit of {name} not searchable; reindex exited {code}: {tail}")
    return seen


def _page(query: Query, filters: dict[str, str] | None = None) -> str:
    filters = query.filters if filters is None else filters
    pairs = ([("q", query.text)] if query.text else []) + list(filters.items())
    return "/?" + urlencode(pairs) if pairs else "/"


def _per_council_facets() -> frozenset[str]:
    """The facets whose values the index keeps apart per council (``FacetSpec.per_council``:
    committees, factions, offices); none for an index from before councils."""
    from index.schema import FACETS

    return frozenset(f.name for f in FACETS if getattr(f, "per_council", False))


def _get(server: Server, path: str) -> None:
    status, body, _ = server.get(path)
    if status != 200:
        raise RuntimeError(f"GET {path} → {status}: {body[:300]!r}")


def _timed(
    times: dict[str, list[float]],
    per_query: dict[str, dict[str, list[float]]],
    prefix: str,
    call: Callable[[Query], object],
    name: str,
) -> None:
    """Warm up with ``WARMUP``, then time ``call`` once for every query of ``QUERIES``."""
    for query in WARMUP:
        call(query)
    for query in QUERIES:
        start = time.perf_counter()
        call(query)
        elapsed = time.perf_counter() - start
        times[name].append(elapsed)
        per_query.setdefault(query.label, {}).setdefault(prefix + name, []).append(elapsed)


def _pcts(s: dict[str, float]) -> str:
    return f"{s['p50_ms']:.1f} / {s['p95_ms']:.1f} / {s['p99_ms']:.1f}"


def _commit() -> str:
    """The code measured: ``RATSARCHIV_COMMIT`` (a snapshot run) or the repository's HEAD."""
    if os.environ.get("RATSARCHIV_COMMIT"):
        return os.environ["RATSARCHIV_COMMIT"]
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=RESULTS.parent, capture_output=True, text=True
        )
    except OSError:
        return ""
    return done.stdout.strip()


def _status(ok: bool) -> str:
    return "met" if ok else "MISSED"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--small", action="store_true", help="~300 papers, for the tests")
    parser.add_argument("--papers", type=int, help="only the first N papers of the dump")
    parser.add_argument("--scales", default="1,2,4", help="corpus multiples, e.g. 1,2,4")
    parser.add_argument("--workdir", type=Path, help="scratch directory (outside the repo)")
    parser.add_argument("--skip-import", action="store_true", help="reuse the scratch corpus")
    parser.add_argument(
        "--no-mixed", dest="mixed", action="store_false", help="leave out the mixed archive"
    )
    parser.add_argument("--rounds", type=int, help="timed passes over the query list")
    parser.add_argument("--reps", type=int, help="repetitions of incremental and cold start")
    parser.add_argument("--output", type=Path, help="JSON file (default benchmarks/results/)")
    parser.add_argument(
        "--baseline-from",
        type=Path,
        help="reuse a default-Whoosh measurement of the same corpus instead of running it "
        "again: a results file of an earlier run, or JSON with seconds, cpu_seconds, peak_rss_mb",
    )
    args = parser.parse_args(argv)
    if args.small and args.papers is None:
        args.papers = 300
    args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()} | {1})
    args.label = "karlsruhe" if args.papers is None else f"karlsruhe-{args.papers}"
    args.rounds = args.rounds or (1 if args.small else 5)
    args.reps = args.reps or (2 if args.small else 5)
    default_workdir = Path(tempfile.gettempdir()) / f"ratsarchiv-bench-{args.label}"
    args.workdir = (args.workdir or default_workdir).resolve()
    args.output = args.output or RESULTS / f"{args.label}.json"
    return args


def _byte_compile() -> None:
    """Compile the project's modules as an installed package has them: an editable install
    under ``PYTHONDONTWRITEBYTECODE`` (set on the CI machines) would otherwise compile every
    module again in each new process and count that into every cold start."""
    import compileall

    root = Path(__file__).resolve().parents[1]
    for package in ("archive", "index", "webapp"):
        compileall.compile_dir(root / package, quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _byte_compile()
    bench = Bench(args)
    try:
        bench.run()
    finally:
        write_json(args.output, bench.result())
        print()
        print(render_table(bench.ordered_rows()))
        print(f"\nwritten to {args.output}")
    return 1 if any(r["status"] == "error" for r in bench.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
