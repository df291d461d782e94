"""双随机、一公开: every write. The draw itself is zhifa/inspections/drawing.py (the same file the public runs)."""

import datetime
import decimal
import hashlib
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from zhifa import workdays
from zhifa.core import numbering
from zhifa.core.errors import require
from zhifa.core.roles import is_admin, is_admin_or_head_of, is_head_of
from zhifa.core.text import has_control, require_plain
from zhifa.ledger import services as ledger
from zhifa.ledger.models import TreeHead
from zhifa.org.models import Agency, Credential, CredentialKind, Person
from zhifa.org.validators import validate_id_number, validate_uscc
from zhifa.powers.models import ListKind, PublicItem

from . import drawing
from .models import (
    NEEDS_DOCUMENT,
    Draw,
    Inspector,
    Outcome,
    Plan,
    PlanStatus,
    RiskClass,
    Rule,
    SeedSource,
    Target,
    TargetKind,
    Task,
    TaskInspector,
    TaskStatus,
    YearlyCap,
)

TARGET_FIELDS = "agency name code kind region_code industry address risk_class source is_active".split()
INSPECTOR_FIELDS = "agency person is_active note".split()
RULE_FIELDS = "agency item risk_class ratio frequency basis".split()
CAP_FIELDS = "year limit basis".split()
PLAN_FIELDS = ("agency item year round number title starts_on ends_on inspectors_per_agency region_prefix seed_source "
               "seed_description status created_by").split()
TASK_FIELDS = "plan target position stratum status case outcome checked_on note recorded_by".split()
RESULT_DOCUMENTS = ("inspection_result", "rectification_notice")
MAX_IMPORT_PROBLEMS = 200
MAX_IMPORT_MB = 200  # an xlsx of two million subjects is about 100 MB
RESULT_WORKDAYS = 20  # R8.5: results public within 20 working days of the end of the check


# ---------------------------------------------------------------- who may

def may_manage(actor, agency) -> bool:
    """The libraries, rules and plans of an agency: its head, or an administrator."""
    return is_admin_or_head_of(actor, agency)


def _plan_state(plan: Plan) -> dict:
    return {**ledger.snapshot(plan, PLAN_FIELDS), "partners": sorted(plan.partners.values_list("pk", flat=True))}


def _record(kind: str, actor, obj, data: dict, agency_id=None):
    ledger.append(kind, actor=actor, obj=obj, agency_id=agency_id, data=data)


# ---------------------------------------------------------------- 检查对象名录库

KIND_LABELS = {label: value for value, label in TargetKind.choices}
RISK_LABELS = {label: value for value, label in RiskClass.choices}
TARGET_COLUMNS = [
    ("name", "名称或姓名", True), ("code", "统一社会信用代码或身份证号", True), ("kind", "类型", True),
    ("region_code", "行政区划代码", True), ("industry", "行业", False), ("address", "地址", False),
    ("risk_class", "风险等级", True), ("source", "来源", False),
]


def clean_target(data: dict) -> dict:
    """One target's fields checked and normalised; a ValidationError names each bad field in Chinese."""
    errors = {}
    values = {}
    for key, label, required in TARGET_COLUMNS:
        value = data.get(key)
        value = "" if value is None else str(value).strip()
        if has_control(value):
            errors[key] = f"{label}含有控制字符。"
            continue
        if required and not value:
            errors[key] = f"{label}不能为空。"
        values[key] = value
    if errors:
        raise ValidationError(errors)
    values["kind"] = KIND_LABELS.get(values["kind"], values["kind"])
    values["risk_class"] = RISK_LABELS.get(values["risk_class"], values["risk_class"])
    if values["kind"] not in TargetKind.values:
        errors["kind"] = f"类型应为{'、'.join(TargetKind.labels)}之一。"
    if values["risk_class"] not in RiskClass.values:
        errors["risk_class"] = f"风险等级应为{'、'.join(RiskClass.labels)}之一。"
    code = values["code"].upper()
    values["code"] = code
    try:
        (validate_id_number if values["kind"] == TargetKind.PERSON else validate_uscc)(code)
        if values["kind"] == TargetKind.PERSON and len(code) != 18:
            raise ValidationError("居民身份证号码应为18位。")
    except ValidationError as exc:
        errors["code"] = exc.messages[0]
    if not (len(values["region_code"]) == 6 and values["region_code"].isascii() and values["region_code"].isdigit()):
        errors["region_code"] = "行政区划代码应为6位数字（如 330402）。"
    for key, limit in (("name", 200), ("industry", 100), ("address", 200), ("source", 100)):
        if len(values[key]) > limit:
            errors[key] = f"{dict((k, l) for k, l, _ in TARGET_COLUMNS)[key]}不能超过 {limit} 个字。"
    if errors:
        raise ValidationError(errors)
    return values


def _target_snapshot(target: Target) -> dict:
    return ledger.snapshot(target, TARGET_FIELDS)


