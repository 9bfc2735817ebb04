"""The brand's daily figures as CSV (one row per day, the columns of API.md's `daily`)."""

import csv

from django.http import HttpResponse

from analytics.selectors import BRAND_FIELDS


def daily_csv(dashboard: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="redbook-analytics-{dashboard["from"]}-{dashboard["to"]}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["date", *BRAND_FIELDS, "currency"])
    for row in dashboard["daily"]:
        writer.writerow([row["date"], *(row[name] for name in BRAND_FIELDS), dashboard["currency"]])
    return response
