"""Scheduled publicity jobs (zhifa/core/jobs.py): take-down, overdue publication and withdrawal alerts, the annual
reports in January and the check after 31 January."""

import datetime as dt

from django.utils import timezone

from zhifa.core.jobs import Schedule, job


@job("publication-takedown", "撤下公示期满的信息", Schedule("day", dt.time(1, 0)))
def take_down() -> str:
    from zhifa.publicity import services

    return f"撤下 {services.take_down_expired()} 条"


def _releasers(agency_id) -> list[int]:
    from zhifa.core.roles import Role
    from zhifa.workflow.people import with_role

    return with_role(Role.HEAD, agency_id) + with_role(Role.REVIEWER, agency_id)


@job("publication-alerts", "逾期未公示、逾期未撤回预警", Schedule("day", dt.time(8, 0)))
def publication_alerts() -> str:
    from zhifa.workflow.alerts import raise_alert

    from .selectors import late_publications, late_withdrawals

    today = timezone.localdate()
    raised = 0
    for p in late_publications(today):
        raised += bool(raise_alert(
            code="publication_overdue", key=f"publication-overdue:{p.pk}:{p.due_date}", agency_id=p.agency_id,
            title=f"{p.decision_number} 超过公示期限（{p.due_date:%Y-%m-%d}）仍未公开", link=f"/publicity/{p.pk}/", recipients=_releasers(p.agency_id),
        ))
    for p in late_withdrawals(today):
        raised += bool(raise_alert(
            code="withdrawal_overdue", key=f"withdrawal-overdue:{p.pk}:{p.withdrawal_due}", agency_id=p.agency_id,
            title=f"{p.decision_number} 决定已被撤销等，逾期未撤回公示（应于 {p.withdrawal_due:%Y-%m-%d} 前撤回）", body="行政处罚法第四十八条",
            link=f"/publicity/{p.pk}/", recipients=_releasers(p.agency_id),
        ))
    return f"新预警 {raised} 项"


def _enforcing_agencies():
    from zhifa.org.models import Agency

    return Agency.objects.filter(is_supervisory=False).order_by("pk")


@job("annual-report-drafts", "生成上一年度统计年报（1月）", Schedule("day", dt.time(3, 0), months=(1,)), timeout=6 * 3600)
def annual_report_drafts() -> str:
    """Each agency's report for the year just ended, generated when it has none yet; the head may regenerate it."""
    from .models import AnnualReport
    from .services import generate_annual_report

    year = timezone.localdate().year - 1
    have = set(AnnualReport.objects.filter(year=year).values_list("agency_id", flat=True))
    made = [generate_annual_report(None, a, year) for a in _enforcing_agencies() if a.pk not in have]
    return f"{year} 年度统计年报新生成 {len(made)} 份"


@job("annual-report-check", "统计年报 1月31日检查", Schedule("day", dt.time(8, 0), months=(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)))
def annual_report_check() -> str:
    """After 31 January, each agency still without last year's report (DOMAIN.md R1.5): an alert to its heads, the
    administrators and the supervisors of its region."""
    from zhifa.core.roles import Role
    from zhifa.workflow.alerts import raise_alert
    from zhifa.workflow.people import administrators, supervisors_of, with_role

    from .models import AnnualReport

    year = timezone.localdate().year - 1
    have = set(AnnualReport.objects.filter(year=year).values_list("agency_id", flat=True))
    raised = 0
    for a in _enforcing_agencies():
        if a.pk in have:
            continue
        raised += bool(raise_alert(
            code="annual_report_missing", key=f"annual-report-missing:{a.pk}:{year}", agency_id=a.pk,
            title=f"{a.name} 未在1月31日前公开 {year} 年度行政执法统计年报", link="/gs/annual/",
            recipients=with_role(Role.HEAD, a.pk) + administrators() + supervisors_of(a.pk),
        ))
    return f"新预警 {raised} 项"
