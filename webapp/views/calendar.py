"""A council's meeting calendar: a month view, its JSON twin and iCalendar feeds.

``/<council>/calendar?month=2025-06`` is a month grid (Monday first) that works without
JavaScript: the previous and next month are plain links. Without ``month`` it shows the
current month, or, when that has no meeting, the month of the latest meeting.
``/<council>/calendar.ics`` and ``/<council>/committees/<slug>/calendar.ics`` are
iCalendar feeds (RFC 5545, written by the ``icalendar`` package) that a calendar app can
subscribe to: times in Europe/Berlin with the zone's definition, a meeting without a start
time an all-day event, a cancelled one ``STATUS:CANCELLED``, each linking its page.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from flask import Blueprint, Response, jsonify, render_template, request, url_for

from archive.errors import NotFoundError, QueryError
from archive.meeting import CANCELLED, PLANNED
from archive.motion import slug_for
from webapp.backend import search_index
from webapp.councils import council_summary
from webapp.i18n import lang
from webapp.views import alternate
from webapp.views.meetings import meeting_summary, meeting_url

bp = Blueprint("calendar", __name__)

ZONE = ZoneInfo("Europe/Berlin")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
FEED_YEARS = 3
"""A feed holds the meetings from this many years back on (and every future one)."""


def _month(text: str | None, dates: list[str], today: datetime.date) -> tuple[int, int]:
    if text:
        match = _MONTH.match(text)
        if not match or not 1000 <= int(match[1]) <= 9999:
            raise QueryError(f"month {text!r} is not a month like 2025-06")
        return int(match[1]), int(match[2])
    current = today.strftime("%Y-%m")
    if not dates or any(d.startswith(current) for d in dates):
        return today.year, today.month
    past = [d for d in dates if d <= today.isoformat()]
    latest = past[-1] if past else dates[0]
    return int(latest[:4]), int(latest[5:7])


def _shift(year: int, month: int, by: int) -> str:
    number = year * 12 + month - 1 + by
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


@dataclass
class CalendarPage:
    council: Any
    year: int
    month: int
    meetings: list[dict[str, Any]]

    @property
    def label(self) -> str:
        from babel.dates import format_date

        return format_date(datetime.date(self.year, self.month, 1), "LLLL y", locale=lang())

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def url(self, month: str) -> str:
        return url_for("calendar.page", council=self.council.key, month=month)

    @property
    def previous(self) -> str:
        return _shift(self.year, self.month, -1)

    @property
    def next(self) -> str:
        return _shift(self.year, self.month, 1)

    def weeks(self) -> list[list[dict[str, Any] | None]]:
        """The month's weeks, Monday first: each day with its meetings, ``None`` outside."""
        by_day: dict[str, list[dict[str, Any]]] = {}
        for meeting in self.meetings:
            by_day.setdefault(meeting["date"], []).append(meeting_summary(meeting))
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(self.year, self.month):
            weeks.append(
                [
                    {"date": d.isoformat(), "day": d.day, "meetings": by_day.get(d.isoformat(), [])}
                    if d.month == self.month
                    else None
                    for d in week
                ]
            )
        return weeks

    def to_dict(self) -> dict[str, Any]:
        return {
            "council": self.council.key,
            "month": self.key,
            "meetings": [meeting_summary(m) for m in self.meetings],
            "previous_url": url_for("calendar.api", council=self.council.key, month=self.previous),
            "next_url": url_for("calendar.api", council=self.council.key, month=self.next),
            "ical_url": url_for("calendar.council_feed", council=self.council.key),
        }


def calendar_context(council: str) -> CalendarPage:
    summary = council_summary(council)
    catalog = search_index().meetings()
    dates = [m["date"] for m in catalog.of_council(summary.key)]
    year, month = _month(request.args.get("month"), dates, datetime.date.today())
    last = calendar.monthrange(year, month)[1]
    found = catalog.between(
        summary.key, f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last}"
    )
    return CalendarPage(summary.council, year, month, found)


@bp.get("/<council>/calendar")
def page(council: str) -> Response:
    context = calendar_context(council)
    twin = url_for("calendar.api", council=council, month=context.key)
    return alternate(render_template("calendar.html", page=context, json_url=twin), twin)


@bp.get("/api/<council>/calendar")
def api(council: str) -> Response:
    return jsonify(calendar_context(council).to_dict())


def _event(meeting: dict[str, Any], stamp: datetime.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{meeting['council']}/{meeting['id']}@ratsarchiv")
    event.add("dtstamp", stamp)
    day = datetime.date.fromisoformat(meeting["date"])
    if meeting["start"]:
        hour, minute = map(int, meeting["start"].split(":"))
        start = datetime.datetime.combine(day, datetime.time(hour, minute), ZONE)
        event.add("dtstart", start)
        if meeting["end"]:
            hour, minute = map(int, meeting["end"].split(":"))
            event.add("dtend", datetime.datetime.combine(day, datetime.time(hour, minute), ZONE))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", meeting["committee"])
    if meeting["place"]:
        event.add("location", meeting["place"])
    status = {CANCELLED: "CANCELLED", PLANNED: "TENTATIVE"}.get(meeting["status"], "CONFIRMED")
    event.add("status", status)
    url = meeting_url(meeting["council"], meeting["id"], _external=True)
    event.add("url", url)
    agenda = [f"{i['number']} {i['title']}".strip() for i in meeting["items"]]
    event.add("description", "\n".join([*agenda, url]))
    return event


def _feed(name: str, meetings: list[dict[str, Any]]) -> Response:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Ratsarchiv//Sitzungskalender//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    since = (datetime.date.today() - datetime.timedelta(days=365 * FEED_YEARS)).isoformat()
    for meeting in meetings:
        if meeting["date"] >= since:
            cal.add_component(_event(meeting, stamp))
    cal.add_missing_timezones()
    return Response(cal.to_ical(), mimetype="text/calendar")


@bp.get("/<council>/calendar.ics")
def council_feed(council: str) -> Response:
    summary = council_summary(council)
    meetings = list(search_index().meetings().of_council(summary.key))
    return _feed(summary.council.name, meetings)


@bp.get("/<council>/committees/<slug>/calendar.ics")
def committee_feed(council: str, slug: str) -> Response:
    summary = council_summary(council)
    catalog = search_index().meetings()
    name = catalog.committees(summary.key).get(slug)
    if name is None or slug != slug_for(name):
        raise NotFoundError(f"{council}/committees/{slug}")
    meetings = list(catalog.of_council(summary.key, name))
    return _feed(f"{name} ({summary.council.name})", meetings)
