from django.urls import path

from messaging import api, views

app_name = "messaging"

# Browser pages.
urlpatterns = [
    path("messages/", views.inbox_page, name="inbox"),
    path("messages/start/", views.start, name="start"),
    path("messages/<int:conversation_id>/", views.chat_page, name="chat"),
    path("messages/<int:conversation_id>/send/", views.send, name="send"),
    path("messages/<int:conversation_id>/accept/", views.accept, name="accept"),
    path("messages/<int:conversation_id>/delete/", views.delete, name="delete"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("conversations/", api.ConversationListView.as_view(), name="api-conversations"),
    path("conversations/<int:conversation_id>/", api.ConversationDetailView.as_view(), name="api-conversation"),
    path(
        "conversations/<int:conversation_id>/messages/", api.MessageListView.as_view(), name="api-conversation-messages"
    ),
    path("conversations/<int:conversation_id>/read/", api.ConversationReadView.as_view(), name="api-conversation-read"),
    path(
        "conversations/<int:conversation_id>/accept/",
        api.ConversationAcceptView.as_view(),
        name="api-conversation-accept",
    ),
    path("messages/unread-count/", api.UnreadCountView.as_view(), name="api-unread-count"),
    path("realtime/ticket/", api.TicketView.as_view(), name="api-realtime-ticket"),
]
