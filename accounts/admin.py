from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import ApiToken, Block, Follow, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "display_name",
        "account_type",
        "is_verified",
        "is_suspended",
        "followers_count",
        "following_count",
        "notes_count",
        "is_staff",
        "date_joined",
    )
    list_filter = ("account_type", "is_verified", "is_suspended", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "email", "display_name")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    list_per_page = 50
    # The counters are kept by services; editing them by hand would only make them wrong.
    readonly_fields = (
        "followers_count",
        "following_count",
        "notes_count",
        "last_login",
        "date_joined",
        "last_active_at",
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("display_name", "email", "bio", "avatar", "location")}),
        (_("Account"), {"fields": ("account_type", "is_verified", "is_suspended", "suspended_reason")}),
        (_("Counts"), {"fields": ("followers_count", "following_count", "notes_count")}),
        (
            _("Permissions"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "classes": ("collapse",),
            },
        ),
        (_("Dates"), {"fields": ("last_login", "last_active_at", "date_joined")}),
    )
    actions = ("verify_brands", "suspend_users", "unsuspend_users")

    @admin.action(description=_("Verify selected brand accounts"))
    def verify_brands(self, request, queryset):
        verified = sum(services.user_verify(user=user) for user in queryset)
        skipped = queryset.exclude(account_type=User.AccountType.BRAND).count()
        self.message_user(
            request,
            ngettext("%(count)d brand verified.", "%(count)d brands verified.", verified) % {"count": verified},
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d personal account skipped: only brands are verified.",
                    "%(count)d personal accounts skipped: only brands are verified.",
                    skipped,
                )
                % {"count": skipped},
                level=messages.WARNING,
            )

    @admin.action(description=_("Suspend selected accounts"))
    def suspend_users(self, request, queryset):
        targets = [user for user in queryset if user.pk != request.user.pk]  # never lock yourself out
        for user in targets:
            services.user_suspend(user=user, reason=_("Suspended by %(staff)s") % {"staff": request.user.username})
        self.message_user(
            request,
            ngettext("%(count)d account suspended.", "%(count)d accounts suspended.", len(targets))
            % {"count": len(targets)},
        )

    @admin.action(description=_("Unsuspend selected accounts"))
    def unsuspend_users(self, request, queryset):
        users = list(queryset)
        for user in users:
            services.user_unsuspend(user=user)
        self.message_user(
            request,
            ngettext("%(count)d account unsuspended.", "%(count)d accounts unsuspended.", len(users))
            % {"count": len(users)},
        )


class EdgeAdmin(admin.ModelAdmin):
    """Look, do not touch: follows and blocks change only through the services (counts)."""

    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Follow)
class FollowAdmin(EdgeAdmin):
    list_display = ("follower", "followee", "created_at")
    list_select_related = ("follower", "followee")
    search_fields = ("follower__username", "followee__username")


@admin.register(Block)
class BlockAdmin(EdgeAdmin):
    list_display = ("blocker", "blocked", "created_at")
    list_select_related = ("blocker", "blocked")
    search_fields = ("blocker__username", "blocked__username")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see an account's API tokens (never a key) and can revoke them; nobody adds one here."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "name", "prefix")
    date_hierarchy = "created_at"
    fields = ("user", "prefix", "name", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
