"""The case list's search index: bigrams of number, title and parties (Case.search_grams), filled for existing
cases, then FTS5 kept in step by triggers on SQLite, a stored tsvector with a GIN index on PostgreSQL."""

import re

from django.db import migrations

RUN = re.compile(r"\w+")


def _grams(text):  # a frozen copy of core.text.grams, so this migration never changes meaning
    tokens = []
    for run in RUN.findall((text or "").lower()):
        tokens.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return " ".join(tokens)


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Party = apps.get_model("cases", "Party")
    names = {}
    for case_id, name in Party.objects.values_list("case_id", "name").iterator():
        names.setdefault(case_id, []).append(name)
    batch = []
    for case in Case.objects.only("id", "number", "title").iterator():
        case.search_grams = _grams(" ".join([case.number, case.title, *names.get(case.id, [])]))
        batch.append(case)
        if len(batch) == 2000:
            Case.objects.bulk_update(batch, ["search_grams"])
            batch = []
    Case.objects.bulk_update(batch, ["search_grams"])


SQLITE = [
    "CREATE VIRTUAL TABLE cases_search USING fts5(grams, tokenize = 'unicode61')",
    "INSERT INTO cases_search(rowid, grams) SELECT id, search_grams FROM cases_case",
    "CREATE TRIGGER cases_search_ai AFTER INSERT ON cases_case BEGIN "
    "INSERT INTO cases_search(rowid, grams) VALUES (new.id, new.search_grams); END",
    "CREATE TRIGGER cases_search_ad AFTER DELETE ON cases_case BEGIN DELETE FROM cases_search WHERE rowid = old.id; END",
    "CREATE TRIGGER cases_search_au AFTER UPDATE OF search_grams ON cases_case BEGIN "
    "UPDATE cases_search SET grams = new.search_grams WHERE rowid = old.id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_search_ai", "DROP TRIGGER IF EXISTS cases_search_ad",
    "DROP TRIGGER IF EXISTS cases_search_au", "DROP TABLE IF EXISTS cases_search",
]
POSTGRES = [
    "ALTER TABLE cases_case ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_grams)) STORED",
    "CREATE INDEX cases_case_search ON cases_case USING gin (search_vector)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS cases_case_search", "ALTER TABLE cases_case DROP COLUMN IF EXISTS search_vector"]


def forward(apps, schema_editor):
    for sql in SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRES:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    for sql in SQLITE_REVERSE if schema_editor.connection.vendor == "sqlite" else POSTGRES_REVERSE:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_search_grams")]
    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(forward, backward, elidable=False),
    ]
