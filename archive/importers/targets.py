"""Which council an import writes into, and how a council it creates is described.

Every importer takes a council key (``--council``); without one it writes into the
corpus's default council (``archive.councils``). A council the import creates gets
its description from what the source reveals — an OParl Body's name and URLs, an
ALLRIS page's header — and ``--council-name`` replaces the name. An existing
``_council.yml`` is never rewritten (``CorpusWriter.use_council``).

>>> describe("hamburg-altona", "", name="Bezirksversammlung Altona").name
'Bezirksversammlung Altona'
>>> describe("luebeck", "Hansestadt Lübeck", name="").name
'Hansestadt Lübeck'
>>> describe("luebeck", "").name
'luebeck'
"""

from __future__ import annotations

from pathlib import Path

from archive.councils import DEFAULT_KEY, DEFAULT_NAME, Council, check_key, council_layout


def target_key(corpus: Path, council: str | None) -> str:
    """The key of the council an import writes into: ``council`` if valid (``ConfigError``
    saying why not, before anything is written), else the corpus's default council."""
    if council:
        return check_key(council)
    return council_layout(Path(corpus)).default


def describe(key: str, name: str | None, /, **found: str) -> Council:
    """The description of council ``key`` from what the source revealed (``found``: any
    ``Council`` field but the key), its name replaced by ``name`` when given."""
    fallback = DEFAULT_NAME if key == DEFAULT_KEY else key
    values = {field: value.strip() for field, value in found.items() if value and value.strip()}
    values["name"] = (name or "").strip() or values.get("name") or fallback
    return Council(key=key, **values)
