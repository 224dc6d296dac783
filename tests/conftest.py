"""Shared fixtures (the real council data, temporary corpora and indexes) and the test lanes.

A lane is a marker (``karlsruhe``, ``browser``, ``slow``); ``make test-fast`` runs the tests
that have none of them. ``LANE_RULES`` sets the first two by what a test uses, so new tests
get them without a decorator; ``slow`` (kill loops, load, benchmark runs) is set by hand.
"""

from __future__ import annotations

from pathlib import Path
from types import CodeType, ModuleType

import pytest
import realdata

E2E = Path(__file__).resolve().parent / "e2e"


KARLSRUHE_READERS = frozenset(
    {"sample_lines", "sample_papers", "PAPERS", "MEETINGS", "ORGANIZATIONS", "SUBMITTERS"}
)
"""The names of ``oparl_data`` that read the Karlsruhe dump."""


def _names_used(code: CodeType) -> set[str]:
    """The global names a function's code (with its nested functions and lambdas) refers to."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names_used(const)
    return names


def _reaches(function: object, module: ModuleType, seen: set[str]) -> set[str]:
    """Global names ``function`` uses, following functions and fixtures of its own module."""
    code = getattr(getattr(function, "__wrapped__", function), "__code__", None)
    if code is None:
        return set()
    names = _names_used(code)
    for name in names - seen:
        seen.add(name)
        value = vars(module).get(name)
        if getattr(value, "__module__", None) == module.__name__:
            names |= _reaches(value, module, seen)
    return names


def reads_karlsruhe(item: pytest.Item) -> bool:
    """Uses ``karlsruhe_data`` (also through ``karlsruhe_corpus``), or its code (or a helper
    or fixture of its module that it uses) calls ``oparl_data``'s readers of the dump."""
    fixtures = getattr(item, "fixturenames", ())
    if "karlsruhe_data" in fixtures:
        return True
    module = getattr(item, "module", None)
    function = getattr(item, "function", None)
    if module is None or function is None:
        return False
    seen = set(fixtures)
    names = _reaches(function, module, seen)
    for fixture in fixtures:
        names |= _reaches(vars(module).get(fixture), module, seen)
    return bool(names & KARLSRUHE_READERS)


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
