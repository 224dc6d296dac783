"""The extraction benchmark's quick mode runs end to end (2 text files, 1 scan page).

Timings are not judged (the machine is shared); every row must be in the printed table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROWS = {
    "text_speed",
    "text_agreement",
    "text_agreement_koeln",
    "ocr_speed",
    "council_estimate",
    "ocr_recall",
}


def test_quick_run_prints_every_row(shared_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "rows.json"
    env = dict(os.environ, RATSARCHIV_SHARED_DATA=str(shared_data))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.extraction", "--quick", "--output", str(output)],
        cwd=REPO, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(output.read_text(encoding="utf-8"))
    assert {row["key"] for row in rows} == ROWS
    for row in rows:
        assert row["label"] in done.stdout and row["ratsarchiv"]
    assert "Text PDFs read (2 files" in done.stdout
