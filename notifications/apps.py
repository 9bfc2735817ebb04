from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Imported here, once the app registry is ready (the receivers use models).
        from accounts.signals import followed
        from notifications import receivers

        followed.connect(receivers.tell_followee, dispatch_uid="notifications.followed")
