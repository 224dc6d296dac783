"""The docs stay true: every command and option of ``--help`` is in docs/cli.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs"
COMMANDS = [
    "check",
    "import allris",
    "import allris-html",
    "import oparl",
    "reindex",
    "search",
    "serve",
    "show",
    "edit",
    "facets",
    "migrate",
    "files fetch",
    "files extract",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_of_a_command_is_documented(command: str) -> None:
    result = CliRunner().invoke(main, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    documented = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"## ratsarchiv {command}\n" in documented
    options = set(re.findall(r"(--[a-z][a-z-]+)", result.output))
    missing = sorted(o for o in options if o not in documented)
    assert not missing, f"docs/cli.md lacks {missing} of `ratsarchiv {command}`"


def test_readme_links_only_docs_that_exist() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\((docs/[^)]+)\)", readme):
        path, _, anchor = link.partition("#")
        assert (DOCS.parent / path).exists(), link
        if anchor:  # a heading of that page (GitHub's anchors: lower case, spaces → "-")
            headings = re.findall(r"^#+ (.+)$", (DOCS.parent / path).read_text("utf-8"), re.M)
            assert anchor in {h.strip().lower().replace(" ", "-") for h in headings}, link
