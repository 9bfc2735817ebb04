"""Schema steps that only Postgres takes: extensions and index types SQLite (the embedded
default) has no use for, written as SQL in migrations."""


def postgres_only(statements: list[str]):
    """A `RunPython` function that runs `statements` on Postgres and does nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run
