"""Reading OParl dumps: every shape, streamed, with broken input named precisely."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import ijson
import pytest
from oparl_data import ORGANIZATIONS, sample_papers

from archive.errors import SourceError
from archive.importers import oparl_source
from archive.importers.oparl_source import count_dump, iter_dump, load_dump


def ids(path: Path) -> list[str]:
    return [r.data["id"] for r in iter_dump(path) if r.data]


@pytest.fixture(scope="module")
def papers() -> list[dict]:
    return sample_papers()[:40]


def test_a_json_array_spanning_many_chunks_is_read_object_by_object(
    papers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(oparl_source, "CHUNK", 4096)  # objects cross chunk borders
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(papers, ensure_ascii=False, indent=2), encoding="utf-8")
    assert path.stat().st_size > 40 * 4096
    assert ids(path) == [p["id"] for p in papers]
    assert [r.data for r in iter_dump(path)] == papers


def test_a_list_page_streams_its_data_whatever_comes_first(papers, tmp_path: Path):
    page = {"links": {"next": None}, "pagination": {"elementsPerPage": [1, 2]}, "data": papers}
    path = tmp_path / "page.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(page, handle)
    assert ids(path) == [p["id"] for p in papers]


def test_json_lines_with_blank_lines_and_crlf(papers, tmp_path: Path):
    path = tmp_path / "papers.jsonl"
    lines = [json.dumps(p, ensure_ascii=False) for p in papers[:3]]
    path.write_bytes(("\r\n".join([lines[0], "", lines[1], lines[2]]) + "\r\n").encode())
    assert ids(path) == [p["id"] for p in papers[:3]]
    assert count_dump(path) == 4  # counts lines: a cheap upper bound for the progress bar


def test_a_broken_line_is_one_problem_not_the_end(papers, tmp_path: Path):
    path = tmp_path / "papers.jsonl"
    good = [json.dumps(p) for p in papers[:2]]
    path.write_text(f"{good[0]}\n{good[0][:50]}\n[1, 2]\n{good[1]}\n", encoding="utf-8")
    records = list(iter_dump(path))
    assert [r.where for r in records] == ["line 1", "line 2", "line 3", "line 4"]
    assert records[1].error.startswith("not valid JSON: ")
    assert records[2].error == "expected an object, found list"
    assert records[3].data == papers[1]


def test_a_broken_array_is_a_source_error_with_its_position(tmp_path: Path):
    path = tmp_path / "papers.json"
    path.write_text('[{"id": "a"}, {"id": "b"} {"id": "c"}]', encoding="utf-8")
    records = iter_dump(path)
    assert next(records).data == {"id": "a"}
    assert next(records).data == {"id": "b"}
    with pytest.raises(SourceError) as raised:
        next(records)
    assert raised.value.source == str(path)
    assert raised.value.message == (  # the byte of the stray "{", in yajl's words
        "not valid JSON at byte 26: parse error: after array element, I expect ',' or ']'"
    )


def test_a_truncated_file_is_a_source_error_at_its_end(papers, tmp_path: Path):
    path = tmp_path / "papers.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(papers)[:-5000])
    size = len(gzip.decompress(path.read_bytes()))
    with pytest.raises(SourceError) as raised:
        list(iter_dump(path))
    assert raised.value.message == (
        f"not valid JSON at byte {size}: the file ends inside a value (cut short?)"
    )


def test_deep_nesting_stops_at_once(tmp_path: Path):
    """ijson would take minutes over 100,000 levels; no OParl object nests past ten or so."""
    path = tmp_path / "deep.json"
    path.write_text("[" + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "]", encoding="utf-8")
    with pytest.raises(SourceError, match=r"item 1 nests more than 256 levels deep"):
        list(iter_dump(path))


def test_a_string_that_never_ends_is_a_source_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(oparl_source, "MAX_VALUE_BYTES", 100_000)
    path = tmp_path / "papers.json"
    path.write_text('[{"id": "a"}, {"id": "' + "x" * 300_000, encoding="utf-8")
    records = iter_dump(path)
    assert next(records).data == {"id": "a"}
    with pytest.raises(SourceError, match=r"a single value runs on past byte \d+ \(more than"):
        next(records)


def test_one_object_or_several_in_a_row_are_records(tmp_path: Path):
    path = tmp_path / "objects.json"
    path.write_text('{\n  "id": "a"\n}\n{\n  "id": "b",\n  "data": 1\n}\n', encoding="utf-8")
    assert ids(path) == ["a", "b"]


def test_the_c_parser_is_in_use():
    """The pure-Python fallback of ijson would make a JSON dump several times slower."""
    assert ijson.backend_name == "yajl2_c", f"ijson {ijson.__version__} runs {ijson.backend_name}"


def test_a_corrupt_gzip_file_is_a_source_error(papers, tmp_path: Path):
    path = tmp_path / "papers.jsonl.gz"
    data = gzip.compress("".join(json.dumps(p) + "\n" for p in papers).encode())
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match="cannot read file"):
        list(iter_dump(path))


def test_empty_files_hold_nothing(tmp_path: Path):
    for text in ["", "  \n", "[]", '{"data": []}']:
        path = tmp_path / "empty.json"
        path.write_text(text, encoding="utf-8")
        assert list(iter_dump(path)) == []


def test_load_dump_reads_the_real_organizations():
    organizations = load_dump(ORGANIZATIONS)
    assert len(organizations) == 97
    assert {o["name"] for o in organizations} >= {"Gemeinderat", "Haupt- und Finanzausschuss"}
