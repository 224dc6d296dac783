"""A small, realistic corpus for the web tests: the shipped seed plus motions written here.

Every motion goes through ``archive.corpus.write_motion`` and the real indexer, so the
site is tested against the same files and index an archivist would have.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from archive.corpus import write_motion
from archive.motion import Consultation, Motion, Source, Votes

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CORPUS = REPO / "corpus"
SEED_FILE = SHIPPED_CORPUS / "2024" / "vo-2024-12903-01.md"
SEED_SLUG = "vo-2024-12903-01"
SOZIALES = "Ausschuss für Soziales"
BAU = "Bauausschuss"


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
    """Motions around the seed: its parent, neighbours in other committees, edge cases."""
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
    return items


def build_corpus(corpus: Path) -> Path:
    """Write the test corpus to ``corpus`` (the shipped seed file is copied as it is)."""
    if SEED_FILE.is_file():
        target = corpus / "2024" / SEED_FILE.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SEED_FILE, target)
    for motion in motions():
        write_motion(motion, corpus)
    return corpus


def build_index(corpus: Path, index_dir: Path) -> Path:
    from index.indexer import reindex

    report = reindex(corpus, index_dir, full=True)
    assert report.ok, report.skipped
    return index_dir
