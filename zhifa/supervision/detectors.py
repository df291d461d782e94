"""问题模型: each detector reads the data for one rule and names every situation that breaks it.

A detector is registered with a code, a Chinese name, its legal basis and a severity, and yields Findings. A
finding's key names the situation (the detector and what it is about), so a later run recognises it:
`services.run_models` opens a clue for a new key, leaves an open clue alone, and for a *lasting* detector (a
state such as "overdue") closes the clue when its situation is gone. A detector of events (many downloads in a
day) is not lasting: what happened stays a clue until a supervisor closes it.

DOMAIN.md numbers the rules; docs/supervision.md lists the models.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhifa.core.registry import Registry

from .models import Severity


@dataclasses.dataclass(frozen=True)
class Finding:
    key: str
    agency_id: int | None
    title: str
    detail: str = ""
    link: str = ""


@dataclasses.dataclass(frozen=True)
class Detector:
    code: str
    name: str
    basis: str
    severity: str
    find: Callable[[dt.date], Iterable[Finding]]
    lasting: bool = True  # a state that can be corrected (closes by itself when gone), not a past event


detectors = Registry("supervision.detectors", "问题模型：code → Detector")


def detector(code: str, name: str, basis: str, severity: str = Severity.MEDIUM, *, lasting: bool = True):
    def register(fn):
        detectors.register(Detector(code, name, basis, severity, fn, lasting), key=code)
        return fn

    return register


def all_detectors() -> list[Detector]:
    return list(detectors)


def get(code: str) -> Detector | None:
    return detectors.get(code)


def _valid_credential(person_ref: str, today: dt.date):
    from zhifa.org.models import Credential, CredentialKind, CredentialStatus

    return Exists(Credential.objects.filter(
        person=OuterRef(person_ref), kind=CredentialKind.ENFORCEMENT, status=CredentialStatus.VALID,
        valid_from__lte=today, valid_until__gte=today,
    ))


# ---------------------------------------------------------------- 办案期限

@detector("deadline_overdue", "办案期限已届满仍未完成", "行政处罚法第六十条；《行政许可法》第四十二条；各执法程序规定的办理期限", Severity.HIGH)
def deadline_overdue(today):
    from zhifa.cases.models import CaseDeadline
    from zhifa.cases.selectors import overdue

    for d in overdue(CaseDeadline.objects.all(), today).select_related("case").order_by("pk").iterator(chunk_size=2000):
        yield Finding(f"deadline_overdue:{d.pk}", d.case.agency_id, f"{d.case.number}“{d.name}”已于 {d.due_date:%Y-%m-%d} 届满仍未完成",
                      f"{d.case.title}｜{d.rule}｜{d.basis}", f"/cases/{d.case_id}/")


@detector("review_overdue", "法制审核超过期限", "国办发〔2018〕118号；本机关重大执法决定法制审核办法规定的审核期限", Severity.MEDIUM)
def review_overdue(today):
    from zhifa.review.models import ReviewStatus, ReviewTask

    for t in ReviewTask.objects.filter(status=ReviewStatus.PENDING, due_date__lt=today).select_related("case").order_by("pk"):
        yield Finding(f"review_overdue:{t.pk}", t.case.agency_id, f"{t.case.number} 法制审核已超过期限（{t.due_date:%Y-%m-%d}）",
                      t.case.title, f"/review/{t.pk}/")


# ---------------------------------------------------------------- 公示

@detector("publication_overdue", "执法决定逾期未公示", "国办发〔2018〕118号：行政处罚、行政许可决定7个工作日内公示，其他决定20个工作日内公示", Severity.HIGH)
def publication_overdue(today):
    from zhifa.publicity.selectors import late_publications

    for p in late_publications(today).order_by("pk"):
        yield Finding(f"publication_overdue:{p.pk}", p.agency_id, f"{p.decision_number} 超过公示期限（{p.due_date:%Y-%m-%d}）仍未公开",
                      p.due_rule, f"/publicity/{p.pk}/")


@detector("withdrawal_overdue", "决定被撤销等后逾期未撤回公示", "行政处罚法第四十八条第二款：三个工作日内撤回", Severity.HIGH)
def withdrawal_overdue(today):
    from zhifa.publicity.selectors import late_withdrawals

    for p in late_withdrawals(today).order_by("pk"):
        yield Finding(f"withdrawal_overdue:{p.pk}", p.agency_id, f"{p.decision_number} 应于 {p.withdrawal_due:%Y-%m-%d} 前撤回公示，至今未撤回",
                      p.withdrawal_reason, f"/publicity/{p.pk}/")


# ---------------------------------------------------------------- 执法人员

@detector("officer_without_credential", "无有效执法证的人员承办案件", "行政处罚法第四十二条；国办发〔2018〕118号（持证上岗、亮证执法）", Severity.HIGH)
def officer_without_credential(today):
    from zhifa.cases.models import CaseOfficer, CaseStatus

    rows = (CaseOfficer.objects.filter(case__status=CaseStatus.OPEN).exclude(_valid_credential("person", today))
            .select_related("case", "person").order_by("pk"))
    for row in rows.iterator(chunk_size=2000):
        yield Finding(f"officer_without_credential:{row.case_id}:{row.person_id}", row.case.agency_id,
                      f"{row.case.number} 的承办人员{row.person.full_name}今天没有有效的行政执法证",
                      "执法证已过期、暂扣、注销或挂失的人员不得从事执法活动，应更换承办人员或办理回避。", f"/cases/{row.case_id}/")


@detector("fewer_than_two_officers", "持证承办人员少于两人", "行政处罚法第四十二条：执法人员不得少于两人", Severity.HIGH)
def fewer_than_two_officers(today):
    from zhifa.cases.models import Case, CaseOfficer, CaseStatus

    certified = (CaseOfficer.objects.filter(case=OuterRef("pk")).filter(_valid_credential("person", today))
                 .values("case").annotate(n=Count("pk")).values("n"))
    cases = (Case.objects.filter(status=CaseStatus.OPEN).exclude(procedure__code="penalty_simple")
             .annotate(certified=Coalesce(Subquery(certified, output_field=IntegerField()), 0)).filter(certified__lt=2).order_by("pk"))
    for case in cases.iterator(chunk_size=2000):
        yield Finding(f"fewer_than_two_officers:{case.pk}", case.agency_id, f"{case.number} 持有效执法证的承办人员只有 {case.certified} 人",
                      case.title, f"/cases/{case.pk}/")


@detector("reviewer_staffing", "法制审核人员少于执法人员的5%", "国办发〔2018〕118号：法制审核人员原则上不少于本单位执法人员总数的5%", Severity.MEDIUM)
def reviewer_staffing(today):
    from zhifa.org.models import Agency
    from zhifa.org.selectors import staffing_for

    for row in staffing_for(Agency.objects.filter(is_active=True, is_supervisory=False).order_by("pk")):
        if not row["ok"]:
            yield Finding(f"reviewer_staffing:{row['agency'].pk}", row["agency"].pk, f"{row['agency'].name}：{row['message']}",
                          link=f"/org/agencies/{row['agency'].pk}/")


# ---------------------------------------------------------------- 双随机

@detector("inspection_cap_exceeded", "同一检查对象年度抽查次数超过上限", "国办发〔2024〕54号：对同一企业的年度检查频次上限", Severity.MEDIUM)
def inspection_cap_exceeded(today):
    from zhifa.inspections.models import Task
    from zhifa.inspections.services import cap_for

    for year in (today.year - 1, today.year):
        limit, basis = cap_for(year)
        rows = (Task.objects.filter(plan__year=year).values("target__code").annotate(n=Count("plan", distinct=True))
                .filter(n__gt=limit).order_by("target__code"))
        for row in rows:
            task = Task.objects.filter(plan__year=year, target__code=row["target__code"]).select_related("plan", "target").order_by("-pk").first()
            yield Finding(f"inspection_cap_exceeded:{year}:{row['target__code']}", task.plan.agency_id,
                          f"{task.target.name} {year} 年被抽查 {row['n']} 次，超过上限 {limit} 次", basis, f"/inspections/targets/{task.target_id}/")


@detector("inspection_result_overdue", "双随机检查结果逾期未公示", "DOMAIN.md R8.5：检查结束后20个工作日内公示抽查结果", Severity.MEDIUM)
def inspection_result_overdue(today):
    from zhifa.inspections.models import Task, TaskStatus
    from zhifa.inspections.services import result_due

    # The plan's end plus 20 working days is at least 20 calendar days: plans ended since then cannot be late yet.
    rows = Task.objects.filter(plan__ends_on__lt=today - dt.timedelta(days=20)).exclude(status=TaskStatus.DONE).select_related("plan", "target")
    for task in rows.order_by("pk").iterator(chunk_size=2000):
        due = result_due(task)
        if due < today:
            yield Finding(f"inspection_result_overdue:{task.pk}", task.plan.agency_id,
                          f"{task.plan.number} 检查对象{task.target.name}的检查结果应于 {due:%Y-%m-%d} 前公示，至今未录入", link=f"/inspections/tasks/{task.pk}/")


# ---------------------------------------------------------------- 证据与账本

@detector("evidence_access_burst", "同一人员一日内大量调阅证据", "执法全过程记录制度：音像记录的调阅应有事由并留痕，防止泄露", Severity.MEDIUM, lasting=False)
def evidence_access_burst(today):
    from zhifa.evidence.models import EvidenceAccess

    limit = settings.ZHIFA_SUPERVISION_ACCESS_PER_DAY
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min))
    rows = (EvidenceAccess.objects.filter(at__gte=since).values("person", "person__full_name", "person__agency", "at__date")
            .annotate(n=Count("pk")).filter(n__gt=limit).order_by("at__date", "person"))
    for row in rows:
        day = row["at__date"]
        yield Finding(f"evidence_access_burst:{row['person']}:{day}", row["person__agency"],
                      f"{row['person__full_name']}于 {day:%Y-%m-%d} 调阅证据 {row['n']} 次（超过每日 {limit} 次）",
                      "请核实调阅事由是否与承办、审核、监督工作相关。", f"/evidence/access/?person={row['person']}")


@detector("ledger_verification_failed", "执法记录账本核验未通过", "执法全过程记录制度：记录不得篡改、删除；zhifa ledger verify", Severity.HIGH)
def ledger_verification_failed(today):
    from zhifa.ledger.selectors import last_verification

    data = last_verification()
    if data is not None and not data.get("ok"):
        event = data["event"]
        yield Finding("ledger_verification_failed", None, f"最近一次账本全量核验（{timezone.localtime(event.recorded_at):%Y-%m-%d %H:%M}）发现 {data.get('problem_count', len(data.get('problems') or []))} 处问题",
                      "\n".join(str(p) for p in (data.get("problems") or [])[:20]), f"/ledger/events/{event.seq}/")



@detector("credential_expiring", "承办人员执法证三十日内到期", "行政执法证件管理规定：证件期满前应申请换领，过期证件不得使用", Severity.LOW)
def credential_expiring(today):
    from zhifa.cases.models import CaseOfficer, CaseStatus
    from zhifa.org.models import Credential, CredentialKind, CredentialStatus

    horizon = today + dt.timedelta(days=30)
    # Renewed: a valid credential reaching past the horizon, even one that takes over only when the old one ends.
    lasting = Exists(Credential.objects.filter(person=OuterRef("person"), kind=CredentialKind.ENFORCEMENT, status=CredentialStatus.VALID,
                                               valid_until__gt=horizon))
    rows = (CaseOfficer.objects.filter(case__status=CaseStatus.OPEN).filter(_valid_credential("person", today)).exclude(lasting)
            .values("person", "person__full_name", "person__agency").annotate(n=Count("case")).order_by("person"))
    for row in rows:
        yield Finding(f"credential_expiring:{row['person']}", row["person__agency"],
                      f"{row['person__full_name']}的执法证将于三十日内到期，仍承办 {row['n']} 件在办案件", "请及时换领证件或调整承办人员。",
                      f"/org/people/{row['person']}/")


# ---------------------------------------------------------------- 事前公开与年报

def _enforcing_agencies():
    from zhifa.org.models import Agency

    return Agency.objects.filter(is_active=True, is_supervisory=False).order_by("pk")


def _list_missing(list_kind: str, label: str):
    from zhifa.powers.models import PublicItem

    have = set(PublicItem.objects.filter(list_kind=list_kind, is_active=True).values_list("agency_id", flat=True).distinct())
    for agency in _enforcing_agencies():
        if agency.pk not in have:
            yield Finding(f"{list_kind}_list_missing:{agency.pk}", agency.pk, f"{agency.name}未公开{label}", link=f"/gs/agencies/{agency.pk}/")


@detector("powers_list_missing", "未公开权责清单", "国办发〔2018〕118号：事前公开执法主体、权责清单、执法依据、程序", Severity.MEDIUM)
def powers_list_missing(today):
    yield from _list_missing("powers", "权责清单")


@detector("inspection_list_missing", "未公开随机抽查事项清单", "国办发〔2015〕58号：制定并公开随机抽查事项清单", Severity.MEDIUM)
def inspection_list_missing(today):
    yield from _list_missing("inspections", "随机抽查事项清单")


@detector("annual_report_late", "上年度行政执法统计年报未按期公开", "国办发〔2018〕118号：每年1月31日前公开本机关上年度行政执法总体情况（DOMAIN.md R1.5）", Severity.MEDIUM)
def annual_report_late(today):
    from zhifa.publicity.models import AnnualReport

    year = today.year - 1  # from 1 February on (in January last year's report is still within time)
    if today.month == 1:
        return
    have = set(AnnualReport.objects.filter(year=year).values_list("agency_id", flat=True))
    for agency in _enforcing_agencies():
        if agency.pk not in have:
            yield Finding(f"annual_report_late:{agency.pk}:{year}", agency.pk, f"{agency.name}未在1月31日前公开 {year} 年度行政执法统计年报",
                          link="/gs/annual/")


@detector("plan_not_drawn", "抽查计划已到检查期间仍未摇号", "DOMAIN.md R8.2：检查对象和执法检查人员须随机抽取后方可实施检查", Severity.LOW)
def plan_not_drawn(today):
    from zhifa.inspections.models import Plan, PlanStatus

    for plan in Plan.objects.filter(status__in=(PlanStatus.DRAFT, PlanStatus.COMMITTED), starts_on__lt=today).order_by("pk"):
        yield Finding(f"plan_not_drawn:{plan.pk}", plan.agency_id, f"{plan.number} 检查期间已于 {plan.starts_on:%Y-%m-%d} 开始，仍未摇号（{plan.get_status_display()}）",
                      plan.title, f"/inspections/plans/{plan.pk}/")


# ---------------------------------------------------------------- 全过程记录

@detector("evidence_after_decision", "决定作出后补录证据", "行政处罚法第四十条、第四十七条：先取证、后决定，执法全过程记录", Severity.MEDIUM, lasting=False)
def evidence_after_decision(today):
    from django.db.models.functions import TruncDate

    from zhifa.documents.models import Document
    from zhifa.evidence.models import Evidence

    decisions = Document.objects.filter(case=OuterRef("case"), doc_type__in=DECISION_TYPES, status="issued", issued_on__lt=OuterRef("day"))
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=30), dt.time.min))
    rows = (Evidence.objects.filter(case__isnull=False, recorded_at__gte=since).annotate(day=TruncDate("recorded_at"))
            .filter(Exists(decisions)).select_related("case").order_by("pk"))
    for e in rows.iterator(chunk_size=2000):
        yield Finding(f"evidence_after_decision:{e.pk}", e.agency_id,
                      f"{e.case.number} 在作出决定后于 {timezone.localtime(e.recorded_at):%Y-%m-%d} 补录证据“{e.title}”",
                      "请核实该证据是否在决定前已经取得、为何事后登记。", f"/evidence/{e.pk}/")


DECISION_TYPES = ("penalty_decision", "onsite_penalty_decision", "no_penalty_decision", "permit_decision", "seizure_decision")


def _officers_on_open_cases(**person):
    """Officers of open cases whose person matches `person` (e.g. is_active=False), with case and person."""
    from zhifa.cases.models import CaseOfficer, CaseStatus

    rows = CaseOfficer.objects.filter(case__status=CaseStatus.OPEN, **{f"person__{k}": v for k, v in person.items()})
    return rows.select_related("case", "person").order_by("pk").iterator(chunk_size=2000)


@detector("inactive_officer_on_open_case", "已停用账号的人员仍承办在办案件", "行政处罚法第四十二条：由具有执法资格的执法人员实施；人员调离、退休后应及时调整承办人员", Severity.MEDIUM)
def inactive_officer_on_open_case(today):
    for row in _officers_on_open_cases(is_active=False):
        yield Finding(f"inactive_officer_on_open_case:{row.case_id}:{row.person_id}", row.case.agency_id,
                      f"{row.case.number} 的承办人员{row.person.full_name}的账号已停用，仍列为承办人员", "请更换承办人员。", f"/cases/{row.case_id}/")


@detector("auxiliary_on_case", "执法辅助人员列为案件承办人员", "国办发〔2024〕54号；行政处罚法第四十二条：辅助人员不得独立从事行政执法活动", Severity.HIGH)
def auxiliary_on_case(today):
    for row in _officers_on_open_cases(is_auxiliary=True):
        yield Finding(f"auxiliary_on_case:{row.case_id}:{row.person_id}", row.case.agency_id,
                      f"{row.case.number} 将执法辅助人员{row.person.full_name}列为承办人员", "辅助人员只能协助执法人员，不得承办案件。", f"/cases/{row.case_id}/")


@detector("credential_out_of_area", "承办人员执法证的执法区域不含案件所属地区", "行政执法证件管理规定：持证人员在证件载明的执法区域内从事执法活动", Severity.HIGH)
def credential_out_of_area(today):
    """An officer whose every valid credential names an area (e.g. 浙江省湖州市) that does not contain the case's
    agency's region (浙江省嘉兴市海盐县): names are compared as prefixes, 浙江省 containing everything below it."""
    from zhifa.cases.models import CaseOfficer, CaseStatus
    from zhifa.org.models import Credential, CredentialKind, CredentialStatus

    rows = (CaseOfficer.objects.filter(case__status=CaseStatus.OPEN).filter(_valid_credential("person", today))
            .select_related("case", "case__agency", "person").order_by("pk"))
    areas: dict[int, list[str]] = {}
    for row in rows.iterator(chunk_size=2000):
        if row.person_id not in areas:
            areas[row.person_id] = list(Credential.objects.filter(
                person_id=row.person_id, kind=CredentialKind.ENFORCEMENT, status=CredentialStatus.VALID, valid_from__lte=today, valid_until__gte=today,
            ).values_list("area", flat=True))
        region = row.case.agency.region_name
        if not any(region.startswith(area.strip()) for area in areas[row.person_id] if area.strip()):
            yield Finding(f"credential_out_of_area:{row.case_id}:{row.person_id}", row.case.agency_id,
                          f"{row.case.number} 的承办人员{row.person.full_name}的执法证区域（{'、'.join(areas[row.person_id])}）不含{region}",
                          "超出执法证载明区域的执法活动缺乏主体资格，请更换承办人员或换领证件。", f"/cases/{row.case_id}/")