@transaction.atomic
def save_target(actor, agency: Agency, data: dict, target: Target | None = None) -> Target:
    """Add a target to the agency's library, or change one (by its code)."""
    require(may_manage(actor, agency), "只有系统管理员或本机关负责人可以维护检查对象名录库。")
    values = clean_target(data)
    existing = target or Target.objects.filter(agency=agency, code=values["code"]).first()
    if target is not None and Target.objects.filter(agency=agency, code=values["code"]).exclude(pk=target.pk).exists():
        raise ValidationError({"code": "名录库中已有该代码的检查对象。"})
    now = timezone.now()
    if existing is None:
        existing = Target.objects.create(agency=agency, updated_at=now, **values)
        _record("inspections.target.saved", actor, existing, _target_snapshot(existing))
        return existing
    before = _target_snapshot(existing)
    for key, value in values.items():
        setattr(existing, key, value)
    existing.is_active = True
    existing.updated_at = now
    existing.save()
    if _target_snapshot(existing) != before:
        _record("inspections.target.saved", actor, existing, _target_snapshot(existing))
    return existing


@transaction.atomic
def set_target_active(actor, target: Target, *, active: bool, reason: str) -> Target:
    """A target leaves the library (注销, 迁出) or comes back; it is never deleted (tasks refer to it)."""
    require(may_manage(actor, target.agency), "只有系统管理员或本机关负责人可以维护检查对象名录库。")
    reason = (reason or "").strip()
    require_plain(reason=reason)
    if not reason:
        raise ValidationError({"reason": "请写明原因。"})
    if target.is_active == active:
        raise ValidationError({"reason": "该检查对象已在库。" if active else "该检查对象已移出名录库。"})
    target.is_active, target.updated_at = active, timezone.now()
    target.save(update_fields=["is_active", "updated_at"])
    _record("inspections.target.saved", actor, target, {**_target_snapshot(target), "reason": reason[:300]})
    return target


def read_targets_xlsx(fileobj):
    """Yield (row number, {field: value}) from the first sheet; the first row holds the Chinese column labels."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    except Exception:
        raise ValidationError({"file": "无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"})
    labels = {label: key for key, label, _ in TARGET_COLUMNS}
    missing = [label for key, label, required in TARGET_COLUMNS if required and label not in header]
    if missing:
        raise ValidationError({"file": f"第一行应为表头，缺少这些列：{'、'.join(missing)}。"})
    unknown = [h for h in header if h and h not in labels]
    if unknown:
        raise ValidationError({"file": f"表头中有无法识别的列：{'、'.join(unknown)}。可用的列：{'、'.join(labels)}。"})
    index = [(i, labels[h]) for i, h in enumerate(header) if h in labels]

    def rows_of():
        try:
            for number, values in enumerate(rows, start=2):
                values = values or ()
                row = {key: values[i] if i < len(values) else None for i, key in index}
                if any(v not in (None, "") for v in row.values()):
                    yield number, row
        except Exception:
            raise ValidationError({"file": "文件内容已损坏，无法读完，请重新导出后上传。"})

    return rows_of()


@transaction.atomic
def import_targets(actor, agency: Agency, fileobj) -> dict:
    """The agency's library from a spreadsheet, all or nothing: new codes added, known codes updated, and any
    bad row (every one named, up to 200) leaves the library as it was. Codes not in the file stay as they are.
    Rows are written in batches as they are read (a million rows never sit in memory); a bad row anywhere
    stops the writing and rolls back what was written."""
    require(may_manage(actor, agency), "只有系统管理员或本机关负责人可以维护检查对象名录库。")
    if getattr(fileobj, "size", 0) > MAX_IMPORT_MB * 1024 * 1024:
        raise ValidationError({"file": f"文件超过 {MAX_IMPORT_MB} MB，请分成几个文件导入。"})
    problems, seen = [], {}
    bad_rows = 0
    digest = hashlib.new("sm3")
    existing = dict(Target.objects.filter(agency=agency).values_list("code", "pk"))
    now = timezone.now()
    batch: list[dict] = []
    counts = {"added": 0, "updated": 0}
    fields = [k for k, _, _ in TARGET_COLUMNS if k != "code"] + ["is_active", "updated_at"]

    def flush():
        new = [Target(agency=agency, updated_at=now, **v) for v in batch if v["code"] not in existing]
        changed = [Target(pk=existing[v["code"]], agency=agency, updated_at=now, is_active=True, **v) for v in batch if v["code"] in existing]
        Target.objects.bulk_create(new, batch_size=2000)
        Target.objects.bulk_update(changed, fields, batch_size=2000)
        counts["added"] += len(new)
        counts["updated"] += len(changed)
        batch.clear()

    for number, row in read_targets_xlsx(fileobj):
        try:
            values = clean_target(row)
        except ValidationError as exc:
            bad_rows += 1
            if len(problems) < MAX_IMPORT_PROBLEMS:
                problems.append(f"第 {number} 行：{'；'.join(exc.messages)}")
            continue
        if values["code"] in seen:
            bad_rows += 1
            if len(problems) < MAX_IMPORT_PROBLEMS:
                problems.append(f"第 {number} 行：代码 {values['code']} 与第 {seen[values['code']]} 行重复。")
            continue
        seen[values["code"]] = number
        digest.update(drawing.canonical([values[k] for k, _, _ in TARGET_COLUMNS]) + b"\n")
        if not bad_rows:
            batch.append(values)
            if len(batch) >= 5000:
                flush()
    if bad_rows:
        more = f"（共 {bad_rows} 行有误，仅列出前 {MAX_IMPORT_PROBLEMS} 行）" if bad_rows > len(problems) else ""
        raise ValidationError({"file": [f"名录库未作任何改动{more}。", *problems]})
    if not seen:
        raise ValidationError({"file": "表格中没有检查对象。"})
    flush()
    counts["total"] = Target.objects.filter(agency=agency, is_active=True).count()
    _record("inspections.targets.imported", actor, agency, {"agency": agency.pk, **counts, "rows_sm3": digest.hexdigest()})
    return counts


# ---------------------------------------------------------------- 执法检查人员名录库

def scope_covers(credential_scope: str, item: PublicItem | None) -> bool:
    """The item's 执法类别 (its "scope" field, terms separated by 、，；) all appear in the credential's 执法类别.
    An item that names none is covered by any enforcement credential of its agency."""
    wanted = ((item.fields or {}).get("scope") or "") if item is not None else ""
    for sep in "，,；;":
        wanted = wanted.replace(sep, "、")
    return all(term.strip() in (credential_scope or "") for term in wanted.split("、") if term.strip())


def eligibility(person: Person, agency: Agency, item: PublicItem | None = None, on: datetime.date | None = None) -> str | None:
    """Why `person` may not be drawn to inspect for `agency` on `on` (R8.6), or None when they may."""
    on = on or timezone.localdate()
    if not person.is_active:
        return "账号已停用"
    if person.agency_id != agency.pk:
        return "不是本执法主体的人员"
    if person.is_auxiliary:
        return "执法辅助人员不得实施检查"
    credentials = _valid_credentials(person, on)
    if not credentials:
        return "没有有效的行政执法证"
    if not any(scope_covers(c.scope, item) for c in credentials):
        return "执法证的执法类别不含该抽查事项"
    return None


def _valid_credentials(person: Person, on: datetime.date) -> list[Credential]:
    """The person's enforcement credentials valid on `on` (Credential.effective_status; prefetched credentials are used)."""
    return [c for c in person.credentials.all() if c.kind == CredentialKind.ENFORCEMENT and c.effective_status(on)[0] == "valid"]


