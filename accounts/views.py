"""Account pages: thin views over the same services and selectors as the API."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import profile_tabs, selectors, services
from accounts.forms import LoginForm, PasswordChangeForm, ProfileForm, SignupForm, add_service_errors
from accounts.profile_tabs import ProfileTab
from redbook.exceptions import ServiceError
from redbook.throttling import LoginThrottle

USERS_PAGE_SIZE = 30


def _next_url(request, default: str) -> str:
    """The `next` parameter when it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _render_form(request, template: str, context: dict, *, status: int | None = None):
    """Render a form page; a form with errors answers 400 unless told otherwise."""
    form = context["form"]
    return render(request, template, context, status=status or (400 if form.errors else 200))


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(**form.cleaned_data)
        except (ValidationError, ServiceError) as exc:
            add_service_errors(form, exc, field="username")
        else:
            login(request, user, backend="accounts.authentication.AccountBackend")
            messages.success(request, _("Welcome to RedBook! Tell people a little about you."))
            return redirect(_next_url(request, "accounts:profile-edit"))
    return _render_form(request, "accounts/signup.html", {"form": form})


def login_view(request):
    form = LoginForm(request.POST or None)
    context = {"form": form, "next": _next_url(request, "")}
    if request.method != "POST" or not form.is_valid():
        return _render_form(request, "accounts/login.html", context)
    try:
        user = services.user_login(request=request, **form.cleaned_data)
    except ServiceError as exc:
        add_service_errors(form, exc)
        return _render_form(request, "accounts/login.html", context, status=exc.status_code)
    LoginThrottle.reset(request)
    login(request, user)
    return redirect(_next_url(request, "/"))


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")


@login_required
def profile_edit(request):
    user = request.user
    initial = {
        "display_name": user.display_name,
        "bio": user.bio,
        "location": user.location,
        "likes_public": user.likes_public,
    }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {**form.cleaned_data}
        if not fields["avatar"]:
            del fields["avatar"]
        try:
            services.profile_update(user=user, **fields)
        except (ValidationError, ServiceError) as exc:
            user.refresh_from_db()  # drop the half-applied changes from the page's user
            add_service_errors(form, exc, field="avatar")
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile", username=user.username)
    context = {"form": form, "blocked_users": selectors.blocked_users(viewer=user)}
    return _render_form(request, "accounts/profile_edit.html", context)


@login_required
def password_change(request):
    """Change your password: signed out everywhere else (sessions, API tokens), not here."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your password has been changed. Other devices have been signed out."))
            return redirect("accounts:profile-edit")
    return _render_form(request, "accounts/password_change.html", {"form": form})


TAB_ALIASES = {"collections": "boards"}  # the tab's name in links made before boards


def _profile_tab(requested: str, tabs: list[ProfileTab]) -> ProfileTab:
    """The tab asked for; the first tab for an unknown name."""
    wanted = TAB_ALIASES.get(requested, requested)
    return next((tab for tab in tabs if tab.slug == wanted), tabs[0])


def profile(request, username):
    viewer = request.user
    user = selectors.user_get_visible(username=username, viewer=viewer)
    is_me = viewer.is_authenticated and viewer.pk == user.pk
    tabs = profile_tabs.visible_tabs(is_me=is_me)
    tab = _profile_tab(request.GET.get("tab", ""), tabs)
    context = {
        "profile": user,
        "is_me": is_me,
        "followed_ids": selectors.followed_ids(viewer=viewer, user_ids=[user.pk]),
        "tabs": [(each.slug, each.label) for each in tabs],
        "tab": tab.slug,
        "tab_template": f"accounts/_profile_tab_{tab.slug}.html",
        "items": tab.fill(profile=user, viewer=viewer),
    }
    return render(request, "accounts/profile.html", context)


def _user_list(request, username, *, edges_selector, side: str, title: str):
    user = selectors.user_get_visible(username=username, viewer=request.user)
    edges, next_before = selectors.edges_page(
        edges_selector(user=user, viewer=request.user), before=request.GET.get("before"), size=USERS_PAGE_SIZE
    )
    users = [getattr(edge, side) for edge in edges]
    context = {
        "profile": user,
        "users": users,
        "title": title,
        "next_before": next_before,
        "followed_ids": selectors.followed_ids(viewer=request.user, user_ids=[u.pk for u in users]),
    }
    return render(request, "accounts/user_list.html", context)


def followers(request, username):
    return _user_list(request, username, edges_selector=selectors.follower_edges, side="follower", title=_("Followers"))


def following(request, username):
    return _user_list(
        request, username, edges_selector=selectors.following_edges, side="followee", title=_("Following")
    )


@require_POST
@login_required
def follow_toggle(request, username):
    """Form fallback of the follow button (scripts use the API instead)."""
    target = selectors.user_get_active(username=username)
    try:
        if request.POST.get("action") == "unfollow":
            services.follow_delete(follower=request.user, followee=target)
        else:
            services.follow_create(follower=request.user, followee=target)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(_next_url(request, reverse("accounts:profile", args=[target.username])))


@require_POST
@login_required
def block_toggle(request, username):
    target = selectors.user_get_active(username=username)
    try:
        if request.POST.get("action") == "unblock":
            services.block_delete(blocker=request.user, blocked=target)
            messages.success(request, _("You unblocked %(name)s.") % {"name": target.name})
            return redirect(_next_url(request, "accounts:profile-edit"))
        services.block_create(blocker=request.user, blocked=target)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_next_url(request, "/"))
    messages.success(request, _("You blocked %(name)s. You will no longer see each other.") % {"name": target.name})
    return redirect("/")
