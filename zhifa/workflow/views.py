from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhifa.core import selectors as core_selectors
from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service
from zhifa.core.pagination import CappedPaginator
from zhifa.core.roles import is_head_of

from . import selectors, services
from .filters import DeliveryFilter
from .forms import PreferenceForm, SubscriptionForm
from .models import Delivery


@login_required
def inbox(request):
    unread = request.GET.get("unread") == "1"
    page = CappedPaginator(selectors.inbox(request.user, unread=unread), 30).get_page(request.GET.get("page"))
    return render(request, "workflow/inbox.html", {"page": page, "unread": unread})


@login_required
@require_POST
def open_notification(request, pk):
    """Mark read and go where it points (only inside zhifa)."""
    row = selectors.get_notification(request.user, pk)
    services.mark_read(request.user, row)
    if row.link and url_has_allowed_host_and_scheme(row.link, allowed_hosts=None) and row.link.startswith("/"):
        return redirect(row.link)
    return redirect("notifications")


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notifications")


@login_required
def preferences(request):
    form = PreferenceForm(request.POST or None, initial={"email_categories": services.email_categories(request.user)})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.save_preferences, request.user, email_categories=form.cleaned_data["email_categories"]):
            messages.success(request, "通知设置已保存。")
            return redirect("notification-preferences")
    return render(request, "workflow/preferences.html", {"form": form, "email": request.user.email}, status=400 if form.errors else 200)


@login_required
def subscription_list(request):
    rows = selectors.subscriptions(request.user)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sub = apply_service(form, services.create_subscription, request.user, **form.service_fields())
        if sub:
            # The secret is shown once, for the administrator to hand to the receiving platform.
            request.session["webhook_secret"] = sub.secret
            messages.success(request, f"已添加推送订阅“{sub.name}”。请把下方签名密钥交给接收方，离开本页后不再显示。")
            return redirect("webhook-detail", sub.pk)
    return render(request, "workflow/subscriptions.html", {"rows": rows, "form": form}, status=400 if form.errors else 200)


@login_required
def subscription_detail(request, pk):
    sub = selectors.get_subscription(request.user, pk)
    initial = {"name": sub.name, "url": sub.url, "algorithm": sub.algorithm, "kinds": sub.kinds, "agencies": sub.agencies.all(), "active": sub.active}
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.update_subscription, request.user, sub, **form.service_fields()):
            messages.success(request, "推送订阅已保存。")
            return redirect("webhook-detail", sub.pk)
    _, rows = for_page(DeliveryFilter, request, selectors.deliveries(request.user, sub))
    page = CappedPaginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request, "workflow/subscription_detail.html",
        {"sub": sub, "form": form, "page": page, "statuses": Delivery.Status.choices, "status": request.GET.get("status", ""),
         "secret": request.session.pop("webhook_secret", None)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def rotate_secret(request, pk):
    sub = selectors.get_subscription(request.user, pk)
    request.session["webhook_secret"] = services.rotate_secret(request.user, sub)
    messages.success(request, "已更换签名密钥。请把下方新密钥交给接收方，离开本页后不再显示；旧密钥签名的推送对方将无法验证。")
    return redirect("webhook-detail", sub.pk)


@login_required
def delivery_detail(request, pk):
    d = selectors.get_delivery(request.user, pk)
    return render(request, "workflow/delivery_detail.html", {"d": d, "attempts": d.attempt_log.select_related("replay_by")[:50]})


@login_required
@require_POST
def replay(request, pk):
    d = selectors.get_delivery(request.user, pk)
    services.replay(request.user, d)
    messages.success(request, "已重新排入发送队列。")
    return redirect("webhook-delivery", d.pk)


@login_required
def job_list(request):
    jobs = selectors.jobs_for(request.user)
    page = CappedPaginator(core_selectors.job_runs(request.GET.get("job") or None), 50).get_page(request.GET.get("page"))
    return render(request, "workflow/jobs.html", {"jobs": jobs, "page": page})


@login_required
def approval_list(request):
    from .models import Approval

    status = request.GET.get("status", "pending")
    rows = selectors.approvals_for(request.user)
    if status in Approval.Status.values:
        rows = rows.filter(status=status)
    page = CappedPaginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "workflow/approvals.html", {"page": page, "status": status, "statuses": Approval.Status.choices})


@login_required
def approval_detail(request, pk):
    from . import approvals
    from .forms import ApprovalForm

    row = selectors.get_approval(request.user, pk)
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        done = apply_service(form, approvals.decide, request.user, row, approve=approve, opinion=form.cleaned_data["opinion"])
        if done:
            messages.success(request, "已批准并签发。" if approve and done.kind == "documents.issue" else f"{done.get_status_display()}。")
            return redirect("approval-detail", row.pk)
    may_decide = is_head_of(request.user, row.agency_id) and row.status == row.Status.PENDING and row.requested_by_id != request.user.pk
    return render(request, "workflow/approval_detail.html",
                  {"a": row, "form": form, "may_decide": may_decide,
                   "may_cancel": row.requested_by_id == request.user.pk and row.status == row.Status.PENDING},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def approval_cancel(request, pk):
    from zhifa.core.forms import service_message

    from . import approvals

    row = selectors.get_approval(request.user, pk)
    if service_message(request, approvals.cancel, request.user, row, denied_as_message=True):
        messages.success(request, "已撤回审批申请。")
    return redirect("approval-detail", row.pk)


@login_required
def live(request):
    """实时动态: decisions, publications, withdrawals and alerts of the agencies in view, as they happen."""
    from zhifa.org.selectors import scope_to_agencies

    from .models import Alert

    recent = scope_to_agencies(Alert.objects.select_related("agency"), request.user).order_by("-id")[:20]
    return render(request, "workflow/live.html", {"alerts": recent})
