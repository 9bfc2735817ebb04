from django.apps import AppConfig
from django.urls import register_converter


class PostsConfig(AppConfig):
    name = "posts"

    def ready(self):
        from posts.text import TagConverter

        # Before any URLconf is read: posts' and feeds' tag URLs use `<tag:name>`.
        register_converter(TagConverter, "tag")
