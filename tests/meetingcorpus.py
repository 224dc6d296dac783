"""A small council with meetings for the web and browser tests: Musterstadt.

Two papers, four meetings of two committees (one held with an agenda and minutes, one
cancelled, one planned, one of the council), written with the archive's own writers.
One agenda item is non-public: its word ``SECRET`` must never reach a page, feed or index.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from archive.corpus import write_motion
from archive.councils import Council, council_layout, ensure_council
from archive.meeting import AgendaItem, Meeting
from archive.meeting_files import write_meeting
from archive.motion import Consultation, Motion, Source, Votes
from archive.organization import COMMITTEE, FACTION, Member, Organization
from archive.organization_files import write_organization

ATOM = "{http://www.w3.org/2005/Atom}"
COUNCIL = Council("musterstadt", "Stadt Musterstadt", short_name="Musterstadt", kind="Stadt")
BAU = "Bau- und Verkehrsausschuss"
RAT = "Gemeinderat"
SECRET = "Grundstücksgeheimsache"
"""A word only the non-public item has."""
FUTURE = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


def papers() -> list[Motion]:
    return [
        Motion(
            reference="2025/0100",
            title="Radweg an der Lindenallee",
            type="Antrag",
            date="2025-05-02",
            sponsors=["Grüne"],
            consultations=[
                Consultation(
                    BAU,
                    meeting="3. Sitzung",
                    date="2025-06-04",
                    agenda_item="Ö 3",
                    result="beschlossen",
                    votes=Votes(9, 2, None),
                ),
                Consultation(RAT, date="2025-06-24", agenda_item="Ö 12", result="beschlossen"),
            ],
            reasons="Die Lindenallee braucht einen sicheren Radweg.",
        ),
        Motion(
            reference="2025/0101",
            title="Sanierung der Brücke am Mühlbach",
            type="Beschlussvorlage",
            date="2025-05-10",
            consultations=[Consultation(BAU, date="2025-06-04", agenda_item="Ö 4")],
            reasons="Die Brücke ist marode.",
        ),
    ]


def meetings() -> list[Meeting]:
    return [
        Meeting(
            committee=BAU,
            date="2025-06-04",
            name="3. Sitzung des Bau- und Verkehrsausschusses",
            start="17:00",
            end="19:30",
            place="Rathaus, Saal 2",
            items=[
                AgendaItem("Ö 1", "Eröffnung und Feststellung der Tagesordnung"),
                AgendaItem(
                    "Ö 2",
                    "Bericht der Verwaltung zum Winterdienst",
                    result="zur Kenntnis genommen",
                    resolution="Der Ausschuss nimmt den Bericht zum Winterdienst zur Kenntnis.",
                ),
                AgendaItem(
                    "Ö 3",
                    "Radweg an der Lindenallee",
                    papers=["2025/0100"],
                    result="beschlossen",
                    votes=Votes(9, 2, None),
                ),
                AgendaItem("Ö 4", "Sanierung der Brücke am Mühlbach", papers=["2025/0101"]),
                AgendaItem(
                    "N 5",
                    f"Verkauf eines Grundstücks ({SECRET})",
                    public=False,
                    resolution=f"{SECRET}: Verkauf beschlossen.",
                ),
            ],
            minutes="Der Vorsitzende eröffnet die Sitzung um 17:00 Uhr. Die Beschlussfähigkeit "
            "wird festgestellt. Zum Winterdienst berichtet die Verwaltung ausführlich.",
            source=Source("ALLRIS", "https://ris.musterstadt.de/si0057.asp?__ksinr=3"),
            council=COUNCIL.key,
            id="2025-06-04-bau-und-verkehrsausschuss",
        ),
        Meeting(
            committee=BAU,
            date="2025-07-02",
            start="17:00",
            status="cancelled",
            council=COUNCIL.key,
            id="2025-07-02-bau-und-verkehrsausschuss",
        ),
        Meeting(
            committee=BAU,
            date=FUTURE,
            status="planned",
            council=COUNCIL.key,
            id=f"{FUTURE}-bau-und-verkehrsausschuss",
        ),
        Meeting(
            committee=RAT,
            date="2025-06-24",
            start="15:30",
            items=[AgendaItem("Ö 12", "Radweg an der Lindenallee", papers=["2025/0100"])],
            council=COUNCIL.key,
            id="2025-06-24-gemeinderat",
        ),
    ]


GRUENE = "Fraktion Bündnis 90/Die Grünen"


def organizations() -> list[Organization]:
    """The committee with its members and the faction whose short name the papers use."""
    return [
        Organization(
            BAU,
            COMMITTEE,
            members=[
                Member("Schulz, Anna", role="Vorsitz", faction="Grüne", start="2024-07-01"),
                Member("Meyer, Jan", role="Mitglied", faction="CDU-Fraktion"),
            ],
            council=COUNCIL.key,
            id="bau-und-verkehrsausschuss",
        ),
        Organization(
            GRUENE,
            FACTION,
            short_name="Grüne",
            members=[Member("Schulz, Anna", role="Fraktionsvorsitzende")],
            council=COUNCIL.key,
            id="fraktion-buendnis-90-die-gruenen",
        ),
    ]


def write_corpus(corpus: Path) -> None:
    ensure_council(corpus, COUNCIL)
    layout = council_layout(corpus)
    for paper in papers():
        paper.council = COUNCIL.key
        write_motion(paper, corpus, layout.path_for(COUNCIL.key, paper.year, paper.slug))
    for meeting in meetings():
        write_meeting(meeting, layout)
    for organization in organizations():
        write_organization(organization, layout)
