"""Supervision endpoints: the problem models, the clues and each step of their life."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.core.api import act, list_endpoint, paginated
from zhifa.core.errors import require
from zhifa.core.filters import parameters
from zhifa.core.roles import Role, is_admin
from zhifa.org.models import Person

from . import detectors, selectors, services
from .filters import ClueFilter
from .models import Clue, ClueStatus

TAGS = ["执法监督"]


class ClueSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True, default="")

    class Meta:
        model = Clue
        fields = ["id", "model", "agency", "agency_name", "severity", "title", "detail", "basis", "link", "status", "is_open", "found_at",
                  "gone_at", "assigned_to", "due_date", "answer", "answered_at", "closed_at", "close_note"]


class ProblemModelSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    basis = serializers.CharField()
    severity = serializers.CharField()
    lasting = serializers.BooleanField(help_text="持续存在的情况（消除后自动办结）；否则为已发生的事件，须由监督人员办结。")


class AssignSerializer(serializers.Serializer):
    to = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), label="交办给")
    workdays_to_reply = serializers.IntegerField(min_value=1, max_value=60, default=services.REPLY_WORKDAYS, label="答复期限（工作日）")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label="交办意见")


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(ClueStatus.CORRECTED, "已整改"), (ClueStatus.EXPLAINED, "说明情况")], label="答复")
    text = serializers.CharField(max_length=5000, label="整改情况或情况说明")


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, label="办结意见")


class RunResultSerializer(serializers.Serializer):
    found = serializers.IntegerField()
    new = serializers.IntegerField()
    closed = serializers.IntegerField()


@extend_schema(tags=TAGS, summary="问题模型", responses=ProblemModelSerializer(many=True))
@api_view(["GET"])
def model_list(request):
    return Response(ProblemModelSerializer(detectors.all_detectors(), many=True).data)


@extend_schema(tags=TAGS, summary="立即运行全部问题模型（监督人员、系统管理员）", request=None, responses=RunResultSerializer)
@api_view(["POST"])
def run(request):
    require(is_admin(request.user) or request.user.has_role(Role.SUPERVISOR), "只有执法监督人员或系统管理员可以运行问题模型。")
    return Response(services.run_models())


@extend_schema(summary="监督线索（按辖区）", parameters=parameters(ClueFilter), responses=ClueSerializer(many=True), tags=TAGS)
@list_endpoint
@api_view(["GET"])
def clue_list(request):
    return paginated(request, selectors.visible_clues(request.user).order_by("-pk"), ClueSerializer, filterset=ClueFilter)


@extend_schema(tags=TAGS, summary="监督线索", responses=ClueSerializer)
@api_view(["GET"])
def clue_detail(request, pk):
    return Response(ClueSerializer(selectors.get_clue(request.user, pk)).data)


@extend_schema(tags=TAGS, summary="交办线索", request=AssignSerializer, responses=ClueSerializer)
@api_view(["POST"])
def clue_assign(request, pk):
    return Response(ClueSerializer(act(request, AssignSerializer, services.assign, selectors.get_clue(request.user, pk))).data)


@extend_schema(tags=TAGS, summary="答复线索（整改情况或情况说明）", request=AnswerSerializer, responses=ClueSerializer)
@api_view(["POST"])
def clue_answer(request, pk):
    return Response(ClueSerializer(act(request, AnswerSerializer, services.answer, selectors.get_clue(request.user, pk))).data)


@extend_schema(tags=TAGS, summary="办结线索", request=CloseSerializer, responses=ClueSerializer)
@api_view(["POST"])
def clue_close(request, pk):
    return Response(ClueSerializer(act(request, CloseSerializer, services.close, selectors.get_clue(request.user, pk))).data)
