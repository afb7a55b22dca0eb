"""The table of the database cache that holds the rate-limit counters when Redis is not set
(`RATELIMIT_CACHE_TABLE`): created here so that `migrate` is the only step to run."""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(
        schema_editor.connection.alias, settings.RATELIMIT_CACHE_TABLE, dry_run=False
    )


def drop_table(apps, schema_editor):
    table = schema_editor.quote_name(settings.RATELIMIT_CACHE_TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_guidancedocument_language")]

    operations = [migrations.RunPython(create_table, drop_table)]
