"""The figures page's table in a real headless chromium (issue 9, point 2.5): each column heading
sits above its column, in kk, ru and en, and the page fits a phone 390 px wide."""

import itertools

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tamyr.orgs.models import Node
from tests.e2e.test_membership_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The table's geometry, read in the page: the heading row's cells and every body row whose cells
# are one per column (the group rows span the whole table).
GEOMETRY = """() => {
    const table = document.querySelector("table.figures");
    const box = (cell) => {
        const r = cell.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: cell.innerText};
    };
    const headings = Array.from(table.tHead.rows[0].cells).map(box);
    const rows = Array.from(table.tBodies[0].rows)
        .filter((row) => row.cells.length === headings.length)
        .map((row) => Array.from(row.cells).map(box));
    return {headings, rows};
}"""


def assert_headings_sit_above_their_columns(page) -> None:
    geometry = page.evaluate(GEOMETRY)
    headings, rows = geometry["headings"], geometry["rows"]
    assert len(headings) >= 4 and len(rows) >= 10
    # One row of headings, side by side.
    assert len({round(h["top"]) for h in headings}) == 1
    assert all(a["right"] <= b["left"] + 0.5 for a, b in itertools.pairwise(headings))
    for row in rows:
        for column, (heading, cell) in enumerate(zip(headings, row, strict=True)):
            where = f"column {column} ({heading['text']!r}), row {row[0]['text']!r}"
            assert abs(heading["left"] - cell["left"]) < 1, where
            assert abs(heading["right"] - cell["right"]) < 1, where
            assert heading["bottom"] <= cell["top"] + 0.5, where


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_each_heading_sits_above_its_column_and_the_page_fits_a_phone(
    page, live_server, committed_cast, language
):
    base = live_server.url
    log_in(page, base, "regional_secretary", language)
    figures = f"{base}{reverse('appeals:statistics')}"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(figures)
    expect(page.get_by_test_id("figures")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == language
    assert_headings_sit_above_their_columns(page)

    page.set_viewport_size({"width": 390, "height": 844})
    for query in ("", "?node={}&years=5&start=2026-01-01&end=2026-11-30"):
        page.goto(figures + query.format(Node.objects.get(code="R1").pk))
        expect(page.get_by_test_id("figures")).to_be_visible()
        assert_headings_sit_above_their_columns(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
