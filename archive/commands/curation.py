"""Everyday curation: ``show`` a motion, ``edit`` it in ``$EDITOR``, list ``facets`` values."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import click

from archive.checking import check_corpus
from archive.cli import corpus_option
from archive.corpus import iter_motion_files, read_motion, reference_of
from archive.corpus_walk import files_named
from archive.errors import ConfigError, NotFoundError
from archive.facet_names import RESULT
from archive.motion import Motion, slug_for
from archive.variants import FACETS, FacetReport, facet_report, read_corpus
from archive.vocabulary import FILE_NAME, Vocabulary


def find_motion(corpus: Path, reference: str) -> Path:
    """The file of ``reference`` (or of a slug, or a file path given as such)."""
    given = Path(reference)
    if given.suffix == ".md" and given.is_file():
        return given
    wanted = " ".join(reference.split()).casefold()
    slug = slug_for(reference)
    if not corpus.is_dir():
        raise ConfigError(f"corpus directory {corpus} does not exist")
    for path in files_named(corpus, f"{slug}.md"):
        found = reference_of(path)
        if found is not None and (found.casefold() == wanted or path.stem == reference):
            return path
    for path in iter_motion_files(corpus):
        found = reference_of(path)
        if found is not None and " ".join(found.split()).casefold() == wanted:
            return path
    raise NotFoundError(f"no motion {reference!r} in {corpus}")


def _votes(votes: dict[str, int | None]) -> str:
    if all(v is None for v in votes.values()):
        return ""
    shown = ", ".join(
        f"{label} {'–' if votes[key] is None else votes[key]}"
        for key, label in (("yes", "yes"), ("no", "no"), ("abstain", "abstain"))
    )
    return f"({shown})"


def summary(motion: Motion, vocabulary: Vocabulary) -> list[str]:
    """The readable lines ``ratsarchiv show`` prints."""

    def named(kind: str, value: str) -> str:
        canonical = vocabulary.canonical(kind, value)
        return value if canonical == value else f"{value} [{canonical}]"

    lines = [f"{motion.reference}  {motion.title}"]
    fields = (
        ("Type", motion.type),
        ("Date", motion.date),
        ("Sponsors", "; ".join(named("sponsors", s) for s in motion.sponsors)),
        ("Lead", named("offices", motion.lead) if motion.lead else ""),
        ("Public", "" if motion.public else "no (never indexed)"),
    )
    lines += [f"{label + ':':<10}{value}" for label, value in fields if value]
    if motion.consultations:
        lines.append("Consultations:")
    for c in motion.consultations:
        parts = [
            c.date or "(no date)",
            named("committees", c.committee),
            c.agenda_item and f"TOP {c.agenda_item}",
            c.result or "(no result)",
            _votes(c.votes.to_dict()),
            "" if c.public else "[not public]",
        ]
        lines.append("  " + "  ".join(p for p in parts if p))
    result = motion.result
    lines.append(
        f"{'Result:':<10}{result} ({vocabulary.result_class(result)})"
        if result
        else f"{'Result:':<10}none"
    )
    if motion.related:
        lines.append(f"{'Related:':<10}{', '.join(motion.related)}")
    texts = (("Beschluss", motion.resolution), ("Begründung", motion.reasons))
    for label, text in texts:
        if text.strip():
            flat = " ".join(text.split())
            lines.append(f"{label}: {flat[:200]}{'…' if len(flat) > 200 else ''}")
    if motion.questions:
        lines.append(f"Fragestellungen: {len(motion.questions)}")
    return lines


@click.command("show")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="Print the motion as JSON.")
@corpus_option
def show(reference: str, as_json: bool, corpus: Path) -> None:
    """Print the file and a readable summary of motion REFERENCE (e.g. VO/2024/12903-01)."""
    path = find_motion(corpus, reference)
    motion = read_motion(path)
    if as_json:
        click.echo(
            json.dumps({"path": str(path), **motion.to_dict()}, ensure_ascii=False, indent=2)
        )
        return
    click.echo(str(path))
    for line in summary(motion, Vocabulary.load(corpus)):
        click.echo(line)


@click.command("edit")
@click.argument("reference")
@corpus_option
def edit(reference: str, corpus: Path) -> None:
    """Open motion REFERENCE in $EDITOR (default vi), then check it.

    Prints every problem as path:line: message; exits 1 if the file has errors.
    """
    path = find_motion(corpus, reference)
    before = path.read_bytes()
    command = [*shlex.split(os.environ.get("EDITOR") or "vi"), str(path)]
    try:
        status = subprocess.run(command, check=False).returncode
    except OSError as exc:
        raise ConfigError(f"cannot start the editor {command[0]!r}: {exc.strerror}") from None
    if status != 0:
        click.echo(f"editor exited with status {status}", err=True)
    if not path.exists():
        raise NotFoundError(f"{path} is gone (deleted in the editor?)")
    click.echo(f"{path}: {'unchanged' if path.read_bytes() == before else 'saved'}")
    report = check_corpus([path], corpus=corpus)
    for error in report.errors:
        click.echo(str(error))
    for warning in report.warnings:
        click.echo(f"{warning} (warning)")
    if report.errors:
        click.echo(f"{len(report.errors)} problem(s): fix them with 'ratsarchiv edit {reference}'")
        click.get_current_context().exit(1)
    click.echo("ok" if not report.warnings else f"ok, {len(report.warnings)} warning(s)")


@click.command("facets")
@click.argument("name", required=False, type=click.Choice(FACETS))
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON (for scripts).")
@corpus_option
def facets(name: str | None, as_json: bool, corpus: Path) -> None:
    """List every value of facet NAME (default: all) with its count and probable variants.

    Reads the corpus files (no index needed), says which values the vocabulary
    (corpus/_vocabulary.yml) maps already and suggests YAML to paste into it.
    """
    vocabulary = Vocabulary.load(corpus)
    motions = [m for _, m in read_corpus(corpus)]
    names = [name] if name else list(FACETS)
    reports = {n: facet_report(motions, n, vocabulary) for n in names}
    if as_json:
        data = {n: r.to_dict() for n, r in reports.items()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for i, report in enumerate(reports.values()):
        if i:
            click.echo("")
        for line in _report_lines(report, corpus / FILE_NAME):
            click.echo(line)


def _report_lines(report: FacetReport, vocabulary_path: Path) -> list[str]:
    marks: dict[str, str] = {}
    for i, group in enumerate(report.groups, 1):
        marks.update({v: f"~{i}" for v in group.values})
    files = f"{report.files} file{'' if report.files == 1 else 's'}"
    lines = [f"{report.facet}: {len(report.values)} values in {files}"]
    if report.unreadable:
        lines.append(f"  ({report.unreadable} files left out: run 'ratsarchiv check')")
    width = max((len(str(v.count)) for v in report.values), default=1)
    for v in report.values:
        notes = []
        if v.result_class:
            notes.append(f"→ {v.result_class}")
        elif v.canonical is not None:
            notes.append("(vocabulary)" if v.canonical == v.value else f"→ {v.canonical}")
        if v.value in marks:
            notes.append(f"variant {marks[v.value]}")
        lines.append(
            f"  {v.count:>{width}}  {v.value}" + ("   " + "  ".join(notes) if notes else "")
        )
    if report.groups:
        lines.append("Probable variants:")
    for i, group in enumerate(report.groups, 1):
        spelled = " | ".join(group.values)
        advice = f"map to {group.suggestion!r}" if group.suggestion else group.note
        lines.append(f"  ~{i}  {spelled}  — {advice}")
    if report.joint:
        lines.append("Joint factions? (search for a member finds them too once listed):")
    for joint in report.joint:
        lines.append(f"  {joint.value} = {' + '.join(joint.members)}")
    if report.snippet:
        lines.append(f"Suggested for {vocabulary_path} (check the names, then paste):")
        lines += ["", report.snippet.rstrip("\n")]
    elif report.facet != RESULT.name:
        lines.append("No unmapped variants found.")
    return lines
