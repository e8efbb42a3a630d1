"""Due dates from a plan's time expressions, and document dates from file names (issue 18, part 4)."""

from __future__ import annotations

from datetime import date

import pytest

from quotecheck.duedates import date_in_name, due_date

SUNDAY = date(2016, 10, 23)


@pytest.mark.parametrize(
    "times, expected",
    [
        (["in March"], "2017-03-31"),  # the next March: a plan looks ahead
        (["in November"], "2016-11-30"),
        (["in October"], "2016-10-31"),  # the month it was stated in
        (["by the end of 2017"], "2017-12-31"),
        (["March 2017"], "2017-03-31"),
        (["by May 1"], "2017-05-01"),
        (["on 4 April"], "2017-04-04"),
        (["on Dec. 2"], "2016-12-02"),
        (["2016-12-01"], "2016-12-01"),
        (["within 30 days"], "2016-11-22"),
        (["in the next two years"], "2018-10-23"),
        (["within a year"], "2017-10-23"),
        (["next week"], "2016-10-30"),
        (["next month"], "2016-11-30"),
        (["later this year"], "2016-12-31"),
        (["next year"], "2017-12-31"),
        (["on Tuesday"], "2016-10-25"),
        (["Sunday"], "2016-10-23"),  # a Sunday paper's "Sunday" is that day
        (["on March 17-18"], "2017-03-18"),
        (["tomorrow"], "2016-10-24"),
        (["this summer"], "2017-08-31"),
        (["in March", "by the end of 2017"], "2017-12-31"),  # the latest: never overdue on the earlier of two
        (["soon"], None),
        (["after the election"], None),
        (["in the coming weeks"], None),
        (["may"], None),  # a modal verb, not the month
        (["in 2015"], None),  # before it was stated: not a due date
    ],
)
def test_duedates_due_date(times, expected):
    found = due_date(times, SUNDAY)
    assert (found[0].isoformat() if found else None) == expected


def test_duedates_without_a_stated_date_only_absolute_dates():
    assert due_date(["in March"], None) is None and due_date(["next week"], None) is None
    assert due_date(["by March 2017"], None) == (date(2017, 3, 31), "by March 2017")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("polnear-train/text/nyt_2016-10-23_trump-says-he-will.txt", "2016-10-23"),
        ("breitbart_2015-11-11_the-ninth-circle.txt", "2015-11-11"),
        ("20240105-report.txt", "2024-01-05"),
        ("report_2016-02-30.txt", None),  # no such day
        ("plan.txt", None),
        (None, None),
    ],
)
def test_duedates_date_in_name(name, expected):
    assert date_in_name(name) == expected
