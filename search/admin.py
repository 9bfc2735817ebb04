"""Read-mostly views of the search index's figures, and the queries staff keep out of
trending and suggestions (BannedQuery)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from search.models import BannedQuery, QueryCount, TagStat
from search.querylog import queries_ban


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
    actions = ["ban"]

    @admin.action(description=_("Remove from trending and suggestions (ban)"))
    def ban(self, request, queryset):
        banned = queries_ban(queries=queryset.values_list("query", flat=True), moderator=request.user)
        message = ngettext("%(n)d query banned.", "%(n)d queries banned.", banned) % {"n": banned}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(BannedQuery)
class BannedQueryAdmin(admin.ModelAdmin):
    list_display = ("query", "created_at", "created_by")
    search_fields = ("query",)
    readonly_fields = ("created_at", "created_by")

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)
