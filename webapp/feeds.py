"""Atom feeds (RFC 4287): of any search (entries are its hits, newest first) and of a
committee's meetings (an entry per meeting with its agenda)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from xml.etree import ElementTree as ET

from index.results import Hit

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)
COUNCIL_SCHEME = "urn:ratsarchiv:council"
"""The ``scheme`` of an entry's category naming its council (``term``: the key)."""


def atom_time(date: str) -> str | None:
    """``2024-05-07`` → ``2024-05-07T00:00:00Z``; ``None`` for anything else."""
    try:
        day = datetime.date.fromisoformat(date[:10])
    except (TypeError, ValueError):
        return None
    return f"{day.isoformat()}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _feed(
    title: str, feed_url: str, html_url: str, now: datetime.datetime | None
) -> tuple[ET.Element, ET.Element, str]:
    """A feed's element with its head, its (still empty) ``updated`` and the time now."""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", feed_url)
    _add(feed, "title", title)
    _add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _add(feed, "link", rel="alternate", type="text/html", href=html_url)
    _add(_add(feed, "author"), "name", "Ratsarchiv")
    _add(feed, "generator", "Ratsarchiv")
    updated = _add(feed, "updated")
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return feed, updated, stamp


def atom_feed(
    hits: Iterable[Hit],
    *,
    title: str,
    feed_url: str,
    html_url: str,
    motion_url: Callable[[Hit], str],
    now: datetime.datetime | None = None,
) -> bytes:
    """The feed document; ``motion_url`` gives a hit's absolute address (its entry's id)."""
    feed, updated, stamp = _feed(title, feed_url, html_url, now)
    newest = ""
    for hit in hits:
        url = motion_url(hit)
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        _add(entry, "title", f"{hit.reference}: {hit.title}")
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        when = atom_time(hit.date) or stamp
        newest = max(newest, when) if atom_time(hit.date) else newest
        _add(entry, "updated", when)
        for sponsor in hit.sponsors:
            _add(_add(entry, "author"), "name", sponsor)
        if hit.council:
            _add(entry, "category", term=hit.council, label=hit.council_name, scheme=COUNCIL_SCHEME)
        for committee in hit.committees:
            _add(entry, "category", term=committee)
        parts = (hit.council_name, hit.type, hit.date, hit.result)
        summary = " · ".join(part for part in parts if part)
        _add(entry, "summary", summary or hit.title)
    updated.text = newest or stamp
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def meetings_feed(
    meetings: Iterable[dict],
    *,
    title: str,
    feed_url: str,
    html_url: str,
    meeting_url: Callable[[dict], str],
    now: datetime.datetime | None = None,
) -> bytes:
    """A feed of meetings (a committee's), each entry one meeting with its agenda."""
    feed, updated, stamp = _feed(title, feed_url, html_url, now)
    newest = ""
    for meeting in meetings:
        url = meeting_url(meeting)
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        when = " ".join(p for p in (meeting["date"], meeting["start"]) if p)
        _add(entry, "title", f"{meeting['committee']}, {when}")
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        day = atom_time(meeting["date"]) or stamp
        newest = max(newest, day)
        _add(entry, "updated", day)
        agenda = [f"{i['number']} {i['title']}".strip() for i in meeting["items"]]
        parts = [meeting["place"], meeting["status"], *agenda]
        _add(entry, "summary", "\n".join(p for p in parts if p))
    updated.text = newest or stamp
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
