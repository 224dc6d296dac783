"""The real council data beside the repository (``../shared/data``) and the one check for it.

Every test that reads the data gets its paths from here and passes ``require()`` first:
without the data a test is skipped with one reason line; with ``RATSARCHIV_REQUIRE_DATA=1``
(set by ``.ci/run``) it fails instead, so CI never skips silently.
``RATSARCHIV_SHARED_DATA`` points the tests at the data somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA_VARIABLE = "RATSARCHIV_SHARED_DATA"
REQUIRE_VARIABLE = "RATSARCHIV_REQUIRE_DATA"

SHARED_DATA = Path(os.environ.get(DATA_VARIABLE) or REPO.parent / "shared" / "data")
SEED = SHARED_DATA / "seed" / "000_8b99fe79a41c52b0.txt"
KARLSRUHE = SHARED_DATA / "oparl-karlsruhe"
HAMBURG = SHARED_DATA / "allris-hamburg"


def missing() -> str | None:
    """Why the real data cannot be read, or ``None`` when it is there."""
    if SHARED_DATA.is_dir():
        return None
    return f"real council data missing: expected {SHARED_DATA} beside the repository (see README)"


def require() -> Path:
    """``SHARED_DATA``; skips the calling test without it (fails if CI requires the data)."""
    reason = missing()
    if reason is None:
        return SHARED_DATA
    if os.environ.get(REQUIRE_VARIABLE):
        pytest.fail(f"{reason}; {REQUIRE_VARIABLE} is set", pytrace=False)
    pytest.skip(reason)
