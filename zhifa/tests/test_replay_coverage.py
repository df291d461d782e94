"""Every table that grants power or shapes a case is replayed from the ledger: an edit made in the database
around the services (as a DBA would, triggers or not) is named by `zhifa ledger verify`."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from zhifa.cases.models import CaseDeadline, CaseOfficer, Party, StageEntry
from zhifa.cases.tests.factories import open_penalty, team
from zhifa.core.models import NumberSequence
from zhifa.ledger import verification
from zhifa.ledger.guard import maintenance
from zhifa.ledger.models import LedgerEvent
from zhifa.org import services as org
from zhifa.org.models import ApiToken


def sql(statement, params=()):
    with maintenance(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def state_problems():
    return [p.message for p in verification.verify(check_files=False).problems if p.code == "state"]


@pytest.fixture
def case(world):
    return open_penalty(world, team(world))


def test_untouched_state_verifies(case):
    report = verification.verify(check_files=False)
    assert report.ok, report.problems


@pytest.mark.parametrize("column,label", [("is_superuser", "超级用户"), ("is_staff", "后台登录")])
def test_power_flags_edited_in_the_database_are_named(world, column, label):
    sql(f"UPDATE org_person SET {column} = %s WHERE id = %s", [True, world.officer_a.pk])
    assert any("张伟" in m and label in m for m in state_problems())


def test_role_granted_in_the_database_is_named(world):
    sql("INSERT INTO org_personrole (person_id, role) VALUES (%s, %s)", [world.officer_a.pk, "admin"])
    assert any("张伟" in m and "角色" in m for m in state_problems())


def test_case_officer_added_in_the_database_is_named(world, case):
    CaseOfficer.objects.create(case=case, person=world.head_a)
    assert any(case.number in m and "承办人员" in m for m in state_problems())


def test_cases_read_in_chunks_each_see_only_their_own_rows(world, case, monkeypatch):
    """The verifier reads cases a chunk at a time with their related rows by key range: an edit to a case in a
    middle chunk is named on that case and no other, and untouched chunks verify."""
    from zhifa.cases import checks

    partner = CaseOfficer.objects.filter(case=case).exclude(person=world.officer_a).first().person
    cases = [case, open_penalty(world, partner), open_penalty(world, partner)]
    monkeypatch.setattr(checks, "CHUNK", 1)
    assert verification.verify(check_files=False).ok
    Party.objects.filter(case=cases[1]).update(name="另一家公司")
    problems = state_problems()
    assert len(problems) == 1 and cases[1].number in problems[0] and "当事人" in problems[0]
    monkeypatch.setattr(checks, "CHUNK", 2)
    assert state_problems() == problems


def test_party_edited_in_the_database_is_named_without_the_ledger_holding_the_id(world, case):
    party = Party.objects.get(case=case)
    assert party.id_code and not LedgerEvent.objects.filter(entry__contains=party.id_code).exists()
    Party.objects.filter(pk=party.pk).update(name="另一家公司")
    assert any(case.number in m and "当事人" in m for m in state_problems())
    Party.objects.filter(pk=party.pk).update(name=party.name, id_code="91330400MA2B8XXX0X")
    assert any(case.number in m and "当事人" in m for m in state_problems())


def test_deadline_moved_in_the_database_is_named(world, case):
    deadline = CaseDeadline.objects.filter(case=case).first()
    CaseDeadline.objects.filter(pk=deadline.pk).update(due_date=deadline.due_date.replace(year=deadline.due_date.year + 1))
    assert any(case.number in m and "办理期限" in m for m in state_problems())


def test_stage_history_rewritten_in_the_database_is_named(world, case):
    with maintenance():  # the triggers lifted, as a DBA could
        StageEntry.objects.filter(case=case).update(note="补记")
    assert any(case.number in m and "环节记录" in m for m in state_problems())
    with maintenance():
        StageEntry.objects.filter(case=case).delete()
    assert any(case.number in m and "环节记录" in m for m in state_problems())


def test_number_sequence_wound_back_is_named(world, case):
    sequence = NumberSequence.objects.get(year=case.opened_on.year, key__endswith=":立")
    NumberSequence.objects.filter(pk=sequence.pk).update(last_value=0)  # so the next case reuses a number
    assert any("编号序列" in m and "已用至" in m for m in state_problems())


def test_api_tokens_go_through_the_ledger_and_a_planted_one_is_named(world):
    token, key = org.issue_api_token(world.admin, world.officer_a)
    assert not LedgerEvent.objects.filter(entry__contains=key).exists()  # only its hash
    assert not ApiToken.objects.filter(digest__contains=key[3:12]).exists() and token.digest == org.token_fingerprint(key)
    assert verification.verify(check_files=False).ok
    planted = ApiToken.objects.create(  # planted in the database: a back door
        person=world.officer_county, digest="ab" * 32, prefix="zf_planted", expires_at=timezone.now() + dt.timedelta(days=9)
    )
    assert any("zf_planted" in m and "没有记录" in m for m in state_problems())
    planted.delete()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=token.expires_at + dt.timedelta(days=3650))  # stretched
    assert any("到期时间" in m for m in state_problems())
    ApiToken.objects.filter(pk=token.pk).update(expires_at=token.expires_at, digest="0" * 64)  # swapped for another
    assert any("哈希" in m for m in state_problems())


def test_token_command_issues_lists_and_revokes(world, capsys):
    from django.core.management import call_command

    call_command("token", "issue", "officer_a", "--label", "市级平台", "--days", "30")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(person=world.officer_a)
    assert token.digest == org.token_fingerprint(key) and token.label == "市级平台"
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    call_command("token", "list", "officer_a")
    assert f"{token.prefix}…  有效" in capsys.readouterr().out
    call_command("token", "revoke", "officer_a", "--prefix", token.prefix)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    call_command("token", "list", "officer_a")
    assert "已吊销" in capsys.readouterr().out
    assert verification.verify(check_files=False).ok


def test_the_single_pass_replays_every_declared_spec_as_the_database_would(world, case):
    """`zhifa ledger verify` replays the apps' rows while it walks the events (each entry decoded once); for every
    spec the apps declare, that replay equals the spec replayed alone from the database."""
    from zhifa.ledger.replay import SPECS, Replay, replay

    org.update_person(world.admin, world.officer_a, position="执法队长")
    report = verification.verify(check_files=False)
    assert report.ok, report.problems
    single = Replay()
    for object_type, object_id, kind, entry in LedgerEvent.objects.order_by("seq").values_list("object_type", "object_id", "kind", "entry"):
        single.feed(object_type, object_id, kind, json.loads(entry))
    types = {spec.object_type for spec in SPECS}
    assert {"cases.case", "org.person", "org.credential", "core.numbersequence"} <= types
    for spec in SPECS:
        assert single.take(spec) == replay(spec), spec.label


def test_with_events_missing_the_rows_are_still_compared(world, case):
    """A gap stops the walk over the events; the apps' checks then replay from the database and still name edits."""
    Party.objects.filter(case=case).update(name="另一家公司")
    seq = LedgerEvent.objects.order_by("seq").values_list("seq", flat=True)[1]
    sql("DELETE FROM ledger_ledgerevent WHERE seq = %s", [seq])
    report = verification.verify(check_files=False)
    assert any(p.code == "gap" for p in report.problems)
    assert any(case.number in p.message and "当事人" in p.message for p in report.problems if p.code == "state")


@pytest.mark.django_db(transaction=True)
def test_changes_recorded_while_verify_runs_do_not_count_as_edits(world, monkeypatch):
    """verify reads one moment of the database: a person updated through the services half-way through (after
    the events were walked, before the people are compared) is not reported as an edit behind the ledger."""
    import threading

    from django.db import connections

    if connection.vendor == "sqlite":
        pytest.skip("测试用的内存 SQLite 库不能一读一写并发（文件库在 WAL 模式下可以）；此项在 PostgreSQL 上验证")
    done = []

    def writer():
        try:
            org.update_person(world.admin, world.officer_a, position="执法队长")
            done.append(True)
        finally:
            connections.close_all()

    def midway(report, check_files):
        thread = threading.Thread(target=writer)
        thread.start()
        thread.join()

    monkeypatch.setattr(verification, "_checks", [midway, *verification._checks])
    report = verification.verify(check_files=False)
    assert done, "the write in the middle did not happen"
    assert not [p for p in report.problems if p.code == "state"], report.problems
    assert verification.verify(check_files=False).ok