@detector("reviewer_without_qualification", "法制审核人员未取得法律职业资格", "国办发〔2018〕118号：初次从事法制审核的人员应当取得法律职业资格", Severity.LOW)
def reviewer_without_qualification(today):
    from zhifa.core.roles import Role
    from zhifa.org.models import Person

    for person in Person.objects.filter(is_active=True, role_assignments__role=Role.REVIEWER, has_legal_qualification=False).distinct().order_by("pk"):
        yield Finding(f"reviewer_without_qualification:{person.pk}", person.agency_id, f"法制审核人员{person.full_name}未登记法律职业资格",
                      "未取得法律职业资格的人员不得作出审核结论（系统已限制），请配备具有资格的审核人员或登记其资格证书。", f"/org/people/{person.pk}/")


@detector("inspector_without_credential", "双随机检查组成员没有有效执法证", "国办发〔2024〕54号：只有具备执法资格的人员可以实施检查", Severity.HIGH)
def inspector_without_credential(today):
    from zhifa.inspections.models import TaskInspector, TaskStatus

    rows = (TaskInspector.objects.filter(is_active=True).exclude(task__status=TaskStatus.DONE).exclude(_valid_credential("person", today))
            .select_related("task", "task__plan", "task__target", "person").order_by("pk"))
    for m in rows.iterator(chunk_size=2000):
        yield Finding(f"inspector_without_credential:{m.task_id}:{m.person_id}", m.task.plan.agency_id,
                      f"{m.task.plan.number} 检查对象{m.task.target.name}的检查组成员{m.person.full_name}今天没有有效的行政执法证",
                      "请办理回避，由系统按公开规则抽取替换人员。", f"/inspections/tasks/{m.task_id}/")


