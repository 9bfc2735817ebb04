from django.apps import AppConfig
from django.urls import register_converter


class PostsConfig(AppConfig):
    name = "posts"

    def ready(self):
        # Imported here, once the app registry is ready (these modules use models).
        from accounts import profile_tabs
        from posts.profile_tabs import TABS
        from posts.text import TagConverter

        # Before any URLconf is read: posts' and feeds' tag URLs use `<tag:name>`.
        register_converter(TagConverter, "tag")
        for tab in TABS:  # the profile page shows posts' lists (accounts is below posts)
            profile_tabs.register(tab)
