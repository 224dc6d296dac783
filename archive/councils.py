"""Councils: which council a paper belongs to, and where a council's files live.

A council has a stable key (``luebeck``, ``karlsruhe``, ``hamburg-altona``) and a
description file ``<corpus>/<key>/_council.yml``; its motions live below that folder
(``<corpus>/<key>/<year>/<slug>.md``). The key is the folder's name, written nowhere
else, so moving a folder is the only way to re-key a council and a paper's council
is always where its file is.

A corpus in the layout before councils (``<corpus>/<year>/<slug>.md``) keeps working:
every file outside a council folder belongs to the *default council*, whose key the
configuration ``<corpus>/_archive.yml`` names (``default_council: luebeck``; without it
``default``) and whose description is ``<corpus>/_council.yml`` if there is one.
``ratsarchiv migrate --council KEY`` moves such a corpus into the council layout.

A paper's identity is (council, reference): its ``uid`` is ``<council>/<slug>``.
Names that differ per council — committees, factions, offices — are qualified with the
council key where the index must keep them apart (``qualify``).

>>> qualify("hamburg-altona", "Hauptausschuss")
'hamburg-altona:Hauptausschuss'
>>> unqualify("hamburg-altona:Hauptausschuss")
('hamburg-altona', 'Hauptausschuss')
>>> key_problem("Hamburg Altona")
'a council key is lower-case letters, digits and hyphens (like hamburg-altona)'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from archive import frontmatter
from archive.corpus_walk import is_motion_name, walk_corpus
from archive.errors import ConfigError, CorpusError, CorpusWarning

COUNCIL_FILE = "_council.yml"
ARCHIVE_FILE = "_archive.yml"
DEFAULT_KEY = "default"
DEFAULT_NAME = "Standardkommune"
"""The default council's name when neither ``_council.yml`` nor the configuration names it."""

KINDS = (
    "Stadt",
    "Gemeinde",
    "Bezirk",
    "Kreis",
    "Landkreis",
    "Region",
    "Amt",
    "Samtgemeinde",
    "Verbandsgemeinde",
    "Land",
)
"""Kinds of council a description usually names; ``check`` accepts others with a warning."""

RESERVED_KEYS = frozenset(
    {"api", "motions", "search", "static", "help", "feed", "feeds", "export", "exports",
     "councils", "health", "healthz", "hilfe", "robots.txt", "favicon.ico", "about", "undatiert",
     "files", "statistics"}
)  # fmt: skip
"""Keys a council cannot take: the site's own first URL segments (``/<key>/`` is a
council's page) and the legacy layout's folder for papers without a date."""

_KEY = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_YEAR = re.compile(r"^\d{4}$")
QUALIFIER = ":"


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be a council key, or ``None`` if it can."""
    if not _KEY.match(key or ""):
        return "a council key is lower-case letters, digits and hyphens (like hamburg-altona)"
    if key in RESERVED_KEYS or _YEAR.match(key):
        return f"{key!r} is reserved (a page of the site or a year folder)"
    return None


def check_key(key: str) -> str:
    """``key`` if it is a valid council key; ``ConfigError`` saying why not otherwise."""
    problem = key_problem(key)
    if problem:
        raise ConfigError(f"invalid council key {key!r}: {problem}")
    return key


def key_for(name: str) -> str:
    """A council key made from a name: ``Stadt Lübeck`` → ``stadt-luebeck``."""
    text = name.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    key = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64].strip("-")
    if key_problem(key):
        key = f"rat-{key}".strip("-") if key else "rat"
    return key


def qualify(council: str, name: str) -> str:
    """A per-council name as the index keeps it: ``karlsruhe:Hauptausschuss``."""
    return f"{council}{QUALIFIER}{name}"


def unqualify(value: str) -> tuple[str, str]:
    """``(council, name)`` of a qualified value; ``("", value)`` for an unqualified one."""
    council, sep, name = value.partition(QUALIFIER)
    if sep and not key_problem(council):
        return council, name
    return "", value


def council_reference(entry: str, council: str) -> tuple[str, str]:
    """The (council, reference) a ``related`` entry of a paper of ``council`` names:
    ``VO/2024/1`` is a paper of the same council, ``karlsruhe:2024/0815`` one of another.

    >>> council_reference("VO/2024/1", "luebeck"), council_reference("karlsruhe:12", "luebeck")
    (('luebeck', 'VO/2024/1'), ('karlsruhe', '12'))
    """
    other, reference = unqualify(entry)
    return (other, reference) if other else (council, entry)


@dataclass
class Council:
    """One council's description (``_council.yml``); ``key`` is its folder's name."""

    key: str
    name: str
    short_name: str = ""
    kind: str = ""
    state: str = ""
    website: str = ""
    oparl_system: str = ""
    oparl_body: str = ""
    allris_url: str = ""
    source: str = ""
    terms: str = ""

    @property
    def label(self) -> str:
        """The short name, or the name: what a facet value or a list shows beside a name."""
        return self.short_name or self.name

    def metadata(self) -> dict[str, str]:
        """The file's fields in their fixed order (no key: the folder names it)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "key"}

    def to_dict(self) -> dict[str, str]:
        """The JSON shape: every field, key first."""
        return {"key": self.key, **self.metadata()}


