"""Append-only tables: database triggers that reject UPDATE and DELETE (and TRUNCATE on PostgreSQL).

The triggers are the first line; the Merkle tree and signed tree heads detect whatever gets past
them (someone who drops a trigger). `maintenance()` lifts them for one connection, for the test
runner's flush between tests and for nothing else in the application.
"""

from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import migrations

MESSAGE = "执法记录只允许追加，禁止修改或删除"


def install_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "zhifa_ledger_writable", 0, lambda: 1 if getattr(connection, "zhifa_ledger_maintenance", False) else 0
        )


@contextmanager
def maintenance(connection=None):
    connection = connection or default_connection
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('zhifa.ledger_maintenance', 'on', false)")
    connection.zhifa_ledger_maintenance = True
    try:
        yield
    finally:
        connection.zhifa_ledger_maintenance = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('zhifa.ledger_maintenance', 'off', false)")


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION zhifa_ledger_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('zhifa.ledger_maintenance', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}（%，表 %）', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;
"""


def _create(apps, schema_editor, tables):
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"WHEN zhifa_ledger_writable() = 0 "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}（{op}，表 {table}）'); END"
                )
        elif vendor == "postgresql":
            schema_editor.execute(PG_FUNCTION, params=None)
            schema_editor.execute(
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION zhifa_ledger_append_only()"
            )
            schema_editor.execute(
                f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION zhifa_ledger_append_only()"
            )
        else:
            raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def _drop(apps, schema_editor, tables):
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")


def append_only(*tables: str, undo: bool = True) -> migrations.RunPython:
    """A migration operation that puts the append-only triggers on `tables`. With undo=False, reversing it leaves
    the triggers in place: use that after a schema change that may rebuild a table (SQLite drops a table's
    triggers with the old table) when an earlier migration owns the triggers."""
    reverse = (lambda apps, se: _drop(apps, se, tables)) if undo else migrations.RunPython.noop
    return migrations.RunPython(lambda apps, se: _create(apps, se, tables), reverse, elidable=False)
