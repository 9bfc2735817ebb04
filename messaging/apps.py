from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messages"

    def ready(self):
        # Lower apps announce what this app reacts to; they never import it.
        from messaging import receivers

        receivers.connect()
