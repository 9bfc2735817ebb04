from django.contrib.admin.apps import AdminConfig


class RedBookAdminConfig(AdminConfig):
    """django.contrib.admin with RedBook's site (rate-limited login, second factor for staff)."""

    default_site = "accounts.admin_site.RedBookAdminSite"
