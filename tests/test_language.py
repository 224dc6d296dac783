"""Numbers, dates and plurals as readers of German and English expect them (Babel, CLDR)."""

from __future__ import annotations

import pytest

from archive.language import Plural, fill, format_date, format_number

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


@pytest.mark.parametrize("month", range(1, 13))
def test_dates_are_numeric_in_german_and_spelt_out_in_english(month: int) -> None:
    value = f"2024-{month:02d}-07"
    assert format_date(value, "de") == f"07.{month:02d}.2024"
    assert format_date(value, "en") == f"7 {MONTHS[month - 1]} 2024"


def test_a_timestamp_is_shown_as_its_day_and_other_text_is_left_alone() -> None:
    assert format_date("2024-05-07T10:00:00Z", "de") == "07.05.2024"
    assert format_date("Mai 2024", "en") == "Mai 2024"
    assert format_date("", "de") == ""


def test_numbers_are_grouped_the_language_s_way() -> None:
    assert (format_number(12546, "de"), format_number(12546, "en")) == ("12.546", "12,546")
    assert (format_number(999, "de"), format_number(2.5, "de")) == ("999", "2,5")


def test_a_plural_takes_the_wording_of_its_count() -> None:
    motions = Plural("n", one="{n} motion in {place}", other="{n} motions in {place}")
    assert fill(motions, "en", n=1, place="Lübeck") == "1 motion in Lübeck"
    assert fill(motions, "en", n=0, place="Lübeck") == "0 motions in Lübeck"
    assert fill(motions, "en", n=1200, place="Lübeck") == "1,200 motions in Lübeck"
