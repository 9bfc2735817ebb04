from django.urls import path

from posts import api, views
from redbook.throttling import CommentThrottle, PostThrottle, rate_limit

app_name = "posts"

# Browser pages.
urlpatterns = [
    path("notes/new/", rate_limit(PostThrottle)(views.note_new), name="note-new"),
    path("notes/<int:note_id>/", views.note_detail, name="note-detail"),
    path("notes/<int:note_id>/edit/", views.note_edit, name="note-edit"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="note-delete"),
    path("notes/<int:note_id>/comment/", rate_limit(CommentThrottle)(views.note_comment), name="note-comment"),
    path("tags/<tag:name>/", views.tag_page, name="tag"),
    path("places/<int:place_id>/", views.place_page, name="place"),
    path("collections/new/", views.collection_new, name="collection-new"),
    path("collections/<int:collection_id>/", views.collection_page, name="collection"),
    path("collections/<int:collection_id>/edit/", views.collection_edit, name="collection-edit"),
    path("collections/<int:collection_id>/delete/", views.collection_delete, name="collection-delete"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("notes/", api.NoteCreateView.as_view(), name="api-note-create"),
    path("notes/<int:note_id>/", api.NoteDetailView.as_view(), name="api-note-detail"),
    path("notes/<int:note_id>/like/", api.NoteLikeView.as_view(), name="api-note-like"),
    path("notes/<int:note_id>/save/", api.NoteSaveView.as_view(), name="api-note-save"),
    path("notes/<int:note_id>/view/", api.NoteViewView.as_view(), name="api-note-view"),
    path("notes/<int:note_id>/reshare/", api.NoteReshareView.as_view(), name="api-note-reshare"),
    path("notes/<int:note_id>/share/", api.NoteShareView.as_view(), name="api-note-share"),
    path("notes/<int:note_id>/comments/", api.NoteCommentsView.as_view(), name="api-note-comments"),
    path("places/<int:place_id>/", api.PlaceView.as_view(), name="api-place"),
    path("places/<int:place_id>/notes/", api.PlaceNotesView.as_view(), name="api-place-notes"),
    path("comments/<int:comment_id>/", api.CommentDetailView.as_view(), name="api-comment-detail"),
    path("comments/<int:comment_id>/like/", api.CommentLikeView.as_view(), name="api-comment-like"),
    path("collections/", api.CollectionsView.as_view(), name="api-collections"),
    path("collections/<int:collection_id>/", api.CollectionDetailView.as_view(), name="api-collection-detail"),
    path("collections/<int:collection_id>/notes/", api.CollectionNotesView.as_view(), name="api-collection-notes"),
    path("tags/<tag:name>/notes/", api.TagNotesView.as_view(), name="api-tag-notes"),
    path("users/<str:username>/notes/", api.UserNotesView.as_view(), name="api-user-notes"),
    path("me/drafts/", api.MyDraftsView.as_view(), name="api-my-drafts"),
    path("users/<str:username>/likes/", api.UserLikesView.as_view(), name="api-user-likes"),
]
