import sys
import threading

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Processes that answer searches or index: they load jieba's dictionary at start-up
# (about half a second), in the background, instead of during their first search.
_SERVING = ("gunicorn", "uvicorn", "celery", "runserver")


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        if any(name in arg for arg in sys.argv[:2] for name in _SERVING):
            from search.segment import warm_up

            threading.Thread(target=warm_up, name="jieba-warm-up", daemon=True).start()
