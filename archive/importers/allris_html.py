"""Reader for ALLRIS classic HTML pages: ``vo020`` (Drucksache/Vorlage) and ``to020`` (Auszug).

ALLRIS classic pages are ISO-8859-1 (as their ``<meta charset>`` says) or, once
saved by a browser, often UTF-8 with the old declaration left in place; ``decode_page``
handles both byte for byte. Each page has a header table of ``Label:`` / value cells
and text sections, each an embedded Word export that starts at an anchor:
``allrisSV`` (Sachverhalt), ``allrisBV`` (Beschlussvorschlag / Petitum), ``allrisAN``
(Anlagen) on a vo020 page; ``allrisWP`` (Protokoll), ``allrisBS`` (Beschluss),
``allrisAE`` (Abstimmungsergebnis) on a to020 page.

- ``read_vorlage`` maps a vo020 page straight to a ``Motion``: Betreff → title,
  Drucksache-Art → type, Verfasser → sponsors, Federführend → lead, each
  Beratungsfolge entry → a consultation, Sachverhalt → reasons, Beschlussvorschlag
  → resolution, Anlagen → a body section.
- ``read_auszug_page`` turns a to020 page into the shared ``AuszugRecord``, which
  ``archive.importers.normalise.normalise_auszug`` maps like every other Auszug.
- ``council_facts`` reads what a page says of its council: the header above the page
  (``Bezirksversammlung Altona``) and the ALLRIS base URL of its address.

Agenda (to010) and calendar (si010) pages are meetings, read by
``archive.importers.allris_meetings``; an Auszug's agenda item goes into its meeting's file
too (an item without a paper only there). Any other page is refused with a
``SourceError`` that says what was expected.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urljoin

import requests
from bs4 import BeautifulSoup, Tag

from archive.errors import RatsarchivError, SourceError
from archive.files import FileRecord, carry_over
from archive.files_report import FilesReport
from archive.importers.allris_meetings import (
    MEETING_PAGES,
    import_auszug,
    import_meeting_page,
    page_meeting_source,
)
from archive.importers.allris_organizations import ORGANIZATION_PAGES, import_organization_page
from archive.importers.corpus_writer import CorpusWriter, ImportReport, Outcome
from archive.importers.meeting_store import MeetingImport, MeetingStore
from archive.importers.normalise import (
    AuszugRecord,
    clean_line,
    clean_text,
    normalise_reference,
    parse_date,
    split_resolution,
    type_from_kind,
)
from archive.importers.oparl_source import user_agent
from archive.importers.targets import describe, target_key
from archive.motion import Consultation, Motion, Source
from archive.outcomes import is_known_result
from archive.paper_files import FileWork, fetch_and_read
from archive.publicity import says_non_public

SYSTEM = "ALLRIS"
MAX_BYTES = 5 * 1024 * 1024

_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_LATIN1 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"}
_ANCHOR = re.compile(r'<a\s+name="allris(\w\w)"\s*>\s*</a>', re.I)
_SECTION_END = re.compile(r"<!--\s*###|<a\s+name=\"allris", re.I)
_PARA, _BREAK = "\ue000", "\ue001"
_BLOCKS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "div", "table", "blockquote"]
_BLOCKS += ["ul", "ol", "pre"]
_EXTRA_KINDS = (("auskunftsersuchen", "Anfrage"), ("beschlussempfehlung", "Beschlussvorlage"))


def decode_page(raw: bytes, declared: str | None = None) -> str:
    """A page's text: UTF-8 when the bytes are UTF-8, else the declared charset.

    ``declared`` is a charset from outside the page (an HTTP header); without it the
    page's own ``<meta charset>`` or XML declaration counts. ISO-8859-1 is read as
    Windows-1252, as browsers do (the two differ only in unused control codes).
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace")
    match = _DECLARED.search(raw[:4096])
    charset = (declared or (match.group(1).decode("ascii") if match else "")).lower()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text  # ASCII, or a page saved as UTF-8 that still declares ISO-8859-1
    if not charset or charset in _LATIN1 or charset.startswith("utf"):
        charset = "cp1252"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("cp1252", errors="replace")


