"""Account writes: registration, login, profile, follow, block, moderation."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import signals
from accounts.authentication import BACKEND, check_credentials
from accounts.models import ApiToken, Block, Follow, User, forget_hidden_user_ids, password_stamp
from redbook.exceptions import Conflict, Forbidden, Invalid, NotFound
from redbook.images import load_image, make_rendition

AVATAR_SIZE = 400  # px, longest side; shown at most at 96 css px (x2 for retina, x2 margin)


def _ensure_can_write(user: User) -> None:
    if not user.is_active or user.is_suspended:
        raise Forbidden(_("This account is suspended."), code="suspended")


# --- Registration and login ----------------------------------------------------------


def _validate_new_user(user: User, password: str) -> None:
    """Field rules (lengths, username characters, email, account type) and password strength.

    Uniqueness is left to the caller: a taken name is a 409, not a field error.
    """
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)


def user_register(
    *,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    account_type: str = User.AccountType.PERSONAL,
) -> User:
    """Create an account. Raises ValidationError (field errors) or Conflict (name taken)."""
    user = User(
        username=User.normalize_username(username.strip()),
        email=User.objects.normalize_email(email.strip()),
        display_name=display_name.strip(),
        account_type=account_type,
    )
    _validate_new_user(user, password)
    taken = _("That username is taken.")
    # Case-insensitive: "Alice" and "alice" would be indistinguishable on a profile.
    if User.objects.filter(username__iexact=user.username).exists():
        raise Conflict(taken, code="username_taken")
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # lost a race for the same name
        raise Conflict(taken, code="username_taken") from exc
    return user


def user_login(*, request, username: str, password: str) -> User:
    """Check credentials (callers apply the login rate limits of redbook.throttling).

    Raises Forbidden for a suspended account (only once the password is right, so
    suspension does not reveal which names exist), else Invalid. Every outcome costs
    one password hash (`check_credentials`): the time taken reveals nothing either.
    """
    user = check_credentials(username=username, password=password)
    if user is None or not user.is_active:
        raise Invalid(_("Wrong username or password."), code="invalid_credentials")
    if user.is_suspended:
        raise Forbidden(_("This account is suspended."), code="suspended")
    user.backend = BACKEND  # what `authenticate()` would have set, for `login()`
    return user


def password_change(*, user: User, current_password: str, new_password: str, request=None) -> None:
    """Change the password: every API token and every other session of the account ends.

    Other sessions end because Django checks each session against the password hash;
    `request`'s own session, when it is this account's, is kept signed in.
    """
    if not user.check_password(current_password):
        raise ValidationError({"current_password": [_("Your current password is not right.")]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        tokens_revoke(user=user)
    if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)


# --- API tokens ----------------------------------------------------------------------

MAX_TOKENS_PER_USER = 20  # a login beyond this ends the oldest token


def token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for a login; returns it and its key (stored only as a digest)."""
    key = ApiToken.generate_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            digest=ApiToken.digest_of(key),
            prefix=key[:8],
            name=name.replace("\x00", "")[:200],
            password_stamp=password_stamp(user),
            last_used_at=timezone.now(),  # logging in is a use
        )
        # Tokens of an older password are dead already; drop them, and the oldest beyond the cap.
        ApiToken.objects.filter(user=user).exclude(password_stamp=token.password_stamp).delete()
        keep = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")[:MAX_TOKENS_PER_USER]
        ApiToken.objects.filter(user=user).exclude(pk__in=keep.values("pk")).delete()
    return token, key


def token_delete(*, user: User, token_id: int) -> None:
    """Revoke one of your own tokens; another account's is NotFound, like one that never was."""
    deleted, _by_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound(_("No such token."), code="not_found")


def tokens_revoke(*, user: User) -> None:
    """Revoke every API token of the account."""
    ApiToken.objects.filter(user=user).delete()


# --- Profile -------------------------------------------------------------------------