def credential_of(person: Person, on: datetime.date) -> Credential | None:
    return next(iter(_valid_credentials(person, on)), None)


@transaction.atomic
def add_inspector(actor, agency: Agency, person: Person, note: str = "") -> Inspector:
    require(may_manage(actor, agency), "只有系统管理员或本机关负责人可以维护执法检查人员名录库。")
    require_plain(note=note)
    problem = eligibility(person, agency)
    if problem:
        raise ValidationError({"person": f"{person.full_name}不能列入执法检查人员名录库：{problem}。"})
    entry = Inspector.objects.filter(agency=agency, person=person).first()
    if entry is not None and entry.is_active:
        raise ValidationError({"person": f"{person.full_name}已在名录库中。"})
    if entry is None:
        entry = Inspector(agency=agency, person=person)
    entry.is_active, entry.note, entry.updated_at = True, (note or "").strip()[:200], timezone.now()
    entry.save()
    _record("inspections.inspector.saved", actor, entry, ledger.snapshot(entry, INSPECTOR_FIELDS), agency_id=agency.pk)
    return entry


@transaction.atomic
def add_eligible_inspectors(actor, agency: Agency) -> int:
    """Every person of the agency who may inspect and is not in the library yet."""
    require(may_manage(actor, agency), "只有系统管理员或本机关负责人可以维护执法检查人员名录库。")
    present = set(Inspector.objects.filter(agency=agency, is_active=True).values_list("person_id", flat=True))
    added = 0
    for person in Person.objects.filter(agency=agency, is_active=True).prefetch_related("credentials").order_by("pk"):
        if person.pk not in present and eligibility(person, agency) is None:
            add_inspector(actor, agency, person, note="按执法证自动列入")
            added += 1
    return added


@transaction.atomic
def remove_inspector(actor, entry: Inspector, note: str) -> Inspector:
    require(may_manage(actor, entry.agency), "只有系统管理员或本机关负责人可以维护执法检查人员名录库。")
    note = (note or "").strip()
    require_plain(note=note)
    if not note:
        raise ValidationError({"note": "请写明移出原因（如调离、长期病假）。"})
    if not entry.is_active:
        raise ValidationError({"note": "该人员已移出名录库。"})
    entry.is_active, entry.note, entry.updated_at = False, note[:200], timezone.now()
    entry.save()
    _record("inspections.inspector.saved", actor, entry, ledger.snapshot(entry, INSPECTOR_FIELDS), agency_id=entry.agency_id)
    return entry


# ---------------------------------------------------------------- 比例、频次、年度上限

def inspection_item(agency: Agency, item_id) -> PublicItem:
    item = PublicItem.objects.filter(pk=item_id, agency=agency, list_kind=ListKind.INSPECTIONS, is_active=True).first() \
        if str(item_id).isdigit() and int(item_id) < 2**63 else None
    if item is None:
        raise ValidationError({"item": "请选择本机关随机抽查事项清单中的有效事项。"})
    return item


