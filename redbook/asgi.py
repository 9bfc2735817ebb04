"""ASGI entry point: HTTP (Django) and the WebSocket at /ws/ (messaging's consumer).

`daphne redbook.asgi:application` or `uvicorn redbook.asgi:application` serves both;
production sends /ws/ here and plain HTTP to gunicorn (README "Deployment").
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")
django_http = get_asgi_application()  # sets Django up before the routing imports models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from messaging.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_http,
        # The session is read here; the consumer believes it only from an allowed
        # Origin (cross-site WebSocket hijacking), and a ticket from anywhere.
        "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
    }
)
