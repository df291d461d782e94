from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zhifa.core.roles import is_admin

from .models import Delivery, Notification, Subscription


def inbox(user, *, unread: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient=user).order_by("-id")
    return rows.filter(read_at__isnull=True) if unread else rows


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_notification(user, pk) -> Notification:
    row = Notification.objects.filter(recipient=user, pk=pk).first()
    if row is None:
        raise Http404("没有这条通知。")
    return row


def _require_admin(user):
    if not is_admin(user):
        raise PermissionDenied("只有系统管理员可以查看推送订阅。")


def subscriptions(user) -> QuerySet[Subscription]:
    _require_admin(user)
    return Subscription.objects.prefetch_related("agencies").order_by("name")


def get_subscription(user, pk) -> Subscription:
    row = subscriptions(user).filter(pk=pk).first()
    if row is None:
        raise Http404("没有这个推送订阅。")
    return row


def deliveries(user, subscription: Subscription | None = None) -> QuerySet[Delivery]:
    _require_admin(user)
    rows = Delivery.objects.select_related("subscription").order_by("-id")
    return rows.filter(subscription=subscription) if subscription is not None else rows


def get_delivery(user, pk) -> Delivery:
    row = deliveries(user).filter(pk=pk).first()
    if row is None:
        raise Http404("没有这条推送记录。")
    return row


def approvals_for(user):
    """Heads: their agency's approvals; everyone else: the ones they sent."""
    from django.db.models import Q

    from zhifa.core.roles import Role

    from .models import Approval

    rows = Approval.objects.select_related("requested_by", "decided_by", "agency").order_by("-id")
    if user.has_role(Role.HEAD) and user.agency_id:
        return rows.filter(Q(agency_id=user.agency_id) | Q(requested_by=user))
    return rows.filter(requested_by=user)


def get_approval(user, pk):
    row = approvals_for(user).filter(pk=pk).first()
    if row is None:
        raise Http404("没有这项审批，或您无权查看。")
    return row


def jobs_for(user) -> list[dict]:
    """The scheduled jobs with their latest run, for administrators and supervisors (the ledger check is theirs)."""
    from zhifa.core import selectors as core_selectors
    from zhifa.core.roles import Role

    if not (is_admin(user) or user.has_role(Role.SUPERVISOR)):
        raise PermissionDenied("只有系统管理员和监督人员可以查看定时任务。")
    return core_selectors.job_overview()