@transaction.atomic
def save_rule(actor, agency: Agency, *, item: PublicItem, risk_class: str, ratio, frequency: int, basis: str = "") -> Rule:
    require(may_manage(actor, agency), "只有系统管理员或本机关负责人可以设定抽查比例和频次。")
    item = inspection_item(agency, item.pk if isinstance(item, PublicItem) else item)
    if risk_class not in RiskClass.values:
        raise ValidationError({"risk_class": "风险等级无效。"})
    try:
        ratio = decimal.Decimal(str(ratio)).quantize(decimal.Decimal("0.01"))
    except (decimal.InvalidOperation, ValueError):
        raise ValidationError({"ratio": "抽查比例应为数字。"})
    if not (decimal.Decimal("0.01") <= ratio <= 100):
        raise ValidationError({"ratio": "抽查比例应在 0.01% 到 100% 之间。"})
    if not isinstance(frequency, int) or not 1 <= frequency <= 12:
        raise ValidationError({"frequency": "每年抽查次数应在 1 到 12 次之间。"})
    basis = (basis or "").strip()
    require_plain(basis=basis)
    rule = Rule.objects.filter(agency=agency, item=item, risk_class=risk_class).first() or Rule(agency=agency, item=item, risk_class=risk_class)
    rule.ratio, rule.frequency, rule.basis, rule.updated_at = ratio, frequency, basis[:300], timezone.now()
    rule.save()
    _record("inspections.rule.saved", actor, rule, ledger.snapshot(rule, RULE_FIELDS))
    return rule


def cap_for(year: int) -> tuple[int, str]:
    row = YearlyCap.objects.filter(year=year).first()
    if row is not None:
        return row.limit, row.basis
    return settings.ZHIFA_INSPECTION_YEARLY_CAP, "国办发〔2024〕54号（默认值，可由系统管理员按本地规定调整）"


@transaction.atomic
def set_cap(actor, *, year: int, limit: int, basis: str) -> YearlyCap:
    require(is_admin(actor), "只有系统管理员可以设定年度抽查次数上限。")
    if not isinstance(year, int) or not 2000 <= year <= 2099:
        raise ValidationError({"year": "年度应在 2000 到 2099 之间。"})
    if not isinstance(limit, int) or not 1 <= limit <= 50:
        raise ValidationError({"limit": "上限应在 1 到 50 次之间。"})
    basis = (basis or "").strip()
    require_plain(basis=basis)
    if not basis:
        raise ValidationError({"basis": "请写明依据。"})
    row = YearlyCap.objects.filter(year=year).first() or YearlyCap(year=year)
    row.limit, row.basis, row.updated_at = limit, basis[:300], timezone.now()
    row.save()
    _record("inspections.cap.saved", actor, row, ledger.snapshot(row, CAP_FIELDS))
    return row


# ---------------------------------------------------------------- 抽查计划

@transaction.atomic
def create_plan(actor, agency: Agency, *, item, year: int, title: str, starts_on, ends_on, partners=(),
                inspectors_per_agency: int = 2, region_prefix: str = "", seed_source: str = SeedSource.LOTTERY,
                seed_description: str = "") -> Plan:
    """The next round of a 随机抽查事项 this year (up to the highest frequency its rules set), alone or jointly."""
    require(may_manage(actor, agency), "只有系统管理员或本机关负责人可以制定抽查计划。")
    item = inspection_item(agency, item.pk if isinstance(item, PublicItem) else item)
    title, region_prefix, seed_description = (title or "").strip(), (region_prefix or "").strip(), (seed_description or "").strip()
    require_plain(title=title, region_prefix=region_prefix, seed_description=seed_description)
    errors = {}
    if not isinstance(year, int) or not 2000 <= year <= 2099:
        raise ValidationError({"year": "年度应在 2000 到 2099 之间。"})
    if not title:
        errors["title"] = "请填写计划名称。"
    if not (isinstance(starts_on, datetime.date) and isinstance(ends_on, datetime.date)):
        raise ValidationError({"starts_on": "请填写检查起止日期。"})
    if starts_on.year != year or ends_on.year != year:
        errors["starts_on"] = f"检查起止日期应在 {year} 年内。"
    elif ends_on < starts_on:
        errors["ends_on"] = "检查结束日期不能早于开始日期。"
    partners = list(dict.fromkeys(partners))
    if any(not isinstance(p, Agency) or p.pk == agency.pk or p.is_supervisory or not p.is_active for p in partners):
        errors["partners"] = "联合抽查部门应为其他有效的执法主体（不含行政执法监督机关）。"
    # Each agency on the visit acts through its own officers, and no fewer than two of them (行政处罚法第四十二条,
    # R8.2): a joint visit is two or more agencies' lawful checks made at once, not one check shared between them.
    if not isinstance(inspectors_per_agency, int) or not 2 <= inspectors_per_agency <= 10:
        errors["inspectors_per_agency"] = "每个部门抽取的执法检查人员应为 2 到 10 人：执法检查不得少于两人（行政处罚法第四十二条），联合抽查时每个部门各自不少于两人。"
    if region_prefix and not (region_prefix.isascii() and region_prefix.isdigit() and 2 <= len(region_prefix) <= 6):
        errors["region_prefix"] = "行政区划范围应为 2 到 6 位数字。"
    if seed_source not in SeedSource.values:
        errors["seed_source"] = "随机种子来源无效。"
    elif seed_source == SeedSource.LOTTERY and not seed_description:
        errors["seed_description"] = "请写明将采用的开奖号码（如：中国福利彩票双色球第 2026138 期开奖号码），须为名单固化时尚未开奖的一期。"
    rules = list(Rule.objects.filter(agency=agency, item=item))
    if not rules:
        errors["item"] = "该抽查事项尚未设定抽查比例和频次。"
    if errors:
        raise ValidationError(errors)
    rounds = max(r.frequency for r in rules)
    PublicItem.objects.select_for_update().get(pk=item.pk)  # one round number at a time per item
    done = Plan.objects.filter(agency=agency, item=item, year=year).count()
    if done >= rounds:
        raise ValidationError({"item": f"该事项 {year} 年已制定 {done} 次抽查计划，已达规定频次（每年 {rounds} 次）。"})
    number = numbering.next_number(agency_id=agency.pk, prefix=agency.short_name, type_code="抽", year=year)
    plan = Plan.objects.create(
        agency=agency, item=item, year=year, round=done + 1, number=number, title=title[:200], starts_on=starts_on, ends_on=ends_on,
        inspectors_per_agency=inspectors_per_agency, region_prefix=region_prefix, seed_source=seed_source,
        seed_description=seed_description[:200], created_by=actor, created_at=timezone.now(),
    )
    plan.partners.set(partners)
    _record("inspections.plan.created", actor, plan, _plan_state(plan))
    return plan


