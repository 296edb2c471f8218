"""PostgreSQL: a narrow side table holding each measure's tsvector, so a search reads small rows
instead of recomputing to_tsvector over the long token column (kept by the services, like the
SQLite FTS5 table; no foreign key so that test flushes can TRUNCATE the measures)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE TABLE IF NOT EXISTS policies_measure_tsv (measure_id bigint PRIMARY KEY, tsv tsvector NOT NULL)"
    )
    schema_editor.execute("CREATE INDEX IF NOT EXISTS policies_measure_tsv_gin ON policies_measure_tsv USING GIN (tsv)")
    schema_editor.execute(
        "INSERT INTO policies_measure_tsv (measure_id, tsv) SELECT id, to_tsvector('simple', tokens) "
        "FROM policies_measure ON CONFLICT (measure_id) DO NOTHING"
    )
    # The expression index of 0002 is superseded by the side table.
    schema_editor.execute("DROP INDEX IF EXISTS policies_measure_tokens_gin")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS policies_measure_tsv")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS policies_measure_tokens_gin "
            "ON policies_measure USING GIN (to_tsvector('simple', tokens))"
        )


class Migration(migrations.Migration):
    dependencies = [("policies", "0003_measure_rank_key")]

    operations = [migrations.RunPython(forwards, backwards)]
