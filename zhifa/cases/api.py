"""Case endpoints: open, read (with next steps and what blocks them), move, proposal, party choices, deadlines."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.core.api import act
from zhifa.org.models import Person

from . import selectors, services
from .models import Case, CaseDeadline, CaseSource, Party, PenaltyKind, ProposedOutcome, StageEntry


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["kind", "name", "id_code", "legal_representative", "address", "phone"]


class CaseDeadlineSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CaseDeadline
        fields = ["case", "case_number", "code", "name", "start_date", "due_date", "rule", "basis", "provisional", "party_period", "met_on", "extended_days"]


class StageEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = StageEntry
        fields = ["stage", "transition", "entered_at", "by", "note"]


class CaseSerializer(serializers.ModelSerializer):
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    procedure_version = serializers.IntegerField(source="procedure.version", read_only=True)
    stage_name = serializers.CharField(read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    officers = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "number", "agency", "procedure_code", "procedure_version", "title", "source", "facts", "place", "occurred_on",
            "stage", "stage_name", "status", "opened_on", "closed_on", "proposed_outcome", "penalty_kinds", "fine_amount",
            "confiscation_amount", "legal_basis", "hearing_requested", "hearing_waived", "defence_waived", "is_major",
            "major_reasons", "parties", "officers",
        ]

    def get_officers(self, case) -> list[int]:
        return list(case.officers.values_list("person_id", flat=True))


class NextStepSerializer(serializers.Serializer):
    to = serializers.CharField()
    to_name = serializers.CharField()
    name = serializers.CharField()
    guards = serializers.ListField(child=serializers.CharField(), required=False)
    blockers = serializers.ListField(child=serializers.CharField(), help_text="为空表示条件已具备")


class CaseDetailSerializer(CaseSerializer):
    deadlines = CaseDeadlineSerializer(many=True, read_only=True)
    history = StageEntrySerializer(many=True, read_only=True)
    next_steps = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "deadlines", "history", "next_steps"]

    @extend_schema_field(NextStepSerializer(many=True))
    def get_next_steps(self, case):
        user = self.context["request"].user
        return NextStepSerializer(services.next_steps(case) if services.works_on(user, case) else [], many=True).data


class OpenCaseSerializer(serializers.Serializer):
    procedure_code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    source = serializers.ChoiceField(choices=CaseSource.choices)
    facts = serializers.CharField(required=False, default="", allow_blank=True)
    place = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    is_emergency = serializers.BooleanField(required=False, default=False)
    parties = PartySerializer(many=True)
    officers = serializers.PrimaryKeyRelatedField(many=True, queryset=Person.objects.all())


class MoveSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=40, label="目标环节")
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)


class ProposalSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ProposedOutcome.choices)
    penalty_kinds = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyKind.choices), required=False, default=list)
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    confiscation_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    legal_basis = serializers.CharField(required=False, default="", allow_blank=True)


class ChoiceSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=["hearing_requested", "hearing_waived", "defence_waived"])
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)


@extend_schema(tags=["案件"])
class CaseListCreate(generics.ListCreateAPIView):
    serializer_class = CaseSerializer

    def get_queryset(self):
        qs = selectors.visible_cases(self.request.user).prefetch_related("parties")
        for name in ("status", "stage", "number"):
            if value := self.request.query_params.get(name):
                qs = qs.filter(**{name: value})
        return qs

    @extend_schema(summary="立案", request=OpenCaseSerializer, responses={201: CaseDetailSerializer})
    def post(self, request):
        case = act(request, OpenCaseSerializer, services.open_case)
        return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["案件"], summary="案件详情（含期限、环节记录和下一步的阻碍事项）", responses=CaseDetailSerializer)
@api_view(["GET"])
def case_detail(request, pk):
    return Response(CaseDetailSerializer(selectors.get_case(request.user, pk), context={"request": request}).data)


def _act(request, pk, serializer_class, call):
    case = act(request, serializer_class, call, selectors.get_case(request.user, pk))
    return Response(CaseDetailSerializer(selectors.get_case(request.user, case.pk), context={"request": request}).data)


@extend_schema(tags=["案件"], summary="按程序流转到下一环节（条件不具备时返回 400 及原因）", request=MoveSerializer, responses=CaseDetailSerializer)
@api_view(["POST"])
def move(request, pk):
    return _act(request, pk, MoveSerializer, services.move_case)


@extend_schema(tags=["案件"], summary="拟处理意见（据此判断听证权利与是否属于重大执法决定）", request=ProposalSerializer, responses=CaseDetailSerializer)
@api_view(["POST"])
def proposal(request, pk):
    return _act(request, pk, ProposalSerializer, services.set_proposal)


@extend_schema(tags=["案件"], summary="登记当事人申请听证、放弃听证或放弃陈述申辩", request=ChoiceSerializer, responses=CaseDetailSerializer)
@api_view(["POST"])
def party_choice(request, pk):
    return _act(request, pk, ChoiceSerializer, services.record_party_choice)


@extend_schema(tags=["案件"], summary="已超期的办理期限（按执法主体范围）", responses=CaseDeadlineSerializer(many=True))
@api_view(["GET"])
def overdue(request):
    return Response(CaseDeadlineSerializer(selectors.overdue_deadlines(request.user), many=True).data)


