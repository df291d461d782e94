"""双随机 through the services: libraries, rules, plans, the committed draw, recusal, caps, joint plans, results."""

import datetime
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa.core.roles import Role
from zhifa.inspections import drawing, services
from zhifa.inspections.models import Draw, Inspector, Plan, PlanStatus, RiskClass, SeedSource, Target, Task, TaskInspector, TaskStatus
from zhifa.inspections.records import public_record
from zhifa.ledger import verification
from zhifa.ledger.guard import maintenance
from zhifa.ledger.models import LedgerEvent
from zhifa.org import services as org
from zhifa.org.tests import factories as f

from . import factories as fx

VERIFIER = Path(drawing.__file__)


def run_verifier(record, tmp_path):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-I", "-S", str(VERIFIER), str(path)], capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- libraries

def test_import_is_all_or_nothing_and_names_every_bad_row(world):
    good = [["嘉兴市甲化工有限公司", fx.uscc(1), "企业", "330402", "", "", "高风险", ""]]
    bad = good + [
        ["嘉兴市乙化工有限公司", "91330402MA0000000X", "企业", "330402", "", "", "高风险", ""],  # bad check digits
        ["", fx.uscc(3), "企业", "330402", "", "", "低风险", ""],  # no name
        ["丙", fx.uscc(4), "公司", "3304", "", "", "很高", ""],  # kind, region, risk
        ["嘉兴市甲化工有限公司（重复）", fx.uscc(1), "企业", "330402", "", "", "高风险", ""],
    ]
    with pytest.raises(ValidationError) as exc:
        services.import_targets(world.admin, world.city_a, fx.workbook(bad))
    text = "\n".join(exc.value.messages)
    for row in ("第 3 行", "第 4 行", "第 5 行", "第 6 行"):
        assert row in text
    assert "第 2 行：" not in text and "未作任何改动" in text
    assert not Target.objects.exists() and not LedgerEvent.objects.filter(kind="inspections.targets.imported").exists()
    assert services.import_targets(world.admin, world.city_a, fx.workbook(good)) == {"added": 1, "updated": 0, "total": 1}


def test_a_bad_row_after_thousands_written_rolls_every_row_back(world):
    rows = [[f"嘉兴市测试化工贸易有限公司{n}", fx.uscc(n), "企业", "330402", "", "", "低风险", ""] for n in range(1, 5004)]
    rows.append(["嘉兴市末行有限公司", "91330402MA0000000X", "企业", "330402", "", "", "低风险", ""])
    with pytest.raises(ValidationError, match="第 5005 行"):
        services.import_targets(world.admin, world.city_a, fx.workbook(rows))
    assert not Target.objects.exists()


@pytest.mark.parametrize("content", [b"", b"not a spreadsheet", b"PK\x03\x04broken zip"])
def test_malformed_spreadsheets_are_refused_in_chinese(world, content):
    import io

    with pytest.raises(ValidationError) as exc:
        services.import_targets(world.admin, world.city_a, io.BytesIO(content))
    assert "xlsx" in " ".join(exc.value.messages)
    assert not Target.objects.exists()


def test_import_updates_known_codes_and_a_person_is_checked_as_a_person(world):
    fx.targets(world, {RiskClass.LOW: 3})
    rows = [["沈某某", "330402198507152319", "自然人", "330402", "", "", "高风险", ""],
            ["嘉兴市测试化工贸易有限公司1", fx.uscc(1), "企业", "330402", "", "", "高风险", ""]]
    assert services.import_targets(world.admin, world.city_a, fx.workbook(rows)) == {"added": 1, "updated": 1, "total": 4}
    assert Target.objects.get(code=fx.uscc(1)).risk_class == RiskClass.HIGH
    with pytest.raises(ValidationError, match="身份证"):
        services.save_target(world.admin, world.city_a, {"name": "某", "code": "330402198507152318", "kind": "person", "region_code": "330402", "risk_class": "low"})


def test_only_the_agency_head_or_an_administrator_keeps_the_library(world):
    with pytest.raises(PermissionDenied):
        services.import_targets(world.officer_a, world.city_a, fx.workbook([]))
    with pytest.raises(PermissionDenied):
        services.import_targets(world.head_a, world.other_city, fx.workbook([]))


