"""``ratsarchiv check`` for organisation files (``archive.organization_files``).

Each organisation file is read with its reader (YAML, required keys, kind, dates, members),
every problem a ``CorpusError`` with its line. One warning joins papers and organisations:
a paper that names a committee or faction whose organisation file spells it otherwise
(``Bau-Ausschuss`` beside ``organizations/bauausschuss.md``; spellings compared as
``ratsarchiv facets`` does, ``archive.variants.compact_key``) and that the council's
vocabulary does not map yet (kind ``organisation spelled otherwise``). Mapping the spelling
in ``_vocabulary.yml``, as ``ratsarchiv facets`` suggests, ends it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.councils import CouncilLayout
from archive.errors import CorpusError, CorpusErrors, CorpusWarning
from archive.motion import Motion
from archive.organization import COMMITTEE, FACTION, ORGANIZATIONS_FOLDER, Organization
from archive.organization_files import read_organization, walk_organizations
from archive.quality import _line_finder
from archive.variants import compact_key
from archive.vocabulary import Vocabulary

OTHER_SPELLING = "organisation spelled otherwise"
VOCABULARY_KINDS = {COMMITTEE: "committees", FACTION: "sponsors"}
"""The vocabulary section whose names a committee's or faction's name is."""


def is_organization_path(path: Path) -> bool:
    """Whether ``path`` is an organisation file or folder (by its place in a council)."""
    return path.name == ORGANIZATIONS_FOLDER or path.parent.name == ORGANIZATIONS_FOLDER


@dataclass
class OrganizationCheck:
    files: list[tuple[Path, str]] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)
    warnings: list[CorpusError] = field(default_factory=list)


def _chosen(path: Path, paths: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == p or resolved.is_relative_to(p) for p in paths)


def check_organizations(
    paths: Iterable[Path],
    layout: CouncilLayout | None,
    papers: Iterable[tuple[Path, Motion]] = (),
    vocabulary: Vocabulary | None = None,
) -> OrganizationCheck:
    """Check the organisation files under ``paths``, and the names ``papers`` (the papers
    checked) give committees and factions that have organisation files."""
    paths = [Path(p) for p in paths]
    result = OrganizationCheck()
    found: list[tuple[Path, str]] = []
    if layout is not None:
        found, refused = walk_organizations(layout.corpus, layout)
        chosen = [p.resolve() for p in paths]
        result.files = [(path, council) for path, council in found if _chosen(path, chosen)]
        result.warnings.extend(w for w in refused if _chosen(Path(w.path), chosen))
    listed = {path.resolve() for path, _ in result.files}
    for path in paths:  # an organisation file named on the command line, outside any council
        if path.is_file() and is_organization_path(path) and path.resolve() not in listed:
            result.files.append((path, layout.council_at(path) if layout else ""))
    for path, council in result.files:
        try:
            read_organization(path, council)
        except CorpusErrors as exc:
            result.errors.extend(sorted(exc.errors, key=lambda e: e.line or 1))
    papers = list(papers)
    if papers and found:
        result.warnings.extend(other_spellings(papers, _readable(found), vocabulary))
    return result


def _readable(found: list[tuple[Path, str]]) -> list[tuple[Path, Organization]]:
    readable = []
    for path, council in found:
        try:
            readable.append((path, read_organization(path, council)))
        except CorpusErrors:
            continue  # its own errors are reported when it is checked
    return readable


def other_spellings(
    papers: list[tuple[Path, Motion]],
    organizations: list[tuple[Path, Organization]],
    vocabulary: Vocabulary | None = None,
) -> list[CorpusWarning]:
    """A warning per paper value that names a committee or faction with an organisation
    file under another spelling the vocabulary does not map."""
    vocabulary = vocabulary or Vocabulary()
    files: dict[tuple[str, str, str], tuple[Path, Organization]] = {}
    exact: set[tuple[str, str, str]] = set()
    for path, org in organizations:
        if org.kind in VOCABULARY_KINDS:
            for name in filter(None, (org.name, org.short_name)):
                files.setdefault((org.council, org.kind, compact_key(name)), (path, org))
                exact.add((org.council, org.kind, name))
    warnings: list[CorpusWarning] = []
    for path, motion in papers:
        named = vocabulary.for_council(motion.council)
        values = [
            (COMMITTEE, ("consultations", i, "committee"), c.committee)
            for i, c in enumerate(motion.consultations)
        ]
        values += [(FACTION, ("sponsors", i), s) for i, s in enumerate(motion.sponsors)]
        found: dict[str, tuple] = {}  # message → where: one warning per spelling and paper
        for kind, where, value in values:
            if not value or (motion.council, kind, value) in exact:
                continue
            hit = files.get((motion.council, kind, compact_key(value)))
            if hit is None or _mapped(named, VOCABULARY_KINDS[kind], value, hit[1]):
                continue
            word = "committee" if kind == COMMITTEE else "faction"
            message = (
                f"{word} {value!r} is {hit[1].name!r} in {hit[0]}; "
                "map the spelling in the vocabulary (see ratsarchiv facets)"
            )
            found.setdefault(message, where)
        if found:
            line_of = _line_finder(path)
            warnings += [
                CorpusWarning(path, message, line_of(where), OTHER_SPELLING)
                for message, where in found.items()
            ]
    return warnings


def _mapped(vocabulary: Vocabulary, kind: str, value: str, org: Organization) -> bool:
    """Whether the vocabulary already gives ``value`` and the organisation one name."""
    if not vocabulary.is_mapped(kind, value):
        return False
    canonical = vocabulary.canonical(kind, value)
    return any(canonical == vocabulary.canonical(kind, n) for n in (org.name, org.short_name) if n)