def html_text(fragment: str) -> str:
    """The text of an HTML fragment: paragraphs apart, ``<br>`` as line breaks.

    Word exports split words into spans (``Mobilitä</span><span>tsausschuss``);
    whitespace runs count as one space, as in a browser.
    """
    soup = BeautifulSoup(fragment, "html.parser")
    for tag in soup(["script", "style", "title", "head"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with(_BREAK)
    for block in soup.find_all(_BLOCKS):
        block.insert_before(_PARA)
        block.insert_after(_PARA)
    for row in reversed(soup.find_all("tr")):  # a table row becomes one line: a | b | c
        cells = [c.get_text("") for c in row.find_all(["td", "th"], recursive=False)]
        cells = [re.sub(rf"[\s{_PARA}{_BREAK}]+", " ", c).strip() for c in cells]
        row.replace_with(_PARA + " | ".join(c for c in cells if c) + _PARA)
    text = re.sub(r"\s+", " ", soup.get_text(""))
    text = text.replace(_BREAK, "\n").replace(_PARA, "\n\n")
    return clean_text(text)


@dataclass
class Page:
    """An ALLRIS page split into its header and its anchored text sections."""

    source: str
    kind: str
    header: BeautifulSoup
    sections: dict[str, str]
    url: str
    id: str

    def fields(self) -> list[tuple[str, str]]:
        """The header's ``Label:`` / value pairs in page order (labels may repeat)."""
        pairs = []
        for label in self.header.select("td.kb1"):
            name = clean_line(label.get_text(" ")).rstrip(":").strip()
            value = label.find_next_sibling("td")
            if name and value is not None:
                pairs.append((name, html_text(str(value))))
        return pairs

    def field(self, *names: str) -> str:
        return next((value for name, value in self.fields() if name in names), "")

    def heading(self) -> str:
        h1 = self.header.select_one("#risname h1") or self.header.find("h1")
        return html_text(str(h1)) if h1 else ""


def parse_page(raw: bytes, source: str, *, url: str = "", declared: str | None = None) -> Page:
    """Split a page; ``SourceError`` unless it is a page this importer reads."""
    text = decode_page(raw, declared)
    kind_match = re.search(r'id="allriscontainer"\s+class="(\w+)"', text)
    kind = kind_match.group(1).lower() if kind_match else ""
    title = re.search(r"<h1>\s*([^<&-]+)", text)
    heading = clean_line(title.group(1)) if title else ""
    if not kind_match and heading.startswith("Tagesordnung"):
        kind = "to010"
    elif not kind_match and heading.startswith("Sitzungskalender"):
        kind = "si010"
    # meetings: allris_meetings; organisations: allris_organizations
    if kind not in ("vo020", "to020", *MEETING_PAGES, *ORGANIZATION_PAGES):
        if heading.startswith(("Drucksache", "Vorlage")):
            kind = "vo020"
        elif heading.startswith("Auszug"):
            kind = "to020"
        else:
            raise SourceError(
                source,
                "not an ALLRIS classic page: expected a vo020 (Drucksache) or to020 (Auszug) page",
            )
    anchors = list(_ANCHOR.finditer(text))
    head = text[: anchors[0].start()] if anchors else text
    sections: dict[str, str] = {}
    for anchor in anchors:
        end = _SECTION_END.search(text, anchor.end())
        body = text[anchor.end() : end.start() if end else len(text)]
        sections[anchor.group(1).upper()] = html_text(body)
    page_url, page_id = _address(text, url)
    return Page(source, kind, BeautifulSoup(head, "html.parser"), sections, page_url, page_id)


def _address(text: str, url: str) -> tuple[str, str]:
    """The page's address and id (``VOLFDNR=1018473``) from the page or the given URL."""
    bookmark = re.search(r'BOOKMARK_LINK --><a href="(\w+\.asp)\?(\w+=\d+)', text)
    page_id = bookmark.group(2) if bookmark else ""
    if url:
        found = re.search(r"[?&](\w+LFDNR=\d+)", url)
        return url, found.group(1) if found else page_id
    online = re.search(r"Online-Version(?:%20| )der(?:%20| )Seite:(?:%20| )(https?[^%\s\"]+)", text)
    if online and bookmark:
        return f"{unquote(online.group(1))}?{page_id}", page_id
    return "", page_id


def _lines(text: str) -> list[str]:
    return [clean_line(line) for line in text.split("\n") if clean_line(line)]


def _require_public(page: Page, status: str, kind: str) -> None:
    if says_non_public(status) or says_non_public(kind):
        raise SourceError(page.source, f"not public: Status {status!r}; nothing imported")


def motion_type(kind: str) -> str:
    """Drucksache-Art → motion type (``Auskunftsersuchen nach § 27 BezVG`` → Anfrage)."""
    found = type_from_kind(kind)
    lowered = kind.lower()
    for word, value in _EXTRA_KINDS:
        if not found and word in lowered:
            found = value
    return found or ("Sonstiges" if kind.strip() else "")


def read_vorlage(page: Page) -> Motion:
    """A vo020 page → a motion (not public → ``SourceError``)."""
    reference = normalise_reference(re.sub(r"^(Drucksache|Vorlage)\s*-\s*", "", page.heading()))
    if not reference:
        raise SourceError(page.source, "the page names no Drucksache number; nothing imported")
    status, kind = page.field("Status"), page.field("Drucksache-Art", "Vorlage-Art")
    _require_public(page, status, kind)
    title = " – ".join(_lines(page.field("Betreff")))
    if not title:
        raise SourceError(page.source, f"Drucksache {reference} has no Betreff; nothing imported")
    consultations = _beratungsfolge(page)
    resolution, questions = split_resolution(_unless_only_labels(page.sections.get("BV", "")))
    body = _attachments(page)
    return Motion(
        reference=reference,
        title=title,
        type=motion_type(kind),
        sponsors=_lines(page.field("Verfasser", "Verfasserin", "Antragsteller", "Einreicher")),
        lead=" ".join(_lines(page.field("Federführend"))),
        involved=_lines(page.field("Beteiligt")),
        clerk=" ".join(_lines(page.field("Bearbeiter/-in", "Bearbeiter", "Bearbeiterin"))),
        date=min((c.date for c in consultations if c.date), default=""),
        public=True,
        consultations=consultations,
        source=Source(system=SYSTEM, url=page.url, id=page.id),
        resolution=resolution,
        questions=questions,
        reasons=_unless_only_labels(page.sections.get("SV", "")),
        body=body,
        files=attachment_records(page),
    )


_LABEL_LINE = re.compile(r"^(?:[\w/ -]{1,40}:|[-–—_*.\s]*)$")


def _unless_only_labels(text: str) -> str:
    """``""`` for a section holding only labels (``Petitum/Beschluss:`` and a rule)."""
    return text if any(not _LABEL_LINE.match(line) for line in _lines(text)) else ""


def _beratungsfolge(page: Page) -> list[Consultation]:
    label = next(
        (td for td in page.header.select("td.kb1") if "Beratungsfolge" in td.get_text()), None
    )
    row = label.find_parent("tr") if label else None
    holder = row.find_next_sibling("tr") if row else None
    table = holder.find("table") if isinstance(holder, Tag) else None
    if table is None:
        return []
    found: list[Consultation] = []
    committee, role, status = "", "", ""
    dated = False
    for tr in table.find_all("tr"):
        cells = tr.find_all("td", recursive=False)
        texts = [clean_line(c.get_text(" ")) for c in cells]
        if not any(texts):
            continue
        marker = cells[0].get("title") if cells else None
        wide = [c for c in cells if c.get("colspan") == "3" and "text1" in (c.get("class") or [])]
        if wide:  # a committee: name and its role ("Kenntnisnahme", "Entscheidung")
            if committee and not dated:
                found.append(_consultation(committee, role, status, "", "", ""))
            committee = clean_line(wide[0].get_text(" "))
            role = clean_line(wide[1].get_text(" ")) if len(wide) > 1 else ""
            status, dated = str(marker or ""), False
            continue
        date_cell = tr.find("td", class_="text2")
        if committee and date_cell is not None:
            # date | TO button | meeting | result cells ... (the meeting may be a link or text)
            at = cells.index(date_cell)
            meeting = texts[at + 2] if len(texts) > at + 2 else ""
            rest = [t for t in texts[at + 3 :] if t and t not in ("Ö", "N")]
            date = parse_date(date_cell.get_text(" "), page.source)
            found.append(
                _consultation(committee, role, str(marker or status), date, meeting, " ".join(rest))
            )
            dated = True
    if committee and not dated:
        found.append(_consultation(committee, role, status, "", "", ""))
    return found


def _consultation(
    committee: str, role: str, status: str, date: str, meeting: str, result: str
) -> Consultation:
    notes = [f"Rolle: {role}"] if role else []
    if status:
        notes.append(f"Status: {status}")
    if result and not is_known_result(result):
        notes.append(f"Ergebnis: {result}")
        result = ""
    return Consultation(
        committee=committee, meeting=meeting, date=date, result=result, note="; ".join(notes)
    )


def _attachments(page: Page) -> str:
    names = []
    for link in page.header.select('td.text3 a[href*="Anlagen"], td.text3 a[href$=".pdf"]'):
        name = clean_line(link.get_text(" "))
        if name and name not in names:
            names.append(name)
    text = page.sections.get("AN", "")
    listing = "\n".join(f"- {name}" for name in names)
    parts = [p for p in (text, listing) if p]
    return "## Anlagen\n\n" + "\n\n".join(parts) if parts else ""


TEMPORARY = "___tmp/"
"""ALLRIS's folder of per-visit download links."""


def attachment_records(page: Page) -> list[FileRecord]:
    """The paper's documents a vo020/to020 page links to, as file records: the ``do027.asp``
    forms (the Drucksache PDF and its collected documents, by ``DOLFDNR``) and the
    attachment links (``Anlagen``). ALLRIS serves attachments under temporary paths
    (``___tmp``), valid for the visit only: they are kept from a page fetched now (and
    fetched at once by ``import allris-html URL``), not from a saved page."""
    records: list[FileRecord] = []
    seen: set[str] = set()

    def add(name: str, target: str) -> None:
        url = urljoin(page.url, target) if page.url else (target if "://" in target else "")
        key = url or name
        if name and key not in seen:
            seen.add(key)
            records.append(FileRecord(name=name, url=url, media_type="application/pdf"))

    for form in page.header.select('form[action*="do027"]'):
        number = form.find("input", attrs={"name": "DOLFDNR"})
        button = form.find("input", attrs={"type": "submit"})
        if number is not None and number.get("value"):
            name = clean_line(str(button.get("value") or "")) if button else ""
            query = f"DOLFDNR={number['value']}&options=64"
            add(f"{name or 'Dokument'}.pdf", f"{form.get('action')}?{query}")
    live = page.source.startswith(("http://", "https://"))
    for link in page.header.select('td.text3 a[href*="Anlagen"], td.text3 a[href$=".pdf"]'):
        href = str(link.get("href") or "")
        if TEMPORARY in href and not live:
            continue  # a saved page's temporary link has expired; its name stays in the body
        name = clean_line(link.get_text(" ")) or href.rsplit("/", 1)[-1]
        add(name if name.lower().endswith(".pdf") else f"{name}.pdf", href)
    return records


def read_auszug_page(page: Page) -> AuszugRecord:
    """A to020 page → the shared Auszug record (raw strings, as on the page)."""
    fields = page.fields()
    statuses = [value for name, value in fields if name == "Status"]
    values = dict(reversed(fields))  # the first occurrence of each label
    paper = page.header.find("a", href=re.compile(r"^vo020\.asp", re.I))
    meeting = page.header.find("a", href=re.compile(r"^to010\.asp", re.I))
    vote_lines = _lines(page.sections.get("AE", ""))
    counts = [line for line in vote_lines if re.search(r"\d", line) and ":" in line]
    return AuszugRecord(
        source=page.source,
        title_line=re.sub(r"^Auszug\s*-\s*", "", page.heading()),
        meeting=html_text(str(meeting)) if meeting else "",
        agenda_item=values.get("TOP", ""),
        committee=values.get("Gremium", ""),
        decision=values.get("Beschlussart", ""),
        date=values.get("Datum", ""),
        meeting_status=statuses[0] if statuses else "",
        time=values.get("Zeit", ""),
        room=values.get("Raum", ""),
        location=values.get("Ort", ""),
        paper_line=html_text(str(paper)) if paper else "",
        item_status=statuses[1] if len(statuses) > 1 else "",
        paper_kind=values.get("Drucksache-Art", ""),
        lead=values.get("Federführend", ""),
        involved=values.get("Beteiligt", ""),
        clerk=values.get("Bearbeiter/-in", values.get("Bearbeiter", "")),
        minutes=page.sections.get("WP", ""),
        resolution=page.sections.get("BS", ""),
        vote_text=" / ".join(counts),
        outcome=" ".join(line for line in vote_lines if line not in counts),
        source_system=SYSTEM,
        source_url=page.url,
        source_id=page.id,
    )


def merge_vorlage(existing: Motion, new: Motion) -> Motion:
    """A vo020 reading into a file that may also hold Auszug consultations.

    The Vorlage is the paper itself: its title, type, sponsors, offices, reasons and
    source win. Its Beratungsfolge replaces the earlier Beratungsfolge (consultations
    without agenda item); consultations from Auszüge stay, and a Beratungsfolge entry
    of the same committee and date is left out next to them. An adopted resolution
    already in the file stays; the proposal fills an empty one.
    """
    from_auszug = [c for c in existing.consultations if c.agenda_item]
    consultations = from_auszug + [
        c
        for c in new.consultations
        if not any(a.committee == c.committee and a.date == c.date for a in from_auszug)
    ]
    consultations.sort(key=lambda c: c.date or "9999")
    body = existing.body.strip()
    for section in re.split(r"\n(?=## )", new.body.strip()):
        if section and section not in body:
            body = f"{body}\n\n{section}" if body else section
    return replace(
        new,
        consultations=consultations,
        date=min(filter(None, [existing.date, new.date]), default=""),
        related=list(dict.fromkeys([*existing.related, *new.related])),
        resolution=existing.resolution or new.resolution,
        questions=existing.questions if existing.resolution else new.questions,
        body=body,
        files=carry_over(existing.files, new.files) if new.files else existing.files,
    )


_ASSEMBLIES = (
    ("Bezirksversammlung", "Bezirk"),
    ("Bezirksvertretung", "Bezirk"),
    ("Kreistag", "Kreis"),
    ("Stadtverordnetenversammlung", "Stadt"),
    ("Stadtrat", "Stadt"),
    ("Rat der Stadt", "Stadt"),
    ("Gemeindevertretung", "Gemeinde"),
)
"""Assemblies a page header names first, and the kind of council each belongs to."""
_BASE_URL = re.compile(r"^(https?://[^?#]*/)[^/?#]+\.asp\b", re.I)


def council_facts(page: Page) -> dict[str, str]:
    """What a page reveals of its council: ``name`` (the header above the page, like
    „Bezirksversammlung Altona“), ``short_name`` and ``kind`` (``Altona``, ``Bezirk``)
    when the header starts with an assembly, and ``allris_url`` (the site's base URL)."""
    header = page.header.select_one(".topHeadline")
    name = clean_line(header.get_text(" ")) if header else ""
    facts = {"name": name}
    for assembly, kind in _ASSEMBLIES:
        rest = name.removeprefix(assembly).strip()
        if name.startswith(f"{assembly} ") and rest:
            facts.update(short_name=rest, kind=kind)
            break
    base = _BASE_URL.match(page.url)
    facts["allris_url"] = base.group(1) if base else ""
    return facts


# ---------------------------------------------------------------- the import


def read_source(source: str, *, timeout: float = 60.0) -> Page:
    """A page from a file or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        try:
            response = requests.get(source, headers={"User-Agent": user_agent()}, timeout=timeout)
        except requests.RequestException as exc:
            raise SourceError(source, f"cannot fetch the page ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise SourceError(source, f"HTTP {response.status_code} {response.reason}")
        declared = (
            response.encoding if "charset" in response.headers.get("Content-Type", "") else None
        )
        return parse_page(response.content, source, url=source, declared=declared)
    path = Path(source)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SourceError(source, f"file is larger than {MAX_BYTES // 2**20} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(source, f"cannot read file: {exc.strerror}") from None
    return parse_page(raw, source)


def import_pages(
    sources: Iterable[str],
    corpus: Path,
    *,
    council: str | None = None,
    council_name: str | None = None,
    force: bool = False,
    progress: Callable[[int, ImportReport], None] | None = None,
    files: FileWork | None = None,
    files_reports: tuple[FilesReport, FilesReport] | None = None,
    meetings: MeetingImport | None = None,
    today: str | None = None,
) -> ImportReport:
    """Import vo020/to020 pages (files or URLs) into council ``council`` (else the default
    council) of ``corpus``, and au020/fr020/fr010 pages as organisation files
    (``archive.importers.allris_organizations``); one bad page never stops the others. A
    council this creates is described by the first page read (``council_facts``), named
    ``council_name`` if given.
    With ``files``, each saved paper's documents are fetched and read, into
    ``files_reports`` (fetched, extracted). to010/si010 pages and each Auszug's agenda item
    go into meeting files (``archive.importers.allris_meetings``), reported into
    ``meetings`` (else with the papers); ``today`` is the import day (planned or held).
    """
    key = target_key(corpus, council)
    report = ImportReport()
    run = meetings if meetings is not None else MeetingImport(report=report)
    with CorpusWriter(corpus, force=force) as writer:
        store = MeetingStore(writer, key, run, today)
        for done, source in enumerate(sources, 1):
            try:
                page = read_source(source)
                described = describe(key, council_name, **council_facts(page))
                writer.use_council(described)
                if page.kind in ORGANIZATION_PAGES:  # a report entry per organisation
                    import_organization_page(page, key, writer, report)
                    if progress:
                        progress(done, report)
                    continue
                if page.kind in MEETING_PAGES or page.kind == "to020":  # meetings (and paper)
                    if page.kind == "to020":
                        record = read_auszug_page(page)
                        meeting = page_meeting_source(page)
                        saved = import_auszug(record, store, report, described, meeting)
                        if saved.paper and saved.paper[1]:
                            _fetch_files(writer, saved.paper[1], files, files_reports)
                    else:
                        import_meeting_page(page, store)
                    if progress:
                        progress(done, report)
                    continue
                motion = replace(read_vorlage(page), council=key)
                outcome, _ = writer.save(motion, merge=merge_vorlage)
            except SourceError as exc:
                report.add(Outcome.SKIPPED, f"{source}: {exc.message}")
            except RatsarchivError as exc:
                report.add(Outcome.SKIPPED, f"{source}: {exc}")
            else:
                reason = writer.last_reason
                report.add(outcome, f"{source}: {reason}" if reason else None, key)
                if writer.last_path is not None:
                    _fetch_files(writer, writer.last_path, files, files_reports)
            if progress:
                progress(done, report)
    return report


def _fetch_files(
    writer: CorpusWriter,
    path: Path,
    files: FileWork | None,
    reports: tuple[FilesReport, FilesReport] | None,
) -> None:
    """Fetch and read the documents of the paper at ``path``, with ``files``."""
    if files is not None and reports:
        fetched, extracted = reports
        fetch_and_read(
            writer, path, files.fetcher, ocr=files.ocr, fetched=fetched, extracted=extracted
        )
