"""Plain search requests and results shared by the web site, the API and the CLI.

No whoosh types leave ``index``: a search returns these dataclasses, and their
``to_dict`` is the JSON of ``/api/search`` and ``ratsarchiv search --json``. Notices are
codes (``index.notices``), worded in the reader's language only there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from archive.councils import Council
from archive.language import DEFAULT, Language
from index.notices import Notice, notice_text

FILE_BREAK = "\x1e"
"""Joins the texts of a paper's files in the ``files`` text field (pages inside a text are
separated by form feeds), so a snippet's offset tells its file and page (``file_match``)."""

SORTS = ("relevance", "newest", "oldest")
PAGE_SIZE = 10
MAX_PAGE = 1000


def default_sort(query: str) -> str:
    """The order of a search that asks for none: ``relevance`` whenever there is a query
    (one of field filters only, such as ``gremium:Soziales``, too), ``newest`` without."""
    return "relevance" if query.strip() else "newest"


@dataclass(frozen=True)
class SearchRequest:
    """One search: query text, facet filters (OR within a facet, AND across), sort, page."""

    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = ""  # "": ``default_sort``
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def order(self) -> str:
        """The sort this search uses: the one asked for, else ``default_sort``'s."""
        return self.sort or default_sort(self.query)


@dataclass
class FileMatch:
    """The file and page a hit's snippet was found in (``position`` counts from 1 in the
    paper's ``files``; ``url`` is the file's source, ``""`` when unknown)."""

    position: int
    name: str
    url: str
    page: int


def file_match(text: str, start: int, files: list[list[Any]]) -> FileMatch | None:
    """The file and page at character ``start`` of a ``files`` field's ``text`` (the files'
    texts joined by ``FILE_BREAK``, pages by form feeds), ``files`` its [position, name,
    url] in the same order.

    >>> file_match("a\fb\x1ec\fd\fe", 9, [[1, "A.pdf", ""], [3, "C.pdf", "https://x/c"]])
    FileMatch(position=3, name='C.pdf', url='https://x/c', page=3)
    """
    before = text[:start]
    number = before.count(FILE_BREAK)
    if number >= len(files):
        return None
    page = before.count("\f", before.rfind(FILE_BREAK) + 1) + 1
    position, name, url = files[number]
    return FileMatch(int(position), str(name), str(url), page)


@dataclass
class Hit:
    """One motion in a result list; ``*_html`` values are escaped HTML with ``<mark>``."""

    reference: str
    slug: str
    title: str
    title_html: str
    council: str  # the council's key (the paper is ``council``/``slug``)
    council_name: str  # its name, from the council's description
    type: str
    date: str
    sponsors: list[str]
    committees: list[str]
    result: str  # the latest result as written
    result_class: str  # normalised (archive.outcomes.RESULTS)
    votes: dict[str, int | None]
    vote_class: str
    snippet_html: str
    score: float = 0.0
    file_match: FileMatch | None = None
    """Where the snippet comes from when it is a file's text: that file and page."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class FacetValue:
    """One value of a facet with its count.

    ``value`` is what a filter sends back (``karlsruhe:Hauptausschuss`` for names of one
    council, the key for the council facet), ``council`` the council it belongs to (``""``
    for values of no council, such as a year), ``name`` the value without its council,
    ``label`` what a list shows: the name, with the council's short name in parentheses
    when the facet's values span several councils (``Hauptausschuss (Altona)``); for the
    council facet the council's name.
    """

    value: str
    count: int
    selected: bool
    council: str = ""
    name: str = ""
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "count": self.count,
            "selected": self.selected,
            "council": self.council,
            "name": self.name,
            "label": self.label,
        }


@dataclass
class CouncilSummary:
    """One council of the archive: its public description and how many papers it has."""

    council: Council
    papers: int

    @property
    def key(self) -> str:
        return self.council.key

    def to_dict(self) -> dict[str, Any]:
        return {**self.council.to_dict(), "papers": self.papers}


@dataclass
class SearchResult:
    total: int
    page: int
    pages: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    notices: list[Notice] = field(default_factory=list)
    """E.g. the query could not be parsed and was searched as words."""
    request: SearchRequest | None = None

    def notice(self, lang: Language) -> str | None:
        """Every notice worded in ``lang``, as one line (``None`` without any)."""
        return " ".join(notice_text(n, lang) for n in self.notices) or None

    def to_dict(self, lang: Language = DEFAULT) -> dict[str, Any]:
        """The JSON twin; ``notice`` and each notice's ``text`` are worded in ``lang``."""
        return {
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {k: [v.to_dict() for v in vs] for k, vs in self.facets.items()},
            "suggestion": self.suggestion,
            "notice": self.notice(lang),
            "notices": [{**n.to_dict(), "text": notice_text(n, lang)} for n in self.notices],
        }
