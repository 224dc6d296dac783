"""``archive.councils``: council keys, descriptions and the layout of a corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.corpus import iter_council_files
from archive.councils import (
    Council,
    check_key,
    council_layout,
    council_reference,
    ensure_council,
    key_for,
    key_problem,
    parse_council,
    qualify,
    render_council,
    unqualify,
)
from archive.errors import ConfigError

ALTONA = "name: Bezirksversammlung Altona\nshort_name: Altona\nkind: Bezirk\nstate: Hamburg\n"


def council(corpus: Path, key: str, description: str = ALTONA) -> Path:
    folder = corpus / key
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_council.yml").write_text(description, encoding="utf-8")
    return folder


def paper(folder: Path, name: str = "22-2368.md", year: str = "2024") -> Path:
    path = folder / year / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\nreference: '22-2368'\ntitle: Radweg\n---\n", encoding="utf-8")
    return path


def councils_of(corpus: Path) -> dict[str, str]:
    return {p.relative_to(corpus).as_posix(): c for p, c in iter_council_files(corpus)}


@pytest.mark.parametrize("key", ["luebeck", "hamburg-altona", "k2", "a"])
def test_valid_keys(key: str) -> None:
    assert key_problem(key) is None
    assert check_key(key) == key


@pytest.mark.parametrize(
    "key", ["Luebeck", "hamburg altona", "lübeck", "-altona", "altona-", "", "a" * 65]
)
def test_invalid_keys(key: str) -> None:
    assert key_problem(key) == (
        "a council key is lower-case letters, digits and hyphens (like hamburg-altona)"
    )
    with pytest.raises(ConfigError, match="invalid council key"):
        check_key(key)


@pytest.mark.parametrize("key", ["api", "motions", "static", "2024", "undatiert"])
def test_reserved_keys(key: str) -> None:
    assert key_problem(key) == f"{key!r} is reserved (a page of the site or a year folder)"


def test_keys_made_from_names() -> None:
    assert key_for("Hansestadt Lübeck") == "hansestadt-luebeck"
    assert key_for("Bezirksversammlung Hamburg-Nord") == "bezirksversammlung-hamburg-nord"
    assert key_for("Straße") == "strasse"
    assert key_for("2024") == "rat-2024"
    assert key_problem(key_for("API")) is None


def test_qualified_names_and_related_entries() -> None:
    assert unqualify(qualify("hamburg-nord", "Hauptausschuss")) == (
        "hamburg-nord",
        "Hauptausschuss",
    )
    assert unqualify("Bau: Planung") == ("", "Bau: Planung")  # no key before the colon
    assert council_reference("22-2368", "hamburg-altona") == ("hamburg-altona", "22-2368")
    assert council_reference("hamburg-nord:22-2368", "hamburg-altona") == (
        "hamburg-nord",
        "22-2368",
    )


def test_a_description_round_trips(tmp_path: Path) -> None:
    described, problems = parse_council(ALTONA, tmp_path / "_council.yml", "hamburg-altona")
    assert problems == []
    assert described == Council(
        "hamburg-altona", "Bezirksversammlung Altona", "Altona", "Bezirk", "Hamburg"
    )
    assert described.label == "Altona"
    assert render_council(described) == ALTONA


def test_the_layout_puts_each_file_in_its_council(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paper(council(corpus, "hamburg-altona"))
    paper(council(corpus, "hamburg-nord", "name: Bezirksversammlung Hamburg-Nord\n"))
    layout = council_layout(corpus)
    assert layout.problems == []
    assert layout.folders == {"hamburg-altona", "hamburg-nord"}
    assert layout.keys == ["hamburg-altona", "hamburg-nord"]
    assert not layout.legacy
    assert layout.council("hamburg-nord").name == "Bezirksversammlung Hamburg-Nord"
    assert councils_of(corpus) == {
        "hamburg-altona/2024/22-2368.md": "hamburg-altona",
        "hamburg-nord/2024/22-2368.md": "hamburg-nord",
    }
    assert layout.path_for("hamburg-nord", "2024", "22-1") == corpus / "hamburg-nord/2024/22-1.md"
    assert layout.council_at(corpus / "hamburg-nord" / "2024" / "x.md") == "hamburg-nord"
    assert layout.council_at(tmp_path / "elsewhere.md") == "default"


def test_a_legacy_corpus_is_the_default_council(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paper(corpus)
    layout = council_layout(corpus)
    assert layout.legacy and layout.default == "default" and layout.keys == ["default"]
    assert layout.council("default").name == "Standardkommune"
    assert layout.path_for("default", "2024", "x") == corpus / "2024" / "x.md"  # stays put
    assert councils_of(corpus) == {"2024/22-2368.md": "default"}


def test_the_configuration_names_the_default_council(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paper(corpus)
    paper(council(corpus, "hamburg-altona"))
    (corpus / "_archive.yml").write_text("default_council: luebeck\n", encoding="utf-8")
    layout = council_layout(corpus)
    assert layout.default == "luebeck"
    assert layout.keys == ["hamburg-altona", "luebeck"]
    assert layout.council("luebeck").name == "luebeck"
    assert councils_of(corpus) == {
        "2024/22-2368.md": "luebeck",
        "hamburg-altona/2024/22-2368.md": "hamburg-altona",
    }


def test_the_roots_description_is_the_default_councils(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paper(corpus)
    (corpus / "_council.yml").write_text("name: Hansestadt Lübeck\n", encoding="utf-8")
    (corpus / "_archive.yml").write_text("default_council: luebeck\n", encoding="utf-8")
    assert council_layout(corpus).council("luebeck").name == "Hansestadt Lübeck"


def test_a_bad_configuration_is_a_problem_with_its_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paper(corpus)
    path = corpus / "_archive.yml"
    path.write_text("# Archiv\ndefault_council: Lübeck\n", encoding="utf-8")
    layout = council_layout(corpus)
    assert layout.default == "default"
    assert [str(p) for p in layout.problems] == [
        f"{path}:2: default_council: a council key is lower-case letters, digits and hyphens "
        "(like hamburg-altona)"
    ]


def test_a_malformed_description_is_reported_and_keeps_its_papers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    folder = council(corpus, "hamburg-altona", "name: Bezirksversammlung Altona\nkind: [Bezirk\n")
    paper(folder)
    layout = council_layout(corpus)
    assert len(layout.problems) == 1
    problem = layout.problems[0]
    assert (problem.path, problem.line) == (folder / "_council.yml", 2)
    assert "not valid YAML" in problem.message
    assert layout.council("hamburg-altona").name == "hamburg-altona"  # the key stands in
    assert councils_of(corpus) == {"hamburg-altona/2024/22-2368.md": "hamburg-altona"}


def test_wrong_fields_are_reported_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "_council.yml"
    text = "short_name: Altona\nname: 12\nwappen: Schiff\n"
    described, problems = parse_council(text, path, "hamburg-altona")
    assert [(p.line, p.message) for p in problems] == [
        (2, "name: expected text"),
        (3, "unknown field 'wappen' (known: name, short_name, kind, state, website, "
            "oparl_system, oparl_body, allris_url, source, terms)"),
        (1, "name: missing (the council's full name)"),
    ]  # fmt: skip
    assert (described.name, described.short_name) == ("hamburg-altona", "Altona")


def test_a_folder_whose_name_is_no_key_is_a_problem(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paper(council(corpus, "Altona"))
    layout = council_layout(corpus)
    assert [p.message for p in layout.problems] == [
        "folder name is no council key: a council key is lower-case letters, digits and "
        "hyphens (like hamburg-altona)"
    ]
    assert councils_of(corpus) == {"Altona/2024/22-2368.md": "default"}  # its papers stay


def test_ensure_council_creates_a_description_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    created = ensure_council(corpus, Council("hamburg-altona", "Bezirksversammlung Altona"))
    path = corpus / "hamburg-altona" / "_council.yml"
    assert path.read_text(encoding="utf-8") == "name: Bezirksversammlung Altona\n"
    path.write_text(ALTONA, encoding="utf-8")  # the archivist's description
    again = ensure_council(corpus, Council("hamburg-altona", "Altona (aus ALLRIS)"))
    assert path.read_text(encoding="utf-8") == ALTONA
    assert (created.name, again.short_name) == ("Bezirksversammlung Altona", "Altona")
    with pytest.raises(ConfigError, match="invalid council key 'api'"):
        ensure_council(corpus, Council("api", "API"))


def test_a_new_corpus_keeps_its_default_council_in_one_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = council_layout(corpus).path_for("default", "2024", "a")
    assert first == corpus / "default" / "2024" / "a.md"
    paper(corpus / "default", "a.md")  # written there, without a _council.yml
    layout = council_layout(corpus)
    assert layout.path_for("default", "2025", "b") == corpus / "default" / "2025" / "b.md"
    assert councils_of(corpus) == {"default/2024/a.md": "default"}
