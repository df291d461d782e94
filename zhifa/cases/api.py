"""Case endpoints: open, read (with next steps and what blocks them), move, proposal, party choices, deadlines."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.core.api import act, collection, collection_endpoint, paginated
from zhifa.core.fastread import FastRead, Rows
from zhifa.org.models import Person
from zhifa.procedures.models import ProcedureDefinition

from . import selectors, services
from .filters import CaseFilter
from .models import (
    Case,
    CaseDeadline,
    CaseOfficer,
    CaseSource,
    DeadlinePause,
    HearingThreshold,
    MajorGround,
    MajorMark,
    Party,
    PauseKind,
    Payment,
    PaymentArrangement,
    PenaltyKind,
    ProposedOutcome,
    StageEntry,
)


class PartySerializer(FastRead, serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["kind", "name", "id_code", "legal_representative", "address", "phone"]
        extra_kwargs = {"id_code": {"max_length": 18}, "phone": {"max_length": 40}}  # plain lengths (stored encrypted)


class CaseDeadlineSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CaseDeadline
        fields = [
            "case", "case_number", "code", "name", "start_date", "due_date", "rule", "basis", "provisional", "party_period", "met_on",
            "met_by", "extended_days", "extension_reason", "excluded_days",
        ]


class StageEntrySerializer(serializers.ModelSerializer):
    stage_name = serializers.SerializerMethodField()

    class Meta:
        model = StageEntry
        fields = ["stage", "stage_name", "transition", "entered_at", "by", "note"]

    def get_stage_name(self, entry) -> str:
        return entry.case.definition.stage_name(entry.stage)


class ThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = HearingThreshold
        fields = ["id", "sector", "region_prefix", "party_kind", "fine_amount", "confiscation_amount", "basis"]
        read_only_fields = ["id"]
        validators = []  # the service replaces the row for the same region, sector and party type


class MajorMarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = MajorMark
        fields = ["id", "ground", "reason", "marked_by", "marked_at", "unmarked_by", "unmarked_at", "unmark_reason"]


class PauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlinePause
        fields = ["id", "deadline_code", "kind", "start_date", "end_date", "reason", "by"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "paid_on", "amount", "late_fee", "receipt_number", "recorded_by", "recorded_at"]


class ArrangementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentArrangement
        fields = ["id", "kind", "schedule", "reason", "approved_by", "approved_on"]


class CaseSerializer(FastRead, serializers.ModelSerializer):
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    procedure_version = serializers.IntegerField(source="procedure.version", read_only=True)
    stage_name = serializers.CharField(read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    officers = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "number", "agency", "procedure_code", "procedure_version", "title", "source", "facts", "place", "occurred_on",
            "is_continuing", "act_ended_on", "discovered_on", "serious_harm", "limitation_note",
            "stage", "stage_name", "status", "opened_on", "closed_on", "proposed_outcome", "penalty_kinds", "fine_amount",
            "confiscation_amount", "legal_basis", "hearing_requested", "hearing_waived", "defence_waived", "is_major",
            "major_reasons", "notified_proposal", "parties", "officers",
        ]

    def get_officers(self, case) -> list[int]:
        if type(case) is dict:
            return case["officers"]  # a list page read as rows (CASE_ROWS)
        return [officer.person_id for officer in case.officers.all()]


def _fill_cases(rows: list[dict]):
    """Complete a page of case rows: parties and officers in one query each, the procedures it uses by id."""
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row["parties"], row["officers"] = [], []
    party_columns = CASE_ROWS_PARTIES.columns()
    for party in Party.objects.filter(case_id__in=by_id).order_by("id").values("case_id", *party_columns):
        by_id[party.pop("case_id")]["parties"].append(party)
    for case_id, person_id in CaseOfficer.objects.filter(case_id__in=by_id).order_by("id").values_list("case_id", "person_id"):
        by_id[case_id]["officers"].append(person_id)
    procedures = ProcedureDefinition.objects.in_bulk({row["procedure_id"] for row in rows})
    for row in rows:
        row["procedure"] = procedure = procedures[row["procedure_id"]]
        row["stage_name"] = procedure.procedure.stage_name(row["stage"])


CASE_ROWS_PARTIES = Rows(PartySerializer)
CASE_ROWS = Rows(CaseSerializer, extra=["id", "procedure_id", "stage"], fill=_fill_cases)


class NextStepSerializer(serializers.Serializer):
    to = serializers.CharField()
    to_name = serializers.CharField()
    name = serializers.CharField()
    guards = serializers.ListField(child=serializers.CharField(), required=False)
    blockers = serializers.ListField(child=serializers.CharField(), help_text="为空表示条件已具备")


class CaseDetailSerializer(CaseSerializer):
    deadlines = CaseDeadlineSerializer(many=True, read_only=True)
    history = StageEntrySerializer(many=True, read_only=True)
    major_marks = MajorMarkSerializer(many=True, read_only=True)
    pauses = PauseSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    payment_arrangements = ArrangementSerializer(many=True, read_only=True)
    amount_outstanding = serializers.SerializerMethodField(help_text="尚欠罚款（含截至今日的加处罚款），元")
    next_steps = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields, "deadlines", "history", "major_marks", "pauses", "payments", "payment_arrangements",
            "amount_outstanding", "next_steps",
        ]

    def get_amount_outstanding(self, case) -> str:
        return str(services.amount_outstanding(case))

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
    is_continuing = serializers.BooleanField(required=False, default=False)
    act_ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    discovered_on = serializers.DateField(required=False, allow_null=True, default=None)
    serious_harm = serializers.BooleanField(required=False, default=False)
    limitation_note = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)
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
    legal_basis = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    renotify = serializers.BooleanField(required=False, default=False, help_text="告知后加重拟处罚的，须重新告知")
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)


class MarkSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=MajorGround.choices)
    reason = serializers.CharField(max_length=500)


class UnmarkSerializer(serializers.Serializer):
    mark_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.CharField(max_length=500)


class PauseInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, label="期限代码")
    kind = serializers.ChoiceField(choices=PauseKind.choices)
    start_date = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class ResumeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, label="期限代码")
    end_date = serializers.DateField()


class ExtendSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, label="期限代码")
    reason = serializers.CharField(max_length=300)


class PaymentInputSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    receipt_number = serializers.CharField(max_length=60)


class ArrangementInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PaymentArrangement.Kind.choices)
    schedule = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(max_length=20), min_length=2, max_length=2),
        min_length=1, max_length=36, help_text="[[\"2026-03-01\", \"5000.00\"], …]",
    )
    reason = serializers.CharField(max_length=300)


class ChoiceSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=["hearing_requested", "hearing_waived", "defence_waived"])
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)


@collection_endpoint(tags=["案件"], list_summary="案件列表（按执法主体范围）", create_summary="立案", serializer=CaseSerializer,
                     filterset=CaseFilter, create_request=OpenCaseSerializer, create_response=CaseDetailSerializer)
def case_list(request):
    if request.method == "GET":
        return paginated(request, selectors.visible_cases(request.user), CaseSerializer, filterset=CaseFilter, rows=CASE_ROWS)
    case = act(request, OpenCaseSerializer, services.open_case)
    return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["案件"], summary="案件详情（含期限、环节记录和下一步的阻碍事项）", responses=CaseDetailSerializer)
@api_view(["GET"])
def case_detail(request, pk):
    return Response(CaseDetailSerializer(selectors.get_case(request.user, pk), context={"request": request}).data)


def _action(summary, serializer_class, call):
    """An action on one case: validate the body, call the service as the user, answer with the case (whatever
    the service returns: the case, a mark, a payment …)."""

    @extend_schema(tags=["案件"], summary=summary, request=serializer_class, responses=CaseDetailSerializer)
    @api_view(["POST"])
    def view(request, pk):
        act(request, serializer_class, call, selectors.get_case(request.user, pk))
        return Response(CaseDetailSerializer(selectors.get_case(request.user, pk), context={"request": request}).data)

    return view


move = _action("按程序流转到下一环节（条件不具备时返回 400 及原因）", MoveSerializer, services.move_case)
proposal = _action("拟处理意见（据此判断听证权利与是否属于重大执法决定）", ProposalSerializer, services.set_proposal)
party_choice = _action("登记当事人申请听证、放弃听证或放弃陈述申辩", ChoiceSerializer, services.record_party_choice)


@extend_schema(tags=["案件"], summary="已超期的办理期限（按执法主体范围）", responses=CaseDeadlineSerializer(many=True))
@api_view(["GET"])
def overdue(request):
    return Response(CaseDeadlineSerializer(selectors.overdue_deadlines(request.user), many=True).data)




mark_major = _action("标记为重大执法决定（写明情形和理由）", MarkSerializer, services.mark_major)
unmark_major = _action("取消重大执法决定标记（机关负责人，写明理由）", UnmarkSerializer, services.unmark_major)
pause = _action("登记不计入期限的期间开始（听证、公告、检测、鉴定等）", PauseInputSerializer, services.pause_deadline)
resume = _action("登记不计入期限的期间结束", ResumeSerializer, services.resume_deadline)
extend = _action("延长办理期限（机关负责人批准，写明理由）", ExtendSerializer, services.extend_deadline)
class RecusalSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=2**53, help_text="回避的承办人员")
    applicant = serializers.ChoiceField(choices=[("party", "当事人申请"), ("officer", "执法人员自行申请")], default="party")
    reason = serializers.CharField(max_length=300)
    replacement = serializers.IntegerField(min_value=1, max_value=2**53, required=False, allow_null=True, help_text="接替的执法人员")


request_recusal = _action("申请执法人员回避：送机关负责人决定（行政处罚法第四十三条），批准即调整承办人员", RecusalSerializer, services.request_recusal)
request_extension = _action("申请延长办理期限：送机关负责人审批，批准即以其名义延长（见 /api/v1/approvals/）", ExtendSerializer, services.request_extension)
payment = _action("登记罚款缴纳（缴款凭证号）", PaymentInputSerializer, services.record_payment)
arrangement = _action("批准延期或分期缴纳罚款（机关负责人）", ArrangementInputSerializer, services.approve_payment_arrangement)
add_party = _action("追加当事人", PartySerializer, lambda user, case, **data: services.add_party(user, case, data))


@collection_endpoint(tags=["案件"], list_summary="听证较大数额标准（按行政区划、执法领域和当事人类型）",
                     create_summary="设置听证较大数额标准（系统管理员）", serializer=ThresholdSerializer)
def threshold_list(request):
    return collection(request, selectors.hearing_thresholds(), ThresholdSerializer, lambda data: services.save_threshold(request.user, **data))
