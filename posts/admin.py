from django.contrib import admin

from posts.models import Collection, Comment, Note, NoteImage


class NoteImageInline(admin.TabularInline):
    model = NoteImage
    extra = 0
    fields = ("position", "display", "width", "height", "alt_text")
    readonly_fields = ("display", "width", "height")


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "author", "status", "is_hidden", "like_count", "created_at")
    list_filter = ("status", "is_hidden")
    search_fields = ("title", "author__username")
    raw_id_fields = ("author", "products")
    readonly_fields = ("like_count", "save_count", "comment_count", "view_count", "share_count", "reshare_count")
    inlines = [NoteImageInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "note", "author", "parent", "is_removed", "created_at")
    list_filter = ("is_removed",)
    raw_id_fields = ("note", "author", "parent")


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "owner", "is_private", "is_default", "notes_count")
    raw_id_fields = ("owner",)