@detector("repeated_inspections", "同一企业被多个部门分别抽查", "国办发〔2024〕54号：能合并的检查合并进行，推行联合检查，避免多头检查、重复检查", Severity.LOW, lasting=False)
def repeated_inspections(today):
    from zhifa.inspections.models import Task

    rows = (Task.objects.filter(plan__year=today.year).values("target__code").annotate(agencies=Count("plan__agency", distinct=True))
            .filter(agencies__gt=1).order_by("target__code"))
    for row in rows:
        tasks = list(Task.objects.filter(plan__year=today.year, target__code=row["target__code"]).select_related("plan__agency", "target").order_by("pk"))
        names = "、".join(dict.fromkeys(t.plan.agency.short_name for t in tasks))
        yield Finding(f"repeated_inspections:{today.year}:{row['target__code']}", tasks[-1].plan.agency_id,
                      f"{tasks[-1].target.name} {today.year} 年被{names}分别抽查", "可由牵头部门组织联合抽查，一次检查完成各部门事项。",
                      f"/inspections/targets/{tasks[-1].target_id}/")


@detector("clue_reply_overdue", "监督线索逾期未答复", "行政执法监督：被监督机关应在规定期限内报告整改或说明情况，逾期的升级督办", Severity.HIGH)
def clue_reply_overdue(today):
    from .models import Clue, ClueStatus

    for clue in Clue.objects.filter(status=ClueStatus.ASSIGNED, due_date__lt=today).exclude(model="clue_reply_overdue").select_related("agency").order_by("pk"):
        yield Finding(f"clue_reply_overdue:{clue.pk}", clue.agency_id, f"交办的线索逾期未答复（{clue.due_date:%Y-%m-%d} 到期）：{clue.title}"[:300],
                      link=f"/supervision/clues/{clue.pk}/")


