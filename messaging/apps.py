from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        # Lower apps announce what this app reacts to; they never import it.
        from messaging import receivers

        receivers.connect()
