"""search's answers to what lower apps announce (connected in SearchConfig.ready)."""

from search import services


def reindex_note(sender, *, note_id: int, **kwargs) -> None:
    services.note_index_soon(note_id=note_id)


def reindex_product(sender, *, product_id: int, **kwargs) -> None:
    services.product_index_soon(product_id=product_id)


def reindex_user(sender, *, user_id: int, **kwargs) -> None:
    services.user_index_soon(user_id=user_id)
