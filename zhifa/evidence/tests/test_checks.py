"""`zhifa ledger verify` names the evidence whose bytes, row or access record changed."""

import os

from django.core.management import call_command
from django.db import connection

from zhifa.evidence import services
from zhifa.evidence.models import AccessAction, AccessChannel
from zhifa.ledger import services as ledger
from zhifa.ledger import verification
from zhifa.ledger.guard import maintenance

from . import factories as ef


def sql(statement, params=()):
    with maintenance(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def messages(report):
    return " ".join(p.message for p in report.problems)


def test_changed_byte_in_a_stored_file_is_named(world, evidence_dir):
    e = ef.evidence(world.officer_a, b"original recording bytes")
    ledger.sign_tree_head()
    assert verification.verify().ok
    path = evidence_dir / e.storage_key
    os.chmod(path, 0o640)
    path.write_bytes(b"original recording byteZ")
    report = verification.verify()
    assert f"证据 {e.number} 的文件内容被改动" in messages(report)
    assert verification.verify(check_files=False).ok


def test_missing_file_and_edited_row_are_named(world, evidence_dir):
    e = ef.evidence(world.officer_a, b"bytes")
    sql("UPDATE evidence_evidence SET place=%s WHERE id=%s", ["别处", e.pk])
    (evidence_dir / e.storage_key).unlink()
    text = messages(verification.verify())
    assert f"证据 {e.number} 的“采集地点”被改动" in text and f"证据 {e.number} 的文件缺失" in text


def test_deleted_evidence_and_access_rows_are_named(world):
    e = ef.evidence(world.officer_a)
    access = services.record_access(world.head_a, e, action=AccessAction.VIEW, channel=AccessChannel.WEB)
    sql("DELETE FROM evidence_evidenceaccess WHERE id=%s", [access.pk])
    assert f"调阅记录 {access.pk} 在数据库中已被删除" in messages(verification.verify())
    sql("DELETE FROM evidence_evidence WHERE id=%s", [e.pk])
    assert f"账本记载的证据 {e.number} 在数据库中已被删除" in messages(verification.verify())


def test_evidence_tables_are_append_only(world):
    import pytest
    from django.db import DatabaseError, transaction

    e = ef.evidence(world.officer_a)
    for statement in ("UPDATE evidence_evidence SET place='x'", "DELETE FROM evidence_evidence"):
        with pytest.raises(DatabaseError, match="只允许追加"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    e.refresh_from_db()


def test_export_with_files_verifies_offline(world, tmp_path, evidence_dir):
    ef.evidence(world.officer_a, b"a" * 5000)
    ef.evidence(world.officer_a, b"b" * 7000, name="录音.wav", media_type="audio/wav")
    archive = tmp_path / "out.tar"
    call_command("ledger", "export", str(archive))
    from zhifa.ledger import offline

    assert offline.verify_archive(str(archive), out=lambda *_: None) == []
    for f in evidence_dir.rglob("*"):
        if f.is_file() and f.stat().st_size == 7000:
            os.chmod(f, 0o640)
            f.write_bytes(b"c" * 7000)
    call_command("ledger", "export", str(tmp_path / "bad.tar"))
    problems = offline.verify_archive(str(tmp_path / "bad.tar"), out=lambda *_: None)
    assert len(problems) == 1 and "音像" in problems[0] and "哈希不符" in problems[0]