def _plan_agencies(plan: Plan) -> list[Agency]:
    return [plan.agency, *plan.partners.order_by("pk")]


def public_identity(target: Target) -> tuple[str, str]:
    """What the public record shows of a target: a natural person's name and number are masked."""
    if not target.is_person:
        return target.code, target.name
    code = target.code
    return code[:6] + "*" * (len(code) - 10) + code[-4:], (target.name[:1] + "某") if target.name else "某"


def _pool_line(*parts) -> str:
    return "\t".join(" ".join(str(p).split()) for p in parts)


def strata_text(parameters: dict) -> str:
    """"高风险 30%；一般风险 1.5%" for the pages: ten-thousandths as a percentage, without trailing zeros."""
    return "；".join(f"{s['label']} {decimal.Decimal(s['ratio_bp']).scaleb(-2).normalize():f}%" for s in parameters.get("strata", []))


def parameters_for(plan: Plan) -> dict:
    rules = {r.risk_class: r for r in Rule.objects.filter(agency=plan.agency, item=plan.item)}
    strata = [
        {"key": risk, "label": label, "ratio_bp": int(rules[risk].ratio * 100)}
        for risk, label in RiskClass.choices if risk in rules and rules[risk].frequency >= plan.round
    ]
    limit, basis = cap_for(plan.year)
    return {
        "strata": strata,
        "agencies": [{"key": str(a.pk), "name": a.name, "inspectors": plan.inspectors_per_agency} for a in _plan_agencies(plan)],
        "yearly_cap": limit,
        "cap_basis": basis,
        "region_prefix": plan.region_prefix,
    }


