from django.urls import path

from partners import api, views

app_name = "partners"

urlpatterns = [
    path("embed/widget.js", views.widget_js, name="widget-js"),
    path("embed/products/<str:gtin>/", views.embed_product, name="embed-product"),
    path("embed/go/notes/<int:note_id>/", views.go_note, name="go-note"),
    path("embed/go/products/<int:product_id>/", views.go_product, name="go-product"),
    path("oembed", views.oembed, name="oembed"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("partner/products/<str:gtin>/notes/", api.PartnerProductNotesView.as_view(), name="api-partner-notes"),
]
