"""Denormalized counters of the seeded rows, recomputed in bulk from the rows they count.

One `UPDATE ... FROM (grouped counts)` per table (Postgres and SQLite >= 3.33 both
speak it), instead of a million F-expression updates. Notes, users and products
are recounted from the first seeded id on, so an existing world keeps its own
counters; comments and collections (cheap) are recounted whole, from their rows.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connection

from accounts.models import Follow, User
from demo.bulk import Timer
from demo.world import World
from posts.models import Collection, Comment, Like, Note, NoteView, Save
from shop.models import Product

ANONYMOUS_VIEWS_PER_SIGNED_IN = 2  # view_count also counts visitors who are not signed in
VIEWS = f"{1 + ANONYMOUS_VIEWS_PER_SIGNED_IN} * COUNT(*)"


@dataclass(frozen=True)
class Count:
    """`column` = `aggregate` over `source` rows grouped by `key` (a column of `source`)."""

    column: str
    source: str
    key: str
    aggregate: str = "COUNT(*)"
    where: str = ""


def refresh_counters(world: World) -> None:
    with Timer(world.log, "counters") as timer:
        if world.n_notes:
            timer.rows += _recount(
                Note,
                int(world.note_ids[0]),
                [
                    Count("like_count", Like._meta.db_table, "note_id"),
                    Count("save_count", Save._meta.db_table, "note_id"),
                    Count("comment_count", Comment._meta.db_table, "note_id"),
                    Count("view_count", NoteView._meta.db_table, "note_id", VIEWS),
                ],
            )
            timer.rows += _recount(Comment, 0, [Count("reply_count", Comment._meta.db_table, "parent_id")])
            timer.rows += _recount(Collection, 0, [Count("notes_count", Save._meta.db_table, "collection_id")])
        if world.n_users:
            follow, note = Follow._meta.db_table, Note._meta.db_table
            timer.rows += _recount(
                User,
                int(world.user_ids[0]),
                [
                    Count("followers_count", follow, "followee_id"),
                    Count("following_count", follow, "follower_id"),
                    Count("notes_count", note, "author_id", where="status = 'published'"),
                ],
            )
        if len(world.product_ids):
            timer.rows += _recount(Product, int(world.product_ids[0]), _product_counts())


def _product_counts() -> list[Count]:
    counts = [Count("notes_count", Note.products.through._meta.db_table, "product_id")]
    try:
        order, item = apps.get_model("shop", "Order"), apps.get_model("shop", "OrderItem")
    except LookupError:  # orders arrive with the checkout work
        return counts
    # A brand's purchase of its own product is no sale (OrderItemQuerySet.sales).
    kept = (
        f"order_id IN (SELECT id FROM {order._meta.db_table}"
        " WHERE status NOT IN ('cancelled', 'refunded') AND buyer_id <> brand_id)"
    )
    return [*counts, Count("sold_count", item._meta.db_table, "product_id", "SUM(quantity)", kept)]


def _recount(model, first_id: int, counts: list[Count]) -> int:
    """Set every `Count` column of `model` rows with id >= first_id in one statement."""
    table = model._meta.db_table
    joins, selects, params = [], [], []
    for i, count in enumerate(counts):
        filters = [f"{count.key} >= %s"]
        params.append(first_id)
        if count.where:
            filters.append(count.where)
        joins.append(
            f"LEFT JOIN (SELECT {count.key} AS k, {count.aggregate} AS v FROM {count.source} "
            f"WHERE {' AND '.join(filters)} GROUP BY {count.key}) AS c{i} ON c{i}.k = t.id"
        )
        selects.append(f"COALESCE(c{i}.v, 0) AS {count.column}")
    source = f"SELECT t.id, {', '.join(selects)} FROM {table} AS t {' '.join(joins)} WHERE t.id >= %s"
    assignments = ", ".join(f"{count.column} = fresh.{count.column}" for count in counts)
    sql = f"UPDATE {table} SET {assignments} FROM ({source}) AS fresh WHERE {table}.id = fresh.id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, first_id])
        return cursor.rowcount