def test_inspector_library_admits_only_certified_staff_whose_scope_covers_the_item(world):
    helper = f.person(world.city_a, Role.OFFICER, full_name="辅助人员", is_auxiliary=True)
    uncertified = f.person(world.city_a, Role.OFFICER, full_name="无证人员")
    expired = f.person(world.city_a, Role.OFFICER, full_name="过期人员")
    f.credential(expired, valid_from=datetime.date(2018, 1, 1), valid_until=datetime.date(2022, 12, 31))
    for person, reason in ((helper, "辅助"), (uncertified, "执法证"), (expired, "执法证"), (world.officer_other, "本执法主体")):
        with pytest.raises(ValidationError, match=reason):
            services.add_inspector(world.admin, world.city_a, person)
    assert services.add_eligible_inspectors(world.admin, world.city_a) == 1  # 张伟, the only certified one
    assert list(Inspector.objects.values_list("person__full_name", flat=True)) == ["张伟"]
    item = fx.item(world)
    other_scope = f.person(world.city_a, Role.OFFICER, full_name="城管执法员")
    org.issue_credential(world.admin, person=other_scope, number="330400999001", issuing_authority="浙江省人民政府", scope="城市管理综合行政执法",
                         area="浙江省嘉兴市", valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2028, 12, 31))
    assert services.eligibility(other_scope, world.city_a, item) == "执法证的执法类别不含该抽查事项"
    assert services.eligibility(world.officer_a, world.city_a, item) is None


# ---------------------------------------------------------------- plans and the draw

def test_ratio_per_stratum_and_at_least_two_inspectors_per_target(world):
    plan, people = fx.drawn(world)
    by = {}
    for task in plan.tasks.all():
        by[task.stratum] = by.get(task.stratum, 0) + 1
        team = list(task.inspectors.filter(is_active=True).values_list("person_id", flat=True))
        assert len(team) == 2 and len(set(team)) == 2
    assert by == {"high": 3, "medium": 2, "low": 1}  # 30 % of 10, 10 % of 20, 2 % of 50, rounded up
    assert plan.status == PlanStatus.DRAWN


def test_a_second_round_draws_only_the_strata_inspected_that_often(world):
    plan, _ = fx.drawn(world)
    second = fx.plan(world, plan.item, title="第二轮")
    assert second.round == 2
    draw = services.commit_plan(world.admin, second)
    assert [s["key"] for s in draw.parameters["strata"]] == ["high"] and draw.target_count == 10
    with pytest.raises(ValidationError, match="频次"):
        fx.plan(world, plan.item, title="第三轮")


def test_one_inspector_alone_is_refused_and_so_is_a_pool_too_small(world):
    item, _ = fx.ready(world, inspector_count=1)
    with pytest.raises(ValidationError, match="不得少于两人"):
        fx.plan(world, item, inspectors_per_agency=1)
    with pytest.raises(ValidationError, match="不得少于两人"):  # jointly too: each agency acts through two of its own
        fx.plan(world, item, inspectors_per_agency=1, partners=[world.county_a])
    plan = fx.plan(world, item)
    with pytest.raises(ValidationError, match="少于"):
        services.commit_plan(world.admin, plan)
    assert not Draw.objects.exists() and Plan.objects.get().status == PlanStatus.DRAFT


def test_an_empty_target_pool_is_refused(world):
    item = fx.item(world)
    fx.rules(world, item)
    fx.inspectors(world, 3)
    plan = fx.plan(world, item)
    with pytest.raises(ValidationError, match="没有符合"):
        services.commit_plan(world.admin, plan)
    assert not Draw.objects.exists()


def test_the_pools_are_committed_to_the_ledger_before_any_seed(world):
    item, _ = fx.ready(world)
    plan = fx.plan(world, item)
    draw = services.commit_plan(world.admin, plan)
    event = LedgerEvent.objects.get(kind="inspections.draw.committed")
    data = json.loads(event.entry)["data"]
    assert data["targets_sm3"] == draw.targets_sm3 == drawing.pool_hash(services.pool_lines(draw.targets))
    assert event.seq == draw.commitment_seq and not draw.seed
    with pytest.raises(ValidationError, match="已经固化"):
        services.commit_plan(world.admin, plan)


def test_the_seed_is_entered_once_and_the_draw_is_never_made_again(world):
    plan, _ = fx.drawn(world)
    before = list(Task.objects.values_list("target_id", flat=True))
    with pytest.raises(ValidationError, match="已经录入"):
        services.enter_seed(world.admin, plan, "01 02 03 04 05 06 + 07")
    assert list(Task.objects.values_list("target_id", flat=True)) == before
    assert LedgerEvent.objects.filter(kind="inspections.draw.made").count() == 1


