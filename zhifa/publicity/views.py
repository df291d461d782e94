import csv
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from zhifa import workdays
from zhifa.core import qr
from zhifa.core.blobs import BlobStore
from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service, form_error_text
from zhifa.core.pagination import count_upto
from zhifa.core.text import csv_cell

from . import selectors, services
from .filters import PublicationFilter
from .forms import CorrectionForm, ReleaseForm, RevocationForm, SettingForm, WithdrawForm
from .models import AnnualReport, PublicationCategory, PublicationStatus

PUBLIC_FIELDS = [
    "decision_number", "category", "party_name", "party_code", "conclusion", "basis", "fine_amount", "decision_date", "agency",
    "published_on", "status", "withdrawn_on", "withdrawal_reason", "corrected_on", "correction_note", "url",
]


def _public_url(request, publication) -> str:
    path = reverse("public-decision", args=[publication.token])
    base = settings.ZHIFA_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _filtered(request, base=None, limit=None):
    g = request.GET
    base = selectors.public_publications() if base is None else base
    return selectors.search(base, g.get("q", ""), g.get("agency", ""), g.get("category", ""), g.get("year", ""), limit=limit)


# --- the public portal (no login) -----------------------------------------------------------


def decision_list(request):
    searching = bool(request.GET.get("q", "").strip())
    if searching:  # the newest matches up to this page and one more, never the whole of SEARCH_CAP
        cap = selectors.search_page_cap(request.GET.get("page"), 20)
        rows = _filtered(request, limit=cap + 1)
    else:
        cap, rows = selectors.COUNT_CAP, _filtered(request)
    page = selectors.CappedPaginator(rows, 20, cap).get_page(request.GET.get("page"))
    return render(
        request, "publicity/public_list.html",
        {"page": page, "q": request.GET.get("q", ""), "searching": searching and cap >= selectors.SEARCH_CAP,
         "search_cap": selectors.SEARCH_CAP,
         "agencies": selectors.agencies_with_publications(),
         "categories": PublicationCategory.choices, "query": request.GET.urlencode()},
    )


def decision_detail(request, token):
    publication = selectors.get_public(token)
    return render(request, "publicity/public_detail.html", {"p": publication, "url": _public_url(request, publication)})


def decision_qr(request, token):
    publication = selectors.get_public(token)
    return qr.response(_public_url(request, publication), box_size=8, border=4)


def public_row(request, p) -> dict:
    """One decision as open data; a withdrawn one carries only what identifies it and why it went."""
    withdrawn = p.status == PublicationStatus.WITHDRAWN
    last = list(p.corrections.all())[-1:]
    return {
        "decision_number": p.decision_number, "category": p.get_category_display(), "party_name": "" if withdrawn else p.party_name,
        "party_code": "" if withdrawn else p.party_code, "conclusion": "" if withdrawn else p.conclusion,
        "basis": "" if withdrawn else p.basis,
        "fine_amount": str(p.fine_amount) if p.fine_amount is not None and not withdrawn else "",
        "decision_date": p.decision_date.isoformat(), "agency": p.agency.name, "published_on": p.published_on.isoformat(),
        "status": p.get_status_display(), "withdrawn_on": p.withdrawn_on.isoformat() if withdrawn else "",
        "withdrawal_reason": f"{p.get_withdrawal_trigger_display()}：{p.withdrawal_reason}" if withdrawn else "",
        "corrected_on": last[0].corrected_on.isoformat() if last else "", "correction_note": last[0].note if last else "",
        "url": _public_url(request, p),
    }


def _rows(request):
    for p in _filtered(request, selectors.open_data_publications()).prefetch_related("corrections")[:10000]:
        yield public_row(request, p)


def open_data_csv(request):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PUBLIC_FIELDS)
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in _rows(request))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=decisions.csv"
    return response


def open_data_json(request):
    body = json.dumps({"generated": timezone.now().isoformat(timespec="seconds"), "items": list(_rows(request))}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def atom_feed(request):
    feed = Atom1Feed(title="行政执法决定公示", link=request.build_absolute_uri(reverse("public-decisions")), description="行政执法决定公示", language="zh-cn")
    for p in _filtered(request, selectors.open_data_publications()).order_by("-published_on", "-id")[:100]:
        withdrawn = p.status == PublicationStatus.WITHDRAWN
        day = p.withdrawn_on if withdrawn else p.published_on
        feed.add_item(
            title=f"【已撤回】{p.decision_number}" if withdrawn else f"{p.decision_number} {p.party_name}", link=_public_url(request, p),
            description=(
                f"{p.agency.name}于{p.withdrawn_on:%Y年%m月%d日}撤回：{p.get_withdrawal_trigger_display()}，{p.withdrawal_reason}"
                if withdrawn else f"{p.agency.name}：{p.conclusion}"
            ),
            pubdate=timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())),
            unique_id=_public_url(request, p),
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


# 双公示 行政处罚 data items, in the column names used by the 信用中国 exchange format [~].
CF_COLUMNS = ["CF_WSH", "CF_CFLB", "CF_SY", "CF_YJ", "CF_XDR_MC", "CF_XDR_SHDM", "CF_JG", "CF_FK", "CF_JDRQ", "CF_YXQ", "CF_CFJG", "CF_ZT", "CF_SJC"]


