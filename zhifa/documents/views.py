from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.cases import selectors as case_selectors
from zhifa.cases.services import works_on
from zhifa.core.forms import apply_service, form_error_text, service_message
from zhifa.core.roles import is_head_of
from zhifa.procedures.document_types import DOCUMENT_TYPES

from . import selectors, services, specs
from .forms import DocumentContentForm, ServiceForm, SignatureForm
from .models import DocumentStatus


def case_panel(request, case):
    """The documents section of the case page."""
    stage = case.definition.stage(case.stage)
    # Offer only what this person may make here: the 法制审核意见书 comes from a review task, never this list.
    makeable = [c for c in DOCUMENT_TYPES if c != "review_opinion" and services.may_write(request.user, case, c)]
    wanted = [c for c in [*stage.get("documents", []), *stage.get("documents_any", [])] if c in makeable]
    return {
        "documents": selectors.visible_documents(request.user).filter(case=case).prefetch_related("services"),
        "case": case,
        "works": works_on(request.user, case),
        "stage_documents": [(code, DOCUMENT_TYPES[code][0]) for code in wanted],
        "all_documents": sorted(((c, DOCUMENT_TYPES[c][0]) for c in makeable), key=lambda x: x[1]),
    }


@login_required
@require_POST
def document_new(request, case_pk):
    case = case_selectors.get_case(request.user, case_pk)
    document = service_message(request, services.draft_document, request.user, case, doc_type=request.POST.get("doc_type", ""))
    if document is None:
        return redirect("case-detail", case.pk)
    return redirect("document-detail", document.pk)


@login_required
def document_detail(request, pk):
    document = selectors.get_document(request.user, pk)
    approval = _approval_context(request.user, document)
    # A draft waiting for the head's approval is read as sent: the service refuses a change, so the page offers none.
    editable = document.status == DocumentStatus.DRAFT and works_on(request.user, document.case) and not approval.get("pending_approval")
    form = DocumentContentForm(request.POST or None, doc_type=document.doc_type, initial=document.content)
    if request.method == "POST" and editable and form.is_valid():
        if apply_service(form, services.update_draft, request.user, document, content=form.cleaned_data):
            messages.success(request, "草稿已保存。")
            return redirect("document-detail", document.pk)
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "form": form,
            "editable": editable,
            "problems": services.issue_problems(document) if document.status == DocumentStatus.DRAFT else [],
            "needs_signature": document.doc_type in specs.PARTY_SIGNS and document.status == DocumentStatus.ISSUED and not document.signature,
            "signature_form": SignatureForm(),
            "service_form": ServiceForm(),
            "services": document.services.select_related("recorded_by"),
            "may_serve": document.status == DocumentStatus.ISSUED and works_on(request.user, document.case) and not document.services.exists(),
            "rows": [(f.label, document.content.get(f.key, "")) for f in specs.fields(document.doc_type)],
            "sealed": document.doc_type in specs.SEALED,
            **approval,
            "may_request": approval.get("may_request") and editable,
        },
        status=400 if form.errors else 200,
    )


def _approval_context(user, document) -> dict:
    """A document the head signs: an officer sends it for approval; the head issues it (directly, or by approving)."""
    from zhifa.workflow import approvals

    if document.doc_type not in services.HEAD_SIGNS:
        return {"head_signs": False}
    is_head = is_head_of(user, document.agency_id)
    latest = approvals.latest_for(services.ISSUE_APPROVAL, document)
    pending = latest if latest and latest.status == latest.Status.PENDING else None
    return {
        "head_signs": True, "is_head": is_head, "approval": latest, "pending_approval": pending,
        "may_request": not is_head and pending is None and document.status == DocumentStatus.DRAFT,
    }


@login_required
@require_POST
def document_request_issue(request, pk):
    document = selectors.get_document(request.user, pk)
    note = request.POST.get("note", "")
    sent = service_message(request, services.request_issue, request.user, document, note=note, prefix="未送审批：", denied_as_message=True)
    if sent is not None:
        messages.success(request, "已送机关负责人审批；批准后由负责人签发，您会收到通知。")
    return redirect("document-detail", document.pk)


@login_required
@require_POST
def document_issue(request, pk):
    document = selectors.get_document(request.user, pk)
    issued = service_message(request, services.issue_document, request.user, document, prefix="未签发：", denied_as_message=True)
    if issued is not None:
        messages.success(request, f"已签发，文号 {issued.number}。")
    return redirect("document-detail", document.pk)


@login_required
@require_POST
def document_sign(request, pk):
    document = selectors.get_document(request.user, pk)
    form = SignatureForm(request.POST)
    if form.is_valid() and apply_service(form, services.record_signature, request.user, document, **form.cleaned_data):
        messages.success(request, "已登记签名情况。")
    else:
        messages.error(request, form_error_text(form) or "签名情况有误。")
    return redirect("document-detail", document.pk)


@login_required
@require_POST
def document_serve(request, pk):
    document = selectors.get_document(request.user, pk)
    form = ServiceForm(request.POST)
    if form.is_valid() and (service := apply_service(form, services.record_service, request.user, document, **form.cleaned_data)):
        messages.success(request, f"已登记{service.get_manner_display()}，{service.served_on:%Y年%m月%d日}视为送达。")
    else:
        messages.error(request, form_error_text(form) or "送达信息有误。")
    return redirect("document-detail", document.pk)


@login_required
def document_pdf(request, pk):
    document = selectors.get_document(request.user, pk)
    if document.status != DocumentStatus.ISSUED:
        messages.error(request, "文书签发后才有 PDF。")
        return redirect("document-detail", document.pk)
    response = FileResponse(services.pdf_stream(document), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(document.title + document.number)}.pdf"
    response["X-Content-SM3"] = document.pdf_sm3
    return response
