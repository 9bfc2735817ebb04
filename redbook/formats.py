"""How pages write money and times: one format per language, used by every page.

`money` and `when` are also template builtins (redbook/template_filters.py), so every
template writes `{{ order.total|money:order.currency }}` and `{{ note.created_at|when }}`
without loading anything. The JSON API keeps decimal strings and ISO 8601 times.
"""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext, pgettext

CENT = Decimal("0.01")
SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "JPY": "¥", "GBP": "£"}
RELATIVE_DAYS = 7  # "6 days ago" is still relative; a week and older is a date


def money(value, currency: str = "CNY") -> str:
    """129 -> "¥129.00" (grouped: "¥1,299.00"); an unknown currency is written before the
    amount ("KRW 100.00"); nothing for an empty or unreadable value."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value).quantize(CENT, ROUND_HALF_UP)  # infinity, 1e99: InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if amount.is_nan():
        return ""
    # English and Chinese both write 1,299.50: one format, not the locale's number settings.
    text = f"{amount:,}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{currency} {text}"


def when(value, now: datetime | None = None) -> str:
    """A moment as people say it: "just now", "3 minutes ago", "5 hours ago", "yesterday",
    "4 days ago", then a short date ("Mar 5"; "Mar 5, 2025" when not this year), in the
    active language. A `date` (a day, no time) starts at "today"."""
    if value in (None, ""):
        return ""
    now = timezone.localtime(now or timezone.now())
    if isinstance(value, datetime):
        moment = timezone.localtime(value if timezone.is_aware(value) else timezone.make_aware(value))
        recent = _recent(now - moment)
        if recent:
            return recent
        day = moment.date()
    else:
        day = value
    days = (now.date() - day).days
    if days == 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    if 1 < days < RELATIVE_DAYS:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    return short_date(day, this_year=now.year)


def short_date(day: date, *, this_year: int) -> str:
    """ "Mar 5" / "3月5日", with the year when it is not this year ("Mar 5, 2025" / "2025年3月5日")."""
    if day.year == this_year:
        fmt = pgettext("short date (django date format)", "M j")
    else:
        fmt = pgettext("short date with year (django date format)", "M j, Y")
    return dateformat.format(day, fmt)


def _recent(age: timedelta) -> str:
    """Less than a day ago in minutes or hours; "" when older. A moment in the future (clocks
    disagree by a little) is "just now"."""
    seconds = age.total_seconds()
    if seconds < 60:
        return gettext("just now")
    if seconds < 3600:
        minutes = int(seconds // 60)
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    if seconds < 86400:
        hours = int(seconds // 3600)
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    return ""
