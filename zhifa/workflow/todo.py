"""待办: the home page opens on each person's work, gathered from every app's source (rules.todo_sources)."""

from zhifa.core.pagination import count_upto

from .models import Approval
from .rules import TodoGroup, todo_sources

ITEMS = 5  # shown per group; the group links to its full list
CAP = 99


def group(title: str, rows, item, *, link: str = "", urgent=None) -> TodoGroup | None:
    """A group from a queryset: counted up to CAP (no scan of a large table), its first ITEMS rows as items."""
    count = count_upto(rows, CAP)
    if not count:
        return None
    return TodoGroup(title, count, [item(r) for r in rows[:ITEMS]], link, count_upto(urgent, CAP) if urgent is not None else 0)


def home_panel(request):
    groups = []
    for source in todo_sources:
        groups += [g for g in (source(request.user) or []) if g is not None]
    return {"groups": groups}


def approvals(user) -> list:
    from zhifa.core.roles import Role

    out = []
    if user.has_role(Role.HEAD) and user.agency_id:
        rows = Approval.objects.filter(agency_id=user.agency_id, status=Approval.Status.PENDING).exclude(requested_by=user).select_related("requested_by").order_by("id")
        out.append(group("待我审批", rows, lambda a: (f"{a.title}（{a.requested_by.full_name}送审）", a.requested_at.date(), f"/approvals/{a.pk}/"),
                         link="/approvals/"))
    # The person's own requests in one read (the home page is the busiest staff page): pending ones, and returned ones
    # not sent again since (a later request for the same subject).
    mine = list(Approval.objects.filter(requested_by=user).order_by("-id")
                .values("id", "kind", "subject_type", "subject_id", "status", "title", "opinion", "requested_at", "decided_at")[:CAP + 1])
    later, returned, pending = set(), [], []
    for a in mine:  # newest first
        subject = (a["kind"], a["subject_type"], a["subject_id"])
        if a["status"] == Approval.Status.RETURNED and subject not in later:
            returned.append(a)
        elif a["status"] == Approval.Status.PENDING:
            pending.append(a)
        later.add(subject)
    if returned:
        out.append(TodoGroup("被退回的审批", len(returned), [(f"{a['title']}：{a['opinion']}", a["decided_at"].date(), f"/approvals/{a['id']}/")
                                                       for a in returned[:ITEMS]], "/approvals/?status=returned"))
    if pending:
        pending.reverse()  # oldest first
        out.append(TodoGroup("我送审待批的", len(pending), [(a["title"], a["requested_at"].date(), f"/approvals/{a['id']}/") for a in pending[:ITEMS]],
                             "/approvals/"))
    return out


todo_sources.register(approvals, key="workflow.approvals", order=0)


def administration(user) -> list:
    """Administrators: a year whose official holiday arrangement is not entered yet (deadlines in it are estimates)."""
    import datetime as dt

    from django.utils import timezone

    from zhifa import workdays
    from zhifa.core.roles import is_admin

    if not is_admin(user):
        return []
    from django.core.cache import cache

    today = timezone.localdate()
    key = f"zhifa-todo-unpublished-years-{today}"
    missing = cache.get(key)
    if missing is None:  # the calendar is read at most every five minutes (an arrangement entered shows within that)
        years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
        missing = [y for y in years if y <= workdays.LAST_YEAR and workdays.day_status(dt.date(y, 1, 1)).provisional]
        cache.set(key, missing, 300)
    if not missing:
        return []
    return [TodoGroup("未录入的年度放假安排", len(missing), [(f"{y} 年放假安排尚未录入，期限按估算计算并标为暂估", None, "/calendar/") for y in missing],
                      "/calendar/", urgent=sum(1 for y in missing if y == today.year))]


def alerts_in_view(user) -> list:
    """Supervisors: the alerts of the last seven days in their region."""
    import datetime as dt

    from django.utils import timezone

    from zhifa.core.roles import Role
    from zhifa.org.selectors import scope_to_agencies

    from .models import Alert

    if not user.has_role(Role.SUPERVISOR):
        return []
    rows = scope_to_agencies(Alert.objects.select_related("agency"), user).filter(raised_at__gte=timezone.now() - dt.timedelta(days=7)).order_by("-id")
    return [group("近七日辖区预警", rows, lambda a: (f"{a.agency.short_name if a.agency else ''} {a.title}", a.raised_at.date(), a.link or "/live/"), link="/live/")]


todo_sources.register(administration, key="workflow.administration", order=90)
todo_sources.register(alerts_in_view, key="workflow.alerts", order=5)
