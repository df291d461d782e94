"""数据驾驶舱: the figures of a scope (a region, or one agency) over a period, and the same figures for each part of
it one level down (province → city → county → agency), read with a fixed number of grouped queries whatever the
number of agencies or rows: each figure is counted per agency once, then summed by region in Python."""

import dataclasses
import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from zhifa.core.errors import require
from zhifa.core.roles import Role, is_admin
from zhifa.org.models import Agency
from zhifa.org.selectors import visible_agencies


@dataclasses.dataclass
class Scope:
    code: str  # a region prefix (2, 4 or 6 digits) or "a<pk>" for one agency
    label: str
    agencies: list[Agency]
    parts: list[tuple[str, str, list[int]]]  # (code, label, agency ids) one level down
    up: str | None  # the enclosing scope's code, when the person may see it


def _region_names() -> dict[str, str]:
    names = {}
    for code, name in Agency.objects.values_list("region_code", "region_name"):
        names.setdefault(code, name)
    return names


def scope_for(user, code: str = "") -> Scope:
    """The scope `code` names (a region prefix of 2, 4 or 6 digits, or "a<pk>" for one agency), or by default the
    smallest region holding every agency the person may see; only those agencies are ever counted."""
    agencies = list(visible_agencies(user).filter(is_supervisory=False, is_active=True).order_by("region_code", "pk"))
    if not agencies:
        raise Http404("没有可以查看的执法主体。")
    names = _region_names()
    if code.startswith("a") and code[1:].isascii() and code[1:].isdigit() and len(code) < 20:
        chosen = [a for a in agencies if a.pk == int(code[1:])]
        if not chosen:
            raise Http404("没有这个执法主体，或您无权查看。")
        return Scope(code, chosen[0].name, chosen, [], chosen[0].region_code if len(agencies) > 1 else None)
    if not (code.isascii() and code.isdigit() and len(code) in (2, 4, 6)):
        common = agencies[0].region_code
        for a in agencies[1:]:
            while not a.region_code.startswith(common):
                common = common[:-1]
        code = next((common[:n] for n in (6, 4, 2) if len(common) >= n), "")
    inside = [a for a in agencies if a.region_code.startswith(code)]
    if not inside:
        raise Http404("该地区没有您可以查看的执法主体。")
    label = names.get(code.ljust(6, "0"), code) if code else "全部地区"
    if len(code) < 6:
        width = {0: 2, 2: 4, 4: 6}[len(code)]
        groups: dict[str, list[int]] = {}
        for a in inside:
            groups.setdefault(a.region_code[:width], []).append(a.pk)
        parts = [(part, names.get(part.ljust(6, "0"), part), ids) for part, ids in sorted(groups.items())]
    else:
        parts = [(f"a{a.pk}", a.name, [a.pk]) for a in inside]
    up = code[:-2] if len(code) > 2 and len(inside) < len(agencies) else None
    return Scope(code, label, inside, parts, up)


def period(start_text: str = "", end_text: str = "") -> tuple[dt.date, dt.date]:
    """The chosen period, this year to date unless both ends are valid dates in order within a few years."""
    today = timezone.localdate()
    try:
        start, end = dt.date.fromisoformat(start_text), dt.date.fromisoformat(end_text)
    except (TypeError, ValueError):
        return today.replace(month=1, day=1), today
    if start > end or start.year < 2000 or end.year > 2099 or (end - start).days > 366 * 5:
        return today.replace(month=1, day=1), today
    return start, end


def _by_agency(rows) -> dict[int, int]:
    return {r["a"]: r["n"] for r in rows}


def per_agency(ids: list[int], start: dt.date, end: dt.date) -> dict[str, dict[int, float]]:
    """Every figure counted per agency (one grouped query each)."""
    from zhifa.cases.models import Case, CaseDeadline, CaseStatus
    from zhifa.cases.selectors import overdue
    from zhifa.documents.models import Document, DocumentStatus
    from zhifa.inspections.models import Task, TaskStatus
    from zhifa.publicity.models import Publication, PublicationStatus
    from zhifa.review.models import ReviewStatus, ReviewTask

    from .models import Clue

    today = timezone.localdate()
    cases = Case.objects.filter(agency_id__in=ids)
    f = {
        "cases_opened": _by_agency(cases.filter(opened_on__range=(start, end)).values(a=F("agency_id")).annotate(n=Count("pk"))),
        "cases_open": _by_agency(cases.filter(status=CaseStatus.OPEN).values(a=F("agency_id")).annotate(n=Count("pk"))),
        "cases_overdue": _by_agency(overdue(CaseDeadline.objects.filter(case__agency_id__in=ids), today)
                                    .values(a=F("case__agency_id")).annotate(n=Count("case", distinct=True))),
    }
    decisions = Document.objects.filter(agency_id__in=ids, status=DocumentStatus.ISSUED, issued_on__range=(start, end),
                                        doc_type__in=("penalty_decision", "onsite_penalty_decision"))
    f["decisions"] = _by_agency(decisions.values(a=F("agency_id")).annotate(n=Count("pk")))
    f["fines"] = {r["a"]: float(r["n"] or 0) for r in Case.objects.filter(pk__in=decisions.values("case_id"))
                  .values(a=F("agency_id")).annotate(n=Sum("fine_amount"))}
    due = Publication.objects.filter(agency_id__in=ids, due_date__range=(start, min(end, today)))
    f["publications_due"] = _by_agency(due.values(a=F("agency_id")).annotate(n=Count("pk")))
    f["publications_on_time"] = _by_agency(due.filter(published_on__isnull=False, published_on__lte=F("due_date"))
                                           .values(a=F("agency_id")).annotate(n=Count("pk")))
    f["publications_overdue"] = _by_agency(Publication.objects.filter(agency_id__in=ids, status=PublicationStatus.PENDING, due_date__lt=today)
                                           .values(a=F("agency_id")).annotate(n=Count("pk")))
    wd = Publication.objects.filter(agency_id__in=ids, withdrawal_due__range=(start, min(end, today)))
    f["withdrawals_due"] = _by_agency(wd.values(a=F("agency_id")).annotate(n=Count("pk")))
    f["withdrawals_on_time"] = _by_agency(wd.filter(withdrawn_on__isnull=False, withdrawn_on__lte=F("withdrawal_due"))
                                          .values(a=F("agency_id")).annotate(n=Count("pk")))
    reviews = ReviewTask.objects.filter(case__agency_id__in=ids, decided_on__range=(start, end))
    f["reviews"] = _by_agency(reviews.values(a=F("case__agency_id")).annotate(n=Count("pk")))
    f["reviews_corrected"] = _by_agency(reviews.filter(status=ReviewStatus.CORRECTED).values(a=F("case__agency_id")).annotate(n=Count("pk")))
    tasks = Task.objects.filter(plan__agency_id__in=ids, plan__year__in=range(start.year, end.year + 1))
    f["inspections_planned"] = _by_agency(tasks.values(a=F("plan__agency_id")).annotate(n=Count("pk")))
    f["inspections_done"] = _by_agency(tasks.filter(status=TaskStatus.DONE).values(a=F("plan__agency_id")).annotate(n=Count("pk")))
    f["clues_open"] = _by_agency(Clue.objects.filter(agency_id__in=ids, is_open=True).values(a=F("agency_id")).annotate(n=Count("pk")))
    f["clues_serious"] = _by_agency(Clue.objects.filter(agency_id__in=ids, is_open=True, severity="high")
                                    .values(a=F("agency_id")).annotate(n=Count("pk")))
    return f


