"""From a corpus file to an index document: reading, parsing and the motion → document mapping.

* ``read``, ``parse``, ``stamp``, ``duplicate`` — one corpus file: its text and content
  digest, its motion, its modification stamp, the message when its reference is taken;
* ``to_document``, ``hit_data`` — the fields of the index document (``index.schema``
  declares them) and what a result list shows of it; ``document`` joins the two steps.

Non-public motions are never indexed (the callers skip them); non-public consultations
are dropped by ``archive.publicity.public_view`` before a document is made.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archive.corpus import parse_motion, read_text
from archive.corpus_walk import texts_stamp
from archive.errors import CorpusError, CorpusErrors
from archive.file_text import files_folder, read_pages, text_path
from archive.files import TEXT_SUFFIX, FileRecord
from archive.motion import Motion, Votes, uid_for
from archive.outcomes import normalise_result
from archive.publicity import public_files, public_view
from archive.vocabulary import Vocabulary
from index.fields import text_column
from index.schema import (
    FACETS,
    FILE_BREAK,
    MAX_FIELD_CHARS,
    OPENING_CHARS,
    REF_BASE,
    REF_EXACT,
    SEPARATOR,
    SNIPPET_FIELDS,
    SPELL_FIELD,
    TEXT_FIELDS,
    latest_votes_class,
    reference_variants,
)
from index.snippets import markdown_to_text

_REFERENCE_KEY = re.compile(r"^reference\s*:", re.MULTILINE)


def hit_data(motion: Motion, slug: str | None = None) -> dict[str, Any]:
    """What a result list shows of a motion (``index.results.Hit`` without the highlights)."""
    latest = motion.latest
    votes = latest.votes if latest else Votes()
    return {
        "reference": motion.reference,
        "slug": motion.slug if slug is None else slug,
        "council": motion.council,
        "title": motion.title,
        "type": motion.type,
        "date": motion.date,
        "sponsors": list(motion.sponsors),
        "committees": motion.committees,
        "result": motion.result,
        "result_class": normalise_result(motion.result),
        "votes": votes.to_dict(),
        "vote_class": latest_votes_class(motion)[0],
    }


def to_document(
    motion: Motion,
    path: str,
    digest: str,
    vocabulary: Vocabulary | None = None,
    files: list[tuple[int, FileRecord, str]] = (),  # type: ignore[assignment]
    slug: str | None = None,
) -> dict[str, Any]:
    """The index document of a public motion (consultations already filtered); ``slug``
    replaces the motion's own (an agenda item's, ``index.meeting_documents``).

    With a ``vocabulary``, facets and the sponsor search field hold canonical names
    (joint factions with their members); the stored motion keeps the source's wording.
    The document's key is the motion's ``uid``; committees, factions and offices are
    qualified by its council (``FacetSpec.indexed``).
    """
    named = vocabulary.apply(motion) if vocabulary is not None else motion
    exact, base = reference_variants(motion.reference)
    texts = {
        "title": motion.title,
        "resolution": markdown_to_text(motion.resolution, MAX_FIELD_CHARS),
        "questions": markdown_to_text("\n".join(motion.questions), MAX_FIELD_CHARS),
        "reasons": markdown_to_text(motion.reasons, MAX_FIELD_CHARS),
        "body": markdown_to_text(motion.body, MAX_FIELD_CHARS),
        "sponsors": "\n".join(dict.fromkeys([*motion.sponsors, *named.sponsors])),
        "files": FILE_BREAK.join(text for _, _, text in files)[:MAX_FIELD_CHARS],
    }
    slug = motion.slug if slug is None else slug
    doc: dict[str, Any] = {
        "uid": uid_for(motion.council, slug),
        "slug": slug,
        "path": path,
        "digest": digest.encode("ascii"),
        "date": motion.date,
        REF_EXACT: SEPARATOR.join(exact),
        REF_BASE: SEPARATOR.join(base),
        SPELL_FIELD: " ".join(
            [motion.title, texts["resolution"], texts["questions"], texts["reasons"]]
        ),
        "hit": json.dumps(
            {**hit_data(motion, slug), "opening": _opening(texts), "files": _file_names(files)},
            ensure_ascii=False,
        ),
        "motion": json.dumps(motion.to_dict(), ensure_ascii=False).encode("utf-8"),
    }
    for text in TEXT_FIELDS:
        value = texts[text.name]
        if value:
            doc[text.name] = value
            if text.snippet:
                doc[text_column(text.name)] = value.encode("utf-8")
    for facet in FACETS:
        values = facet.indexed(named)
        if values:
            doc[facet.field] = SEPARATOR.join(values)
    if not doc[REF_BASE]:
        del doc[REF_BASE]
    return doc


def _file_names(files: list[tuple[int, FileRecord, str]]) -> list[list[Any]]:
    """[position, name, url] of the indexed files, in the order of their texts."""
    return [[position, record.name, record.url] for position, record, _ in files]


def _opening(texts: dict[str, str]) -> str:
    for name in SNIPPET_FIELDS:
        if texts[name]:
            text = " ".join(texts[name][: OPENING_CHARS * 2].split())
            if len(text) <= OPENING_CHARS:
                return text
            cut = text.rfind(" ", 0, OPENING_CHARS)
            return text[: cut if cut > 0 else OPENING_CHARS] + " …"
    return ""


# -- one file -----------------------------------------------------------------------------


@dataclass
class File:
    relpath: str
    path: Path
    text: str
    digest: str
    council: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    """The texts of its files (``<slug>.files/<name>.txt``), by file name."""


def read_file_texts(path: Path, skipped: list[str]) -> dict[str, str]:
    """The file texts stored beside the paper at ``path``, by name (unreadable ones are
    reported and left out: the paper is still indexed)."""
    folder = files_folder(path)
    try:
        names = sorted(p.name for p in folder.iterdir() if p.name.endswith(TEXT_SUFFIX))
    except OSError:
        return {}
    texts = {}
    for name in names:
        try:
            texts[name] = "\f".join(read_pages(folder / name))
        except CorpusError as exc:
            skipped.append(f"{exc} (the paper is indexed without it)")
    return texts


def read(
    corpus: Path,
    path: Path,
    skipped: list[str],
    salt: str | Callable[[str, str], str] = "",
    council: str = "",
) -> File | None:
    """A corpus file of ``council`` and its content digest; ``None`` if unreadable (reported).

    The council and ``salt`` (text, or a function of the file's text and council) join
    the digest: the vocabulary's ``fingerprint``, so a vocabulary change updates exactly
    the documents it affects, and a file that changes council is indexed again.
    """
    try:
        text = read_text(path)
    except CorpusError as exc:
        skipped.append(str(exc))
        return None
    if callable(salt):
        salt = salt(text, council)
    texts = read_file_texts(path, skipped)
    keyed = f"{text}{salt}\x00{council}"
    hasher = hashlib.blake2b(keyed.encode("utf-8"), digest_size=16)
    for name, content in texts.items():
        hasher.update(f"\x00{name}\x00{content}".encode())
    relpath = path.relative_to(corpus).as_posix()
    return File(relpath, path, text, hasher.hexdigest(), council, texts)


def parse(file: File, skipped: list[str]) -> Motion | None:
    """The motion of a file read by ``read`` (of its council); ``None`` if broken (reported)."""
    try:
        return parse_motion(file.text, file.path, file.council)
    except CorpusErrors as exc:
        skipped.extend(str(e) for e in exc.errors)
    except CorpusError as exc:
        skipped.append(str(exc))
    return None


def stamp(path: Path) -> str:
    """Modification time and size: a file with the same stamp is not read again."""
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_mtime_ns}:{info.st_size}{texts_stamp(path)}"


def indexed_files(motion: Motion, file: File) -> list[tuple[int, FileRecord, str]]:
    """(position, record, text) of each public file of ``motion`` whose text is stored."""
    found = []
    for position, record in enumerate(motion.files, 1):
        if record.public and record.has_text:
            text = file.texts.get(text_path(file.path, position, record).name)
            if text and text.strip():
                found.append((position, record, text))
    return found


def document(motion: Motion, file: File, vocabulary: Vocabulary) -> dict[str, Any]:
    shown = replace(public_view(motion), files=public_files(motion.files))
    doc = to_document(shown, file.relpath, file.digest, vocabulary, indexed_files(motion, file))
    doc["stamp"] = stamp(file.path).encode("ascii")
    return doc


def duplicate(path: Path, text: str, reference: str, owner: str) -> str:
    """The message for a file whose reference another file of its council holds."""
    key = _REFERENCE_KEY.search(text)
    line = text.count("\n", 0, key.start()) + 1 if key else 1
    return str(CorpusError(path, f"duplicate reference {reference!r} (also in {owner})", line))
