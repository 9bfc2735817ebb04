from django.urls import path

from analytics import api, views

app_name = "analytics"

urlpatterns = [
    path("shop/manage/analytics/", views.brand_dashboard, name="brand"),
    path("shop/manage/analytics/export.csv", views.brand_export, name="brand-export"),
    path("me/analytics/", views.creator_dashboard, name="creator"),
]

api_urlpatterns = [
    path("products/<str:product_id>/click/", api.ProductClickView.as_view(), name="api-product-click"),
    path("brand/analytics/", api.BrandAnalyticsView.as_view(), name="api-brand-analytics"),
    path("brand/analytics/export.csv", api.BrandAnalyticsExportView.as_view(), name="api-brand-analytics-export"),
    path("me/analytics/", api.CreatorAnalyticsView.as_view(), name="api-creator-analytics"),
]