@transaction.atomic
def commit_plan(actor, plan: Plan) -> Draw:
    """固化: the target and inspector pools are frozen and their SM3 hashes appended to the ledger, before any
    seed exists. After this nothing about the pools or the parameters can change."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(may_manage(actor, plan.agency), "只有系统管理员或本机关负责人可以固化抽查名单。")
    if plan.status != PlanStatus.DRAFT or Draw.objects.filter(plan=plan).exists():
        raise ValidationError("该计划的名单已经固化，不能再次固化。")
    parameters = parameters_for(plan)
    if not parameters["strata"]:
        raise ValidationError("该事项在本轮没有需要抽查的风险等级（频次已满）。")
    strata = [s["key"] for s in parameters["strata"]]
    targets = Target.objects.filter(agency=plan.agency, is_active=True, risk_class__in=strata)
    if plan.region_prefix:
        targets = targets.filter(region_code__startswith=plan.region_prefix)
    target_lines = []
    for pk, risk, code, name, kind in targets.order_by("pk").values_list("pk", "risk_class", "code", "name", "kind").iterator(chunk_size=20000):
        shown = public_identity(Target(code=code, name=name, kind=kind))
        target_lines.append(_pool_line(pk, risk, *shown))
    if not target_lines:
        raise ValidationError("检查对象名录库中没有符合本计划的检查对象，无法固化名单。")
    today = timezone.localdate()
    inspector_lines, excluded = [], []
    for agency in _plan_agencies(plan):
        entries = Inspector.objects.filter(agency=agency, is_active=True).select_related("person").prefetch_related("person__credentials").order_by("person_id")
        eligible = 0
        for entry in entries:
            problem = eligibility(entry.person, agency, plan.item, today)
            if problem:
                excluded.append({"person": entry.person_id, "name": entry.person.full_name, "agency": agency.pk, "reason": problem})
                continue
            credential = credential_of(entry.person, today)
            inspector_lines.append(_pool_line(entry.person_id, agency.pk, credential.number, entry.person.full_name))
            eligible += 1
        if eligible < plan.inspectors_per_agency:
            raise ValidationError(
                f"{agency.name}的执法检查人员名录库中符合条件的只有 {eligible} 人，少于每个检查对象需要的 {plan.inspectors_per_agency} 人。"
            )
    now = timezone.now()
    draw = Draw(
        plan=plan, parameters=parameters,
        targets=zlib.compress(drawing.pool_text(target_lines), 6), inspectors=zlib.compress(drawing.pool_text(inspector_lines), 6),
        targets_sm3=drawing.pool_hash(target_lines), inspectors_sm3=drawing.pool_hash(inspector_lines),
        parameters_sm3=drawing.sm3(drawing.canonical(parameters)).hex(),
        target_count=len(target_lines), inspector_count=len(inspector_lines), excluded=excluded,
        committed_at=now, committed_by=actor,
    )
    draw.save()
    plan.status = PlanStatus.COMMITTED
    plan.save(update_fields=["status"])
    event = ledger.append(
        "inspections.draw.committed", actor=actor, obj=plan,
        data={
            **_plan_state(plan), "targets_sm3": draw.targets_sm3, "inspectors_sm3": draw.inspectors_sm3,
            "parameters_sm3": draw.parameters_sm3, "target_count": draw.target_count, "inspector_count": draw.inspector_count,
        },
    )
    draw.commitment_seq = event.seq
    draw.save(update_fields=["commitment_seq"])
    return draw


def pool_lines(blob) -> list[str]:
    text = zlib.decompress(bytes(blob)).decode("utf-8")
    return text.split("\n")[:-1] if text else []


def _cap_counts(plan: Plan, codes) -> dict:
    """Inspections this year of each code by every agency (a joint task counts once), other plans only."""
    rows = (Task.objects.filter(plan__year=plan.year).exclude(plan=plan).values("target__code")
            .annotate(n=Count("pk")).filter(n__gt=0))
    counts = {r["target__code"]: r["n"] for r in rows}
    return {code: counts[code] for code in codes if code in counts}


@transaction.atomic
def enter_seed(actor, plan: Plan, value: str) -> Draw:
    """The published lottery numbers named when the pools were frozen: entered once, then the draw is made."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(may_manage(actor, plan.agency), "只有系统管理员或本机关负责人可以录入随机种子。")
    draw = Draw.objects.filter(plan=plan).first()
    if draw is None:
        raise ValidationError("请先固化检查对象和执法检查人员名单，再录入随机种子。")
    if draw.seed:
        raise ValidationError({"seed": "该计划的随机种子已经录入并已摇号，不能再次录入。"})
    if plan.seed_source != SeedSource.LOTTERY:
        raise ValidationError({"seed": "该计划以账本签名树头为随机种子，由系统在名单固化后的第一个签名树头自动取得。"})
    value = drawing.normalise_seed(value or "")
    require_plain(seed=value)
    if not value:
        raise ValidationError({"seed": "请录入开奖号码。"})
    if len(value) > 200:
        raise ValidationError({"seed": "开奖号码不能超过 200 个字。"})
    draw.seed, draw.seed_entered_at, draw.seed_entered_by = value, timezone.now(), actor
    return _make_draw(actor, plan, draw)


def head_after(draw: Draw) -> TreeHead | None:
    """The first signed tree head that covers the commitment event and was signed after it."""
    if draw.commitment_seq is None:
        return None
    after_ms = int(draw.committed_at.timestamp() * 1000)
    return TreeHead.objects.filter(tree_size__gt=draw.commitment_seq, timestamp_ms__gt=after_ms).order_by("tree_size").first()


