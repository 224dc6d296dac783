"""A small, realistic corpus for the web tests: three councils, the shipped seed among them.

Lübeck (``luebeck``) holds the shipped seed and motions around it; two Hamburg district
assemblies (``hamburg-altona``, ``hamburg-eimsbuettel``) hold a few papers each, numbered
independently: both have a Drucksache ``22-2368`` (one slug, two councils) and a
``Hauptausschuss`` (one name, two committees). Every motion goes through
``archive.corpus.write_motion`` and the real indexer, so the site is tested against the
same files and index an archivist would have.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from archive.corpus import write_motion
from archive.councils import Council, ensure_council, qualify
from archive.motion import Consultation, Motion, Source, Votes

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CORPUS = REPO / "corpus"
SEED_SLUG = "vo-2024-12903-01"
SEED_FILE = next(SHIPPED_CORPUS.glob(f"**/{SEED_SLUG}.md"), SHIPPED_CORPUS / f"{SEED_SLUG}.md")
SOZIALES = "Ausschuss für Soziales"
BAU = "Bauausschuss"
LUEBECK = Council(
    "luebeck",
    "Hansestadt Lübeck",
    short_name="Lübeck",
    kind="Stadt",
    state="Schleswig-Holstein",
    website="https://www.luebeck.de/",
    source="Eigener Auszug aus dem Ratsinformationssystem (ALLRIS)",
    terms="Öffentliche Ratsdokumente",
)
ALTONA = Council(
    "hamburg-altona",
    "Bezirksversammlung Altona",
    short_name="Altona",
    kind="Bezirk",
    state="Hamburg",
    website="https://sitzungsdienst-altona.hamburg.de/bi/",
    source="ALLRIS, Testdaten von bv-hh/bv-hh",
    terms="MIT",
)
EIMSBUETTEL = Council(
    "hamburg-eimsbuettel",
    "Bezirksversammlung Eimsbüttel",
    short_name="Eimsbüttel",
    kind="Bezirk",
    state="Hamburg",
    source="ALLRIS, Testdaten von bv-hh/bv-hh",
    terms="MIT",
)
COUNCILS = (LUEBECK, ALTONA, EIMSBUETTEL)
SHARED_SLUG = "22-2368"
"""A Drucksache number both Hamburg districts use (a slug of two councils)."""
HAUPTAUSSCHUSS = "Hauptausschuss"
SEED_URL = f"/luebeck/motions/{SEED_SLUG}"
Q_SOZIALES = qualify("luebeck", SOZIALES)
Q_BAU = qualify("luebeck", BAU)
Q_SPD = qualify("hamburg-eimsbuettel", "SPD")


def _consultation(committee: str, date: str, result: str, votes: Votes | None = None, **kw):
    return Consultation(
        committee=committee,
        meeting=kw.pop("meeting", f"Sitzung {committee}"),
        date=date,
        agenda_item=kw.pop("agenda_item", "Ö 5.1"),
        result=result,
        votes=votes or Votes(),
        **kw,
    )


def motions() -> list[Motion]:
    """Lübeck's motions around the seed: its parent, neighbours in other committees, edge cases."""
    items = [
        Motion(
            reference="VO/2024/12903",
            title="Quartiere stärken – Sozialraumorientierung einführen",
            type="Antrag",
            sponsors=["SPD & FW"],
            lead="Geschäftsstelle Fraktion SPD & FW",
            date="2024-04-10",
            consultations=[
                _consultation(SOZIALES, "2024-04-16", "zurückgestellt", agenda_item="Ö 4.2"),
            ],
            resolution="Der Bürgermeister wird beauftragt, die Quartiersarbeit auszubauen.",
            source=Source(system="ALLRIS", url="https://example.org/vo020?VOLFDNR=12903"),
        ),
        Motion(
            reference="VO/2024/13001",
            title="Quartiersmanagement in Buntekuh verstetigen",
            type="Antrag",
            sponsors=["CDU"],
            lead="Fachbereich 5",
            date="2024-06-03",
            consultations=[
                _consultation(BAU, "2024-06-10", "einstimmig beschlossen"),
                _consultation("Bürgerschaft", "2024-06-27", "beschlossen", Votes(40, 5, 2)),
            ],
            resolution="Das Quartiersmanagement Buntekuh wird bis 2027 fortgeführt.",
            related=["VO/2024/12903", "VO/1999/00001"],
        ),
        Motion(
            reference="VO/2023/11002",
            title="Sichere Radwege in der Altstadt",
            type="Antrag",
            sponsors=["BÜNDNIS 90/DIE GRÜNEN"],
            lead="Fachbereich 5",
            date="2023-09-12",
            consultations=[
                _consultation(BAU, "2023-09-20", "geändert beschlossen", Votes(10, 3, 1))
            ],
            resolution="Die Verwaltung legt ein Konzept für **sichere Radwege** vor.",
            questions=["Wo fehlen Radwege?", "Was kostet der Ausbau?"],
            reasons="Radfahrende sind in der Altstadt gefährdet.\n\n### Zahlen\n\nSiehe Anlage.",
        ),
        Motion(
            reference="VO/2024/12950",
            title="Bericht zur Schulsozialarbeit",
            type="Bericht",
            sponsors=["Bürgermeister"],
            lead="Fachbereich 2",
            date="2024-03-01",
            consultations=[
                _consultation(SOZIALES, "2024-03-05", "zur Kenntnis genommen"),
                _consultation(
                    "Hauptausschuss",
                    "2024-03-12",
                    "vertagt",
                    agenda_item="N 3.1",
                    note="Vertrauliche Personalangelegenheit",
                ),
                _consultation(
                    "Jugendhilfeausschuss", "2024-03-14", "vertagt", public=False, note="geheim"
                ),
            ],
            resolution="Der Bericht über die Schulsozialarbeit wird zur Kenntnis genommen.",
        ),
        Motion(
            reference="VO/2024/99999",
            title="Nichtöffentliche Grundstücksangelegenheit Quartier Nord",
            type="Vorlage",
            date="2024-02-01",
            public=False,
            resolution="Quartier Nord: Kaufpreis vertraulich.",
        ),
        Motion(
            reference="VO/2024/14000",
            title="<script>alert('x')</script> Quartier mit Sonderzeichen",
            type="Anfrage",
            sponsors=['=HYPERLINK("https://evil.example","klick")', "@Liste"],
            date="2024-07-01",
            consultations=[_consultation(SOZIALES, "2024-07-02", "beantwortet")],
            reasons=(
                "Text mit <img src=x onerror=alert(1)> und [Link](javascript:alert(1)) "
                'und <a href="https://example.org" onclick="alert(1)">sicher</a>.'
            ),
            source=Source(system="Test", url="javascript:alert(1)"),
        ),
    ]
    items += [
        Motion(
            reference="VO/2024/13120",
            title="Quartiersbüro Moisling: Räume für Beratung und Begegnung",
            type="Antrag",
            sponsors=["Linke & GAL"],
            lead="Fachbereich 2",
            date="2024-09-17",
            consultations=[
                _consultation(SOZIALES, "2024-09-24", "geändert beschlossen", Votes(9, 4, 2)),
            ],
            resolution="Die Verwaltung richtet im Quartier Moisling ein Quartiersbüro ein.",
        ),
        Motion(
            reference="VO/2024/13305",
            title="Spielplätze im Quartier St. Lorenz Nord sanieren",
            type="Antrag",
            sponsors=["CDU", "FDP"],
            lead="Fachbereich 5",
            date="2024-11-05",
            consultations=[_consultation(BAU, "2024-11-12", "vertagt")],
            resolution="Die Spielplätze im Quartier St. Lorenz Nord werden bis 2026 saniert.",
        ),
    ]
    for i in range(1, 13):
        items.append(
            Motion(
                reference=f"VO/2022/{20000 + i}",
                title=f"Haushaltsplan 2023, Teilplan {i}",
                type="Beschlussvorlage",
                sponsors=["Bürgermeister"],
                lead="Fachbereich 1",
                date=f"2022-{i:02d}-15",
                consultations=[_consultation("Finanzausschuss", f"2022-{i:02d}-20", "beschlossen")],
                resolution=f"Der Teilplan {i} des Haushalts wird beschlossen.",
            )
        )
    return [replace(m, council=LUEBECK.key) for m in items]


