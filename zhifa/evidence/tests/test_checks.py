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
    assert f"证据“{e.number}”的“采集地点”与账本记载不符" in text and f"证据 {e.number} 的文件缺失" in text


def test_deleted_evidence_and_access_rows_are_named(world):
    e = ef.evidence(world.officer_a)
    access = services.record_access(world.head_a, e, action=AccessAction.VIEW, channel=AccessChannel.WEB)
    sql("DELETE FROM evidence_evidenceaccess WHERE id=%s", [access.pk])
    assert "账本记载的调阅记录" in messages(verification.verify())
    sql("DELETE FROM evidence_evidence WHERE id=%s", [e.pk])
    assert f"账本记载的证据“{e.number}”（ID {e.pk}）在数据库中已被删除" in messages(verification.verify())


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


def test_rows_written_around_the_services_are_named(world):
    import datetime

    from zhifa.core import services as core_services

    core_services.set_day_override(world.admin, date=datetime.date(2027, 1, 1), is_workday=False, name="元旦")
    assert verification.verify().ok
    sql("UPDATE org_agency SET name=%s WHERE id=%s", ["伪造的执法局", world.city_a.pk])
    sql("UPDATE org_credential SET status='valid', valid_until='2099-12-31' WHERE id=%s", [world.cred_other.pk])
    sql("DELETE FROM org_personrole WHERE person_id=%s", [world.reviewer_a.pk])
    sql("UPDATE core_holidayoverride SET is_workday=%s", [True])
    sql("INSERT INTO core_publishedcalendaryear (year, source, created_at, updated_at) VALUES (2030, 'x', '2026-01-01', '2026-01-01')")
    text = messages(verification.verify())
    assert "执法主体“伪造的执法局”的“名称”与账本记载不符" in text
    assert "执法证件“33050011001”的“有效期至”与账本记载不符" in text
    assert "人员“李娜”的“角色”与账本记载不符" in text
    assert "节假日调整“2027-01-01”的“是否工作日”与账本记载不符" in text
    assert "年度放假安排发布记录“2030”在账本中没有记录" in text


def test_export_evidence_metadata_is_checked_offline(world, tmp_path):
    import json

    from zhifa.ledger import offline
    from zhifa.ledger.tests.exports import exported

    ef.evidence(world.officer_a, b"scene photo")
    root = exported(tmp_path)
    rows = [json.loads(x) for x in (root / "evidence.jsonl").read_text().splitlines()]
    for field in ("title", "place", "kind"):
        edited = [dict(rows[0], **{field: "改过的"}), *rows[1:]]
        (root / "evidence.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in edited))
        problems = offline.verify_archive(str(root), out=lambda *_: None)
        assert any(field in p for p in problems), field


