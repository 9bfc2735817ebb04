"""Carry DRF authtoken's tokens over to ApiToken: the same keys keep working.

rest_framework.authtoken left INSTALLED_APPS, so its table is read by SQL when it exists
(a database created before this change); its rows are then deleted, so no key is left in
the clear. A fresh database has no such table and nothing to do.
"""

import hashlib

from django.db import migrations
from django.utils.crypto import salted_hmac

LEGACY_TABLE = "authtoken_token"


def copy_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    User = apps.get_model("accounts", "User")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {LEGACY_TABLE}")
        rows = cursor.fetchall()
    passwords = dict(
        User.objects.filter(pk__in={user_id for _key, user_id, _created in rows}).values_list("pk", "password")
    )
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user_id=user_id,
                digest=hashlib.sha256(key.encode()).hexdigest(),
                prefix=key[:8],
                name="",
                # accounts.models.password_stamp, as of this migration
                password_stamp=salted_hmac(
                    "accounts.ApiToken.password_stamp", passwords[user_id], algorithm="sha256"
                ).hexdigest(),
                created_at=created,
            )
            for key, user_id, created in rows
            if user_id in passwords
        ],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LEGACY_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_tokens")]

    operations = [migrations.RunPython(copy_legacy_tokens, migrations.RunPython.noop)]
