"""A council's statistics in Debian's Chromium: reached from the council page, a chart that
is one named image, and its table holding the numbers of the JSON twin."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

TITLE = "Vorlagen je Jahr nach Art"


def test_a_council_statistics_chart_and_its_table(page, site):
    page.goto(site + "luebeck/")
    page.get_by_role("link", name="Statistik dieser Kommune").click()
    page.wait_for_url(re.compile(r"/luebeck/statistics$"))

    chart = page.get_by_role("img", name=re.compile(f"^Säulendiagramm: {TITLE}"))
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100

    table = page.get_by_role("table", name=TITLE)
    headers = table.get_by_role("columnheader").all_inner_texts()
    assert headers[0] == "Jahr" and headers[-1] == "Zusammen"
    shown = {}
    for row in table.locator("tbody tr").all():
        year = row.get_by_role("rowheader").inner_text().strip()
        cells = [int(c.replace(".", "")) for c in row.get_by_role("cell").all_inner_texts()]
        shown[year] = dict(zip(headers[1:], cells, strict=True))

    twin = page.request.get(site.rstrip("/") + "/api/luebeck/statistics").json()
    labels = {t["type"]: t["label"] for t in twin["types"]}
    expected = {
        y["year"]: {
            **{labels[kind]: y["types"].get(kind, 0) for kind in labels},
            "Zusammen": y["papers"],
        }
        for y in twin["papers_by_year"]["years"]
    }
    assert shown == expected
    bars = page.locator("#papers-by-year svg.chart rect")
    assert bars.count() == sum(
        1 for y in expected.values() for k, n in y.items() if n and k != "Zusammen"
    )
    assert page.problems == []
