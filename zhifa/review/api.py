"""Legal review endpoints: the catalogue, submission, decision with the checklist, escalation."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.cases import selectors as case_selectors
from zhifa.core.api import act, collection, collection_endpoint, list_endpoint, paginated
from zhifa.core.filters import parameters

from . import selectors, services
from .filters import TaskFilter
from .models import CHECKLIST, CatalogueRule, Criterion, ReviewTask


class TaskSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = ReviewTask
        fields = ["id", "case", "case_number", "round", "submitted_by", "submitted_on", "due_date", "due_rule", "status", "reviewer", "checklist", "opinion", "decided_on"]


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["passed", "corrected", "transferred"])
    checklist = serializers.DictField(child=serializers.BooleanField(), help_text="审核内容：" + "、".join(f"{k}（{v}）" for k, v in CHECKLIST))
    opinion = serializers.CharField(max_length=5000)


class EscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RuleSerializer(serializers.ModelSerializer):
    criterion = serializers.ChoiceField(choices=Criterion.choices)

    class Meta:
        model = CatalogueRule
        fields = ["id", "agency", "name", "criterion", "amount", "values", "basis", "is_active"]


@extend_schema(summary="法制审核任务（按执法主体范围）", parameters=parameters(TaskFilter), responses=TaskSerializer(many=True), tags=["法制审核"])
@list_endpoint
@api_view(["GET"])
def task_list(request):
    return paginated(request, selectors.visible_tasks(request.user), TaskSerializer, filterset=TaskFilter)


@extend_schema(tags=["法制审核"], summary="送法制审核", request=None, responses={201: TaskSerializer})
@api_view(["POST"])
def submit(request, case_pk):
    task = services.submit_for_review(request.user, case_selectors.get_case(request.user, case_pk))
    return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["法制审核"], summary="审核结论：同意（须逐项通过）、纠正或移送", request=DecisionSerializer, responses=TaskSerializer)
@api_view(["POST"])
def decide(request, pk):
    task = act(request, DecisionSerializer, services.decide_review, selectors.get_task(request.user, pk))
    return Response(TaskSerializer(task).data)


@extend_schema(tags=["法制审核"], summary="提交集体讨论", request=EscalateSerializer, responses=TaskSerializer)
@api_view(["POST"])
def escalate(request, pk):
    task = act(request, EscalateSerializer, services.escalate, selectors.get_task(request.user, pk))
    return Response(TaskSerializer(task).data)


@collection_endpoint(tags=["法制审核"], list_summary="重大执法决定法制审核目录", create_summary="新增审核目录事项", serializer=RuleSerializer)
def rule_list(request):
    return collection(request, selectors.visible_rules(request.user), RuleSerializer, lambda data: services.save_rule(request.user, **data))
