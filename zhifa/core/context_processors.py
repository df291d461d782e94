from functools import lru_cache

from django.urls import get_script_prefix, reverse

from zhifa.core.roles import Role, is_admin

STAFF_NAV = (
    ("home", "首页"), ("case-list", "案件"), ("review-tasks", "法制审核"), ("inspections", "双随机"), ("evidence-list", "证据"),
    ("agency-list", "执法主体"), ("person-list", "人员"), ("credential-list", "执法证件"),
    ("publication-queue", "公示"), ("ledger-overview", "账本"), ("public-procedure-list", "执法程序"), ("calendar", "工作日历"),
)


@lru_cache(maxsize=None)
def _links(prefix: str, names: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(url name, address, label): for a given script prefix the addresses never change, so they are reversed once."""
    return tuple((name, reverse(name), label) for name, label in names)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": ()}
    nav = STAFF_NAV
    if is_admin(user) or user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD):
        nav += (("evidence-access-log", "调阅记录"),)
    if is_admin(user) or user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD):
        nav += (("live", "实时动态"), ("cockpit", "执法监督"))
    if is_admin(user) or user.has_role(Role.SUPERVISOR):
        nav += (("jobs", "定时任务"),)
    if is_admin(user):
        nav += (("webhooks", "实时推送"), ("logins", "登录安全"), ("admin:index", "后台管理"))
    return {"nav": _links(get_script_prefix(), nav)}
