from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Trust and safety")

    def ready(self):
        # Imported here, once the app registry is ready (the receivers use models).
        from moderation import receivers
        from posts.signals import content_held, text_submitted

        text_submitted.connect(receivers.screen_text, dispatch_uid="moderation.text_submitted")
        content_held.connect(receivers.hold, dispatch_uid="moderation.content_held")
