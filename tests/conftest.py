"""Shared fixtures: the real council data beside the repository, temporary corpora and indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SEED = SHARED_DATA / "seed" / "000_8b99fe79a41c52b0.txt"
KARLSRUHE = SHARED_DATA / "oparl-karlsruhe"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real, public council data (never copied into the repo)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"real test data missing: expected {SHARED_DATA} beside the repository")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seed_path(shared_data: Path) -> Path:
    """The user's seed: one ALLRIS Auszug from Lübeck (2024)."""
    return SEED


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
def karlsruhe_corpus(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The first 150 Karlsruhe papers, imported by ``ratsarchiv import oparl``.

    Shared by several test files: copy it (``shutil.copytree``) before changing it.
    """
    from faultkit import import_karlsruhe

    return import_karlsruhe(tmp_path_factory.mktemp("karlsruhe") / "corpus", 150)
