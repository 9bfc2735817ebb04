"""Matching documents against query terms, on Postgres and on the embedded SQLite.

Postgres: `tsv @@ 'term1' & 'term2':*` served by the GIN index, ranked by
`ts_rank` (normalized by document length). SQLite: every term must be a token of
the stored text (`LIKE '% term %'`), ranked by how many terms matched.
`best_by_prior`, run by every relevant search, is plain SQL on Postgres: the ORM
took ~1 ms of CPU to build it, more than Postgres takes to run it (search/tiers.py).
"""

import json
from functools import reduce
from operator import and_, or_

from django.db import connections, router
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from search.segment import is_cjk


class _TsMatch(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _TsRank(Func):
    function = "ts_rank"
    output_field = FloatField()


PREFIX_ANY = "any"  # `prefix` for suggestions: the last word as a prefix, whatever its script


def _prefixed(terms: list[str], prefix: bool | str) -> list[bool]:
    """Which terms match as a prefix: with `prefix`, a last Latin word of 2+ letters
    (PREFIX_ANY: the last word, Chinese too, as the start of a longer word).

    Words match exactly by default: Chinese sub-words are in the index already, and
    exact lexemes keep Postgres' row estimates right (a prefix has none), so the
    planner walks the `hot` index for a common word and the GIN index for a rare one.
    Callers retry with `prefix` when the exact words find nothing ("lip" -> lipstick).
    """
    last = len(terms) - 1
    if prefix == PREFIX_ANY:
        return [i == last for i in range(len(terms))]
    return [bool(prefix) and i == last and len(t) > 1 and not is_cjk(t) for i, t in enumerate(terms)]


def tsquery(terms: list[str], *, any_term: bool = False, prefix: bool | str = False) -> str:
    """A tsquery in its text form: quoted lexemes (terms hold only letters and digits,
    search/segment.py; quotes are doubled anyway), AND-ed or OR-ed."""
    quoted = [
        "'{}'{}".format(term.replace("'", "''"), ":*" if prefixed else "")
        for term, prefixed in zip(terms, _prefixed(terms, prefix), strict=True)
    ]
    return (" | " if any_term else " & ").join(quoted)


def can_prefix(terms: list[str]) -> bool:
    return any(_prefixed(terms, True))


def estimated_rows(queryset: QuerySet) -> int | None:
    """How many rows Postgres' planner expects `queryset` to return (it only plans it);
    None on other databases."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    return json.loads(queryset.explain(format="json"))[0]["Plan"]["Plan Rows"]


def match(queryset: QuerySet, terms: list[str], *, any_term: bool = False, prefix: bool | str = False) -> QuerySet:
    """Documents of `queryset` holding all (or any) `terms`, annotated with `text_rank`."""
    if connections[queryset.db].vendor == "postgresql":
        query = RawSQL("%s::tsquery", [tsquery(terms, any_term=any_term, prefix=prefix)])
        return queryset.filter(_TsMatch(F("tsv"), query)).annotate(text_rank=_TsRank(F("tsv"), query, Value(1)))
    # The stored text is " token token ": " term " is a whole token, " term" a token start.
    conditions = [
        Q(tsv__contains=f" {term}" if prefixed else f" {term} ")
        for term, prefixed in zip(terms, _prefixed(terms, prefix), strict=True)
    ]
    matched = reduce(or_ if any_term else and_, conditions)
    hits = [Case(When(condition, then=Value(1.0)), default=Value(0.0)) for condition in conditions]
    return queryset.filter(matched).annotate(text_rank=reduce(lambda a, b: a + b, hits))


_BEST_BY_PRIOR_SQL = (
    "SELECT {pk}, ts_rank(tsv, %s::tsquery, 1) FROM {table} WHERE tsv @@ %s::tsquery{tier} ORDER BY hot DESC LIMIT %s"
)
_TIER_CONDITIONS = {None: "", True: " AND in_hot_tier", False: " AND NOT in_hot_tier"}


def best_by_prior(model, terms: list[str], *, in_hot_tier: bool | None, limit: int, **mode) -> list[tuple]:
    """`(pk, text rank)` of the `limit` documents of `model` with the highest `hot` prior
    matching `terms` (`mode` as for `match`), among those whose `in_hot_tier` is that (None: all)."""
    connection = connections[router.db_for_read(model)]
    if connection.vendor != "postgresql":
        documents = model.objects.all() if in_hot_tier is None else model.objects.filter(in_hot_tier=in_hot_tier)
        return list(match(documents, terms, **mode).order_by("-hot").values_list("pk", "text_rank")[:limit])
    quote = connection.ops.quote_name
    sql = _BEST_BY_PRIOR_SQL.format(
        pk=quote(model._meta.pk.column), table=quote(model._meta.db_table), tier=_TIER_CONDITIONS[in_hot_tier]
    )
    query = tsquery(terms, **mode)
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, query, limit])
        return cursor.fetchall()
