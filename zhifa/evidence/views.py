from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from zhifa.core.errors import require
from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service
from zhifa.core.views import error_page

from . import selectors, services
from .filters import AccessFilter, EvidenceFilter
from .forms import AccessFilterForm, EvidenceForm
from .models import AccessAction, AccessChannel, EvidenceKind
from .storage import EvidenceFileMissing, open_blob
from .uploads import use_hashing_uploads


def client_meta(request) -> dict:
    return {"ip": request.META.get("REMOTE_ADDR") or None, "user_agent": request.META.get("HTTP_USER_AGENT", "")}


@login_required
def evidence_list(request):
    _, qs = for_page(EvidenceFilter, request, selectors.visible_evidence(request.user))
    q, kind = request.GET.get("q", "").strip(), request.GET.get("kind", "")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/evidence_list.html",
        {"page": page, "q": q, "kind": kind, "kinds": EvidenceKind.choices, "may_record": services.may_record(request.user)},
    )


@csrf_exempt
@login_required
def evidence_create(request):
    """The file is hashed and spooled to disk chunk by chunk as it arrives (uploads.py)."""
    if request.method == "POST":
        problem = use_hashing_uploads(request)
        if problem:
            return error_page(request, 413, "文件过大", problem)
    return _evidence_create(request)


def _case_from(request):
    raw = request.POST.get("case") or request.GET.get("case")
    if not raw:
        return None
    from zhifa.cases.selectors import get_case

    return get_case(request.user, raw)


@csrf_protect
def _evidence_create(request):
    require(services.may_record(request.user), "只有执法人员可以登记证据。")
    case = _case_from(request)
    initial = {"case_number": case.number} if case else None
    form = EvidenceForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file").spooled
        if case is None:
            case = apply_service(form, services.case_of_own_agency, request.user, data["case_number"])
        evidence = case and apply_service(form, services.record_evidence, request.user, upload=upload, case=case, **data)
        if evidence:
            messages.success(request, f"证据已登记，编号 {evidence.number}，SM3 {evidence.sm3[:16]}…")
            return redirect("evidence-detail", evidence.pk)
    return render(request, "evidence/evidence_form.html", {"form": form, "case": case}, status=400 if form.errors else 200)


def case_panel(request, case):
    """The evidence section of the case page."""
    return {"evidence": selectors.visible_evidence(request.user).filter(case=case), "case": case, "may_record": services.may_record(request.user)}


@login_required
def evidence_detail(request, pk):
    evidence = selectors.get_evidence(request.user, pk)
    services.record_access(request.user, evidence, action=AccessAction.VIEW, channel=AccessChannel.WEB, **client_meta(request))
    event = selectors.recorded_event(evidence)
    show_log = selectors.may_see_access_log(request.user)
    same_case = selectors.visible_evidence(request.user).filter(
        agency=evidence.agency, case_number=evidence.case_number
    ).exclude(pk=evidence.pk)
    return render(
        request,
        "evidence/evidence_detail.html",
        {
            "evidence": evidence,
            "event": event,
            "same_case": same_case,
            "show_log": show_log,
            "accesses": selectors.visible_accesses(request.user).filter(evidence=evidence)[:50] if show_log else [],
        },
    )


def logged_download(request, pk, *, channel: str, reason: str):
    """The file, after its 调阅 is recorded (page and API alike); raises EvidenceFileMissing if unreadable."""
    evidence = selectors.get_evidence(request.user, pk)
    services.record_access(request.user, evidence, action=AccessAction.DOWNLOAD, channel=channel, reason=reason, **client_meta(request))
    return file_response(evidence)


@login_required
def evidence_download(request, pk):
    try:
        return logged_download(request, pk, channel=AccessChannel.WEB, reason=request.GET.get("reason", ""))
    except EvidenceFileMissing:
        return error_page(request, 410, "证据文件无法读取", MISSING_MESSAGE)


MISSING_MESSAGE = "该证据的文件缺失或无法读取。本次调阅已记录；请系统管理员立即运行 zhifa ledger verify 查明原因。"


def file_response(evidence) -> FileResponse:
    """Streams the stored bytes; the name is the original one, the bytes are the hashed ones."""
    response = FileResponse(open_blob(evidence.storage_key), content_type=evidence.media_type, as_attachment=True)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(evidence.original_name)}"
    response["Content-Length"] = str(evidence.size)
    response["X-Content-SM3"] = evidence.sm3
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def access_log(request):
    require(selectors.may_see_access_log(request.user), "调阅记录仅对监督人员、机关负责人和系统管理员开放。")
    form = AccessFilterForm(request.GET or None)  # the page's inputs; the filtering is AccessFilter's, as in the API
    _, qs = for_page(AccessFilter, request, selectors.visible_accesses(request.user))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "evidence/access_log.html", {"form": form, "page": page})
