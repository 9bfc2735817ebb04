"""Read-mostly views of the search index's figures: tag counts and what people search."""

from django.contrib import admin

from search.models import QueryCount, TagStat


@admin.register(TagStat)
class TagStatAdmin(admin.ModelAdmin):
    list_display = ("name", "notes_count")
    search_fields = ("name",)
    ordering = ("-notes_count",)
    readonly_fields = ("name", "notes_count")


@admin.register(QueryCount)
class QueryCountAdmin(admin.ModelAdmin):
    list_display = ("query", "day", "count")
    list_filter = ("day",)
    search_fields = ("query",)
    ordering = ("-day", "-count")
    readonly_fields = ("day", "query", "count")
    date_hierarchy = "day"