@detector("beyond_limitation", "超过追责期限仍立案", "行政处罚法第三十六条：违法行为在二年内（涉及公民生命健康安全、金融安全且有危害后果的五年内）未被发现的，不再给予行政处罚", Severity.HIGH, lasting=False)
def beyond_limitation(today):
    """A penalty case opened although the act was discovered after the period, on the officer's stated ground that
    the law provides otherwise (cases.services.open_case asks for it): the ground is for a supervisor to check."""
    from zhifa.cases.models import Case

    for case in Case.objects.filter(procedure__category="penalty").exclude(limitation_note="").order_by("pk").iterator(chunk_size=2000):
        yield Finding(f"beyond_limitation:{case.pk}", case.agency_id, f"{case.number} 超过追责期限立案，理由：{case.limitation_note}"[:300],
                      f"{case.title}｜违法行为发生日 {case.occurred_on}｜发现日 {case.discovered_on}", f"/cases/{case.pk}/")


@detector("report_not_submitted", "统计年报未报送同级政府和上级部门", "国办发〔2018〕118号；DOMAIN.md R1.5：年度统计报告报本级人民政府和上级主管部门", Severity.MEDIUM)
def report_not_submitted(today):
    from .models import ReportSubmission

    if today.month == 1:
        return
    year = today.year - 1
    have = set(ReportSubmission.objects.filter(year=year).values_list("agency_id", flat=True))
    for agency in _enforcing_agencies():
        if agency.pk not in have:
            yield Finding(f"report_not_submitted:{agency.pk}:{year}", agency.pk, f"{agency.name}未报送 {year} 年度行政执法统计年报",
                          link=f"/supervision/reports/?year={year}")


@detector("regional_report_late", "地区统计年报未在2月底前汇总公布", "各地行政执法统计年报制度：设区的市于每年2月底前汇总公布本地区上年度行政执法数据", Severity.MEDIUM)
def regional_report_late(today):
    from zhifa.org.models import Agency

    from .models import RegionalReport

    if today.month <= 2:
        return
    year = today.year - 1
    have = set(RegionalReport.objects.filter(year=year).values_list("authority_id", flat=True))
    for authority in Agency.objects.filter(is_active=True, is_supervisory=True, level__in=("province", "city")).order_by("pk"):
        if authority.pk not in have:
            yield Finding(f"regional_report_late:{authority.pk}:{year}", authority.pk, f"{authority.name}未在2月底前汇总公布 {year} 年度本地区行政执法统计年报",
                          link=f"/supervision/reports/?year={year}")
