"""Account writes: registration, login, profile, follow, block, moderation."""

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from accounts.models import Block, Follow, User, forget_hidden_user_ids
from feeds.services import explore_refresh_request
from outbox.services import enqueue_on_commit
from posts.tasks import notify_follow
from redbook.exceptions import Conflict, Forbidden, Invalid
from redbook.images import load_image, make_rendition
from search import services as search_services

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
    suspension does not reveal which names exist), else Invalid.
    """
    user = authenticate(request, username=username, password=password)
    if user is not None:
        return user
    suspended = User.objects.filter(username=username, is_suspended=True).first()
    if suspended is not None and suspended.check_password(password):
        raise Forbidden(_("This account is suspended."), code="suspended")
    raise Invalid(_("Wrong username or password."), code="invalid_credentials")


def token_obtain(*, user: User) -> Token:
    token, _created = Token.objects.get_or_create(user=user)
    return token


def token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


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
        rendition = make_rendition(load_image(avatar), max_size=AVATAR_SIZE, fmt="JPEG")
        # A fresh server-chosen name per upload: caches never serve the previous face.
        user.avatar.save(rendition.content.name, rendition.content, save=False)
        changed.append("avatar")
    with transaction.atomic():
        user.save(update_fields=changed)
        if avatar is not None and old_avatar:
            transaction.on_commit(lambda: user.avatar.storage.delete(old_avatar))
        if user.is_brand and "display_name" in changed:  # products are found by brand name
            search_services.user_index_soon(user_id=user.pk)
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
        explore_refresh_request(user_id=follower.pk)  # after commit, debounced
        enqueue_on_commit(notify_follow, follower_id=follower.pk, followee_id=followee.pk)
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
        token_revoke(user=user)
        search_services.user_index_soon(user_id=user.pk)  # their notes and products leave search


def user_unsuspend(*, user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_suspended=False, suspended_reason="")
        search_services.user_index_soon(user_id=user.pk)
