"""The long robustness runs: load during rebuilds, and SIGKILL many times per command.

``python -m benchmarks.soak`` imports a few thousand real Karlsruhe papers (kept in
``--workdir`` between runs), then

1. **load**: serves them with the real ``ratsarchiv serve`` while ``ratsarchiv reindex``
   runs again and again (after an edit to one file, then ``--full``, in turn);
   ``--clients`` threads (default 8) send searches with varied queries and facets to
   ``/`` and ``/api/search`` for ``--duration`` seconds (default 60) and open the motion
   page of every hit they get.
   Any 5xx, failed connection or hit whose page (its ``url``) is missing counts
   against the run; latencies are reported as p50/p95/p99.
2. **faults**: SIGKILLs ``reindex --full``, ``reindex`` and each importer ``--kills``
   times (default 20) at seeded random moments, checks after every kill that no corpus
   file is half written and that an open search index still answers, then lets one run
   finish and checks it cleaned up after the killed ones.

It exits non-zero if anything failed. ``tests/test_load.py`` and ``tests/test_faults.py``
run short versions of both in the default test suite; docs/operations.md explains
what the numbers mean for an operator.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from benchmarks.harness import Server, bin_path, summarize

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the fault helpers are shared with the tests

import faultkit  # noqa: E402

DEFAULT_WORKDIR = Path("/tmp/ratsarchiv-soak")
WORDS = (
    "Karlsruhe", "Stadt", "Schule", "Radweg", "Straßenbahn", "Kita", "Haushalt", "Bebauungsplan",
    "Durlach", "Klimaschutz", "Wohnungen", "Sanierung", "Antrag", "Zoo", "Parkplätze",
    "Gemeinderat", "Verkehr*", "Schul*", "Radwge~", '"Bebauungsplan Durlach"', "jahr:2010-2020",
    "typ:Antrag", "Stadt -Schule", "Kita OR Schule", "", "", "nummer:2015",
)  # fmt: skip
SORTS = ("", "", "newest", "oldest")


# -- load ---------------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What the clients saw while the index was rebuilt underneath them."""

    seconds: float = 0.0
    clients: int = 0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    motions_checked: int = 0
    rebuilds: int = 0
    rebuild_failures: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def ok(self) -> bool:
        return not (self.server_errors or self.failures or self.wrong or self.rebuild_failures)

    def summary(self) -> dict[str, Any]:
        timings = summarize(self.latencies) if self.latencies else {}
        return {
            "seconds": round(self.seconds, 1),
            "clients": self.clients,
            "requests": len(self.latencies),
            "requests_per_second": round(len(self.latencies) / max(self.seconds, 1e-9), 1),
            "statuses": dict(sorted(self.statuses.items())),
            "server_errors": self.server_errors,
            "connection_failures": len(self.failures),
            "wrong_answers": len(self.wrong),
            "motions_checked": self.motions_checked,
            "rebuilds_completed": self.rebuilds,
            "rebuild_failures": len(self.rebuild_failures),
            **{k: v for k, v in timings.items() if k.endswith("_ms")},
            "examples": (self.failures + self.wrong + self.rebuild_failures)[:5],
        }


def _facet_values(base: str) -> list[tuple[str, str]]:
    """(facet, value) pairs the archive offers, to click on like a reader would."""
    with _Client(base) as client:
        status, body, _ = client.get("/api/search")
    if status != 200:
        return []
    facets = json.loads(body)["facets"]
    return [(name, v["value"]) for name, values in facets.items() for v in values[:6]]


