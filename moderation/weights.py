"""How much one report counts, judged by who files it.

A ring of fresh accounts must not be able to take anything down, so a report weighs
what its reporter has earned: the account's age, its activity, and how often its past
reports were upheld rather than dismissed by a moderator. An established reporter
(a month old, a few notes, no report history) weighs 1.0; a brand-new account with
nothing posted about 0.03; a reporter whose reports keep being upheld up to 1.75.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from moderation.models import ModerationCase, Report

FULL_WEIGHT_AGE = timedelta(days=30)  # an account this old has its full say
MIN_AGE_FACTOR = 0.05
ACTIVE_NOTES = 5  # notes that make an account "active"


def is_new_account(user: User) -> bool:
    return timezone.now() - user.date_joined < timedelta(days=settings.MODERATION_NEW_ACCOUNT_DAYS)


def _age_factor(user: User) -> float:
    age = timezone.now() - user.date_joined
    return min(1.0, max(age / FULL_WEIGHT_AGE, MIN_AGE_FACTOR))


def _activity_factor(user: User) -> float:
    return 0.5 + 0.5 * min(1.0, user.notes_count / ACTIVE_NOTES)


def _accuracy_factor(user: User) -> float:
    """0.25 (every past report dismissed) to 1.75 (every one upheld); 1.0 with no history.

    The share of upheld reports with one imagined upheld and one dismissed report added,
    so that a single outcome does not swing it to an extreme.
    """
    outcomes = dict(
        Report.objects.filter(
            reporter=user, case__status__in=[ModerationCase.Status.ACTIONED, ModerationCase.Status.DISMISSED]
        )
        .values_list("case__status")
        .annotate(n=Count("id"))
    )
    upheld = outcomes.get(ModerationCase.Status.ACTIONED, 0)
    dismissed = outcomes.get(ModerationCase.Status.DISMISSED, 0)
    accuracy = (upheld + 1) / (upheld + dismissed + 2)
    return 0.25 + 1.5 * accuracy


def reporter_weight(user: User) -> float:
    return round(_age_factor(user) * _activity_factor(user) * _accuracy_factor(user), 3)
