"""The fixed search workload of the speed benchmark: real queries on the Karlsruhe council.

Every query is drawn from the titles and topics of Karlsruhe's papers (2004–2026). Document
frequencies in the comments are over the 12,546 papers' full texts (lower-cased words), so the
list spans very common words (``Karlsruhe``: 10,903 papers) down to single-paper words
(``Schwalbenhäuser``: 1). ``text`` is what a person types into the search box, in Ratsarchiv's
query syntax (``gremium:``, ``jahr:``, ``typ:``, quoted phrases); ``filters`` are the facet
parameters of the URL (``committee=...``), as a click on a facet adds them.

In the mixed archive (several councils) a click on a committee, faction or office sends
that council's name (``committee=karlsruhe:Gemeinderat``, ``archive.councils.qualify``):
``Query.clicked`` gives those parameters.

>>> len(QUERIES) >= 50
True
>>> query = _q("Sanierung", "facet", committee="Ortschaftsrat Durlach", year="2025")
>>> query.clicked("karlsruhe", frozenset({"committee"}))
{'committee': 'karlsruhe:Ortschaftsrat Durlach', 'year': '2025'}
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.councils import qualify


@dataclass(frozen=True)
class Query:
    """One search as a user sends it: box text plus facet filters from the URL."""

    text: str
    kind: str
    filters: dict[str, str] = field(default_factory=dict)

    def clicked(self, council: str | None, per_council: frozenset[str]) -> dict[str, str]:
        """The facet parameters a click sends where the names are ``council``'s: the values
        of the ``per_council`` facets qualified (``council`` ``None``: all as they are)."""
        return {
            name: qualify(council, value) if council and name in per_council else value
            for name, value in self.filters.items()
        }

    @property
    def label(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.filters.items())
        return f"{self.text} [{extra}]" if extra else self.text or "(leer)"


def _q(text: str, kind: str, **filters: str) -> Query:
    return Query(text=text, kind=kind, filters=filters)


QUERIES: tuple[Query, ...] = (
    # one word, from common to rare
    _q("Karlsruhe", "common"),  # df 10,903 of 12,546
    _q("Stadt", "common"),  # 10,306
    _q("Gemeinderat", "common"),  # 9,186
    _q("Haushalt", "common"),  # 5,143
    _q("Klimaschutz", "word"),  # 3,874
    _q("Marktplatz", "word"),  # 3,597
    _q("Durlach", "word"),  # 2,241
    _q("Schule", "word"),  # 1,440
    _q("Sanierung", "word"),  # 1,278
    _q("Bebauungsplan", "word"),  # 1,127
    _q("Stadtwerke", "word"),  # 981
    _q("ÖPNV", "word"),  # 924
    _q("Integration", "word"),  # 876
    _q("Bäume", "word"),  # 685
    _q("Parkplätze", "word"),  # 594
    _q("Kaiserstraße", "word"),  # 590
    _q("Kita", "word"),  # 559
    _q("Straßenbahn", "word"),  # 524
    _q("Kombilösung", "word"),  # 507
    _q("Feuerwehr", "word"),  # 401
    _q("Digitalisierung", "word"),  # 388
    _q("Wohnungsbau", "word"),  # 326
    _q("Spielplatz", "word"),  # 252
    _q("Photovoltaik", "word"),  # 214
    _q("Wildparkstadion", "word"),  # 200
    _q("Carsharing", "word"),  # 115
    _q("Hallenbad", "word"),  # 101
    _q("Papiertonne", "word"),  # 64
    _q("Lichterfest", "rare"),  # 44
    _q("Suchtprävention", "rare"),  # 25
    _q("Notaufnahmen", "rare"),  # 15
    _q("Medersbuckel", "rare"),  # 7
    _q("Kassenautomaten", "rare"),  # 6
    _q("Schwalbenhäuser", "rare"),  # 1
    # several words (all must match)
    _q("Lärmschutz Südtangente", "words"),
    _q("Verkehrssicherheit Haltestelle", "words"),
    _q("Sanierung Hallenbad", "words"),
    _q("Radverkehr Kaiserstraße", "words"),
    _q("Wohnungslose medizinische Versorgung", "words"),
    _q("Grundschule Hagsfeld", "words"),
    _q("Glasfaserausbau Grötzingen", "words"),
    _q("Bürgerbeteiligung Stadtentwicklung", "words"),
    _q("Stadt Karlsruhe Gemeinderat", "common"),
    _q("Fahrradstraße Tempo 30", "words"),
    # phrases
    _q('"Tempo 30"', "phrase"),
    _q('"Stadtwerke Karlsruhe"', "phrase"),
    _q('"Zoologischer Stadtgarten"', "phrase"),
    _q('"sozialer Wohnungsbau"', "phrase"),
    _q('"Räumliches Leitbild"', "phrase"),
    _q('"Ettlinger Straße" Bebauungsplan', "phrase"),
    # field filters in the query text
    _q("Radweg gremium:Gemeinderat", "field"),
    _q('Schulsozialarbeit gremium:"Haupt- und Finanzausschuss"', "field"),
    _q("Kita jahr:2023", "field"),
    _q("Straßenbahn jahr:2020", "field"),
    _q("Bebauungsplan gremium:Planungsausschuss jahr:2019", "field"),
    _q("Feuerwehr typ:Anfrage", "field"),
    _q("Klimaschutz typ:Antrag jahr:2021", "field"),
    # facet parameters, as a click on a facet adds them
    _q("Sanierung", "facet", committee="Ortschaftsrat Durlach"),
    _q("Schule", "facet", type="Antrag"),
    _q("Karlsruhe", "facet", year="2025"),
    _q("Kombilösung", "facet", committee="Gemeinderat", year="2010"),
    _q("Bäume", "facet", type="Anfrage"),
    _q("", "facet", type="Antrag"),  # browsing: no words, newest first
)

WARMUP: tuple[Query, ...] = (
    _q("Ortschaftsrat", "warmup"),
    _q("Kindergarten Neubau", "warmup"),
    _q('"Stadt Karlsruhe"', "warmup"),
    _q("Umweltschutz gremium:Gemeinderat", "warmup"),
    _q("Verkehr", "warmup", type="Antrag"),
    _q("Zuschuss jahr:2018", "warmup"),
    _q("Friedhof", "warmup"),
    _q("", "warmup", committee="Bauausschuss"),
)
"""Queries that warm up a fresh server (code paths, file cache) but are never timed.

Ratsarchiv caches the matches of recent queries (``index.snapshot.CACHE_QUERIES``), so the
timed queries are sent to a fresh server, once each per round, after these.
"""
