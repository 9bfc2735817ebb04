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


def _moderates(request) -> bool:
    """Moderators (moderation's `moderate_content`) keep queries out of trending too."""
    return request.user.is_active and request.user.is_staff and request.user.has_perm("moderation.moderate_content")


class ModeratorsAdmin(admin.ModelAdmin):
    """Open to moderators as well as to those holding this model's own permissions."""

    def has_module_permission(self, request):
        return _moderates(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _moderates(request) or super().has_view_permission(request, obj)


@admin.register(QueryCount)
class QueryCountAdmin(ModeratorsAdmin):
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
class BannedQueryAdmin(ModeratorsAdmin):
    list_display = ("query", "created_at", "created_by")
    search_fields = ("query",)
    readonly_fields = ("created_at", "created_by")

    def has_add_permission(self, request):
        return _moderates(request) or super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return _moderates(request) or super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)
