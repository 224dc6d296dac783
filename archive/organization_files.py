"""Organisation files: ``<corpus>/<council>/organizations/<id>.md``, YAML front matter and notes.

The front matter holds the organisation and its members (``docs/corpus-format.md``); the
Markdown after it (a description, an archivist's notes) is kept verbatim. As for papers and
meetings, reading a file the project wrote and rendering it again gives the same bytes,
writing is atomic, and every problem is a ``CorpusError`` with its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from archive import frontmatter
from archive.corpus import read_text, write_atomic
from archive.corpus_walk import ORGANIZATIONS_FOLDER
from archive.councils import CouncilLayout, walk_council_folders
from archive.errors import CorpusError, CorpusErrors, CorpusWarning
from archive.organization import Organization, organization_id_for
from archive.organization_validation import validate_organization


def parse_organization(text: str, path: Path, council: str = "") -> Organization:
    """Parse an organisation file's text; raises ``CorpusErrors`` listing every problem."""
    front, body, _ = frontmatter.split(text, path)
    raw, lines = frontmatter.load(front, path, first_line=2)
    data, errors = validate_organization(raw, lines, path)
    if errors:
        raise CorpusErrors(errors)
    data["body"] = body.strip("\n")
    data["council"], data["id"] = council, path.name.removesuffix(".md")
    return Organization.from_dict(data)


def read_organization(path: Path, council: str = "") -> Organization:
    """Read and validate one organisation file (of ``council``)."""
    try:
        return parse_organization(read_text(path), path, council)
    except CorpusError as exc:
        raise CorpusErrors([exc]) from None


def render_organization(organization: Organization) -> str:
    """The canonical text of an organisation's file."""
    parts = ["---\n", frontmatter.dump(organization.metadata(), blocks=True), "---\n"]
    if organization.body.strip():
        parts.append(f"\n{organization.body.strip()}\n")
    return "".join(parts)


def organizations_folder(layout: CouncilLayout, council: str) -> Path:
    """The folder of a council's organisation files."""
    return layout.folder(council) / ORGANIZATIONS_FOLDER


def organization_path(layout: CouncilLayout, council: str, organization_id: str) -> Path:
    return organizations_folder(layout, council) / f"{organization_id}.md"


def write_organization(organization: Organization, layout: CouncilLayout) -> Path:
    """Write an organisation's canonical file atomically (its ``id`` and ``council`` say where)."""
    target = organization_path(layout, organization.council, organization.id)
    write_atomic(target, render_organization(organization))
    return target


def iter_organization_files(
    corpus: Path, layout: CouncilLayout | None = None
) -> Iterator[tuple[Path, str]]:
    """Every organisation file with its council's key, council by council, by file name."""
    yield from walk_organizations(corpus, layout)[0]


def walk_organizations(
    corpus: Path, layout: CouncilLayout | None = None
) -> tuple[list[tuple[Path, str]], list[CorpusWarning]]:
    """Every file in the councils' ``organizations/`` folders with its council, and
    what the walk refused (``archive.councils.walk_council_folders``)."""
    return walk_council_folders(corpus, ORGANIZATIONS_FOLDER, layout)


def next_organization_id(taken: set[str], name: str) -> str:
    """The first free id for an organisation called ``name``."""
    number = 1
    while organization_id_for(name, number) in taken:
        number += 1
    return organization_id_for(name, number)


def organization_names(
    corpus: Path, layout: CouncilLayout | None = None
) -> dict[str, dict[str, dict[str, str]]]:
    """Council → kind → each name and short name of its readable organisation files → the
    file's name (``ratsarchiv facets`` names the committees and factions that have files)."""
    names: dict[str, dict[str, dict[str, str]]] = {}
    for path, council in iter_organization_files(corpus, layout):
        try:
            organization = read_organization(path, council)
        except CorpusErrors:
            continue
        spellings = names.setdefault(council, {}).setdefault(organization.kind, {})
        for name in filter(None, (organization.name, organization.short_name)):
            spellings.setdefault(name, organization.name)
    return names