@pytest.mark.parametrize("seed", ["", "   ", "a\x00b", "长" * 201])
def test_bad_seeds_change_nothing(world, seed):
    item, _ = fx.ready(world)
    plan = fx.plan(world, item)
    services.commit_plan(world.admin, plan)
    with pytest.raises(ValidationError):
        services.enter_seed(world.admin, plan, seed)
    assert not Task.objects.exists() and not Draw.objects.get().seed


def test_a_seed_before_the_pools_are_frozen_is_refused(world):
    item, _ = fx.ready(world)
    plan = fx.plan(world, item)
    with pytest.raises(ValidationError, match="先固化"):
        services.enter_seed(world.admin, plan, "01 02 03")


def test_a_tree_head_seed_is_the_first_head_signed_after_the_commitment(world):
    item, _ = fx.ready(world)
    plan = fx.plan(world, item, seed_source=SeedSource.TREE_HEAD, seed_description="")
    with pytest.raises(ValidationError, match="自动取得"):
        services.commit_plan(world.admin, plan) and services.enter_seed(world.admin, plan, "01")
    made = services.draw_from_tree_head(world.admin, plan)
    if made is None:  # signed in the very millisecond of the commitment: the next head is the seed
        time.sleep(0.002)
        services.set_cap(world.admin, year=2026, limit=3, basis="测试")  # any write; the tests sign every commit
        made = services.draw_from_tree_head(world.admin, plan)
    head = services.head_after(made)
    assert made.seed == head.root_hash and made.seed_head["tree_size"] == head.tree_size > made.commitment_seq
    assert Task.objects.filter(plan=plan).count() == len(made.initial) > 0
    with pytest.raises(ValidationError, match="不能再次"):
        services.draw_from_tree_head(world.admin, plan)


# ---------------------------------------------------------------- recusal

def test_recusal_keeps_the_reason_and_draws_the_replacement_by_the_published_rule(world, tmp_path):
    plan, people = fx.drawn(world)
    task = plan.tasks.order_by("position").first()
    member = task.inspectors.filter(is_active=True).first()
    replacement = services.recuse(member.person, member, "与检查对象负责人系近亲属")
    member.refresh_from_db()
    assert not member.is_active and member.recusal_reason == "与检查对象负责人系近亲属" and member.replaced_by == replacement
    assert replacement.agency_id == member.agency_id and replacement.person_id != member.person_id
    assert task.inspectors.filter(is_active=True).count() == 2
    result = run_verifier(public_record(plan.draw), tmp_path)
    assert result.returncode == 0, result.stdout
    with pytest.raises(ValidationError, match="已经回避"):
        services.recuse(member.person, member, "再次")


def test_recusal_without_a_replacement_is_refused_and_changes_nothing(world):
    item, _ = fx.ready(world, inspector_count=2)
    plan = fx.plan(world, item)
    services.commit_plan(world.admin, plan)
    services.enter_seed(world.admin, plan, "9")
    member = TaskInspector.objects.first()
    with pytest.raises(ValidationError, match="没有可以替换"):
        services.recuse(member.person, member, "利害关系")
    assert TaskInspector.objects.filter(is_active=False).count() == 0


def test_only_the_inspector_or_their_head_may_recuse(world):
    plan, _ = fx.drawn(world)
    member = TaskInspector.objects.exclude(person=world.officer_a).first()
    with pytest.raises(PermissionDenied):
        services.recuse(world.officer_other, member, "利害关系")


# ---------------------------------------------------------------- caps and joint plans

def test_the_yearly_cap_counts_every_agencys_inspections_of_the_same_subject(world):
    services.set_cap(world.admin, year=timezone.localdate().year, limit=1, basis="浙江省涉企检查“一件事”规定")
    # 海盐县应急管理局 inspects every high-risk subject first (the same codes in its own library).
    county_item = fx.item(world, world.county_a)
    fx.rules(world, county_item, world.county_a, ratios={RiskClass.HIGH: ("100", 1)})
    fx.targets(world, {RiskClass.HIGH: 10}, agency=world.county_a)
    fx.inspectors(world, 2, agency=world.county_a, prefix="县检查员")
    county_plan = fx.plan(world, county_item, agency=world.county_a)
    services.commit_plan(world.admin, county_plan)
    services.enter_seed(world.admin, county_plan, "1")
    assert county_plan.tasks.count() == 10
    plan, _ = fx.drawn(world)
    drawn_codes = set(plan.tasks.values_list("target__code", flat=True))
    high_codes = {fx.uscc(n) for n in range(1, 11)}
    assert not drawn_codes & high_codes  # every high-risk subject is at the cap: none drawn again
    assert plan.draw.skipped and all(s["reason"] == "cap" and s["count"] == 1 for s in plan.draw.skipped)
    assert plan.tasks.filter(stratum="high").count() == 0