def cf_export(request):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CF_COLUMNS)
    for p in _filtered(request).filter(category=PublicationCategory.PENALTY)[:10000]:
        writer.writerow([csv_cell(v) for v in [
            p.decision_number, p.conclusion.split("；")[0], p.case.title, p.basis, p.party_name, p.party_code, p.conclusion,
            str(p.fine_amount or ""), p.decision_date.isoformat(), p.take_down_on.isoformat(), p.agency.name, "0",
            p.published_on.isoformat(),
        ]])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=cf_xzcf.csv"
    return response


# --- staff: review and release, withdrawal -------------------------------------------------------


WITHDRAWAL_ALERTS = 50


@login_required
def queue(request):
    _, qs = for_page(PublicationFilter, request, selectors.visible_publications(request.user), defaults={"status": "pending"})
    status = request.GET.get("status", "pending")
    # Every part of the page is bounded: the list is paged, the overdue count capped, the alerts the nearest first.
    page = selectors.CappedPaginator(qs.select_related(None), 30).get_page(request.GET.get("page"))
    overdue = count_upto(selectors.overdue_publications(request.user), selectors.COUNT_CAP)
    withdrawals = selectors.withdrawals_due(request.user)
    shown = list(withdrawals[:WITHDRAWAL_ALERTS])
    return render(
        request, "publicity/queue.html",
        {"page": page, "status": status, "statuses": PublicationStatus.choices,
         "overdue": min(overdue, selectors.COUNT_CAP), "overdue_capped": overdue > selectors.COUNT_CAP,
         "withdrawals": shown, "withdrawals_more": withdrawals.count() - len(shown) if len(shown) == WITHDRAWAL_ALERTS else 0,
         "today": timezone.localdate(), "soon": workdays.add_workdays(timezone.localdate(), 1).date},
    )


@login_required
def publication_detail(request, pk):
    publication = selectors.get_publication(request.user, pk)
    return render(
        request, "publicity/publication_detail.html",
        {"p": publication, "may_release": services.may_release(request.user, publication), "release_form": ReleaseForm(),
         "withdraw_form": WithdrawForm(), "revocation_form": RevocationForm(), "correction_form": CorrectionForm(initial={
             "party_name": publication.party_name, "conclusion": publication.conclusion, "basis": publication.basis,
             "text": publication.text}),
         "corrections": publication.corrections.select_related("by"), "today": timezone.localdate()},
    )


def _publication_action(form_class, call, success, failure, kwargs=lambda form: form.cleaned_data):
    """POST a form on a publication's page to a service; its Chinese message either way; back to the page."""

    @login_required
    @require_POST
    def view(request, pk):
        publication = selectors.get_publication(request.user, pk)
        form = form_class(request.POST)
        result = form.is_valid() and apply_service(form, call, request.user, publication, **kwargs(form))
        if result:
            level, text = success(result)
            messages.add_message(request, level, text)
        else:
            messages.error(request, form_error_text(form) or failure)
        return redirect("publication-detail", publication.pk)

    return view


def _revocation_message(p):
    if p.status == PublicationStatus.WITHDRAWN:
        return messages.SUCCESS, "已登记；该决定尚未公开，已不再公开。"
    return messages.WARNING, f"已登记，应于 {p.withdrawal_due:%Y年%m月%d日} 前撤回公示（三个工作日，行政处罚法第四十八条）。"


publication_release = _publication_action(
    ReleaseForm, services.release, lambda p: (messages.SUCCESS, "已审核并公示。"), "未公示。",
    kwargs=lambda form: {"secret_marks": form.marks()},
)
publication_withdraw = _publication_action(WithdrawForm, services.withdraw, lambda p: (messages.SUCCESS, "已撤回公示，撤回理由已公开。"), "撤回失败。")
publication_revocation = _publication_action(RevocationForm, services.record_revocation, _revocation_message, "登记失败。")
publication_correct = _publication_action(
    CorrectionForm, services.correct, lambda p: (messages.SUCCESS, "已更正，更正说明随公示信息公开。"), "未更正。"
)


@login_required
def setting(request, agency_pk):
    from zhifa.org.selectors import get_agency

    from .models import RetentionScheme

    agency = get_agency(request.user, agency_pk)
    current = selectors.setting_for(agency)
    form = SettingForm(request.POST or None, initial={
        "scheme": current.scheme if current else RetentionScheme.HEBEI,
        "low_fine_amount": current.low_fine_amount if current else None, "low_fine_basis": current.low_fine_basis if current else "",
    })
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.save_setting, request.user, agency, **form.cleaned_data):
            messages.success(request, "已保存公示期限规则，此后公开的决定按新规则确定公示期限。")
            return redirect("publicity-setting", agency.pk)
    return render(request, "publicity/setting.html", {"agency": agency, "form": form, "schemes": RetentionScheme.choices},
                  status=400 if form.errors else 200)


# --- 统计年报 (public) ------------------------------------------------------------------------


def annual_list(request):
    return render(request, "publicity/annual_list.html", {"reports": selectors.annual_reports()})


def annual_detail(request, pk):
    report = selectors.get_annual_report(pk)
    return render(request, "publicity/annual_detail.html", {"r": report, "d": report.data})


def annual_pdf(request, pk):
    report = get_object_or_404(AnnualReport, pk=pk)
    response = FileResponse(BlobStore("documents").open(report.pdf_key), content_type="application/pdf")
    response["X-Content-SM3"] = report.pdf_sm3
    return response
