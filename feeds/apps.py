from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "feeds"

    def ready(self):
        # Imported here, once the app registry is ready (the receivers use models).
        from accounts.signals import followed
        from feeds import receivers
        from posts.signals import taste_changed

        followed.connect(receivers.refresh_explore_of_follower, dispatch_uid="feeds.followed")
        taste_changed.connect(receivers.refresh_explore, dispatch_uid="feeds.taste_changed")