def test_a_joint_plan_inspects_each_target_once_with_inspectors_of_every_agency(world):
    item, _ = fx.ready(world)
    fx.inspectors(world, 2, agency=world.county_a, prefix="县检查员")
    plan = fx.plan(world, item, partners=[world.county_a])
    with pytest.raises(ValidationError, match="联合抽查部门"):
        fx.plan(world, item, partners=[world.city_justice], title="与司法局联合")
    services.commit_plan(world.admin, plan)
    services.enter_seed(world.admin, plan, "5")
    for task in plan.tasks.all():
        agencies = sorted(task.inspectors.filter(is_active=True).values_list("agency_id", flat=True))
        assert agencies == sorted([world.city_a.pk] * 2 + [world.county_a.pk] * 2)
    assert Task.objects.values("target").distinct().count() == Task.objects.count()


# ---------------------------------------------------------------- the public verifier

def test_the_shipped_verifier_recomputes_the_draw_in_a_clean_interpreter(world, tmp_path):
    plan, _ = fx.drawn(world)
    record = public_record(plan.draw)
    ok = run_verifier(record, tmp_path)
    assert ok.returncode == 0 and "校验通过" in ok.stdout, ok.stdout + ok.stderr

    changed_pool = json.loads(json.dumps(record))
    changed_pool["pools"]["targets"][0] = changed_pool["pools"]["targets"][0].replace("有限公司", "有限责任公司")
    changed_seed = json.loads(json.dumps(record))
    changed_seed["seed"]["value"] = "03 11 17 22 28 31 + 10"
    changed_result = json.loads(json.dumps(record))
    changed_result["result"]["initial"][0]["inspectors"] = {k: list(reversed(v)) for k, v in changed_result["result"]["initial"][0]["inspectors"].items()}
    swapped = json.loads(json.dumps(record))
    swapped["result"]["initial"][0]["target"], swapped["result"]["initial"][1]["target"] = swapped["result"]["initial"][1]["target"], swapped["result"]["initial"][0]["target"]
    for bad, words in ((changed_pool, "检查对象名单"), (changed_seed, "摇号结果"), (changed_result, "摇号结果"), (swapped, "摇号结果")):
        out = run_verifier(bad, tmp_path)
        assert out.returncode == 1 and words in out.stdout, out.stdout
    unreadable = tmp_path / "broken.json"
    unreadable.write_text("{", encoding="utf-8")
    out = subprocess.run([sys.executable, "-I", "-S", str(VERIFIER), str(unreadable)], capture_output=True, text=True)
    assert out.returncode == 2 and "无法读取" in out.stdout


def test_a_person_target_is_masked_in_the_public_record(world):
    item, _ = fx.ready(world, counts={RiskClass.HIGH: 1})
    services.save_target(world.admin, world.city_a, {"name": "沈建明", "code": "330402198507152319", "kind": "person", "region_code": "330402", "risk_class": "high"})
    plan = fx.plan(world, item)
    services.commit_plan(world.admin, plan)
    services.enter_seed(world.admin, plan, "1")
    text = json.dumps(public_record(plan.draw), ensure_ascii=False)
    assert "沈建明" not in text and "330402198507152319" not in text and "沈某" in text


# ---------------------------------------------------------------- tasks and results

def _through_inspection(task, actor):
    """The 行政检查 case of a task carried to its result document, as the inspectors would."""
    from zhifa.documents import services as docs
    from zhifa.documents.samples import filled

    case = services.start_task(actor, task)
    doc = docs.draft_document(actor, case, doc_type="inspection_result", content=filled("inspection_result", result="未发现违法行为。"))
    docs.issue_document(actor, doc)
    return case


def test_a_task_becomes_an_inspection_case_and_its_result_is_public(world, client):
    from zhifa.procedures.services import publish_bundled

    publish_bundled(world.admin)
    plan, people = fx.drawn(world)
    task = plan.tasks.order_by("position").first()
    inspector = task.inspectors.filter(is_active=True).first().person
    with pytest.raises(ValidationError, match="告知书"):
        services.record_result(inspector, task, outcome="no_problem", checked_on=timezone.localdate())
    case = _through_inspection(task, inspector)
    assert case.procedure.code == "inspection" and set(case.officers.values_list("person_id", flat=True)) == set(
        task.inspectors.filter(is_active=True).values_list("person_id", flat=True))
    services.record_result(inspector, task, outcome="no_problem", checked_on=timezone.localdate())
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    page = client.get(f"/gs/inspections/{plan.pk}/")
    assert page.status_code == 200 and "未发现问题" in page.content.decode()
    assert verification.verify(check_files=False).ok


