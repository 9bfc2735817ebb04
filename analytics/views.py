"""Dashboard pages: the brand's at /shop/manage/analytics/, the creator's at /me/analytics/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import selectors
from analytics.charts import daily_chart
from analytics.export import daily_csv
from redbook.exceptions import Invalid

PRESETS = (7, 30, 90)
BRAND_CHARTS = (
    ("product_views", gettext_lazy("Product views"), False),
    ("note_clicks", gettext_lazy("Clicks from notes"), False),
    ("orders", gettext_lazy("Orders"), False),
    ("revenue", gettext_lazy("Revenue"), True),
)
CREATOR_CHARTS = (
    ("views", gettext_lazy("Views"), False),
    ("likes", gettext_lazy("Likes"), False),
    ("product_clicks", gettext_lazy("Product clicks"), False),
    ("orders", gettext_lazy("Attributed orders"), False),
)
FUNNEL_LABELS = {
    "note_clicks": gettext_lazy("Clicks from notes"),
    "product_views": gettext_lazy("Product views"),
    "add_to_cart": gettext_lazy("Added to cart"),
    "orders": gettext_lazy("Orders"),
}


def _period(request) -> selectors.Period:
    """The range asked for; a bad one is said and the default shown (never an error page)."""
    try:
        return selectors.period_from(request.GET)
    except Invalid as exc:
        messages.error(request, exc.message)
        return selectors.period_from({})


def _range_context(request, period: selectors.Period) -> dict:
    today = timezone.localdate()
    presets = []
    for days in PRESETS:
        start = today - timezone.timedelta(days=days - 1)
        presets.append(
            {"days": days, "from": start, "to": today, "active": (period.start, period.end) == (start, today)}
        )
    return {"period": period, "presets": presets, "today": today}


def _brand_only(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_brand:
            raise PermissionDenied(_("Brand analytics are for brand accounts."))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@_brand_only
def brand_dashboard(request):
    period = _period(request)
    data = selectors.brand_dashboard(brand=request.user, period=period)
    charts = [daily_chart(data["daily"], metric=m, label=label, is_money=money) for m, label, money in BRAND_CHARTS]
    widest = max(step["count"] for step in data["funnel"])
    funnel = [
        {**step, "label": FUNNEL_LABELS[step["step"]], "width": round(100 * step["count"] / widest, 1) if widest else 0}
        for step in data["funnel"]
    ]
    context = {
        "data": data,
        "charts": charts,
        "funnel": funnel,
        "funnel_has_data": bool(widest),
        **_range_context(request, period),
    }
    return render(request, "analytics/brand.html", context)


@_brand_only
def brand_export(request):
    return daily_csv(selectors.brand_dashboard(brand=request.user, period=_period(request)))


@login_required
def creator_dashboard(request):
    period = _period(request)
    data = selectors.creator_dashboard(creator=request.user, period=period)
    charts = [daily_chart(data["daily"], metric=m, label=label, is_money=money) for m, label, money in CREATOR_CHARTS]
    context = {"data": data, "charts": charts, **_range_context(request, period)}
    return render(request, "analytics/creator.html", context)