FIELDS = tuple(f.name for f in fields(Council) if f.name != "key")


def parse_council(text: str, path: Path, key: str) -> tuple[Council, list[CorpusError]]:
    """A council description and the problems found (``path:line``). A file with problems
    still gives a council (its name falls back to the key), so no paper is lost to it."""
    errors: list[CorpusError] = []
    try:
        data, lines = frontmatter.load(text, path, first_line=1)
    except CorpusError as exc:
        return Council(key, key), [exc]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Council(key, key), [CorpusError(path, "expected a mapping of fields", 1)]
    values: dict[str, str] = {}
    for name, value in data.items():
        line = lines.get((name,), 1)
        if name not in FIELDS:
            errors.append(
                CorpusError(path, f"unknown field {name!r} (known: {', '.join(FIELDS)})", line)
            )
        elif value is None:
            continue
        elif not isinstance(value, str):
            errors.append(CorpusError(path, f"{name}: expected text", line))
        else:
            values[name] = value.strip()
    if not values.get("name"):
        errors.append(CorpusError(path, "name: missing (the council's full name)", 1))
        values["name"] = key
    return Council(key=key, **values), errors


def read_council(path: Path, key: str) -> tuple[Council, list[CorpusError]]:
    """Read ``path`` (a ``_council.yml``) as the description of council ``key``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
        return Council(key, key), [CorpusError(path, f"cannot read council file: {reason}")]
    return parse_council(text, path, key)


def render_council(council: Council) -> str:
    """The canonical text of a ``_council.yml`` (empty fields left out)."""
    data = {k: v for k, v in council.metadata().items() if v}
    return frontmatter.dump(data)


@dataclass
class CouncilLayout:
    """The councils of a corpus and which folder holds each one's files.

    ``folders`` maps a council folder's name (its key) to the council; files anywhere
    else belong to ``default``. ``problems`` lists unreadable descriptions and the like
    (``check`` shows them); they never hide a paper.
    """

    corpus: Path
    default: str
    councils: dict[str, Council] = field(default_factory=dict)
    folders: frozenset[str] = frozenset()
    legacy: bool = False
    """Whether the root holds folders or files of the layout before councils."""
    problems: list[CorpusError] = field(default_factory=list)

    def council_of(self, relpath: str) -> str:
        """The key of the council a corpus file (path relative to the corpus) belongs to."""
        first, sep, _ = relpath.partition("/")
        return first if sep and first in self.folders else self.default

    @property
    def keys(self) -> list[str]:
        """The archive's councils: every council folder, and the default council when files
        live outside them (the layout before councils) or there is no folder at all."""
        keys = set(self.folders)
        if self.legacy or not keys:
            keys.add(self.default)
        return sorted(keys)

    def council_at(self, path: Path) -> str:
        """The council of a file given by its path (the default for one outside the corpus)."""
        for corpus, file in (
            (self.corpus, Path(path)),
            (self.corpus.resolve(), Path(path).resolve()),
        ):
            try:
                return self.council_of(file.relative_to(corpus).as_posix())
            except ValueError:
                continue
        return self.default

    def folder(self, key: str) -> Path:
        """The folder a council's files live in (the root for the default of a legacy corpus,
        unless a folder of its key is there already)."""
        if key == self.default and key not in self.folders and self.legacy:
            return self.corpus / key if (self.corpus / key).is_dir() else self.corpus
        return self.corpus / key

    def path_for(self, council: str, year: str, slug: str) -> Path:
        """Where a paper's file lives: ``<corpus>/<council>/<year>/<slug>.md``."""
        return self.folder(council) / (year or "undatiert") / f"{slug}.md"

    def council(self, key: str) -> Council:
        """The description of ``key`` (a bare one for a council without a file)."""
        return self.councils.get(key) or Council(key, key)


