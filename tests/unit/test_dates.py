"""parse_date: the one reader of dates given as date, datetime, ISO text or nothing."""

from datetime import date, datetime

import pytest

from graphsvc.dates import age_on, parse_date
from graphsvc.errors import InputError


@pytest.mark.parametrize("value, expected", [
    (date(2025, 4, 30), date(2025, 4, 30)),
    (datetime(2025, 4, 30, 23, 59), date(2025, 4, 30)),
    ("2025-04-30", date(2025, 4, 30)),
    ("  2025-04-30 ", date(2025, 4, 30)),
    (None, None),
    ("", None),
    ("   ", None),
])
def test_parse_date_reads_dates_and_nothing(value, expected):
    assert parse_date(value, "due date") == expected


@pytest.mark.parametrize("value", ["30/04/2025", "2025-02-30", "next week"])
def test_parse_date_names_the_field_and_the_bad_value(value):
    with pytest.raises(InputError) as caught:
        parse_date(value, "meeting date")
    message = str(caught.value)
    assert message.startswith("The meeting date ")
    assert repr(value) in message and "not a date" in message and "YYYY-MM-DD" in message


def test_parse_date_keeps_long_bad_input_out_of_the_message():
    with pytest.raises(InputError) as caught:
        parse_date("x" * 500, "due date")
    assert "x" * 21 not in str(caught.value)


def test_parse_date_rejects_values_that_are_not_text_or_dates():
    with pytest.raises(InputError, match="due date must be a date"):
        parse_date(20250430, "due date")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, "", "  "])
def test_parse_date_says_a_required_date_is_missing(value):
    with pytest.raises(InputError, match="The as-of date is missing"):
        parse_date(value, "as-of date", required=True)


def test_an_age_turns_on_the_birthday_and_is_unknown_without_a_date_of_birth():
    assert age_on(date(2010, 6, 30), date(2028, 6, 29)) == 17
    assert age_on(date(2010, 6, 30), date(2028, 6, 30)) == 18
    assert age_on(None, date(2028, 6, 30)) is None
