"""Keep `User.last_active_at` fresh cheaply: Explore lists are computed for active users only."""

import logging

from django.db import DatabaseError

from feeds.services import user_mark_active

logger = logging.getLogger(__name__)


class LastActiveMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view: DRF's token authentication sets request.user on the way in.
        user = getattr(request, "user", None)
        try:
            if user is not None and user.is_authenticated:
                user_mark_active(user=user)
        except DatabaseError as exc:  # best effort: the response is ready, never fail it
            logger.warning("last_active_at not recorded: %s", exc)
        return response
