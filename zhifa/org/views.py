import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from zhifa.core import qr
from zhifa.core.errors import require
from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service, form_error_text, service_message
from zhifa.core.roles import Role, is_admin
from zhifa.core.text import query_id

from . import passwords, selectors, services, twofactor
from .filters import AgencyFilter, CredentialFilter, PersonFilter
from .forms import (
    AgencyForm,
    ApiTokenForm,
    CredentialForm,
    CredentialStatusForm,
    PasswordChangeForm,
    PersonForm,
    TwoFactorCodeForm,
)
from .middleware import keep_signed_in
from .models import CredentialStatus, Person


def public_officer_url(request, person: Person) -> str:
    """The URL printed as a QR code on the credential; a fixed public base when configured."""
    path = reverse("public-officer", args=[person.public_token])
    base = settings.ZHIFA_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _page(request, qs, per_page=30):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


# --- agencies -----------------------------------------------------------------------------


@login_required
def agency_list(request):
    filters, qs = for_page(AgencyFilter, request, selectors.agency_summaries(request.user))
    page = _page(request, qs)
    for agency, report in zip(page, selectors.staffing_for(page)):
        agency.staffing = report
    q = request.GET.get("q", "").strip()
    return render(request, "org/agency_list.html", {"page": page, "q": q, "filters": filters, "can_manage": selectors.can_manage(request.user)})


