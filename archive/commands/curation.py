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
from archive.corpus import read_motion
from archive.councils import Council, council_layout
from archive.errors import ConfigError, NotFoundError
from archive.facet_names import RESULT
from archive.lookup import find_motion
from archive.motion import Motion
from archive.organization import COMMITTEE, FACTION
from archive.organization_files import organization_names
from archive.variants import FACETS, FacetReport, facet_report, read_corpus
from archive.vocabulary import FILE_NAME, Vocabulary

ORGANIZATION_KINDS = {"committee": COMMITTEE, "sponsor": FACTION}
"""The facets whose values are organisations, and the kind of organisation file they name."""

council_option = click.option(
    "--council",
    "council",
    default="",
    metavar="KEY",
    help="The paper's council, where several have its reference (or write KEY:REFERENCE).",
)


def _votes(votes: dict[str, int | None]) -> str:
    if all(v is None for v in votes.values()):
        return ""
    shown = ", ".join(
        f"{label} {'–' if votes[key] is None else votes[key]}"
        for key, label in (("yes", "yes"), ("no", "no"), ("abstain", "abstain"))
    )
    return f"({shown})"


def summary(motion: Motion, vocabulary: Vocabulary, council: Council | None = None) -> list[str]:
    """The readable lines ``ratsarchiv show`` prints (with ``council``: whose paper it is)."""

    def named(kind: str, value: str) -> str:
        canonical = vocabulary.canonical(kind, value)
        return value if canonical == value else f"{value} [{canonical}]"

    lines = [f"{motion.reference}  {motion.title}"]
    fields = (
        ("Council", council and f"{council.name} ({council.key})"),
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
@council_option
@corpus_option
def show(reference: str, as_json: bool, corpus: Path, council: str = "") -> None:
    """Print the file and a readable summary of motion REFERENCE (e.g. VO/2024/12903-01,
    or hamburg-altona:22-2368 for a paper of council hamburg-altona)."""
    path, key = find_motion(corpus, reference, council)
    motion = read_motion(path, key)
    if as_json:
        click.echo(
            json.dumps({"path": str(path), **motion.to_dict()}, ensure_ascii=False, indent=2)
        )
        return
    click.echo(str(path))
    layout = council_layout(corpus)
    whose = layout.council(key) if len(layout.keys) > 1 else None
    for line in summary(motion, Vocabulary.load(corpus).for_council(key), whose):
        click.echo(line)


@click.command("edit")
@click.argument("reference")
@council_option
@corpus_option
def edit(reference: str, corpus: Path, council: str = "") -> None:
    """Open motion REFERENCE (or KEY:REFERENCE) in $EDITOR (default vi), then check it.

    Prints every problem as path:line: message; exits 1 if the file has errors.
    """
    path, _ = find_motion(corpus, reference, council)
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
@click.option("--council", "council", default="", metavar="KEY", help="Only council KEY's papers.")
@corpus_option
def facets(name: str | None, as_json: bool, corpus: Path, council: str = "") -> None:
    """List every value of facet NAME (default: all) with its count and probable variants.

    Reads the corpus files (no index needed), says which values the vocabulary
    (corpus/_vocabulary.yml, and a council's own KEY/_vocabulary.yml) maps
    already and suggests YAML to paste into it. When the papers belong to
    several councils, each council's values are listed apart (--council KEY
    for one), and the suggestions go to that council's vocabulary. Committees
    and factions with an organisation file (KEY/organizations/) are marked, and
    their file's name is suggested for the other spellings.
    """
    layout = council_layout(corpus)
    if council and council not in layout.keys:
        known = ", ".join(layout.keys)
        raise NotFoundError(f"no council {council!r} in {corpus} (councils: {known})")
    vocabulary = Vocabulary.load(corpus)
    by_council: dict[str, list[Motion | None]] = {council: []} if council else {}
    for _, key, motion in read_corpus(corpus):
        if not council or key == council:
            by_council.setdefault(key, []).append(motion)
    per_council = bool(council) or len(by_council) > 1
    keys = sorted(by_council) if per_council else [""]
    names = [name] if name else list(FACETS)
    filed = organization_names(corpus, layout)
    reports: dict[str, dict[str, FacetReport]] = {}
    for key in keys:
        motions = by_council[key] if key else [m for ms in by_council.values() for m in ms]
        named = vocabulary.for_council(key or next(iter(by_council), ""))
        for facet in names:
            kind = ORGANIZATION_KINDS.get(facet, "")
            spellings = {
                spelling: org
                for council, kinds in filed.items()
                if council == key or not key
                for spelling, org in kinds.get(kind, {}).items()
            }
            report = facet_report(motions, facet, named, spellings)
            report.council = key
            reports.setdefault(facet, {})[key] = report
    if as_json:
        data = {
            n: {k: r.to_dict() for k, r in by_key.items()} if per_council else by_key[""].to_dict()
            for n, by_key in reports.items()
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for i, report in enumerate(r for by_key in reports.values() for r in by_key.values()):
        if i:
            click.echo("")
        target = corpus / report.council / FILE_NAME if report.council else corpus / FILE_NAME
        if report.council and report.council not in layout.folders:
            target = corpus / FILE_NAME  # the default council of a corpus from before councils
        label = layout.council(report.council).label if report.council else ""
        for line in _report_lines(report, target, label):
            click.echo(line)


def _report_lines(report: FacetReport, vocabulary_path: Path, label: str = "") -> list[str]:
    marks: dict[str, str] = {}
    for i, group in enumerate(report.groups, 1):
        marks.update({v: f"~{i}" for v in group.values})
    files = f"{report.files} file{'' if report.files == 1 else 's'}"
    whose = f" of {report.council} ({label})" if report.council else ""
    lines = [f"{report.facet}{whose}: {len(report.values)} values in {files}"]
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
        filed = report.organizations.get(v.value)
        if filed:
            notes.append("(organisation file)" if filed == v.value else f"(file: {filed})")
        lines.append(
            f"  {v.count:>{width}}  {v.value}" + ("   " + "  ".join(notes) if notes else "")
        )
    if report.unused:
        lines.append(f"Organisation files no paper names: {', '.join(report.unused)}")
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
