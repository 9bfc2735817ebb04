import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from redbook.prepared import Arg, PreparedQuery


class UserQuerySet(models.QuerySet):
    def active(self):
        """Accounts whose content may be shown: not suspended, not deactivated."""
        return self.filter(is_active=True, is_suspended=False)

    def visible_to(self, viewer):
        """Active accounts, minus those that blocked the viewer or that the viewer blocked."""
        qs = self.active()
        if viewer is not None and viewer.is_authenticated:
            qs = qs.filter(unblocked("pk", viewer.pk))
        return qs


class RedBookUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    class AccountType(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        BRAND = "brand", _("Brand")

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    bio = models.CharField(_("bio"), max_length=300, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    account_type = models.CharField(
        _("account type"), max_length=10, choices=AccountType.choices, default=AccountType.PERSONAL
    )
    is_verified = models.BooleanField(_("verified"), default=False, help_text=_("Granted by staff."))
    is_suspended = models.BooleanField(_("suspended"), default=False, db_index=True)
    suspended_reason = models.CharField(_("suspension reason"), max_length=300, blank=True)
    # Explore personalization can be switched off by the user (Explore then shows trending).
    personalization_enabled = models.BooleanField(_("personalized recommendations"), default=True)
    # Like Xiaohongshu's "show my likes": off unless the user turns it on (profile settings).
    likes_public = models.BooleanField(_("show my likes on my profile"), default=False)
    last_active_at = models.DateTimeField(_("last active"), null=True, blank=True, db_index=True)

    # Denormalized counters, kept right by the services that change them (F-expressions).
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    notes_count = models.PositiveIntegerField(default=0)

    objects = RedBookUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        indexes = [models.Index(fields=["account_type", "is_verified"])]
        constraints = [
            # "Alice" and "alice" would look the same on a profile: one of them only.
            # Upper() matches the SQL of `username__iexact`, so this index serves it too.
            models.UniqueConstraint(
                Upper("username"),
                name="user_username_ci_unique",
                violation_error_message=_("That username is taken."),
            ),
        ]

    @property
    def is_brand(self) -> bool:
        return self.account_type == self.AccountType.BRAND

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def __str__(self):
        return self.username


class Follow(models.Model):
    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following_edges")
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follower_edges")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique_pair"),
            models.CheckConstraint(condition=~Q(follower=models.F("followee")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followee", "-created_at"])]

    def __str__(self):
        return f"{self.follower_id} -> {self.followee_id}"


HIDDEN_IDS_ATTR = "_hidden_user_ids"


def forget_hidden_user_ids(*users) -> None:
    for user in users:
        user.__dict__.pop(HIDDEN_IDS_ATTR, None)


class BlockQuerySet(models.QuerySet):
    def hidden_user_ids(self, viewer) -> frozenset[int]:
        """Ids of users the viewer must not see: those they blocked and those blocking them.

        One query, remembered on the viewer instance: a page asks several selectors
        (profile, notes, comments) and the request's user object lives for one request.
        `block_create` / `block_delete` forget it on both users they touch.
        """
        cached = viewer.__dict__.get(HIDDEN_IDS_ATTR)
        if cached is None:
            pairs = _BLOCK_PAIRS.rows(user=viewer.pk)
            cached = frozenset(blocked if blocker == viewer.pk else blocker for blocker, blocked in pairs)
            viewer.__dict__[HIDDEN_IDS_ATTR] = cached
        return cached

    def involving(self, viewer, user_ref):
        """Blocks between `viewer` and the user `user_ref` points at (an OuterRef), either way."""
        return self.filter(Q(blocker=viewer, blocked=user_ref) | Q(blocker=user_ref, blocked=viewer))

    def between(self, a, b) -> bool:
        return self.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


_BLOCK_PAIRS = PreparedQuery(  # every block `user` made or received, as (blocker, blocked)
    lambda: Block.objects.filter(Q(blocker_id=Arg("user")) | Q(blocked_id=Arg("user"))).values_list(
        "blocker_id", "blocked_id"
    )
)


class Block(models.Model):
    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="block_not_self"),
        ]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"


def unblocked(field: str, viewer_id) -> Q:
    """A filter: the user id in `field` is not someone `viewer_id` blocked or who blocked
    them. Two SQL subqueries (each a hashed set Postgres builds once per statement), so a
    list's own query checks blocks without a query ahead of it. `viewer_id` a value, an
    `Arg` or None (an anonymous viewer: nothing is hidden)."""
    made = Block.objects.filter(blocker_id=viewer_id).values("blocked_id")
    received = Block.objects.filter(blocked_id=viewer_id).values("blocker_id")
    return ~Q(**{f"{field}__in": made}) & ~Q(**{f"{field}__in": received})


def password_stamp(user: User) -> str:
    """A fingerprint of the account's password hash: it changes whenever the password does."""
    return salted_hmac("accounts.ApiToken.password_stamp", user.password, algorithm="sha256").hexdigest()


class ApiToken(models.Model):
    """An API key (`Authorization: Token <key>`): one per login, so one per device or app.

    Only the key's SHA-256 is stored (the key is shown once, at login). A token is bound
    to the password it was issued under, as Django binds sessions: any password change,
    by any path (the pages, the API, a reset, the admin, `changepassword`), ends it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # the key's first characters, to tell tokens apart
    name = models.CharField(max_length=200, blank=True)  # the client that logged in (its user agent)
    password_stamp = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.prefix}… ({self.user_id})"

    @staticmethod
    def generate_key() -> str:
        return secrets.token_hex(20)  # 40 hex characters, as DRF's tokens were

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def matches_password(self) -> bool:
        return constant_time_compare(self.password_stamp, password_stamp(self.user))
