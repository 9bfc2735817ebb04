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
        self._connect_receivers()
        if any(name in arg for arg in sys.argv[:2] for name in _SERVING):
            from search.segment import warm_up

            threading.Thread(target=warm_up, name="jieba-warm-up", daemon=True).start()

    @staticmethod
    def _connect_receivers():
        # Imported here, once the app registry is ready (the receivers use models).
        from accounts.signals import user_changed
        from posts.signals import note_changed
        from search import receivers
        from shop.signals import product_changed

        note_changed.connect(receivers.reindex_note, dispatch_uid="search.note_changed")
        product_changed.connect(receivers.reindex_product, dispatch_uid="search.product_changed")
        user_changed.connect(receivers.reindex_user, dispatch_uid="search.user_changed")
