"""Notifications, notification preferences, webhook subscriptions and deliveries, scheduled jobs."""

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.core.api import act, list_endpoint, paginated
from zhifa.core.filters import parameters
from zhifa.org.models import Agency

from . import selectors, services
from .filters import DeliveryFilter
from .models import Algorithm, Approval, Category, Delivery, Notification, Subscription
from .rules import push_kinds

TAGS = ["流转与通知"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "category", "title", "body", "link", "created_at", "read_at"]


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="只看未读")
    category = django_filters.ChoiceFilter(choices=Category.choices, label="类别")

    class Meta:
        model = Notification
        fields = ["unread", "category"]


class PreferenceSerializer(serializers.Serializer):
    email_categories = serializers.ListField(child=serializers.ChoiceField(choices=Category.choices), max_length=20,
                                             help_text="同时以电子邮件通知的类别")


class SubscriptionSerializer(serializers.ModelSerializer):
    kinds = serializers.ListField(child=serializers.CharField(max_length=80), max_length=100, help_text="推送的账本事件类型，见 GET /api/v1/webhooks/kinds/")
    agencies = serializers.PrimaryKeyRelatedField(many=True, queryset=Agency.objects.all(), required=False, help_text="不填则推送全部执法主体的事件")
    algorithm = serializers.ChoiceField(choices=Algorithm.choices, default=Algorithm.HMAC_SM3)

    class Meta:
        model = Subscription
        fields = ["id", "name", "url", "algorithm", "kinds", "agencies", "active", "created_at", "from_seq"]
        read_only_fields = ["created_at", "from_seq"]
        extra_kwargs = {"name": {"validators": []}}  # the service refuses a duplicate, in Chinese


class CreatedSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(read_only=True, help_text="签名密钥，只在创建和更换时返回一次")

    class Meta(SubscriptionSerializer.Meta):
        fields = SubscriptionSerializer.Meta.fields + ["secret"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "uuid", "subscription", "event_seq", "kind", "status", "attempts", "created_at", "next_attempt_at",
                  "delivered_at", "response_status", "error", "body"]


class EmptySerializer(serializers.Serializer):
    pass


@extend_schema(summary="本人的通知（新的在前）", parameters=parameters(NotificationFilter), responses=NotificationSerializer(many=True), tags=TAGS)
@list_endpoint
@api_view(["GET"])
def notification_list(request):
    return paginated(request, selectors.inbox(request.user), NotificationSerializer, filterset=NotificationFilter)


@extend_schema(summary="标为已读", request=None, responses=NotificationSerializer, tags=TAGS)
@api_view(["POST"])
def notification_read(request, pk):
    return Response(NotificationSerializer(services.mark_read(request.user, selectors.get_notification(request.user, pk))).data)


@extend_schema(summary="全部标为已读", request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}), tags=TAGS)
@api_view(["POST"])
def notification_read_all(request):
    return Response({"marked": services.mark_all_read(request.user)})


@extend_schema(methods=["GET"], summary="本人的通知设置", responses=PreferenceSerializer, tags=TAGS)
@extend_schema(methods=["PUT"], summary="修改通知设置", request=PreferenceSerializer, responses=PreferenceSerializer, tags=TAGS)
@api_view(["GET", "PUT"])
def preferences(request):
    if request.method == "PUT":
        pref = act(request, PreferenceSerializer, services.save_preferences)
        return Response({"email_categories": pref.email_categories})
    return Response({"email_categories": services.email_categories(request.user)})


@extend_schema(summary="可推送的事件类型", responses=inline_serializer("PushKind", {"kind": serializers.CharField(), "label": serializers.CharField()}, many=True), tags=TAGS)
@api_view(["GET"])
def kind_list(request):
    return Response([{"kind": k, "label": push_kinds.get(k).label} for k in sorted(push_kinds.keys())])


@extend_schema(methods=["GET"], summary="推送订阅（系统管理员）", responses=SubscriptionSerializer(many=True), tags=TAGS)
@extend_schema(methods=["POST"], summary="新增推送订阅；返回只显示一次的签名密钥", request=SubscriptionSerializer, responses={201: CreatedSubscriptionSerializer}, tags=TAGS)
@list_endpoint
@api_view(["GET", "POST"])
def subscription_list(request):
    rows = selectors.subscriptions(request.user)
    if request.method == "GET":
        return paginated(request, rows, SubscriptionSerializer)
    body = SubscriptionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = dict(body.validated_data)
    data["agencies"] = [a.pk for a in data.get("agencies", [])]
    sub = services.create_subscription(request.user, **data)
    return Response(CreatedSubscriptionSerializer(sub).data | {"secret": sub.secret}, status=201)


