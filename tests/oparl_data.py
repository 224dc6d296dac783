"""Real Karlsruhe OParl papers for the OParl tests, read once per session from ../shared/data."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

from realdata import KARLSRUHE, require

PAPERS = KARLSRUHE / "papers.jsonl.gz"
MEETINGS = KARLSRUHE / "meetings.jsonl.gz"
ORGANIZATIONS = KARLSRUHE / "organizations.json"
SUBMITTERS = KARLSRUHE / "paper-submitters.json"

FIRST = 300
"""The first papers of the dump: 235 Beschlussvorlagen (2004–2006) and 65 amendments."""

# Line numbers (0-based) of papers that test links and a shared reference:
# 2019/1012 twice (vo/38195, ag/394), 2020/1246 with its amendments 2020/1246/1 and /2
# (which name it as their superordinated paper, and come later in the dump).
SHARED_REFERENCE = (6641, 6831)
FAMILY = (7295, 7733, 7740)


@functools.cache
def sample_lines() -> tuple[str, ...]:
    """The first ``FIRST`` lines and the linked / shared-reference papers, in dump order."""
    require()
    wanted = set(SHARED_REFERENCE + FAMILY)
    lines = []
    with gzip.open(PAPERS, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number < FIRST or number in wanted:
                lines.append(line)
            if number >= max(wanted):
                break
    return tuple(lines)


def sample_papers() -> list[dict[str, Any]]:
    return [json.loads(line) for line in sample_lines()]


def write_jsonl(path: Path, papers: list[dict[str, Any]], *, compress: bool = False) -> Path:
    text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in papers)
    if compress:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