@login_required
def agency_detail(request, pk):
    agency = selectors.get_agency(request.user, pk)
    people = selectors.visible_people(request.user).filter(agency=agency)
    return render(
        request,
        "org/agency_detail.html",
        {
            "agency": agency,
            "staffing": selectors.staffing_report(agency),
            "departments": agency.departments.all(),
            "people": people,
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
def agency_form(request, pk=None):
    require(selectors.can_manage(request.user), "只有系统管理员可以维护执法主体。")
    agency = selectors.get_agency(request.user, pk) if pk else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        if agency:
            saved = apply_service(form, services.update_agency, request.user, agency, **form.cleaned_data)
        else:
            saved = apply_service(form, services.create_agency, request.user, **form.cleaned_data)
        if saved:
            messages.success(request, f"已保存执法主体：{saved.name}")
            return redirect("agency-detail", pk=saved.pk)
    return render(request, "org/form.html", {"form": form, "title": f"修改执法主体：{agency}" if agency else "新增执法主体"})


# --- people -------------------------------------------------------------------------------


# The columns the list shows (a person row also holds the password hash, ID number, phone and more).
PERSON_LIST_COLUMNS = ("id", "full_name", "is_auxiliary", "is_active", "position", "agency__short_name", "department__name")


@login_required
def person_list(request):
    people = selectors.visible_people(request.user).prefetch_related(None).only(*PERSON_LIST_COLUMNS)
    filters, qs = for_page(PersonFilter, request, people)
    q, role = request.GET.get("q", "").strip(), request.GET.get("role", "")
    page = _page(request, qs)
    return render(
        request,
        "org/person_list.html",
        {"page": page, "people": selectors.with_role_codes(page.object_list), "q": q, "role": role, "roles": Role.choices,
         "can_manage": selectors.can_manage(request.user)},
    )


@login_required
def person_detail(request, pk):
    person = selectors.get_visible(selectors.visible_people(request.user), pk)
    ctx = {"person": person, "credentials": person.credentials.all(), "can_manage": selectors.can_manage(request.user)}
    if ctx["can_manage"]:
        ctx["two_factor"] = twofactor.status(person)
        ctx["tokens"] = services.api_tokens(request.user, person)[:50]
    return render(request, "org/person_detail.html", ctx)


@login_required
def person_form(request, pk=None):
    require(selectors.can_manage(request.user), "只有系统管理员可以维护人员信息。")
    person = selectors.get_visible(selectors.visible_people(request.user), pk) if pk else None
    form = PersonForm(request.POST or None, instance=person, agencies=selectors.visible_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        if person:
            data.pop("username")
            saved = apply_service(form, services.update_person, request.user, person, roles=roles, **data)
        else:
            saved = apply_service(form, services.create_person, request.user, roles=roles, **data)
        if saved:
            messages.success(request, f"已保存人员：{saved.full_name}")
            return redirect("person-detail", pk=saved.pk)
    return render(request, "org/form.html", {"form": form, "title": f"修改人员：{person}" if person else "新增人员"})


# --- credentials ---------------------------------------------------------------------------


@login_required
def credential_list(request):
    filters, qs = for_page(CredentialFilter, request, selectors.visible_credentials(request.user))
    q = request.GET.get("q", "").strip()
    return render(request, "org/credential_list.html", {"page": _page(request, qs), "q": q, "can_manage": selectors.can_manage(request.user)})


@login_required
def credential_detail(request, pk):
    credential = selectors.get_visible(selectors.visible_credentials(request.user), pk)
    public_url = public_officer_url(request, credential.person)
    return render(
        request,
        "org/credential_detail.html",
        {
            "credential": credential,
            "public_url": public_url,
            "status_form": CredentialStatusForm(initial={"status": credential.status}),
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
def credential_form(request):
    require(selectors.can_manage(request.user), "只有系统管理员可以登记执法证件。")
    people = selectors.visible_people(request.user).filter(is_auxiliary=False)
    initial = {}
    if query_id(request.GET.get("person")):
        initial["person"] = request.GET["person"]
    form = CredentialForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = apply_service(form, services.issue_credential, request.user, **form.cleaned_data)
        if saved:
            messages.success(request, f"已登记执法证件：{saved.number}")
            return redirect("credential-detail", pk=saved.pk)
    return render(request, "org/form.html", {"form": form, "title": "登记执法证件"})


@login_required
def credential_status(request, pk):
    require(request.method == "POST", "请通过页面表单提交。")
    credential = selectors.get_visible(selectors.visible_credentials(request.user), pk)
    form = CredentialStatusForm(request.POST)
    if form.is_valid():
        saved = apply_service(form, services.change_credential_status, request.user, credential, **form.cleaned_data)
        if saved:
            messages.success(request, f"证件状态已变更为：{saved.get_status_display()}")
            return redirect("credential-detail", pk=pk)
    messages.error(request, "变更失败：" + form_error_text(form))
    return redirect("credential-detail", pk=pk)


@login_required
def credential_qr(request, pk):
    credential = selectors.get_visible(selectors.visible_credentials(request.user), pk)
    return _qr_response(request, credential.person)


def _qr_response(request, person: Person):
    return qr.response(public_officer_url(request, person), box_size=12)


# --- public pages (no login) ---------------------------------------------------------------


def public_officer(request, token):
    person = selectors.public_officer(token)
    credentials = list(person.credentials.all())
    return render(
        request,
        "org/public_officer.html",
        {
            "person": person,
            "credentials": credentials,
            "holds_valid": any(c.is_currently_valid for c in credentials),
            "statuses": {c.pk: c.effective_status() for c in credentials},
        },
    )


def public_officer_qr(request, token):
    return _qr_response(request, selectors.public_officer(token))


def public_officer_list(request):
    q = request.GET.get("q", "").strip()[:50]
    agency = request.GET.get("agency", "")
    page = _page(request, selectors.public_officers(q, query_id(agency)), per_page=50)
    return render(request, "org/public_officer_list.html", {"page": page, "q": q, "valid": CredentialStatus.VALID})


def home_panel(request) -> dict:
    """The home page's credentials, staffing and administration sections (registered in OrgConfig.ready)."""
    user = request.user
    ctx = {"my_credentials": user.credentials.all()}
    ctx["own_staffing"] = selectors.staffing_report(user.agency) if user.agency_id else None
    oversees = is_admin(user) or user.has_role(Role.SUPERVISOR)
    if oversees or user.has_role(Role.HEAD) or user.has_role(Role.REVIEWER):
        ctx["expiring"] = selectors.expiring_credentials(user).order_by("valid_until", "pk").only(  # soonest (or lapsed) first
            "number", "valid_until", "person", "person__full_name", "person__agency", "person__agency__short_name"
        )[:20]  # only the table's columns: no holder's encrypted numbers are decrypted for it
    if oversees:
        reports = selectors.staffing_reports(user)
        ctx["supervised"] = reports
        ctx["understaffed"] = [r for r in reports if not r["ok"]]
    if user.has_role(Role.REVIEWER) and not user.has_legal_qualification:
        messages.warning(request, "您尚未登记法律职业资格。初次从事行政处罚决定法制审核的人员应当取得法律职业资格（行政处罚法第五十八条）。")
    return ctx


@login_required
def logins(request):
    """登录安全: accounts locked now (with an unlock button) and the newest sign-in records. Administrators only."""
    require(selectors.can_manage(request.user), "只有系统管理员可以查看登录记录。")
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        cleared = service_message(request, services.unlock_login, request.user, username, prefix="解锁失败：", denied_as_message=True)
        if cleared is not None:
            messages.success(request, f"已解除 {username} 的登录锁定。" if cleared else f"{username} 没有被锁定。")
        return redirect("logins")
    who = request.GET.get("username", "").strip()[:150]
    rows = [{**row, "outcome_label": services.LOGIN_OUTCOMES[row["outcome"]]} for row in services.login_log(100, who)]
    return render(request, "org/logins.html", {"locked": services.locked_accounts(), "log": rows, "who": who,
                                                "limit": settings.AXES_FAILURE_LIMIT, "days": settings.ZHIFA_LOGIN_LOG_DAYS})


@login_required
def password_change(request):
    """修改密码: the person's own password, by every rule; the page an expired password leads to."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = apply_service(form, services.change_password, request.user, **form.cleaned_data)
        if saved:
            keep_signed_in(request, saved)
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(request, "org/password.html", {"form": form, "max_days": settings.ZHIFA_PASSWORD_MAX_DAYS},
                  status=400 if form.errors else 200)


# --- account security: second factor and API tokens ------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _passed_second_factor(request) -> None:
    request.session.cycle_key()  # a new session id once the second factor is passed
    request.session[twofactor.SESSION_KEY] = twofactor.VERIFIED


def _qr_data_uri(text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr.svg(text, box_size=10)).decode()


@login_required
def two_factor_verify(request):
    """两步验证: the code from the authenticator app (or a recovery code) after the password."""
    if request.session.get(twofactor.SESSION_KEY) != twofactor.PENDING:
        return redirect(_next_url(request))
    if not twofactor.enrolled(request.user):
        return redirect("two-factor-setup")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        used = apply_service(form, twofactor.verify, request.user, form.cleaned_data["code"])
        if used:
            _passed_second_factor(request)
            if used == "recovery":
                left = twofactor.status(request.user)["recovery_codes_left"]
                messages.warning(request, f"已使用一个恢复码，还剩 {left} 个。如手机丢失，请尽快在“账号安全”中重新绑定或生成新的恢复码。")
            return redirect(_next_url(request))
    return render(request, "org/two_factor_verify.html", {"form": form, "next": _next_url(request)}, status=400 if form.errors else 200)


@login_required
def two_factor_setup(request):
    """绑定手机验证器: scan, confirm with one code, then write down the recovery codes (shown once)."""
    owed = request.session.get(twofactor.SESSION_KEY)
    if twofactor.enrolled(request.user):
        if owed == twofactor.PENDING:
            return redirect("two-factor-verify")
        messages.info(request, "您已启用两步验证。")
        return redirect("account")
    device = twofactor.pending_device(request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = apply_service(form, twofactor.confirm_enrolment, request.user, form.cleaned_data["code"])
        if codes:
            _passed_second_factor(request)
            return render(request, "org/recovery_codes.html", {"codes": codes, "next": _next_url(request), "first": True})
    return render(
        request, "org/two_factor_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": twofactor.secret_text(device),
         "required": twofactor.required_by_role(request.user), "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@login_required
def account(request):
    """账号安全: the password's age, the second factor, and the person's API tokens (issue, revoke)."""
    person = request.user
    form = ApiTokenForm(request.POST if request.POST.get("action") == "issue" else None)
    issued = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue" and form.is_valid():
            result = apply_service(form, services.issue_api_token, person, person, **form.cleaned_data)
            if result:
                issued = {"token": result[0], "key": result[1]}
        elif action == "recovery":
            codes = service_message(request, twofactor.renew_recovery_codes, person)
            if codes:
                return render(request, "org/recovery_codes.html", {"codes": codes, "next": reverse("account")})
        elif action == "disable":
            if service_message(request, twofactor.disable, person, person, denied_as_message=True):
                messages.success(request, "已停用两步验证。")
            return redirect("account")
        elif action != "issue":
            messages.error(request, "未知的操作。")
    return render(
        request, "org/account.html",
        {"form": form, "issued": issued, "tokens": services.api_tokens(person, person)[:50],
         "two_factor": twofactor.status(person), "password_changed": passwords.changed_at(person),
         "max_days": settings.ZHIFA_PASSWORD_MAX_DAYS},
        status=400 if form.errors else 200,
    )


@login_required
def token_revoke(request, pk):
    """Revoke one API token: its owner, or an administrator who manages the person."""
    if request.method != "POST":
        return redirect("account")
    token = selectors.api_token(request.user, pk)
    if service_message(request, services.revoke_api_token, request.user, token, denied_as_message=True):
        messages.success(request, f"已吊销接口令牌 {token.prefix}…。")
    if token.person_id == request.user.pk:
        return redirect("account")
    return redirect("person-detail", pk=token.person_id)


@login_required
def person_two_factor_reset(request, pk):
    """An administrator resets a person's second factor (lost phone and codes); recorded in the ledger."""
    require(selectors.can_manage(request.user), "只有系统管理员可以重置他人的两步验证。")
    person = selectors.get_visible(selectors.visible_people(request.user), pk)
    if request.method == "POST":
        reset = service_message(request, twofactor.disable, request.user, person, denied_as_message=True)
        if reset:
            messages.success(request, f"已重置 {person.full_name or person.username} 的两步验证，其下次登录时重新绑定。")
        elif reset is False:
            messages.info(request, "该人员尚未启用两步验证。")
    return redirect("person-detail", pk=person.pk)
