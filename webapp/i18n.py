"""Every string of the user interface, in German (the source) and English.

Views and templates call ``t("Suche")`` (``_`` in templates); the German text is the
key, ``EN`` its translation (``PLURALS`` gives German wordings that depend on a number).
Search notices are codes, worded by ``index.notices`` (``SearchResult.notice(lang)``).
Numbers, dates and plurals are written by Babel (``archive.language``). The language
comes from ``?lang=de|en`` (kept in a cookie), else the cookie, else
``Accept-Language``; German is the default.

>>> EN["Suche"]
'Search'
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, g, request
from werkzeug.wrappers import Response

from archive import language
from archive.language import DEFAULT, LANGUAGES, Language, Plural, Text, fill

COOKIE = "lang"

EN: dict[str, Text] = {
    # layout
    "Ratsarchiv": "Ratsarchiv",
    "Anträge, Vorlagen und Beschlüsse des Rates": "Motions, papers and decisions of the council",
    "Zum Inhalt springen": "Skip to content",
    "Hauptnavigation": "Main navigation",
    "Suche": "Search",
    "Suchhilfe": "Search help",
    "Sprache": "Language",
    "Startseite": "Home",
    "API": "API",
    "Daten als JSON": "Data as JSON",
    "Öffentliche Ratsdokumente. Alle Angaben ohne Gewähr; maßgeblich sind die Originale.": (
        "Public council documents. No warranty; the originals are authoritative."
    ),
    # search page
    "Im Ratsarchiv suchen": "Search the council archive",
    "Suchbegriff": "Search terms",
    "Suchen": "Search",
    "z. B. Quartier, Radweg, „Schulbau“": "e.g. Quartier, Radweg, „Schulbau“",
    "Wie suche ich? (Anführungszeichen, ODER, NICHT, Felder)": (
        "How to search? (quotes, OR, NOT, fields)"
    ),
    "Suchergebnisse": "Search results",
    "Neueste Anträge": "Newest motions",
    "{n} Treffer": Plural("n", one="{n} result", other="{n} results"),
    "{n} Seiten": Plural("n", one="{n} page", other="{n} pages"),
    "für „{query}“": "for “{query}”",
    "{n} Anträge im Archiv": Plural(
        "n", one="{n} motion in the archive", other="{n} motions in the archive"
    ),
    "Seite {page} von {pages}": "Page {page} of {pages}",
    "{n} Anträge": Plural("n", one="{n} motion", other="{n} motions"),
    # meetings, calendar, committees
    "Fraktionen": "Factions",
    "Fraktion": "Faction",
    "Rolle": "Role",
    "Zeitraum": "Period",
    "Ergebnisse je Jahr": "Outcomes per year",
    "Ergebnisse der Vorlagen von {name} je Jahr": "Outcomes of the papers of {name} per year",
    "ohne Datum": "undated",
    "Neueste Vorlagen": "Newest papers",
    "Keine Fraktionen erfasst.": "No factions recorded.",
    "Alle {n} Vorlagen durchsuchen": Plural(
        "n", one="Search the {n} paper", other="Search all {n} papers"
    ),
    "Sitzungen": "Meetings",
    "Sitzungskalender": "Meeting calendar",
    "Sitzungskalender (iCalendar)": "Meeting calendar (iCalendar)",
    "Alle Sitzungen als Kalender abonnieren (iCalendar)": (
        "Subscribe to all meetings as a calendar (iCalendar)"
    ),
    "Sitzungen als Kalender abonnieren (iCalendar)": (
        "Subscribe to the meetings as a calendar (iCalendar)"
    ),
    "Tagesordnung": "Agenda",
    "Atom-Feed der Sitzungen": "Atom feed of the meetings",
    "TOP": "Item",
    "Betreff": "Subject",
    "Niederschrift": "Minutes",
    "Uhrzeit": "Time",
    "Uhr": "",
    "Ort": "Place",
    "Status": "Status",
    "abgesagt": "cancelled",
    "geplant": "planned",
    "stattgefunden": "held",
    "Keine öffentliche Tagesordnung erfasst.": "No public agenda recorded.",
    "Sitzungen des Gremiums": "Meetings of the committee",
    "Vorige Sitzung": "Previous meeting",
    "Nächste Sitzung": "Next meeting",
    "Monate": "Months",
    "Voriger Monat": "Previous month",
    "Nächster Monat": "Next month",
    "Mo": "Mon",
    "Di": "Tue",
    "Mi": "Wed",
    "Do": "Thu",
    "Fr": "Fri",
    "Sa": "Sat",
    "So": "Sun",
    "Keine Sitzungen in diesem Monat.": "No meetings this month.",
    "Mitglieder": "Members",
    "Keine Mitglieder erfasst.": "No members recorded.",
    "Nächste Sitzungen": "Upcoming meetings",
    "Keine Sitzungen angekündigt.": "No meetings announced.",
    "Vergangene Sitzungen": "Past meetings",
    "Keine Sitzungen erfasst.": "No meetings recorded.",
    "Beratene Vorlagen": "Papers consulted",
    "Keine Vorlagen erfasst.": "No papers recorded.",
    "Alle {n} beratenen Vorlagen": Plural(
        "n", one="The {n} paper consulted", other="All {n} papers consulted"
    ),
    "{n} Tagesordnungspunkte": Plural("n", one="{n} agenda item", other="{n} agenda items"),
    # councils
    "Kommune": "Council",
    "Kommunen im Archiv": "Councils in the archive",
    "In {council} suchen": "Search {council}",
    "Neueste Anträge in {council}": "Newest motions of {council}",
    "Gremien mit Anträgen": "Committees with motions",
    "Über diese Kommune": "About this council",
    "Name": "Name",
    "Kurzname": "Short name",
    "Gebietskörperschaft": "Kind",
    "Bundesland": "State",
    "Website": "Website",
    "Herkunft der Dokumente": "Where the documents come from",
    "Nutzungsbedingungen": "Terms",
    "Alle {n} Anträge durchsuchen": Plural(
        "n", one="Search its {n} motion", other="Search all {n} motions"
    ),
    "Atom-Feed dieser Kommune": "Atom feed of this council",
    "Noch keine Anträge.": "No motions yet.",
    "Mehrere Kommunen haben „{slug}“": "Several councils have „{slug}“",
    "Mehrere Kommunen haben eine Vorlage mit dieser Nummer. Welche meinen Sie?": (
        "Several councils have a paper with this number. Which one do you mean?"
    ),
    "Meinten Sie": "Did you mean",
    "Sortierung": "Sort order",
    "Relevanz": "Relevance",
    "Neueste zuerst": "Newest first",
    "Älteste zuerst": "Oldest first",
    "Filter": "Filters",
    "Filter eingrenzen": "Narrow down",
    "Zu den Treffern": "Skip to the results",
    "Aktive Filter": "Active filters",
    "Filter entfernen: {label} {value}": "Remove filter: {label} {value}",
    "Alle Filter entfernen": "Remove all filters",
    "ausgewählt": "selected",
    "weitere {n} anzeigen": "show {n} more",
    "Keine Werte": "No values",
    "Keine Treffer": "No results",
    "Für „{query}“ wurde nichts gefunden.": "Nothing was found for „{query}“.",
    "Für diese Filter wurde nichts gefunden.": "Nothing was found for these filters.",
    "Versuchen Sie:": "Try:",
    "einen Filter zu entfernen:": "removing a filter:",
    "weniger oder allgemeinere Suchbegriffe,": "fewer or more general search terms,",
    "ein Sternchen für Wortanfänge (Quartier*),": "an asterisk for word beginnings (Quartier*),",
    "die Hinweise der Suchhilfe.": "the tips in the search help.",
    "Alle Anträge ansehen": "Browse all motions",
    "Seitennavigation": "Pagination",
    "Vorherige Seite": "Previous page",
    "Nächste Seite": "Next page",
    "Seite {page}": "Page {page}",
    "Atom-Feed dieser Suche": "Atom feed of this search",
    "Ergebnisse exportieren:": "Export results:",
    "CSV": "CSV",
    "JSON": "JSON",
    "Feed": "Feed",
    "Hinweis": "Note",
    # statistics
    "Statistik des Archivs": "Statistics of the archive",
    "Statistik: {name}": "Statistics: {name}",
    "Statistik dieser Kommune": "Statistics of this council",
    "Statistik aller Kommunen": "Statistics of all councils",
    "Statistik der Kommunen": "Statistics of the councils",
    "{n} Vorlagen": Plural("n", one="{n} paper", other="{n} papers"),
    "Gezählt werden die öffentlichen Vorlagen, ohne Tagesordnungspunkte und Niederschriften; "
    "berechnet beim letzten Aktualisieren des Index.": (
        "Counted are the public papers, without agenda items and minutes; computed when the "
        "index was last updated."
    ),
    "Noch keine Vorlagen.": "No papers yet.",
    "Inhalt": "Contents",
    "Vorlagen je Jahr nach Art": "Papers per year by type",
    "Ergebnisse nach Antragsteller": "Outcomes by sponsor",
    "Dauer bis zur Entscheidung": "Time to decision",
    "Gremien mit den meisten Beratungen": "Busiest committees",
    "Jede Vorlage zählt einmal: im Jahr ihres Datums, mit ihrer Art "
    "(wie die Filter „Jahr“ und „Art“).": (
        "Each paper counts once: in the year of its date, with its type "
        "(as the filters “Year” and “Type” count it)."
    ),
    "Jahr": "Year",
    "Zusammen": "Total",
    "Vorlagen": "Papers",
    "Beratungen": "Consultations",
    "ohne Angabe": "not given",
    "Weitere Arten": "Other types",
    "Alle Vorlagen": "All papers",
    "sonstige/offen": "other/open",
    "{n} Vorlagen ohne Datum sind nicht dargestellt.": Plural(
        "n",
        one="{n} paper without a date is not shown.",
        other="{n} papers without a date are not shown.",
    ),
    "Das Ergebnis einer Vorlage ist das ihrer letzten Beratung (wie der Filter „Ergebnis“); "
    "„sonstige/offen“ sind vertagte, zur Kenntnis genommene und Vorlagen ohne Ergebnis. Eine "
    "Vorlage mehrerer Antragsteller zählt bei jedem von ihnen. Die Balken zeigen Anteile.": (
        "A paper's outcome is the result of its latest consultation (as the filter “Result” "
        "has it); “other/open” are papers postponed, noted or without a result. A paper of "
        "several sponsors counts for each of them. The bars show shares."
    ),
    "Keine Antragsteller erfasst.": "No sponsors recorded.",
    "Die {n} Antragsteller mit den meisten Vorlagen; alle stehen in den Daten als JSON.": (
        "The {n} sponsors with the most papers; all of them are in the data as JSON."
    ),
    "{n} Vorlagen ohne Antragsteller.": Plural(
        "n", one="{n} paper without a sponsor.", other="{n} papers without a sponsor."
    ),
    "Tage vom Datum der ersten Beratung einer Vorlage bis zum Datum ihrer letzten Beratung, "
    "wenn deren Ergebnis eine Entscheidung ist (beschlossen, geändert beschlossen oder "
    "abgelehnt); angegeben ist der Median, nach dem Jahr der Vorlage und nach ihrer Art.": (
        "Days from the date of a paper's first consultation to the date of its latest "
        "consultation, when that one's result is a decision (adopted, adopted with changes "
        "or rejected); given is the median, by the year of the paper and by its type."
    ),
    "Median über alle entschiedenen Vorlagen: {days}": "Median over all decided papers: {days}",
    "{n} Tage": Plural("n", one="{n} day", other="{n} days"),
    "{n} von ihnen wurden am Tag ihrer ersten Beratung entschieden.": Plural(
        "n",
        one="{n} of them was decided on the day of its first consultation.",
        other="{n} of them were decided on the day of their first consultation.",
    ),
    "Median (Tage)": "Median (days)",
    "Entschiedene Vorlagen": "Decided papers",
    "Tage bis zur Entscheidung (Median) je Jahr": "Days to decision (median) per year",
    "Tage bis zur Entscheidung (Median) je Art": "Days to decision (median) per type",
    "Keine entschiedene Vorlage mit datierten Beratungen.": (
        "No decided paper with dated consultations."
    ),
    "{n} Vorlagen sind beraten, aber nicht (mit Datum) entschieden.": Plural(
        "n",
        one="{n} paper was consulted but not decided (with a date).",
        other="{n} papers were consulted but not decided (with a date).",
    ),
    "{n} Vorlagen haben keine öffentliche Beratung.": Plural(
        "n",
        one="{n} paper has no public consultation.",
        other="{n} papers have no public consultation.",
    ),
    "Beratungen: wie oft ein Gremium eine Vorlage beraten hat; Vorlagen: wie viele "
    "verschiedene Vorlagen es beraten hat (wie der Filter „Gremium“).": (
        "Consultations: how often a committee consulted a paper; papers: how many different "
        "papers it consulted (as the filter “Committee” counts them)."
    ),
    "Die {n} Gremien mit den meisten Beratungen; alle stehen in den Daten als JSON.": (
        "The {n} committees with the most consultations; all of them are in the data as JSON."
    ),
    "Säulendiagramm: {title}. Die Zahlen stehen in der Tabelle.": (
        "Column chart: {title}. The numbers are in the table."
    ),
    "Balkendiagramm: {title}. Die Zahlen stehen in der Tabelle.": (
        "Bar chart: {title}. The numbers are in the table."
    ),
    "Balkendiagramm der Anteile: {title}. Die Zahlen stehen in der Tabelle.": (
        "Bar chart of shares: {title}. The numbers are in the table."
    ),
    # hits and motion
    "Aktenzeichen": "Reference",
    "Art": "Type",
    "Datum": "Date",
    "Antragsteller": "Sponsors",
    "Federführend": "Lead office",
    "Beteiligt": "Involved",
    "Bearbeitung": "Clerk",
    "Gremien": "Committees",
    "Ergebnis": "Result",
    "Letztes Ergebnis": "Latest result",
    "Ja": "Yes",
    "Nein": "No",
    "Enthaltung": "Abstain",
    "Enthaltungen": "Abstentions",
    "nicht erfasst": "not recorded",
    "Stimmen nicht erfasst": "Votes not recorded",
    "Abstimmung: {yes} Ja, {no} Nein, {abstain} Enthaltungen": (
        "Vote: {yes} yes, {no} no, {abstain} abstentions"
    ),
    "Beratungsfolge": "Consultations",
    "Gremium": "Committee",
    "Sitzung": "Meeting",
    "Tagesordnungspunkt": "Agenda item",
    "TOP {item}": "Item {item}",
    "Keine Beratungen erfasst.": "No consultations recorded.",
    "Beschluss": "Resolution",
    "Fragestellungen": "Guiding questions",
    "Begründung": "Reasons",
    "Weitere Inhalte": "Further content",
    "Verknüpfte Vorlagen": "Linked papers",
    "Ursprungsvorlage": "Original paper",
    "Änderungs- und Ergänzungsanträge": "Amendments",
    "Bezüge": "References",
    "nicht im Archiv": "not in the archive",
    "Quelle": "Source",
    "Original ansehen": "View original",
    "abgerufen am {date}": "retrieved on {date}",
    "Ähnliche Anträge": "Similar motions",
    "Keine ähnlichen Anträge gefunden.": "No similar motions found.",
    "Metadaten": "Metadata",
    "Zurück zur Suche": "Back to search",
    "Notiz": "Note",
    # files
    "Dateien": "Files",
    "Gefunden in „{name}“, Seite {page}": "Found in “{name}”, page {page}",
    "Text der Datei": "text layer",
    "per Texterkennung (OCR) gelesen": "read by text recognition (OCR)",
    "Seiten {pages} per Texterkennung (OCR) gelesen": (
        "pages {pages} read by text recognition (OCR)"
    ),
    "kein Text": "no text",
    "nicht lesbar": "could not be read",
    "noch nicht gelesen": "not read yet",
    # help
    "So funktioniert die Suche": "How the search works",
    # errors
    "Ungültige Anfrage": "Bad request",
    "Die Suchanfrage enthält ungültige Angaben.": "The search request contains invalid values.",
    "Nicht gefunden": "Not found",
    "Diese Seite oder dieser Antrag ist nicht im Archiv.": (
        "This page or motion is not in the archive."
    ),
    "Methode nicht erlaubt": "Method not allowed",
    "Das Archiv kann nur gelesen werden.": "The archive is read-only.",
    "Archiv nicht verfügbar": "Archive unavailable",
    "Der Suchindex ist gerade nicht verfügbar. Bitte versuchen Sie es später erneut.": (
        "The search index is not available right now. Please try again later."
    ),
    "Interner Fehler": "Internal error",
    "Etwas ist schiefgegangen. Der Fehler wurde protokolliert.": (
        "Something went wrong. The error has been logged."
    ),
    "Zur Startseite": "Go to the home page",
    "Fehler {status}": "Error {status}",
    # normalised values (facets)
    "beschlossen": "adopted",
    "geändert beschlossen": "adopted with changes",
    "abgelehnt": "rejected",
    "vertagt/zurückgestellt": "postponed",
    "zur Kenntnis genommen": "noted",
    "zurückgezogen": "withdrawn",
    "offen": "open",
    "einstimmig": "unanimous",
    "knapp": "narrow",
    "mehrheitlich": "by majority",
}

PLURALS: dict[str, Plural] = {
    "{n} Seiten": Plural("n", one="{n} Seite", other="{n} Seiten"),
    "{n} Treffer": Plural("n", one="{n} Treffer", other="{n} Treffer"),
    "{n} Anträge im Archiv": Plural("n", one="{n} Antrag im Archiv", other="{n} Anträge im Archiv"),
    "{n} Anträge": Plural("n", one="{n} Antrag", other="{n} Anträge"),
    "Alle {n} Anträge durchsuchen": Plural(
        "n", one="Den {n} Antrag durchsuchen", other="Alle {n} Anträge durchsuchen"
    ),
    "Alle {n} beratenen Vorlagen": Plural(
        "n", one="Die {n} beratene Vorlage", other="Alle {n} beratenen Vorlagen"
    ),
    "{n} Tagesordnungspunkte": Plural(
        "n", one="{n} Tagesordnungspunkt", other="{n} Tagesordnungspunkte"
    ),
    "{n} Vorlagen": Plural("n", one="{n} Vorlage", other="{n} Vorlagen"),
    "Alle {n} Vorlagen durchsuchen": Plural(
        "n", one="Die {n} Vorlage durchsuchen", other="Alle {n} Vorlagen durchsuchen"
    ),
    "{n} Tage": Plural("n", one="{n} Tag", other="{n} Tage"),
    "{n} von ihnen wurden am Tag ihrer ersten Beratung entschieden.": Plural(
        "n",
        one="{n} von ihnen wurde am Tag ihrer ersten Beratung entschieden.",
        other="{n} von ihnen wurden am Tag ihrer ersten Beratung entschieden.",
    ),
    "{n} Vorlagen ohne Datum sind nicht dargestellt.": Plural(
        "n",
        one="{n} Vorlage ohne Datum ist nicht dargestellt.",
        other="{n} Vorlagen ohne Datum sind nicht dargestellt.",
    ),
    "{n} Vorlagen ohne Antragsteller.": Plural(
        "n", one="{n} Vorlage ohne Antragsteller.", other="{n} Vorlagen ohne Antragsteller."
    ),
    "{n} Vorlagen sind beraten, aber nicht (mit Datum) entschieden.": Plural(
        "n",
        one="{n} Vorlage ist beraten, aber nicht (mit Datum) entschieden.",
        other="{n} Vorlagen sind beraten, aber nicht (mit Datum) entschieden.",
    ),
    "{n} Vorlagen haben keine öffentliche Beratung.": Plural(
        "n",
        one="{n} Vorlage hat keine öffentliche Beratung.",
        other="{n} Vorlagen haben keine öffentliche Beratung.",
    ),
}
"""German texts worded by a number (``EN`` has their English ``Plural``)."""


def lang() -> Language:
    """The language of the current request."""
    return g.get("lang", DEFAULT)


def t(text: str, **values: Any) -> str:
    """``text`` in the current language, with ``{name}`` placeholders filled.

    A text worded by a number (``EN`` or ``PLURALS`` has a ``Plural``) takes the wording
    of its count, which is then written like ``format_number``; other values are filled
    as given."""
    current = lang()
    wording: Text = EN.get(text, text) if current == "en" else PLURALS.get(text, text)
    return fill(wording, current, **values)


def value_label(value: str) -> str:
    """A normalised data value (result class, vote class) in the current language."""
    label = EN.get(value) if lang() == "en" else None
    return label if isinstance(label, str) else value


def format_date(value: str) -> str:
    """``2024-05-07`` → ``07.05.2024`` (German) or ``7 May 2024`` (English)."""
    return language.format_date(value, lang())


def format_number(value: int) -> str:
    """``1234`` → ``1.234`` (German) or ``1,234`` (English)."""
    return language.format_number(value, lang())


def lang_url(code: str) -> str:
    """The current page in another language (``?lang=``, remembered in a cookie)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode([*args, ('lang', code)])}"


def _select_language() -> None:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        g.lang = asked
    elif request.cookies.get(COOKIE) in LANGUAGES:
        g.lang = request.cookies[COOKIE]
    else:
        g.lang = request.accept_languages.best_match(LANGUAGES, default=DEFAULT)


def _remember_language(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    response.vary.update(("Accept-Language", "Cookie"))
    response.headers.setdefault("Content-Language", lang())
    return response


def init_app(app: Flask) -> None:
    app.before_request(_select_language)
    app.after_request(_remember_language)
    app.jinja_env.globals.update(_=t, lang=lang, lang_url=lang_url, value_label=value_label)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["number"] = format_number
