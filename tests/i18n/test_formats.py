"""One money format and one date format per language (redbook/formats.py), used by the pages."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from redbook.formats import money, when

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 15, 14, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (Decimal("107.9"), "CNY", "¥107.90"),
        ("129", "CNY", "¥129.00"),
        (Decimal("1299.5"), "CNY", "¥1,299.50"),
        (Decimal("0.01"), "USD", "$0.01"),
        (Decimal("100"), "KRW", "KRW 100.00"),
        (None, "CNY", ""),
        ("not a number", "CNY", ""),
        ("NaN", "CNY", ""),
        ("1e99", "CNY", ""),
    ],
)
def test_money_is_one_format_in_both_languages(value, currency, expected):
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert money(value, currency) == expected


@pytest.mark.parametrize(
    ("age", "english", "chinese"),
    [
        (timedelta(seconds=20), "just now", "刚刚"),
        (timedelta(seconds=-30), "just now", "刚刚"),
        (timedelta(minutes=1), "1 minute ago", "1分钟前"),
        (timedelta(minutes=3), "3 minutes ago", "3分钟前"),
        (timedelta(hours=1, minutes=5), "1 hour ago", "1小时前"),
        (timedelta(hours=23), "23 hours ago", "23小时前"),
        (timedelta(days=1, hours=2), "yesterday", "昨天"),
        (timedelta(days=4), "4 days ago", "4天前"),
        (timedelta(days=102), "Mar 5", "3月5日"),
        (timedelta(days=467), "Mar 5, 2025", "2025年3月5日"),
    ],
)
def test_when_is_relative_then_a_short_date(age, english, chinese):
    moment = NOW - age
    with translation.override("en"):
        assert when(moment, now=NOW) == english
    with translation.override("zh-hans"):
        assert when(moment, now=NOW) == chinese


def test_when_reads_times_in_the_site_time_zone():
    """00:30 in Shanghai is still the previous day in UTC: the calendar is the local one."""
    late_yesterday_utc = datetime(2026, 6, 14, 16, 0, tzinfo=ZoneInfo("UTC"))  # 00:00 on the 15th in Shanghai
    two_days_later = datetime(2026, 6, 16, 23, 0, tzinfo=SHANGHAI)
    with translation.override("en"):
        assert when(late_yesterday_utc, now=two_days_later) == "yesterday"


def test_when_of_a_day_starts_at_today():
    with translation.override("zh-hans"):
        assert when(date(2026, 6, 15), now=NOW) == "今天"
        assert when(date(2026, 6, 14), now=NOW) == "昨天"
        assert when(date(2026, 5, 1), now=NOW) == "5月1日"
    with translation.override("en"):
        assert when(date(2025, 12, 31), now=NOW) == "Dec 31, 2025"
    assert when(None) == ""


def test_money_and_when_are_template_builtins():
    """Every template has them without a {% load %}: one filter each, everywhere."""
    template = Template("{{ price|money:'CNY' }} {{ moment|when }}")
    with translation.override("zh-hans"):
        rendered = template.render(Context({"price": Decimal("107.9"), "moment": datetime.now(SHANGHAI)}))
    assert rendered == "¥107.90 刚刚"