def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    location: str | None = None,
    avatar=None,
    likes_public: bool | None = None,
) -> User:
    """Change the given profile fields; `avatar` is an uploaded file, re-encoded here."""
    _ensure_can_write(user)
    changed = []
    for field, value in (("display_name", display_name), ("bio", bio), ("location", location)):
        if value is not None:
            setattr(user, field, value.strip())
            changed.append(field)
    if likes_public is not None:
        user.likes_public = likes_public
        changed.append("likes_public")
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in changed])
    old_avatar = user.avatar.name if user.avatar else ""
    if avatar is not None:
        rendition = make_rendition(load_image(avatar, max_side=AVATAR_SIZE), max_size=AVATAR_SIZE, fmt="JPEG")
        # A fresh server-chosen name per upload: caches never serve the previous face.
        user.avatar.save(rendition.filename, rendition.content, save=False)
        changed.append("avatar")
    with transaction.atomic():
        user.save(update_fields=changed)
        if avatar is not None and old_avatar:
            transaction.on_commit(lambda: user.avatar.storage.delete(old_avatar))
        if user.is_brand and "display_name" in changed:  # products are found by brand name
            signals.user_changed.send(sender=User, user_id=user.pk)
    return user


# --- Follow and block ------------------------------------------------------------------


def _lock_pair(a: User, b: User) -> None:
    """Lock both users' rows in primary-key order.

    Follow and block on one pair are then serialized (a block cannot slip between a
    follow's check and its insert) and opposite follows (A->B, B->A) cannot deadlock.
    Call inside a transaction.
    """
    list(User.objects.select_for_update().filter(pk__in=[a.pk, b.pk]).order_by("pk").values_list("pk"))


def _counts_add(*, follower_id: int, followee_id: int, delta: int) -> None:
    User.objects.filter(pk=follower_id).update(following_count=Greatest(F("following_count") + delta, 0))
    User.objects.filter(pk=followee_id).update(followers_count=Greatest(F("followers_count") + delta, 0))


def _unfollow_locked(*, follower: User, followee: User) -> bool:
    deleted, _by_model = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        _counts_add(follower_id=follower.pk, followee_id=followee.pk, delta=-1)
    return bool(deleted)


def follow_create(*, follower: User, followee: User) -> tuple[Follow, bool]:
    """`follower` follows `followee`; idempotent. Returns (follow, created)."""
    _ensure_can_write(follower)
    if follower.pk == followee.pk:
        raise Invalid(_("You cannot follow yourself."), code="self_follow")
    with transaction.atomic():
        _lock_pair(follower, followee)
        if Block.objects.between(follower, followee):
            raise Forbidden(_("You cannot follow this account."), code="blocked")
        try:
            with transaction.atomic():  # savepoint: a duplicate leaves the outer transaction usable
                follow = Follow.objects.create(follower=follower, followee=followee)
        except IntegrityError:
            return Follow.objects.get(follower=follower, followee=followee), False
        _counts_add(follower_id=follower.pk, followee_id=followee.pk, delta=1)
        signals.followed.send(sender=Follow, follower_id=follower.pk, followee_id=followee.pk)
    return follow, True


def follow_delete(*, follower: User, followee: User) -> bool:
    """Stop following; idempotent. Returns whether a follow was removed."""
    _ensure_can_write(follower)
    with transaction.atomic():
        _lock_pair(follower, followee)
        return _unfollow_locked(follower=follower, followee=followee)


def block_create(*, blocker: User, blocked: User) -> tuple[Block, bool]:
    """Block an account (idempotent): follows both ways are removed, counts fixed."""
    _ensure_can_write(blocker)
    if blocker.pk == blocked.pk:
        raise Invalid(_("You cannot block yourself."), code="self_block")
    with transaction.atomic():
        _lock_pair(blocker, blocked)
        block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
        _unfollow_locked(follower=blocker, followee=blocked)
        _unfollow_locked(follower=blocked, followee=blocker)
    forget_hidden_user_ids(blocker, blocked)
    return block, created


def block_delete(*, blocker: User, blocked: User) -> bool:
    _ensure_can_write(blocker)
    deleted, _by_model = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    forget_hidden_user_ids(blocker, blocked)
    return bool(deleted)


# --- Staff moderation (admin actions) --------------------------------------------------


def user_verify(*, user: User) -> bool:
    """Grant the verified badge to a brand account; personal accounts are left as they are."""
    if not user.is_brand:
        return False
    return bool(User.objects.filter(pk=user.pk, is_verified=False).update(is_verified=True))


def user_suspend(*, user: User, reason: str = "") -> None:
    """Suspend: no login, no writes, content hidden; open tokens are revoked now.

    Sessions end by themselves: the auth backend refuses suspended users on every request.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_suspended=True, suspended_reason=reason[:300])
        tokens_revoke(user=user)
        signals.user_changed.send(sender=User, user_id=user.pk)  # their notes and products leave search


def user_unsuspend(*, user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_suspended=False, suspended_reason="")
        signals.user_changed.send(sender=User, user_id=user.pk)