@transaction.atomic
def draw_from_tree_head(actor, plan: Plan) -> Draw | None:
    """For a plan seeded by the ledger: the root hash of the first head signed after the commitment. None while
    that head does not exist yet (the periodic signer makes one within its interval). `actor` None is the scheduler."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(actor is None or may_manage(actor, plan.agency), "只有系统管理员或本机关负责人可以摇号。")
    draw = Draw.objects.filter(plan=plan).first()
    if draw is None or plan.seed_source != SeedSource.TREE_HEAD:
        raise ValidationError("该计划不以账本签名树头为随机种子，或名单尚未固化。")
    if draw.seed:
        raise ValidationError({"seed": "该计划已经摇号，不能再次摇号。"})
    head = head_after(draw)
    if head is None:
        return None
    draw.seed = head.root_hash
    draw.seed_head = {"tree_size": head.tree_size, "timestamp_ms": head.timestamp_ms, "root_hash": head.root_hash, "signature": head.signature}
    draw.seed_entered_at = timezone.now()
    return _make_draw(actor, plan, draw)


_DRAW_LOCK = 0x7A68_6966_615F_6472  # "zhifa_dr"


def _make_draw(actor, plan: Plan, draw: Draw) -> Draw:
    # Draws one at a time across every agency: the yearly cap counts the tasks other draws made, and two draws
    # counting at once could both take a subject at its last allowed visit. (SQLite's IMMEDIATE transactions
    # already queue; PostgreSQL takes this transaction-level lock.)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DRAW_LOCK])
    targets, inspectors = pool_lines(draw.targets), pool_lines(draw.inspectors)
    if drawing.pool_hash(targets) != draw.targets_sm3 or drawing.pool_hash(inspectors) != draw.inspectors_sm3:
        raise ValidationError("固化的名单与账本中的承诺不符，已停止摇号，请联系系统管理员核查。")
    parsed = drawing.parse_targets(targets)
    ids = [int(t) for t, _ in parsed]
    codes = {}
    for chunk in range(0, len(ids), 20000):
        codes.update(Target.objects.filter(pk__in=ids[chunk:chunk + 20000]).values_list("pk", "code"))
    limit = draw.parameters["yearly_cap"]
    counts = _cap_counts(plan, set(codes.values()))
    at_cap = {str(pk) for pk, code in codes.items() if counts.get(code, 0) >= limit}
    try:
        result = drawing.Draw(plan.pk, targets, inspectors, draw.parameters, draw.seed, at_cap)
    except ValueError as exc:
        raise ValidationError(str(exc))
    draw.skipped = [{"target": t, "reason": "cap", "count": counts[codes[int(t)]]} for t in result.passed_over]
    draw.initial = result.result()
    draw.drawn_at = timezone.now()
    draw.save()
    tasks = [
        Task(plan=plan, target_id=int(row["target"]), position=n, stratum=row["stratum"])
        for n, row in enumerate(draw.initial, start=1)
    ]
    Task.objects.bulk_create(tasks, batch_size=2000)
    by_target = {t.target_id: t.pk for t in Task.objects.filter(plan=plan).only("pk", "target_id")}
    members = [
        TaskInspector(task_id=by_target[int(row["target"])], person_id=int(person), agency_id=int(agency))
        for row in draw.initial for agency, people in row["inspectors"].items() for person in people
    ]
    TaskInspector.objects.bulk_create(members, batch_size=2000)
    plan.status = PlanStatus.DRAWN
    plan.save(update_fields=["status"])
    ledger.append(
        "inspections.draw.made", actor=actor, obj=plan,
        data={
            **_plan_state(plan), "seed": draw.seed, "seed_head": draw.seed_head,
            "result_sm3": drawing.sm3(drawing.canonical(draw.initial)).hex(), "selected": len(draw.initial), "skipped": draw.skipped,
        },
    )
    if not tasks:
        finish_if_done(actor, plan)
    return draw


# ---------------------------------------------------------------- 回避、检查、结果

def may_act_on(actor, task: Task) -> bool:
    return task.inspectors.filter(person=actor, is_active=True).exists() or is_head_of(actor, task.plan.agency)


@transaction.atomic
def recuse(actor, member: TaskInspector, reason: str) -> TaskInspector:
    """回避 (R8.4): the inspector leaves the task, the reason is kept, and a replacement from the same agency is
    drawn by the published rule (docs/inspections.md). The inspector asks, or their agency's head decides."""
    # Recusals of one plan one at a time: each replacement depends on the loads the previous ones left, and the
    # public record replays them in the order they were made.
    Plan.objects.select_for_update().get(pk=member.task.plan_id)
    task = Task.objects.select_related("plan", "plan__draw").get(pk=member.task_id)
    member = TaskInspector.objects.select_related("person").get(pk=member.pk)
    require(actor == member.person or is_head_of(actor, member.agency), "只有本人或其所在机关负责人可以申请回避。")
    reason = (reason or "").strip()
    require_plain(reason=reason)
    if not reason:
        raise ValidationError({"reason": "请写明回避原因（如与检查对象有利害关系）。"})
    if not member.is_active:
        raise ValidationError({"reason": "该人员已经回避。"})
    if task.status == TaskStatus.DONE:
        raise ValidationError({"reason": "检查已经完成，不能再申请回避。"})
    if task.case_id and task.case.officers.filter(person=member.person).exists():
        raise ValidationError({"reason": "检查已经开始，该人员是检查案件的承办人员：请先在案件中办理回避。"})
    draw = task.plan.draw
    key = draw_key(draw)
    pool = [i for i, agency in drawing.parse_inspectors(pool_lines(draw.inspectors)) if agency == str(member.agency_id)]
    on_task = {str(p) for p in task.inspectors.filter(is_active=True).values_list("person_id", flat=True)}
    recused = {str(p) for p in task.inspectors.filter(is_active=False).values_list("person_id", flat=True)} | {str(member.person_id)}
    candidates = [i for i in pool if i not in on_task and i not in recused]
    if not candidates:
        raise ValidationError({"reason": "名单中已没有可以替换的执法检查人员，不能回避：请机关负责人调整计划。"})
    loads = dict(TaskInspector.objects.filter(task__plan=task.plan, is_active=True).values("person_id").annotate(n=Count("pk")).values_list("person_id", "n"))
    pick = min(candidates, key=lambda i: drawing.replacement_rank(key, str(task.target_id), i, loads.get(int(i), 0)))
    replacement = TaskInspector.objects.create(task=task, person_id=int(pick), agency_id=member.agency_id)
    member.is_active, member.recusal_reason, member.recused_at, member.replaced_by = False, reason[:300], timezone.now(), replacement
    member.save()
    ledger.append(
        "inspections.task.recused", actor=actor, obj=task, agency_id=task.plan.agency_id,
        data={"plan": task.plan_id, "task": task.pk, "target": task.target_id, "inspector": member.person_id,
              "replacement": replacement.person_id, "reason": member.recusal_reason},
    )
    return replacement


