"""Keep `User.last_active_at` fresh cheaply: Explore lists are computed for active users only."""

from feeds.services import user_mark_active


class LastActiveMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view: DRF's token authentication sets request.user on the way in.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_mark_active(user=user)
        return response
