"""Daily limits on messages and new conversations, stricter for new accounts.

The project's fixed-window throttles (redbook/throttling.py); a new account (younger
than MODERATION_NEW_ACCOUNT_DAYS) is counted against the scope's "_new" rate.
"""

from rest_framework.settings import api_settings

from moderation.weights import is_new_account
from redbook.throttling import RateThrottle, parse_rate


class _NewAccountStricter(RateThrottle):
    methods = frozenset({"POST"})
    fail_open = True  # blocks, spam keywords and reports still apply; keep people talking

    def allow_request(self, request, view) -> bool:
        self._new = bool(request.user and request.user.is_authenticated and is_new_account(request.user))
        return super().allow_request(request, view)

    def get_rate(self) -> tuple[int, int]:
        scope = f"{self.scope}_new" if getattr(self, "_new", False) else self.scope
        return parse_rate(api_settings.DEFAULT_THROTTLE_RATES[scope])


class MessageThrottle(_NewAccountStricter):
    scope = "message"


class ConversationThrottle(_NewAccountStricter):
    scope = "conversation"
