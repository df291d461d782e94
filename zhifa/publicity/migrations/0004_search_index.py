"""The bigram search index (search.py) over published decisions only: FTS5 kept in step by triggers on
SQLite, a partial GIN index on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE publicity_search USING fts5(grams, tokenize = 'unicode61')",
    "INSERT INTO publicity_search(rowid, grams) SELECT id, search_grams FROM publicity_publication WHERE status = 'published'",
    "CREATE TRIGGER publicity_search_ai AFTER INSERT ON publicity_publication WHEN new.status = 'published' BEGIN "
    "INSERT INTO publicity_search(rowid, grams) VALUES (new.id, new.search_grams); END",
    "CREATE TRIGGER publicity_search_ad AFTER DELETE ON publicity_publication BEGIN "
    "DELETE FROM publicity_search WHERE rowid = old.id; END",
    "CREATE TRIGGER publicity_search_au AFTER UPDATE ON publicity_publication BEGIN "
    "DELETE FROM publicity_search WHERE rowid = old.id; "
    "INSERT INTO publicity_search(rowid, grams) SELECT new.id, new.search_grams WHERE new.status = 'published'; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS publicity_search_ai", "DROP TRIGGER IF EXISTS publicity_search_ad",
    "DROP TRIGGER IF EXISTS publicity_search_au", "DROP TABLE IF EXISTS publicity_search",
]
POSTGRES = [
    "CREATE INDEX publicity_publication_search ON publicity_publication "
    "USING gin (to_tsvector('simple', search_grams)) WHERE status = 'published'"
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS publicity_publication_search"]


def forward(apps, schema_editor):
    for sql in SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRES:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    for sql in SQLITE_REVERSE if schema_editor.connection.vendor == "sqlite" else POSTGRES_REVERSE:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("publicity", "0003_publication_search_grams")]
    operations = [migrations.RunPython(forward, backward)]
