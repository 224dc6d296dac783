"""``ratsarchiv serve``: waitress on a real port, and a clear message without an index."""

from __future__ import annotations

import json
import urllib.request

from click.testing import CliRunner
from webserver import served

from archive.cli import main


def test_serve_without_index_says_to_reindex(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "run `ratsarchiv reindex` first" in result.output
    assert "Traceback" not in result.output


def test_serve_answers_over_http(web_index):
    with served(web_index, web_index.parent / "corpus") as url:
        with urllib.request.urlopen(url + "healthz", timeout=10) as response:
            assert json.load(response)["status"] == "ok"
            assert response.headers["Server"] == "ratsarchiv"
        with urllib.request.urlopen(url + "?q=Quartier", timeout=10) as response:
            assert "<mark>" in response.read().decode("utf-8")
