from zhifa.core.roles import Role, is_admin


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = [
        ("home", "首页"), ("case-list", "案件"), ("review-tasks", "法制审核"), ("evidence-list", "证据"),
        ("agency-list", "执法主体"), ("person-list", "人员"), ("credential-list", "执法证件"),
        ("publication-queue", "公示"), ("ledger-overview", "账本"), ("public-procedure-list", "执法程序"), ("calendar", "工作日历"),
    ]
    if is_admin(user) or user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD):
        nav.append(("evidence-access-log", "调阅记录"))
    if is_admin(user):
        nav.append(("admin:index", "后台管理"))
    return {"nav": nav}
