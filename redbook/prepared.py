"""Querysets compiled to SQL once per process, then run with new arguments: for the hot reads.

Building and compiling a queryset costs the ORM 0.3-1.5 ms of CPU per query (cloning,
resolving lookups and joins, quoting names), several times what Postgres spends running
a feed page's small indexed queries. A `PreparedQuery` builds its queryset once with
`Arg` placeholders where the values go, keeps the SQL, and runs it again and again,
so the rules stay written once, in the ORM (e.g. `Note.objects.public()`).

A list argument needs a fixed SQL text whatever its length: filter with
`InList(F("pk"), Arg("ids"))` (`= ANY(array)` on Postgres, `IN (json_each)` on SQLite),
which also takes a plain list, so one queryset builder can serve both uses.

Whatever is not an `Arg` is frozen into the SQL when it is first compiled: constants
(`status="published"`) are fine, a value that changes between calls (`timezone.now()`,
a setting) must be an `Arg`. A query whose shape varies (a filter added or not) is one
prepared query per shape (see feeds.selectors); `tests/posts/test_prepared_queries.py`.
"""

import json
from collections.abc import Callable, Iterable

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import BooleanField, Expression, Field, Lookup, Model, QuerySet

LIST_TYPES = (list, tuple, set, frozenset)


def _db_list(values: Iterable, vendor: str):
    """A list of values as one SQL parameter: an array for Postgres, JSON for SQLite's json_each."""
    values = list(values)
    if vendor != "postgresql":
        return json.dumps(values)
    if all(type(value) is int for value in values):
        # Ids as an array literal ('{1,2}', typed by the column it meets): psycopg's array
        # dumper cost more CPU than running the whole query.
        return "{" + ",".join(map(str, values)) + "}"
    return values


class Arg(Expression):
    """A named argument of a prepared query: one `%s` whose value `PreparedQuery.rows` supplies."""

    output_field = Field()

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def __repr__(self):
        return f"Arg({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [self]  # the Arg itself holds the parameter's place until the query runs


class InList(Lookup):
    """`lhs IN (values)` with the values as one parameter, so the SQL is the same for any length."""

    lookup_name = "in_list"
    prepare_rhs = False
    output_field = BooleanField()

    def process_rhs(self, compiler, connection):
        if hasattr(self.rhs, "as_sql"):
            return compiler.compile(self.rhs)
        return "%s", [_db_list(self.rhs, connection.vendor)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", [*lhs_params, *rhs_params]


class _Compiled:
    """A prepared query's SQL for one database, and the converters of its columns."""

    def __init__(self, queryset: QuerySet):
        compiler = queryset.query.get_compiler(queryset.db)
        self.sql, self.params = compiler.as_sql()
        select = [col for col, _, _ in compiler.select[: compiler.col_count]]
        # Column position -> (converters, expression), as the compiler applies them to its rows.
        self.converters = list(compiler.get_converters(select).items())

    def bind(self, args: dict, vendor: str) -> list:
        return [_arg_value(args[p.name], vendor) if isinstance(p, Arg) else p for p in self.params]

    def convert(self, rows: list, connection) -> list[tuple]:
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for pos, (converters, expression) in self.converters:
                for converter in converters:
                    row[pos] = converter(row[pos], expression, connection)
            converted.append(tuple(row))
        return converted


def _arg_value(value, vendor: str):
    return _db_list(value, vendor) if isinstance(value, LIST_TYPES) else value


class PreparedQuery:
    """The values_list queryset `build()` returns (written with `Arg`s), compiled on first use.

    Only the SQL is kept (compiled for `using`), never a connection: each run takes the
    calling thread's connection of the database the routers pick for a read of the
    queryset's model, as the ORM does (a read replica: redbook/replicas.py, which holds
    the same schema on the same engine, so the same SQL).
    """

    def __init__(self, build: Callable[[], QuerySet], *, using: str = DEFAULT_DB_ALIAS):
        self.build, self.using = build, using
        self._compiled: _Compiled | None = None
        self._model: type[Model] | None = None

    def rows(self, **args) -> list[tuple]:
        """The rows for these arguments, converted as the ORM converts a values_list's."""
        if self._compiled is None:  # two threads may both compile at first: the same result
            queryset = self.build().using(self.using)
            self._compiled, self._model = _Compiled(queryset), queryset.model
        connection = connections[router.db_for_read(self._model)]
        with connection.cursor() as cursor:
            cursor.execute(self._compiled.sql, self._compiled.bind(args, connection.vendor))
            rows = cursor.fetchall()
        return self._compiled.convert(rows, connection)


class PreparedInstances:
    """Instances of `model` from a `PreparedQuery` over the queryset `build()` returns (filtered
    with `Arg`s; the columns are added here), with the instance of its non-null foreign key
    `related` loaded, as `select_related(related)` gives them, when `related` is named."""

    def __init__(
        self, model: type[Model], build: Callable[[], QuerySet], *, related: str | None, using=DEFAULT_DB_ALIAS
    ):
        self.model = model
        self.field = model._meta.get_field(related) if related else None
        self.columns = [field.attname for field in model._meta.concrete_fields]
        related_fields = self.field.related_model._meta.concrete_fields if self.field else []
        self.related_columns = [field.attname for field in related_fields]
        joined = [f"{related}__{name}" for name in self.related_columns]
        self.query = PreparedQuery(lambda: build().values_list(*self.columns, *joined), using=using)

    def objects(self, **args) -> list[Model]:
        split, db = len(self.columns), self.query.using
        found = []
        for row in self.query.rows(**args):
            instance = self.model.from_db(db, self.columns, row[:split])
            if self.field is not None:
                related = self.field.related_model.from_db(db, self.related_columns, row[split:])
                self.field.set_cached_value(instance, related)
            found.append(instance)
        return found
