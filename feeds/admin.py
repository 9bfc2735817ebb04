from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from feeds.models import Channel, MutedKeyword, NotInterested, TopicFollow


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Explore tabs: staff group tags into channels and order them."""

    list_display = ["name", "slug", "position", "is_active", "tag_list"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["tags"]
    search_fields = ["name", "slug", "tags__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description=_("tags"))
    def tag_list(self, channel) -> str:
        return ", ".join(tag.name for tag in channel.tags.all())


@admin.register(TopicFollow)
class TopicFollowAdmin(admin.ModelAdmin):
    list_display = ["user", "tag", "created_at"]
    list_select_related = ["user", "tag"]
    search_fields = ["user__username", "tag__name"]
    raw_id_fields = ["user", "tag"]


@admin.register(MutedKeyword)
class MutedKeywordAdmin(admin.ModelAdmin):
    list_display = ["user", "keyword", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "keyword"]
    raw_id_fields = ["user"]


@admin.register(NotInterested)
class NotInterestedAdmin(admin.ModelAdmin):
    list_display = ["user", "note", "created_at"]
    list_select_related = ["user", "note"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "note"]
