"""The facets' names, declared once: English name, German query prefix, vocabulary section.

The name is what URLs, the JSON API and the CLI use (``committee``), the prefix what the
query language takes besides it (``gremium:``), the kind the section of
``_vocabulary.yml`` whose canonical names the facet shows (``committees``). The index's
facet declarations (``index/schema.py``: fields, labels, order of values), the query
prefixes, the vocabulary's aliases (``archive.vocabulary.kind_of``) and
``ratsarchiv facets`` (``archive.variants``) all read them from here.

>>> [facet.name for facet in FACETS]
['council', 'committee', 'sponsor', 'result', 'type', 'year', 'lead', 'votes']
>>> COMMITTEE.prefix, COMMITTEE.kind, YEAR.kind, COUNCIL.prefix
('gremium', 'committees', '', 'kommune')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from archive.motion import Motion


@dataclass(frozen=True)
class FacetName:
    """One facet's names; ``written`` gives a motion's values as its file writes them (for
    the facets archivists curate with a vocabulary section, ``kind``)."""

    name: str
    prefix: str
    kind: str = ""
    written: Callable[[Motion], list[str]] | None = field(default=None, compare=False)


COUNCIL = FacetName("council", "kommune")
"""The council a paper belongs to (its key; ``archive.councils``)."""
COMMITTEE = FacetName("committee", "gremium", "committees", lambda m: m.committees)
SPONSOR = FacetName("sponsor", "fraktion", "sponsors", lambda m: m.sponsors)
RESULT = FacetName("result", "ergebnis", "results", lambda m: [c.result for c in m.consultations])
TYPE = FacetName("type", "typ", "types", lambda m: [m.type])
YEAR = FacetName("year", "jahr")
LEAD = FacetName("lead", "federführend", "offices", lambda m: [m.lead])
VOTES = FacetName("votes", "stimmen")

FACETS = (COUNCIL, COMMITTEE, SPONSOR, RESULT, TYPE, YEAR, LEAD, VOTES)
"""Every facet, in the order the site, the API and ``ratsarchiv search`` show them (the
order of ``index/schema.py``'s ``FACETS``)."""
CURATED = (SPONSOR, COMMITTEE, TYPE, RESULT, LEAD)
"""The facets with a vocabulary section, in the order ``ratsarchiv facets`` lists them."""
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
