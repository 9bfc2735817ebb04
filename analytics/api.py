"""Analytics JSON API (shared/API.md "Analytics"): thin views over attribution and selectors."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors
from analytics.attribution import note_click_record
from analytics.export import daily_csv
from redbook.exceptions import Forbidden

RANGE = [OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)]


class ProductClickView(APIView):
    """A product link in a note was followed: remembered 7 days for attribution."""

    permission_classes = (permissions.AllowAny,)

    @extend_schema(
        request={"application/json": {"type": "object", "properties": {"note_id": {"type": "integer"}}}},
        responses={204: None},
    )
    def post(self, request, product_id):
        note_id = request.data.get("note_id", request.query_params.get("note_id"))
        note_click_record(request=request, product_id=product_id, note_id=note_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def brand_of(user):
    """The signed-in brand; anyone else may not read brand analytics (403)."""
    if not user.is_brand:
        raise Forbidden(_("Brand analytics are for brand accounts."), code="not_a_brand")
    return user


class BrandAnalyticsView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(parameters=RANGE, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        period = selectors.period_from(request.query_params)
        return Response(selectors.brand_dashboard(brand=brand_of(request.user), period=period))


class BrandAnalyticsExportView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(parameters=RANGE, responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request):
        period = selectors.period_from(request.query_params)
        return daily_csv(selectors.brand_dashboard(brand=brand_of(request.user), period=period))


class CreatorAnalyticsView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(parameters=RANGE, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        period = selectors.period_from(request.query_params)
        return Response(selectors.creator_dashboard(creator=request.user, period=period))
