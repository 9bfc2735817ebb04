"""The "Moderators" group, and the database refusing edits to the audit log.

Moderators act on reported content through the moderation queue without being
superusers: they can see the queue, the reports, the audit log and recent sign-ups,
take decisions (`moderate_content`) and edit spam keywords. They still need
`is_staff` to enter the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
PERMISSIONS = [
    "view_moderationcase",
    "moderate_content",
    "view_report",
    "view_auditlogentry",
    "view_signupreview",
    "view_spamkeyword",
    "add_spamkeyword",
    "change_spamkeyword",
    "delete_spamkeyword",
]

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION moderation_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the moderation audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER moderation_audit_append_only
    BEFORE UPDATE OR DELETE ON moderation_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS moderation_audit_append_only ON moderation_auditlogentry;
DROP FUNCTION IF EXISTS moderation_audit_append_only();
"""


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now.
    app_config = apps.get_app_config("moderation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="moderation", codename__in=PERMISSIONS))


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_group, delete_group),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
