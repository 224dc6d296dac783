"""Corpus text for the browser: Markdown rendered, then sanitised; only web links link.

A corpus file may contain raw HTML (archivists paste things); after
``markdown_html`` none of it can run: ``nh3`` keeps a short list of harmless
tags, drops every attribute but ``href``/``title`` and every URL scheme but
http(s) and mailto.

>>> str(markdown_html("**ja** <script>alert(1)</script>"))
'<p><strong>ja</strong> </p>'
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import markdown
import nh3
from markupsafe import Markup

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "a", "abbr",
    "sub", "sup", "del", "dl", "dt", "dd",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def markdown_html(text: str, *, min_heading: int = 2) -> Markup:
    """Sanitised HTML of a Markdown text; headings start at ``min_heading`` (h1 never)."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    html = _HEADING.sub(lambda m: f"<{m[1]}h{max(int(m[2]), min_heading)}", html)
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )
    return Markup(clean)


def web_url(url: str) -> str | None:
    """``url`` if it is an absolute http(s) address (safe as a link), else ``None``."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return parts.geturl()
    return None