def draw_key(draw: Draw) -> bytes:
    return drawing.draw_key(draw.plan_id, draw.targets_sm3, draw.inspectors_sm3, draw.parameters_sm3, draw.seed)


def _task_state(task: Task) -> dict:
    return ledger.snapshot(task, TASK_FIELDS)


@transaction.atomic
def start_task(actor, task: Task):
    """开始检查: the 行政检查 case, with the target as its party and the task's inspectors of the actor's agency as
    its officers. The case's documents and recordings are the whole-process record of the check."""
    from zhifa.cases import services as cases

    task = Task.objects.select_for_update(of=("self",)).select_related("plan", "plan__item", "target").get(pk=task.pk)
    require(task.inspectors.filter(person=actor, is_active=True).exists(), "只有检查组成员可以开始检查。")
    if task.case_id:
        raise ValidationError("该任务的检查已经开始。")
    if task.status == TaskStatus.DONE:
        raise ValidationError("该任务已经完成。")
    today = timezone.localdate()
    if today < task.plan.starts_on:
        raise ValidationError(f"检查期间自 {task.plan.starts_on:%Y年%m月%d日} 开始。")
    officers = [m.person for m in task.inspectors.filter(is_active=True, agency_id=actor.agency_id).select_related("person")]
    target = task.target
    party = {"kind": "citizen" if target.is_person else "organisation", "name": target.name, "id_code": target.code,
             "address": target.address or "（名录库未登记地址）"}
    case = cases.open_case(
        actor, procedure_code="inspection", title=f"{task.plan.item.name}（双随机抽查 {task.plan.number}）", source="inspection",
        parties=[party], officers=officers, facts=f"依{task.plan.number}随机抽取，第 {task.position} 号检查对象。",
        place=target.address,
    )
    task.case, task.status = case, TaskStatus.IN_PROGRESS
    task.save(update_fields=["case", "status"])
    _record("inspections.task.started", actor, task, _task_state(task), agency_id=task.plan.agency_id)
    return case


@transaction.atomic
def record_result(actor, task: Task, *, outcome: str, checked_on, note: str = "") -> Task:
    """检查结果: public on the portal from now (R8.5: within 20 working days of the end of the check). A result
    that says what was found rests on the issued 检查结果告知书 or 责令改正通知书 of the task's case."""
    task = Task.objects.select_for_update(of=("self",)).select_related("plan", "case").get(pk=task.pk)
    require(may_act_on(actor, task), "只有检查组成员或机关负责人可以录入检查结果。")
    if task.status == TaskStatus.DONE:
        raise ValidationError({"outcome": "该任务已录入检查结果。"})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "检查结果无效。"})
    note = (note or "").strip()
    require_plain(note=note)
    today = timezone.localdate()
    if not isinstance(checked_on, datetime.date):
        raise ValidationError({"checked_on": "请填写检查结束日期。"})
    if checked_on > today or checked_on < task.plan.starts_on:
        raise ValidationError({"checked_on": f"检查结束日期应在 {task.plan.starts_on:%Y年%m月%d日} 与今天之间。"})
    if outcome in NEEDS_DOCUMENT:
        issued = task.case_id and task.case.documents.filter(doc_type__in=RESULT_DOCUMENTS, status="issued").exists()
        if not issued:
            raise ValidationError({"outcome": "请先在检查案件中出具行政检查结果告知书或责令改正通知书，再录入检查结果。"})
    elif not note:
        raise ValidationError({"note": "未能实施检查的，请写明情况（如实地核查情况）。"})
    task.outcome, task.checked_on, task.note, task.recorded_by, task.status = outcome, checked_on, note[:500], actor, TaskStatus.DONE
    task.save()
    _record("inspections.task.result", actor, task, _task_state(task), agency_id=task.plan.agency_id)
    finish_if_done(actor, task.plan)
    return task


def finish_if_done(actor, plan: Plan) -> None:
    if plan.status == PlanStatus.DRAWN and not plan.tasks.exclude(status=TaskStatus.DONE).exists():
        plan.status = PlanStatus.FINISHED
        plan.save(update_fields=["status"])
        _record("inspections.plan.finished", actor, plan, _plan_state(plan))


def result_due(task: Task) -> datetime.date | None:
    """The last day for the result to be public (R8.5): 20 working days after the end of the plan's checks."""
    return workdays.add_workdays(task.plan.ends_on, RESULT_WORKDAYS, basis="R8.5").date
