"""Shared fixtures (the real council data, temporary corpora and indexes) and the test lanes.

A lane is a marker (``karlsruhe``, ``browser``, ``slow``); ``make test-fast`` runs the tests
that have none of them. ``LANE_RULES`` sets the first two by what a test uses, so new tests
get them without a decorator; ``slow`` (kill loops, load, benchmark runs) is set by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import realdata

E2E = Path(__file__).resolve().parent / "e2e"


def reads_karlsruhe(item: pytest.Item) -> bool:
    """Uses ``karlsruhe_data`` (also through ``karlsruhe_corpus``) or ``oparl_data``'s papers."""
    if "karlsruhe_data" in getattr(item, "fixturenames", ()):
        return True
    module = getattr(item, "module", None)
    names = vars(module).values() if module else ()
    return any(getattr(value, "__module__", None) == "oparl_data" for value in names)


def drives_a_browser(item: pytest.Item) -> bool:
    """Lives under ``tests/e2e`` or uses its ``browser`` fixture."""
    return E2E in item.path.parents or "browser" in getattr(item, "fixturenames", ())


LANE_RULES = {"karlsruhe": reads_karlsruhe, "browser": drives_a_browser}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for marker, applies in LANE_RULES.items():
            if item.get_closest_marker(marker) is None and applies(item):
                item.add_marker(marker)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests that use ``shared_data`` (or ``seed_path``, ``karlsruhe_data``, … built on it)
    or are ``karlsruhe`` pass ``realdata.require()`` before any fixture is set up.

    pytest reports a skip raised in a fixture at each test's own line; raised here, all
    skips share one summary line.
    """
    if "shared_data" in getattr(item, "fixturenames", ()) or item.get_closest_marker("karlsruhe"):
        realdata.require()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real, public council data (never copied into the repo)."""
    return realdata.require()


@pytest.fixture(scope="session")
def seed_path(shared_data: Path) -> Path:
    """The user's seed: one ALLRIS Auszug from Lübeck (2024)."""
    return realdata.SEED


@pytest.fixture(scope="session")
def karlsruhe_data(shared_data: Path) -> Path:
    """Karlsruhe's OParl dump (papers, meetings, organizations); its tests are ``karlsruhe``."""
    return realdata.KARLSRUHE


# -- web archive: a real corpus and index for the site's tests --------------------------


@pytest.fixture(scope="session")
def web_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of ``tests/webcorpus.py``'s corpus (the seed and motions around it)."""
    from webcorpus import build_corpus, build_index

    root = tmp_path_factory.mktemp("web")
    return build_index(build_corpus(root / "corpus"), root / "index")


@pytest.fixture(scope="session")
def web_app(web_index: Path):
    """The site over ``web_index``."""
    from webapp import create_app

    return create_app(
        {"TESTING": True, "INDEX_DIR": web_index, "CORPUS_DIR": web_index.parent / "corpus"}
    )


@pytest.fixture
def web_client(web_app):
    return web_app.test_client()


# -- robustness tests (faults, load, hostile input): real Karlsruhe papers -----------------


@pytest.fixture(scope="session")
def karlsruhe_corpus(tmp_path_factory: pytest.TempPathFactory, karlsruhe_data: Path) -> Path:
    """The first 150 Karlsruhe papers, imported by ``ratsarchiv import oparl``.

    Shared by several test files: copy it (``shutil.copytree``) before changing it.
    """
    from faultkit import import_karlsruhe

    return import_karlsruhe(tmp_path_factory.mktemp("karlsruhe") / "corpus", 150)
