"""The test lanes: without the real data a test skips with one reason, unless CI requires it;
``make test-fast`` leaves out the Karlsruhe, browser and slow tests.

Each case runs the real pytest in a subprocess on a few tests of this suite, as a newcomer
or CI would, with ``RATSARCHIV_SHARED_DATA`` pointed at a folder that does not exist.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from realdata import DATA_VARIABLE, REPO, REQUIRE_VARIABLE

# One test per way of reaching the data: the seed fixture, a ``karlsruhe`` test that reads
# ``oparl_data`` without a fixture, a helper of ``faultkit`` reading the seed.
READERS = [
    "tests/test_corpus_writer.py::test_create_then_unchanged",
    "tests/test_oparl_source.py::test_load_dump_reads_the_real_organizations",
    "tests/test_paths.py::test_corpus_outside_the_working_directory_is_fine_and_stays_inside",
]


def pytest_run(*args: str, **variables: str) -> subprocess.CompletedProcess:
    """``pytest ARGS`` in the repository; of the ``RATSARCHIV_`` variables only ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RATSARCHIV_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", *args],
        cwd=REPO,
        env={**env, **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_data_each_reader_skips_with_one_reason(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    result = pytest_run(*READERS, **{DATA_VARIABLE: str(missing)})
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"{len(READERS)} skipped" in result.stdout, result.stdout[-3000:]
    reasons = re.findall(r"^SKIPPED \[\d+\] \S+ (.*)$", result.stdout, re.MULTILINE)
    expected = f"real council data missing: expected {missing} beside the repository (see README)"
    assert reasons == [expected], result.stdout[-3000:]


def test_ci_turns_missing_data_into_failures(tmp_path: Path) -> None:
    variables = {DATA_VARIABLE: str(tmp_path / "missing"), REQUIRE_VARIABLE: "1"}
    result = pytest_run(*READERS, **variables)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "passed" not in result.stdout and "skipped" not in result.stdout, result.stdout[-3000:]
    assert result.stdout.count(f"(see README); {REQUIRE_VARIABLE} is set") == len(READERS)


def test_ci_sets_the_variable_before_the_whole_suite() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index(f"export {REQUIRE_VARIABLE}=1") < ci.index("make test\n")


# Tests that the fast lane leaves out, each for another rule, and one it keeps.
LEFT_OUT = [
    "tests/e2e/test_browser.py",  # browser: under tests/e2e
    "tests/test_xss.py::test_no_dialog_and_no_injected_element_in_chromium",  # marked
    "tests/test_schema.py::test_body_indexing_fast_path_indexes_what_the_analyser_chain_does",
    "tests/test_variants.py::test_real_karlsruhe_spellings_group_by_faction",  # karlsruhe_data
    "tests/test_oparl_source.py::test_load_dump_reads_the_real_organizations",  # oparl_data
    "tests/test_faults.py::test_killed_allris_import_never_half_writes_and_next_run_completes",
    "tests/test_load.py",  # slow
]
KEPT = [
    "tests/test_variants.py::test_equal_keys",
    "tests/test_oparl_source.py::test_deep_nesting_stops_at_once",  # beside oparl_data tests
    "tests/test_lexicon.py::test_the_shipped_corpus_finds_the_parts_of_its_compounds",
]


def test_the_fast_lane_leaves_out_karlsruhe_browser_and_slow_tests() -> None:
    fast = re.search(r"^FAST\s*:=\s*(.+)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert fast, "Makefile: FAST := <marker expression> of make test-fast"
    files = sorted({test.split("::")[0] for test in [*LEFT_OUT, *KEPT]})
    result = pytest_run("--collect-only", "-q", "-m", fast.group(1), *files)
    assert result.returncode == 0, result.stdout[-3000:]
    chosen = re.findall(r"^(tests/\S+)$", result.stdout, re.MULTILINE)
    for kept in KEPT:
        assert any(test.startswith(kept) for test in chosen), kept
    for test in LEFT_OUT:
        assert not [c for c in chosen if c.startswith(test)], test