FIGURES = [
    ("cases_opened", "新立案件"), ("cases_open", "在办案件"), ("cases_overdue", "超期案件"), ("decisions", "行政处罚决定"),
    ("fines", "罚款金额（元）"), ("publications_due", "应公示"), ("publications_on_time", "按期公示"), ("publications_overdue", "逾期未公示"),
    ("withdrawals_due", "应撤回公示"), ("withdrawals_on_time", "按期撤回"), ("reviews", "法制审核"), ("reviews_corrected", "审核纠正"),
    ("inspections_planned", "双随机抽查（计划）"), ("inspections_done", "双随机抽查（完成）"), ("clues_open", "未办结线索"),
    ("clues_serious", "其中严重"),
]
RATES = [("publication_rate", "公示按期率", "publications_on_time", "publications_due"), ("withdrawal_rate", "撤回按期率", "withdrawals_on_time", "withdrawals_due"),
         ("correction_rate", "审核纠正率", "reviews_corrected", "reviews"), ("inspection_rate", "抽查完成率", "inspections_done", "inspections_planned")]


def _sum(values: dict[int, float], ids) -> float:
    return sum(values.get(i, 0) for i in ids)


def totals(f: dict, ids) -> dict:
    out = {key: _sum(f[key], ids) for key, _ in FIGURES}
    out["fines"] = Decimal(str(out["fines"])).quantize(Decimal("0.01"))
    for key, _, part, whole in RATES:
        out[key] = round(100 * out[part] / out[whole], 1) if out[whole] else None
    return out


def trend(ids, start: dt.date, end: dt.date) -> dict:
    """Cases opened and decisions per month in the period."""
    from zhifa.cases.models import Case
    from zhifa.documents.models import Document, DocumentStatus

    opened = {r["m"].strftime("%Y-%m"): r["n"] for r in Case.objects.filter(agency_id__in=ids, opened_on__range=(start, end))
              .annotate(m=TruncMonth("opened_on")).values("m").annotate(n=Count("pk")).order_by()}
    decided = {r["m"].strftime("%Y-%m"): r["n"] for r in Document.objects.filter(
        agency_id__in=ids, status=DocumentStatus.ISSUED, issued_on__range=(start, end), doc_type__in=("penalty_decision", "onsite_penalty_decision"))
        .annotate(m=TruncMonth("issued_on")).values("m").annotate(n=Count("pk")).order_by()}
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day.strftime("%Y-%m"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return {"months": months, "opened": [opened.get(m, 0) for m in months], "decided": [decided.get(m, 0) for m in months]}


def ledger_status() -> dict | None:
    from zhifa.ledger.selectors import last_verification

    last = last_verification()
    if last is None:
        return None
    return {"ok": bool(last.get("ok")), "at": timezone.localtime(last["event"].recorded_at), "problems": last.get("problem_count", 0)}


def cockpit(user, code: str = "", start_text: str = "", end_text: str = "") -> dict:
    """The page's, the export's and the API's figures, for supervisors, heads and administrators only."""
    require(is_admin(user) or user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD), "只有执法监督人员、机关负责人和系统管理员可以查看数据驾驶舱。")
    scope = scope_for(user, code)
    start, end = period(start_text, end_text)
    ids = [a.pk for a in scope.agencies]
    f = per_agency(ids, start, end)
    return {
        "scope": scope, "start": start, "end": end, "total": totals(f, ids),
        "parts": [(part, label, totals(f, part_ids)) for part, label, part_ids in scope.parts],
        "trend": trend(ids, start, end), "ledger": ledger_status(), "figures": FIGURES, "rates": RATES,
        "single": scope.code.startswith("a"),
    }

