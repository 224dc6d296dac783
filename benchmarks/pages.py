"""Page speed of the council's pages over HTTP: meetings, committees, factions, calendar,
statistics, each beside a paper page of the same archive in the same run.

The addresses come from the site itself (a council's JSON twin lists its committees, the
calendar's its meetings), so the sample is what a visitor can reach: every month of the
archive's last years for the calendar and its meetings, every committee. Each kind is
warmed up once, then every address is fetched ``ROUNDS`` times; the row gives p50/p95/p99
and the target p95 ≤ 50 ms (issue 15). A kind the site does not have (404) is left out.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from benchmarks.harness import Server, summarize

TARGET_MS = 50.0
ROUNDS = 3
SAMPLE = 60
"""Addresses per kind at most (chosen at random with a fixed seed)."""


def _json(server: Server, path: str) -> Any:
    status, body, _ = server.get(path)
    if status != 200:
        raise RuntimeError(f"GET {path} → {status}: {body[:200]!r}")
    return json.loads(body)


def addresses(server: Server, council: str, years: int = 3) -> dict[str, list[str]]:
    """The sample of each kind of page, from the council's own JSON twins."""
    rng = random.Random(15)
    page = _json(server, f"/api/{council}/")
    months: list[str] = []
    meetings: list[str] = []
    latest = _json(server, f"/api/{council}/calendar")["month"]
    year, month = int(latest[:4]), int(latest[5:7])
    for _ in range(12 * years):
        key = f"{year:04d}-{month:02d}"
        months.append(f"/{council}/calendar?month={key}")
        found = _json(server, f"/api/{council}/calendar?month={key}")["meetings"]
        meetings.extend(m["url"] for m in found)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    committees = [c["url"] for c in page.get("meeting_committees", [])]
    papers = [h["url"] for h in _json(server, f"/api/search?council={council}")["hits"]]
    for query in ("Radweg", "Schule", "Haushalt", "Klima", "Bebauungsplan"):
        papers += [h["url"] for h in _json(server, f"/api/search?q={query}")["hits"]]
    kinds = {
        "meeting": meetings,
        "committee": committees,
        "calendar": months,
        "calendar_ics": [f"/{council}/calendar.ics"],
        "statistics": [f"/{council}/statistics", "/statistics"],
        "faction": _faction_pages(server, council),
        "paper": [p for p in papers if "/motions/" in p],
    }
    return {
        kind: rng.sample(urls, min(SAMPLE, len(urls))) if len(urls) > SAMPLE else urls
        for kind, urls in kinds.items()
        if urls and server.get(urls[0])[0] == 200
    }


def _faction_pages(server: Server, council: str) -> list[str]:
    status, body, _ = server.get(f"/api/{council}/factions")
    if status != 200:
        return []
    data = json.loads(body)
    return [f["url"] for f in data.get("factions", [])]


def timings(server: Server, urls: list[str]) -> dict[str, float]:
    for url in urls[:3]:  # warm
        server.get(url)
    seconds = []
    for _ in range(ROUNDS):
        for url in urls:
            status, body, elapsed = server.get(url)
            if status != 200:
                raise RuntimeError(f"GET {url} → {status}: {body[:200]!r}")
            seconds.append(elapsed)
    return summarize(seconds)


LABELS = {
    "meeting": "Meeting pages",
    "committee": "Committee pages",
    "faction": "Faction pages",
    "calendar": "Calendar month pages",
    "calendar_ics": "Council iCalendar feed",
    "statistics": "Statistics pages",
}


def page_rows(server: Server, row: Callable[..., dict[str, Any]], pcts: Callable) -> None:
    """One row per kind of page (``row`` is ``Bench.row``), the paper page as reference;
    the council is the archive's largest."""
    councils = _json(server, "/api/")["councils"]
    council = max(councils, key=lambda c: c["papers"])["key"]
    found = addresses(server, council)
    reference = timings(server, found.pop("paper")) if "paper" in found else None
    for kind, urls in found.items():
        measured = timings(server, urls)
        judged = kind != "calendar_ics"  # a whole council's feed is a download, not a page
        row(
            f"pages_{kind}",
            f"{LABELS[kind]} over HTTP ({len(urls)} addresses × {ROUNDS}), ms p50/p95/p99",
            ratsarchiv=pcts(measured),
            reference=f"paper page {pcts(reference)}" if reference else "",
            ratio=f"{measured['p95_ms'] / reference['p95_ms']:.2f}×" if reference else "",
            target=f"p95 ≤ {TARGET_MS:.0f} ms" if judged else "",
            status=("met" if measured["p95_ms"] <= TARGET_MS else "MISSED") if judged else "",
            values={"ratsarchiv": measured, "paper": reference, "urls": len(urls)},
        )
