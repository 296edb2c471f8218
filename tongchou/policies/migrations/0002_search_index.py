"""Full-text index over the measures' jieba tokens: SQLite FTS5 or PostgreSQL GIN (same semantics:
whitespace-separated tokens, AND of all query tokens)."""

from django.db import migrations


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS policies_measure_fts USING fts5(tokens, tokenize='unicode61')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS policies_measure_tokens_gin "
            "ON policies_measure USING GIN (to_tsvector('simple', tokens))"
        )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS policies_measure_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS policies_measure_tokens_gin")


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