class _Client:
    """One keep-alive HTTP connection (one per thread: ``http.client`` is not thread-safe)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.conn: http.client.HTTPConnection | None = None

    def __enter__(self) -> _Client:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.close()

    def get(self, path: str) -> tuple[int, bytes, float]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        started = time.perf_counter()
        try:
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, body, time.perf_counter() - started


def _search_path(rng: random.Random, facets: list[tuple[str, str]]) -> str:
    params: list[tuple[str, str]] = []
    word = rng.choice(WORDS)
    if word:
        params.append(("q", word))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        if facets:
            params.append(rng.choice(facets))
    if sort := rng.choice(SORTS):
        params.append(("sort", sort))
    if rng.random() < 0.2:
        params.append(("page", str(rng.randint(1, 3))))
    route = rng.choice(("/api/search", "/api/search", "/"))
    return f"{route}?{urlencode(params)}" if params else route


def _hammer(
    base: str, done: threading.Event, seed: int, report: LoadReport, lock: threading.Lock
) -> None:
    rng = random.Random(seed)
    facets = _facet_values(base)
    with _Client(base) as client:
        while not done.is_set():
            path = _search_path(rng, facets)
            try:
                status, body, seconds = client.get(path)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    report.failures.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            pages: list[str] = []
            if status == 200 and path.startswith("/api/"):
                pages = [hit["url"] for hit in json.loads(body)["hits"]]
            with lock:
                report.latencies.append(seconds)
                report.statuses[status] += 1
                if status >= 500:
                    report.failures.append(f"{path}: HTTP {status}")
            for page in pages:  # every hit must be a page
                try:
                    status, _, seconds = client.get(page)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        report.failures.append(f"{page}: {type(exc).__name__}")
                    continue
                with lock:
                    report.latencies.append(seconds)
                    report.statuses[status] += 1
                    report.motions_checked += 1
                    if status != 200:
                        report.wrong.append(f"{path}: hit {page} → HTTP {status}")


def _rebuild_forever(corpus: Path, index: Path, stop: threading.Event, report: LoadReport) -> None:
    """Reindex until ``stop``: an incremental run after an edit, then a full rebuild, …"""
    base = [bin_path("ratsarchiv"), "reindex", "--corpus", str(corpus), "--index", str(index)]
    files = sorted(corpus.rglob("*.md"))
    for round_ in range(1_000_000):
        if stop.is_set():
            return
        command = base
        if round_ % 2 == 0:  # an archivist's edit, as a cron job's incremental run finds it
            edited = files[round_ % len(files)]
            text = edited.read_text(encoding="utf-8").rstrip("\n")
            edited.write_text(f"{text}\n\nNachtrag {round_}\n", encoding="utf-8")
        else:
            command = [*base, "--full"]
        result = subprocess.run(command, capture_output=True, text=True, env=faultkit.env())
        if result.returncode == 0:
            report.rebuilds += 1
        elif not stop.is_set():
            report.rebuild_failures.append(result.stderr[-500:])
            time.sleep(0.5)


def load_during_rebuild(
    corpus: Path,
    index: Path,
    *,
    seconds: float,
    clients: int = 8,
    seed: int = 1,
    min_rebuilds: int = 1,
) -> LoadReport:
    """``clients`` readers against ``ratsarchiv serve`` while full rebuilds run back to back.

    The readers go on past ``seconds`` until ``min_rebuilds`` rebuilds have swapped in a
    new index under them (at most four times as long), so a slow machine still tests that.
    """
    report = LoadReport(clients=clients)
    serve = [bin_path("ratsarchiv"), "serve", "--port", "{port}", "--threads", str(clients)]
    serve += ["--index", str(index), "--corpus", str(corpus)]
    with Server(serve) as server:
        base = f"http://127.0.0.1:{server.port}"
        stop = threading.Event()
        rebuilder = threading.Thread(target=_rebuild_forever, args=(corpus, index, stop, report))
        rebuilder.start()
        lock = threading.Lock()
        done = threading.Event()
        started = time.monotonic()
        threads = [
            threading.Thread(target=_hammer, args=(base, done, seed * 1000 + i, report, lock))
            for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        while time.monotonic() - started < seconds or (
            report.rebuilds < min_rebuilds and time.monotonic() - started < 4 * seconds
        ):
            time.sleep(0.1)
        done.set()
        for thread in threads:
            thread.join()
        report.seconds = time.monotonic() - started
        stop.set()
        rebuilder.join()
    return report


# -- faults -------------------------------------------------------------------------------


@dataclass
class FaultReport:
    command: str
    kills: int = 0
    finished: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_between(corpus: Path, search_index: Any, total: int, problems: list[str]) -> None:
    from index.results import SearchRequest

    problems.extend(faultkit.motion_problems(corpus, {}))
    if search_index is not None:
        try:
            search_index.refresh()
            if (
                search_index.count() != total
                or search_index.search(SearchRequest("Stadt")).total <= 0
            ):
                problems.append(
                    f"the open search index answers with {search_index.count()} motions"
                )
        except Exception as exc:  # the point is to catch anything the reader raises
            problems.append(f"the open search index failed: {type(exc).__name__}: {exc}")


def _kill(
    name: str, args: list[str], corpus: Path, *, kills: int, seed: int, search_index=None, total=0
) -> FaultReport:
    report = FaultReport(name)
    seconds = faultkit.timed(args)
    seen = faultkit.kill_repeatedly(
        args,
        times=kills,
        longest=seconds,
        seed=seed,
        after_each=lambda _: _check_between(corpus, search_index, total, report.problems),
    )
    report.kills, report.finished = seen.kills, seen.finished_before_kill
    final = faultkit.run(*args, timeout=3600)
    if final.returncode != 0 or "Traceback" in final.stderr:
        report.problems.append(f"the run after the kills failed: {final.stderr[-500:]}")
    report.problems.extend(f"leftover {p}" for p in faultkit.leftovers(corpus))
    return report


def faults(
    workdir: Path, corpus: Path, *, kills: int, papers: int = 400, seed: int = 7
) -> list[FaultReport]:
    """SIGKILL each command ``kills`` times; reindex on the first ``papers`` files of ``corpus``."""
    from index.search import SearchIndex

    root = workdir / "faults"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    copy, index = root / "corpus", root / "index"
    for path in sorted(corpus.rglob("*.md"))[:papers]:
        target = copy / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    faultkit.run("reindex", "--full", "--corpus", copy, "--index", index, timeout=3600)
    search_index = SearchIndex.open(index)
    total = search_index.count()
    reports = [
        _kill("reindex --full", ["reindex", "--full", "--corpus", copy, "--index", index], copy,
              kills=kills, seed=seed, search_index=search_index, total=total),
        _kill("reindex", ["reindex", "--corpus", copy, "--index", index], copy,
              kills=kills, seed=seed + 1, search_index=search_index, total=total),
    ]  # fmt: skip
    search_index.close()
    oparl = [*faultkit.oparl_args(papers), "--corpus", root / "oparl"]
    reports.append(_kill("import oparl", oparl, root / "oparl", kills=kills, seed=seed + 2))
    auszuege = faultkit.auszug_variants(root / "auszuege", 500)
    allris = ["import", "allris", *auszuege, "--corpus", root / "allris"]
    reports.append(_kill("import allris", allris, root / "allris", kills=kills, seed=seed + 3))
    pages = faultkit.allris_html_variants(root / "pages", 120)
    html = ["import", "allris-html", *pages, "--corpus", root / "html"]
    reports.append(_kill("import allris-html", html, root / "html", kills=kills, seed=seed + 4))
    return reports


# -- main ---------------------------------------------------------------------------------


def prepare(workdir: Path, papers: int) -> Path:
    """The corpus of the first ``papers`` Karlsruhe papers (imported once, then reused)."""
    corpus = workdir / f"corpus-{papers}"
    if not (corpus / ".import-state.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        print(f"importing {papers} Karlsruhe papers into {corpus} …", flush=True)
        faultkit.import_karlsruhe(corpus, papers, timeout=7200)
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--papers", type=int, default=3000, help="Karlsruhe papers to import")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8, help="concurrent readers")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs per command")
    parser.add_argument(
        "--fault-papers", type=int, default=400, help="papers of the corpus the kills work on"
    )
    parser.add_argument("--only", choices=("load", "faults"), help="run one part only")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--output", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = prepare(args.workdir, args.papers)
    results: dict[str, Any] = {"papers": args.papers}
    ok = True
    if args.only in (None, "load"):
        index = args.workdir / "load-index"
        shutil.rmtree(index, ignore_errors=True)
        faultkit.run("reindex", "--full", "--corpus", corpus, "--index", index, timeout=7200)
        print(f"load: {args.clients} clients for {args.duration:g} s during rebuilds …")
        load = load_during_rebuild(corpus, index, seconds=args.duration, clients=args.clients)
        results["load"] = load.summary()
        results["load"]["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
        results["load"]["cpus"] = os.cpu_count()
        print(json.dumps(results["load"], indent=1, ensure_ascii=False))
        ok &= load.ok
    if args.only in (None, "faults"):
        print(f"faults: {args.kills} kills per command …", flush=True)
        reports = faults(args.workdir, corpus, kills=args.kills, papers=args.fault_papers)
        results["faults"] = [
            {"command": r.command, "kills": r.kills, "finished": r.finished,
             "problems": r.problems[:5]}
            for r in reports
        ]  # fmt: skip
        for r in reports:
            state = "ok" if r.ok else f"FAILED: {r.problems[:3]}"
            print(f"  {r.command:20} {r.kills:3} kills, {r.finished} finished first: {state}")
        ok &= all(r.ok for r in reports)
    if args.output:
        args.output.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print("soak: ok" if ok else "soak: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