@extend_schema(methods=["GET"], summary="推送订阅", responses=SubscriptionSerializer, tags=TAGS)
@extend_schema(methods=["PATCH"], summary="修改推送订阅", request=SubscriptionSerializer(partial=True), responses=SubscriptionSerializer, tags=TAGS)
@api_view(["GET", "PATCH"])
def subscription_detail(request, pk):
    sub = selectors.get_subscription(request.user, pk)
    if request.method == "PATCH":
        body = SubscriptionSerializer(sub, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "agencies" in data:
            data["agencies"] = [a.pk for a in data["agencies"]]
        sub = services.update_subscription(request.user, sub, **data)
    return Response(SubscriptionSerializer(sub).data)


@extend_schema(summary="更换签名密钥；返回只显示一次的新密钥", request=None, responses=inline_serializer("Secret", {"secret": serializers.CharField()}), tags=TAGS)
@api_view(["POST"])
def rotate_secret(request, pk):
    return Response({"secret": services.rotate_secret(request.user, selectors.get_subscription(request.user, pk))})


class DeliveryListFilter(DeliveryFilter):
    subscription = django_filters.NumberFilter(label="订阅")

    class Meta(DeliveryFilter.Meta):
        fields = ["status", "kind", "subscription"]


@extend_schema(summary="推送记录（系统管理员）", parameters=parameters(DeliveryListFilter), responses=DeliverySerializer(many=True), tags=TAGS)
@list_endpoint
@api_view(["GET"])
def delivery_list(request):
    return paginated(request, selectors.deliveries(request.user), DeliverySerializer, filterset=DeliveryListFilter)


@extend_schema(summary="重新发送一条推送", request=None, responses=DeliverySerializer, tags=TAGS)
@api_view(["POST"])
def delivery_replay(request, pk):
    return Response(DeliverySerializer(services.replay(request.user, selectors.get_delivery(request.user, pk))).data)


class JobSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    schedule = serializers.CharField()
    last_slot = serializers.DateTimeField(allow_null=True)
    last_status = serializers.CharField(allow_null=True)
    last_message = serializers.CharField(allow_null=True)


@extend_schema(summary="定时任务与最近一次运行（系统管理员、监督人员）", responses=JobSerializer(many=True), tags=TAGS)
@api_view(["GET"])
def job_list(request):
    rows = [
        {"name": r["job"].name, "label": r["job"].label, "schedule": r["job"].schedule.label(),
         "last_slot": r["last"].slot if r["last"] else None, "last_status": r["last"].status if r["last"] else None,
         "last_message": r["last"].message if r["last"] else None}
        for r in selectors.jobs_for(request.user)
    ]
    return Response(JobSerializer(rows, many=True).data)


class ApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Approval
        fields = ["id", "kind", "subject_type", "subject_id", "agency", "title", "link", "note", "requested_by", "requested_at", "status",
                  "decided_by", "decided_at", "opinion"]


class ApprovalDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 批准；false 退回（须写明意见）")
    opinion = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApprovalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Approval.Status.choices, label="状态")

    class Meta:
        model = Approval
        fields = ["status"]


@extend_schema(summary="审批：机关负责人看本机关的，其他人看自己送审的", parameters=parameters(ApprovalFilter), responses=ApprovalSerializer(many=True), tags=TAGS)
@list_endpoint
@api_view(["GET"])
def approval_list(request):
    return paginated(request, selectors.approvals_for(request.user), ApprovalSerializer, filterset=ApprovalFilter)


@extend_schema(summary="机关负责人审批：批准（即以本人名义办理，如签发文书）或退回", request=ApprovalDecisionSerializer, responses=ApprovalSerializer, tags=TAGS)
@api_view(["POST"])
def approval_decide(request, pk):
    from . import approvals

    return Response(ApprovalSerializer(act(request, ApprovalDecisionSerializer, approvals.decide, selectors.get_approval(request.user, pk))).data)


@extend_schema(summary="撤回自己送审的事项", request=None, responses=ApprovalSerializer, tags=TAGS)
@api_view(["POST"])
def approval_cancel(request, pk):
    from . import approvals

    return Response(ApprovalSerializer(approvals.cancel(request.user, selectors.get_approval(request.user, pk))).data)