def _district_paper(council: Council, reference: str, title: str, sponsor: str, date: str,
                    consultation: Consultation, resolution: str, **kw) -> Motion:  # fmt: skip
    """An Antrag of a Hamburg district assembly with one consultation."""
    return Motion(
        reference=reference,
        title=title,
        type="Antrag",
        sponsors=[sponsor],
        date=date,
        consultations=[consultation],
        resolution=resolution,
        council=council.key,
        **kw,
    )


def hamburg_motions() -> list[Motion]:
    """The two districts' papers: ``22-2368`` in both, a Hauptausschuss in both, Quartiere."""
    return [
        _district_paper(
            ALTONA, "22-2368", "Quartiersfonds für Altona-Nord aufstocken", "GRÜNE", "2024-10-08",
            _consultation(HAUPTAUSSCHUSS, "2024-10-17", "beschlossen", Votes(11, 4, 0)),
            "Der Quartiersfonds Altona-Nord wird um 50.000 Euro aufgestockt.",
        ),
        _district_paper(
            ALTONA, "22-2401", "Radweg an der Max-Brauer-Allee sanieren", "CDU", "2024-11-20",
            _consultation("Mobilitätsausschuss", "2024-11-28", "vertagt"),
            "Das Bezirksamt setzt sich für die Sanierung des Radwegs ein.",
        ),
        _district_paper(
            EIMSBUETTEL, "22-2368", "Schulweg am Eidelstedter Platz sicherer machen", "SPD",
            "2024-09-12",
            _consultation(HAUPTAUSSCHUSS, "2024-09-19", "abgelehnt", Votes(8, 12, 1)),
            "Am Eidelstedter Platz wird ein Zebrastreifen eingerichtet.",
            related=["hamburg-altona:22-2368", "hamburg-altona:22-9999"],
        ),
    ]  # fmt: skip


def build_corpus(corpus: Path) -> Path:
    """Write the test corpus to ``corpus`` (the shipped seed file is copied as it is)."""
    for council in COUNCILS:
        ensure_council(corpus, council)
    if SEED_FILE.is_file():
        target = corpus / LUEBECK.key / "2024" / SEED_FILE.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SEED_FILE, target)
    for motion in [*motions(), *hamburg_motions()]:
        write_motion(motion, corpus)
    return corpus


def build_index(corpus: Path, index_dir: Path) -> Path:
    from index.indexer import reindex

    report = reindex(corpus, index_dir, full=True)
    assert report.ok, report.skipped
    return index_dir