def read_archive_config(corpus: Path) -> tuple[dict[str, Any], list[CorpusError]]:
    """``<corpus>/_archive.yml``: the archive's configuration (``default_council``)."""
    path = corpus / ARCHIVE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
        return {}, [CorpusError(path, f"cannot read: {reason}")]
    try:
        data, lines = frontmatter.load(text, path, first_line=1)
    except CorpusError as exc:
        return {}, [exc]
    if not isinstance(data, dict):
        return {}, [CorpusError(path, "expected a mapping of settings", 1)] if data else []
    errors = []
    config: dict[str, Any] = {}
    for name, value in data.items():
        line = lines.get((name,), 1)
        if name != "default_council":
            message = f"unknown setting {name!r} (known: default_council)"
            errors.append(CorpusError(path, message, line))
        elif not isinstance(value, str) or key_problem(value):
            why = key_problem(value) if isinstance(value, str) else "expected a council key"
            errors.append(CorpusError(path, f"default_council: {why}", line))
        else:
            config[name] = value
    return config, errors


def council_layout(corpus: Path) -> CouncilLayout:
    """Read the corpus's councils: one ``scandir`` of its root and each ``_council.yml``."""
    corpus = Path(corpus)
    config, problems = read_archive_config(corpus)
    default = config.get("default_council", DEFAULT_KEY)
    councils: dict[str, Council] = {}
    folders = set()
    legacy = False
    try:
        entries = sorted(os.scandir(corpus), key=lambda e: e.name)
    except OSError:
        entries = []
    for entry in entries:
        if entry.name.startswith(("_", ".")):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        description = Path(entry.path) / COUNCIL_FILE
        if not is_dir or not description.is_file():
            legacy = legacy or is_dir or is_motion_name(entry.name)
            continue
        problem = key_problem(entry.name)
        if problem:
            problems.append(CorpusError(description, f"folder name is no council key: {problem}"))
            continue
        councils[entry.name], errors = read_council(description, entry.name)
        problems.extend(errors)
        folders.add(entry.name)
    if default not in councils:
        root = corpus / COUNCIL_FILE
        if root.is_file():
            councils[default], errors = read_council(root, default)
            problems.extend(errors)
        else:
            name = DEFAULT_NAME if default == DEFAULT_KEY else default
            councils[default] = Council(default, name)
    return CouncilLayout(corpus, default, councils, frozenset(folders), legacy, problems)


def ensure_council(corpus: Path, council: Council) -> Council:
    """The council ``council.key`` of ``corpus``, its folder and description created on
    first use from ``council`` (an existing description is left as the archivist wrote it)."""
    from archive.corpus import write_atomic  # corpus imports this module

    check_key(council.key)
    layout = council_layout(corpus)
    if council.key in layout.folders:
        return layout.councils[council.key]
    if council.key == layout.default and (corpus / COUNCIL_FILE).is_file():
        return layout.councils[council.key]  # a legacy corpus's own council
    target = layout.folder(council.key) / COUNCIL_FILE
    try:
        write_atomic(target, render_council(council))
    except OSError as exc:
        raise ConfigError(f"cannot create council {council.key}: {exc.strerror}") from None
    return council


def walk_council_folders(
    corpus: Path, folder: str, layout: CouncilLayout | None = None
) -> tuple[list[tuple[Path, str]], list[CorpusWarning]]:
    """Every file in each council's ``folder`` (``meetings``, ``organizations``) with its
    council, council by council, and what the walk refused (links out of the corpus,
    loops: ``archive.corpus_walk``'s rule)."""
    layout = layout or council_layout(corpus)
    found: list[tuple[Path, str]] = []
    refused: list[CorpusWarning] = []
    for council in layout.keys:
        where = layout.folder(council) / folder
        if where.is_dir():
            walk = walk_corpus(where, root=corpus)
            found.extend((Path(file.path), council) for file in walk.files)
            refused.extend(walk.refused)
    return found, refused
