"""Matching documents against query terms, on Postgres and on the embedded SQLite.

Postgres: `tsv @@ 'term1':* & 'term2':*` served by the GIN index, ranked by
`ts_rank` (normalized by document length). SQLite: every term must start a token
of the stored text (`LIKE '% term%'`), ranked by how many terms matched.
"""

from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL


class _TsMatch(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _TsRank(Func):
    function = "ts_rank"
    output_field = FloatField()


def tsquery(terms: list[str], *, any_term: bool = False) -> str:
    """A tsquery in its text form: quoted lexemes, prefix-matched when 2+ characters.

    Terms hold only letters and digits (search/segment.py); quotes are doubled anyway.
    One-letter terms match exactly: "a:*" would expand to a large part of the index.
    """
    quoted = ["'{}'{}".format(term.replace("'", "''"), ":*" if len(term) > 1 else "") for term in terms]
    return (" | " if any_term else " & ").join(quoted)


def match(queryset: QuerySet, terms: list[str], *, any_term: bool = False) -> QuerySet:
    """Documents of `queryset` holding all (or any) `terms`, annotated with `text_rank`."""
    if connections[queryset.db].vendor == "postgresql":
        query = RawSQL("%s::tsquery", [tsquery(terms, any_term=any_term)])
        return queryset.filter(_TsMatch(F("tsv"), query)).annotate(text_rank=_TsRank(F("tsv"), query, Value(1)))
    conditions = [Q(tsv__contains=f" {term}") for term in terms]
    matched = reduce(or_ if any_term else and_, conditions)
    hits = [Case(When(condition, then=Value(1.0)), default=Value(0.0)) for condition in conditions]
    return queryset.filter(matched).annotate(text_rank=reduce(lambda a, b: a + b, hits))
