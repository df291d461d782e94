"""PostgreSQL: keep the tsvector stored (a generated column), so matching and phrase rechecks read it
instead of recomputing to_tsvector for every candidate row. SQLite is unchanged (FTS5)."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS publicity_publication_search",
    "ALTER TABLE publicity_publication ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_grams)) STORED",
    "CREATE INDEX publicity_publication_search ON publicity_publication USING gin (search_vector) WHERE status = 'published'",
]
BACKWARD = [
    "DROP INDEX IF EXISTS publicity_publication_search",
    "ALTER TABLE publicity_publication DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX publicity_publication_search ON publicity_publication "
    "USING gin (to_tsvector('simple', search_grams)) WHERE status = 'published'",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("publicity", "0004_search_index")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
