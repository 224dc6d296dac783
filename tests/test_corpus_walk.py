"""One corpus walk for every command: links inside the corpus are followed, links out of it
and loops are reported and not read — the same for ``check``, both kinds of ``reindex``,
``search`` and the importers; an empty corpus is an empty, searchable index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive.cli import main
from archive.corpus import write_motion
from archive.motion import Consultation, Motion


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def motion(number: int, title: str, year: int = 2024) -> Motion:
    return Motion(
        reference=f"VO/{year}/{number}",
        title=title,
        type="Antrag",
        date=f"{year}-03-01",
        consultations=[
            Consultation(
                "Bauausschuss", date=f"{year}-03-05", agenda_item="Ö 3", result="beschlossen"
            )
        ],
        resolution=f"{title}: so beschlossen.",
    )


def found(index: Path, corpus: Path, words: str) -> list[str]:
    """The references ``ratsarchiv search`` finds for ``words``."""
    result = run("search", "--json", "--index", index, "--corpus", corpus, words)
    assert result.exit_code == 0, result.output
    return [hit["reference"] for hit in json.loads(result.stdout)["hits"]]


def reindex(corpus: Path, index: Path, *options: str) -> Result:
    result = run("reindex", *options, "--corpus", corpus, "--index", index)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus with one ordinary motion in ``2023/`` (the layout before councils)."""
    corpus = tmp_path / "corpus"
    write_in_year_folder(motion(100, "Spielplatz im Westpark", 2023), corpus)
    return corpus


def write_in_year_folder(m: Motion, folder: Path) -> Path:
    """``write_motion`` into ``<folder>/<year>/``, as a corpus from before councils has it."""
    return write_motion(m, folder, folder / m.year / f"{m.slug}.md")


def test_a_linked_folder_inside_the_corpus_is_read_by_every_reindex(
    corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    assert reindex(corpus, index).exit_code == 0
    write_in_year_folder(motion(501, "Fahrradstraße am Schlossgarten"), corpus / "_ablage")
    (corpus / "2024").symlink_to(Path("_ablage") / "2024")

    update = reindex(corpus, index)  # incremental
    assert update.exit_code == 0, update.output
    assert "(update): 1 added" in update.stdout
    assert found(index, corpus, "Schlossgarten") == ["VO/2024/501"]

    full = reindex(corpus, index, "--full")
    assert full.exit_code == 0, full.output
    assert "2 documents" in full.stdout
    assert found(index, corpus, "Schlossgarten") == ["VO/2024/501"]

    linked = corpus / "2024" / "vo-2024-501.md"  # an edit through the link
    linked.write_text(linked.read_text().replace("Schlossgarten", "Rosengarten"))
    assert "1 updated" in reindex(corpus, index).stdout
    assert found(index, corpus, "Rosengarten") == ["VO/2024/501"]

    check = run("check", "--corpus", corpus)
    assert check.exit_code == 0, check.output
    assert "checked 2 files" in check.output and "warning" not in check.output


def test_a_link_out_of_the_corpus_is_reported_and_not_read(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    write_motion(motion(502, "Geheimplan Uferpromenade"), outside)
    link = corpus / "2024"
    link.symlink_to(outside / "2024")
    warning = f"{link}:1: link to {outside / '2024'}, outside the corpus {corpus}; not followed"

    check = run("check", "--corpus", corpus)
    assert check.exit_code == 0, check.output
    assert f"{warning} (warning)" in check.output.splitlines()
    assert "checked 1 file: 0 problems, 1 warning" in check.output
    assert run("check", "--strict", "--corpus", corpus).exit_code == 1

    index = tmp_path / "index"
    for options in ((), ("--full",), ()):
        result = reindex(corpus, index, *options)
        assert result.exit_code == 0, result.output
        assert f"warning: {warning}" in result.stderr.splitlines()
        assert "1 documents" in result.stdout
        assert found(index, corpus, "Uferpromenade") == []


def test_an_importer_does_not_write_through_a_link_out_of_the_corpus(
    tmp_path: Path, seed_path: Path
) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "elsewhere"
    (outside / "2024").mkdir(parents=True)
    corpus.mkdir()
    (corpus / "2024").symlink_to(outside / "2024")
    result = run("import", "allris", seed_path, "--corpus", corpus)
    assert result.exit_code == 1
    assert f"{corpus / '2024'} links out of the corpus; nothing written" in result.output
    assert list((outside / "2024").iterdir()) == []


def test_a_link_loop_ends_and_is_reported(corpus: Path, tmp_path: Path) -> None:
    loop = corpus / "2023" / "wieder"
    loop.symlink_to(Path(".."))
    warning = f"{loop}:1: link to {corpus}, a folder above it (a loop); not followed"

    check = run("check", "--corpus", corpus)
    assert check.exit_code == 0, check.output
    assert f"{warning} (warning)" in check.output.splitlines()
    assert "checked 1 file" in check.output

    index = tmp_path / "index"
    for options in ((), ("--full",)):
        result = reindex(corpus, index, *options)
        assert result.exit_code == 0, result.output
        assert f"warning: {warning}" in result.stderr.splitlines()
        assert found(index, corpus, "Westpark") == ["VO/2023/100"]


def test_a_second_link_to_a_folder_does_not_read_it_twice(corpus: Path, tmp_path: Path) -> None:
    (corpus / "aktuell").symlink_to("2023")
    result = reindex(corpus, tmp_path / "index")
    assert result.exit_code == 0, result.output  # no duplicate reference
    assert f"{corpus / 'aktuell'}:1: this folder was read already as {corpus / '2023'}" in (
        result.stderr
    )


@pytest.mark.parametrize("options", [(), ("--full",)])
def test_an_empty_corpus_gives_an_empty_index_and_a_note(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for _ in range(2):  # a first build, then a second run over it
        result = reindex(corpus, index, *options)
        assert result.exit_code == 0, result.output
        assert f"note: the index is empty: {corpus} holds no public motion file\n" in result.stdout
        assert result.stderr == ""
    assert found(index, corpus, "Quartier") == []

    from webapp import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": corpus}).test_client()
    assert client.get("/").status_code == 200
    api = client.get("/api/search?q=Quartier")
    assert api.status_code == 200 and api.get_json()["total"] == 0


def test_a_corpus_whose_only_folder_links_out_is_an_empty_index(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "elsewhere"
    write_motion(motion(503, "Stadtbad"), outside)
    corpus.mkdir()
    (corpus / "2024").symlink_to(outside / "2024")
    for options in ((), ("--full",)):
        result = reindex(corpus, tmp_path / "index", *options)
        assert result.exit_code == 0, result.output
        assert "note: the index is empty" in result.stdout
        assert "outside the corpus" in result.stderr


def test_a_corpus_of_non_public_papers_only_is_an_empty_index(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    secret = motion(504, "Grundstücksgeschäft Hafenkante")
    secret.public = False
    write_motion(secret, corpus)
    result = reindex(corpus, index, "--full")
    assert result.exit_code == 0, result.output
    assert "1 not public (not indexed); 0 documents" in result.stdout
    assert "note: the index is empty" in result.stdout
    assert found(index, corpus, "Hafenkante") == []
