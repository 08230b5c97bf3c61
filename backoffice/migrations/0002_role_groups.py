"""The four staff role groups with their permissions (backoffice/roles.py).

This calls the live `roles_sync()` rather than historical models on purpose: the role table is
code, not schema, and the same function runs again after every `migrate` (post_migrate), so the
groups always match the current table. It only touches auth and contenttypes tables."""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    from backoffice.roles import roles_sync

    roles_sync()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("users", "__first__"),
        ("backoffice", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_role_groups, migrations.RunPython.noop, elidable=True),
    ]