def test_a_result_that_could_not_be_checked_needs_a_note_and_a_date_in_the_window(world):
    plan, _ = fx.drawn(world)
    task = plan.tasks.first()
    with pytest.raises(PermissionDenied):
        services.record_result(world.officer_other, task, outcome="not_found", checked_on=timezone.localdate(), note="查无")
    head = world.head_a
    with pytest.raises(ValidationError, match="写明"):
        services.record_result(head, task, outcome="not_found", checked_on=timezone.localdate())
    with pytest.raises(ValidationError, match="检查结束日期"):
        services.record_result(head, task, outcome="not_found", checked_on=timezone.localdate() + datetime.timedelta(days=1), note="查无")
    services.record_result(head, task, outcome="not_found", checked_on=timezone.localdate(), note="登记住所已拆除，经营场所查无下落")


# ---------------------------------------------------------------- the ledger

def test_the_ledger_verifies_and_names_a_team_edited_in_the_database(world):
    plan, _ = fx.drawn(world)
    assert verification.verify(check_files=False).ok
    member = TaskInspector.objects.filter(is_active=True).first()
    outsider = Inspector.objects.exclude(person_id__in=TaskInspector.objects.filter(task=member.task).values("person_id")).first().person
    with maintenance():
        TaskInspector.objects.filter(pk=member.pk).update(person=outsider)
    problems = [p.message for p in verification.verify(check_files=False).problems]
    assert any(plan.number in m and "检查组" in m for m in problems), problems


def test_the_ledger_names_a_frozen_pool_edited_in_the_database(world):
    import zlib

    plan, _ = fx.drawn(world)
    draw = plan.draw
    lines = services.pool_lines(draw.targets)[1:]
    with maintenance():
        Draw.objects.filter(pk=draw.pk).update(targets=zlib.compress(drawing.pool_text(lines)), targets_sm3=drawing.pool_hash(lines))
    problems = [p.message for p in verification.verify(check_files=False).problems]
    assert any(plan.number in m and "承诺" in m for m in problems), problems


def test_drawn_inspectors_and_a_replacement_are_told(world):
    from zhifa.workflow import services as workflow
    from zhifa.workflow.models import Notification

    plan, _ = fx.drawn(world)
    workflow.dispatch_all()
    drawn = set(TaskInspector.objects.filter(is_active=True).values_list("person_id", flat=True))
    told = set(Notification.objects.filter(category="inspection", title__contains=plan.number).values_list("recipient_id", flat=True))
    assert told == drawn
    member = TaskInspector.objects.filter(is_active=True).first()
    replacement = services.recuse(member.person, member, "利害关系")
    workflow.dispatch_all()
    notice = Notification.objects.get(recipient_id=replacement.person_id, title__contains="替换")
    assert notice.link == f"/inspections/tasks/{member.task_id}/"


def test_the_command_exports_verifies_and_refuses_in_chinese(world, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    plan, _ = fx.drawn(world)
    out = StringIO()
    call_command("inspections", "verify", str(plan.pk), stdout=out)
    assert "校验通过" in out.getvalue()
    path = tmp_path / "draw.json"
    call_command("inspections", "record", str(plan.pk), "--out", str(path), stdout=StringIO())
    record = json.loads(path.read_text(encoding="utf-8"))
    record["seed"]["value"] = "9"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="校验未通过"):
        call_command("inspections", "verify", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="不能再次录入"):
        call_command("inspections", "seed", str(plan.pk), "01 02", stdout=StringIO())
    with pytest.raises(CommandError, match="无法打开文件"):
        call_command("inspections", "import", str(world.city_a.pk), str(tmp_path / "none.xlsx"))
    with pytest.raises(CommandError, match="没有编号为"):
        call_command("inspections", "commit", "999999")


def test_only_the_agency_head_or_an_administrator_draws_from_the_tree_head(world):
    item, _ = fx.ready(world)
    plan = fx.plan(world, item, seed_source=SeedSource.TREE_HEAD, seed_description="")
    services.commit_plan(world.admin, plan)
    with pytest.raises(PermissionDenied):
        services.draw_from_tree_head(world.officer_a, plan)  # the command and the pages go through this check
    assert not Task.objects.exists()
