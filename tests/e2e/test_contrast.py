"""Text colour contrast (WCAG 2.1 AA, 1.4.3) in Debian's Chromium against the real site.

Every visible element that directly holds text is measured as rendered: its computed
``color`` against the background it sits on (the nearest ancestors' ``background-color``
layers composed over a white canvas, with ``opacity`` applied to the text). Normal text
needs 4.5:1, large text (>= 24px, or >= 18.66px bold) 3:1. Placeholders and the values of
form fields count as text too. Hidden text (``display:none``, ``visibility:hidden``,
zero size, closed ``<details>``) and visually-hidden helpers (1px, clipped, or moved off the
page like the unfocused skip link) are skipped. Outlines and ``<mark>`` backgrounds are not
judged themselves; only the text on them is. Background images are not considered (the
stylesheet uses none).

Each page is checked at rest, with the keyboard focus on a link (a few Tabs into the page),
and at every focus stop (Tab through the whole page; the focused element's own text is
measured, since focused links change colours). At rest, the collapsed ``<details>`` (more
facet values) are also opened and measured.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The pages to check: name -> path below the site root, or the first link matching a
# selector on the search page (the first hit's motion; the search narrowed by a facet).
PAGES = {
    "search": "?q=Quartier",
    "motion": ".hit-title a",
    "filtered": ".facet-value",
    "start": "",
    "council": "hamburg-altona/",
    "statistics": "luebeck/statistics",
    "choice": "motions/22-2368",
    "no-results": "?q=zzzqqqxx",
    "not-found": "motions/does-not-exist",
}

# Walks the elements below ``scope`` (the document, or the focused element) and returns
# ``{checked, failures}``; each failure has path, text, fg, bg, ratio and required.
CONTRAST_JS = r"""
(scope) => {
  const root = scope === "focus" ? document.activeElement : document.documentElement;
  const parse = (value) => {
    const m = /^rgba?\(([^)]*)\)$/.exec(value.trim());
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = (c) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) =>
    "#" + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const WHITE = { r: 255, g: 255, b: 255, a: 1 };

  const chain = (el) => {
    const out = [];
    for (let a = el; a && a.nodeType === 1; a = a.parentElement) out.push(a);
    return out;
  };
  // The background the text is painted on: background layers from the canvas inwards.
  const background = (el) => {
    const layers = [];
    for (const a of chain(el)) {
      const bg = parse(getComputedStyle(a).backgroundColor);
      if (bg === null) return null;
      if (bg.a > 0) layers.push(bg);
      if (bg.a >= 1) break;
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), WHITE);
  };
  const opacity = (el) =>
    chain(el).reduce((o, a) => o * parseFloat(getComputedStyle(a).opacity), 1);
  const hidden = (el) => {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return true;
    if (el.getClientRects().length === 0) return true;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) return true;  // zero size, 1px helpers
    if (rect.right + scrollX <= 0 || rect.bottom + scrollY <= 0) return true;  // off the page
    return chain(el).some((a) => {
      const s = getComputedStyle(a);
      return (s.clip !== "auto" && s.position === "absolute") || s.clipPath === "inset(50%)";
    });
  };
  const cssPath = (el) => {
    const parts = [];
    for (let a = el; a && a !== document.body && parts.length < 4; a = a.parentElement) {
      let part = a.localName;
      if (a.id) part += "#" + a.id;
      else if (a.classList.length) part += "." + [...a.classList].join(".");
      parts.unshift(part);
      if (a.id) break;
    }
    return parts.join(" > ");
  };

  const candidates = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  for (let el = root; el; el = walker.nextNode()) {
    if (el.closest("head, script, style, noscript, template")) continue;
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (["hidden", "checkbox", "radio", "range", "color", "image"].includes(el.type)) continue;
      if (el.value.trim()) candidates.push([el, el.value, getComputedStyle(el).color]);
      else if (el.placeholder.trim())
        candidates.push([el, el.placeholder, getComputedStyle(el, "::placeholder").color]);
      continue;
    }
    const text = [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent)
      .join("")
      .replace(/\s+/g, " ")
      .trim();
    if (text) candidates.push([el, text, getComputedStyle(el).color]);
  }

  const failures = [];
  let checked = 0;
  for (const [el, text, color] of candidates) {
    if (hidden(el)) continue;
    checked += 1;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
    const required = large ? 3 : 4.5;
    const fg = parse(color);
    const bg = background(el);
    if (fg === null || bg === null) {
      failures.push({ path: cssPath(el), text: text.slice(0, 40), fg: color,
                      bg: "?", ratio: 0, required, large });
      continue;
    }
    const seen = over({ ...fg, a: fg.a * opacity(el) }, bg);
    const r = ratio(seen, bg);
    if (r < required) {
      failures.push({ path: cssPath(el), text: text.slice(0, 40), fg: hex(seen),
                      bg: hex(bg), ratio: Math.round(r * 100) / 100, required, large });
    }
  }
  return { checked, failures };
}
"""


def open_page(page, site: str, name: str, lang: str) -> str:
    """Open ``PAGES[name]`` and check it is the page meant; returns its path."""
    path = PAGES[name]
    if path.startswith("."):
        page.goto(site + PAGES["search"])
        path = page.locator(path).first.get_attribute("href").lstrip("/")
    if lang != "de":
        path += ("&" if "?" in path else "?") + f"lang={lang}"
    response = page.goto(site + path)
    assert page.evaluate("document.documentElement.lang") == lang
    if name == "not-found":
        assert response.status == 404
    elif name == "choice":
        assert response.status == 300  # Multiple Choices: two councils have the slug
    else:
        assert response.ok, f"{path}: HTTP {response.status}"
    if name == "search":
        assert page.locator(".hit").count() > 0
        assert page.locator(".facet").count() > 0
        assert page.locator(".hit mark").count() > 0
    elif name == "filtered":
        assert page.locator(".chip .chip-facet").count() > 0
    elif name == "motion":
        assert page.locator(".motion h1").count() == 1
    elif name == "no-results":
        assert page.locator(".empty").count() == 1
    return "/" + path


def measure(page, scope: str = "page") -> dict:
    return page.evaluate(CONTRAST_JS, scope)


def focus_a_link(page) -> str:
    """Tab into the page until a link other than the skip link has the keyboard focus."""
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(
            "document.activeElement.localName === 'a'"
            " && !document.activeElement.classList.contains('skip-link')"
        ):
            return page.evaluate("document.activeElement.textContent.trim()")
    raise AssertionError("no link took the keyboard focus within 10 Tabs")


def every_focus_stop(page) -> tuple[int, list[dict]]:
    """Tab through the whole page; measure the focused element's text at each stop."""
    page.evaluate("window.__stops = new WeakSet()")
    stops, failures = 0, []
    for _ in range(500):
        page.keyboard.press("Tab")
        new = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body || window.__stops.has(el)) return false;
                window.__stops.add(el);
                return true;
            }"""
        )
        if not new:
            break
        stops += 1
        result = measure(page, "focus")
        failures += [{**f, "path": f["path"] + ":focus"} for f in result["failures"]]
    return stops, failures


def report(where: str, failures: list[dict]) -> str:
    """One line per distinct failure; repeats of the same element and colours are counted."""
    groups: dict[tuple, list[dict]] = {}
    for f in failures:
        groups.setdefault((f["path"], f["fg"], f["bg"], f["ratio"], f["required"]), []).append(f)
    lines = [f"{len(failures)} text element(s) below WCAG AA contrast on {where}:"]
    for (path, fg, bg, ratio, required), group in groups.items():
        size = "large" if group[0]["large"] else "normal"
        more = f" (and {len(group) - 1} more like it)" if len(group) > 1 else ""
        lines.append(
            f"  {path}  {group[0]['text']!r}  {fg} on {bg}"
            f"  {ratio}:1 < {required}:1 ({size} text){more}"
        )
    return "\n".join(lines)


CASES = [(name, "de") for name in PAGES] + [("search", "en")]


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_text_contrast_at_rest(page, site, name, lang):
    path = open_page(page, site, name, lang)
    result = measure(page)
    assert result["checked"] > 5, f"{path}: hardly any text measured ({result['checked']})"
    assert result["failures"] == [], report(path, result["failures"])

    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    result = measure(page)
    assert result["failures"] == [], report(f"{path} (<details> open)", result["failures"])


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_text_contrast_with_keyboard_focus(page, site, name, lang):
    path = open_page(page, site, name, lang)
    link = focus_a_link(page)
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    result = measure(page)
    assert result["failures"] == [], report(f"{path} (focus on link {link!r})", result["failures"])

    open_page(page, site, name, lang)
    stops, failures = every_focus_stop(page)
    assert stops >= 3, f"{path}: only {stops} focus stops"
    assert failures == [], report(f"{path} (at each of {stops} focus stops)", failures)
