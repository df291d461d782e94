"""Supervision endpoints: the problem models, the clues and each step of their life."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from zhifa.cases.models import Case
from zhifa.core.api import act, collection, collection_endpoint, list_endpoint, paginated
from zhifa.core.filters import parameters
from zhifa.org.models import Agency, Person
from zhifa.org.selectors import get_agency

from . import detectors, selectors, services
from .filters import ClueFilter
from .models import Clue, ClueStatus, Directive, DirectiveKind, RegionalReport

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
    return Response(services.run_models(actor=request.user))


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


# ---------------------------------------------------------------- 监督文书

class DirectiveSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    issuer_name = serializers.CharField(source="issuer_agency.name", read_only=True)
    kind = serializers.ChoiceField(choices=DirectiveKind.choices, label="文书")
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), label="被监督执法主体")
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all(), required=False, allow_null=True, label="案件")
    clue = serializers.PrimaryKeyRelatedField(queryset=Clue.objects.all(), required=False, allow_null=True, label="来源线索")
    reply_workdays = serializers.IntegerField(min_value=1, max_value=60, default=services.REPLY_WORKDAYS, label="答复期限（工作日）")

    class Meta:
        model = Directive
        fields = ["id", "kind", "number", "issuer_agency", "issuer_name", "issued_by", "issued_at", "agency", "agency_name", "case", "clue",
                  "subject", "content", "basis", "reply_workdays", "due_date", "status", "reply", "replied_by", "replied_at", "review_note",
                  "closed_by", "closed_at"]
        read_only_fields = ["number", "issuer_agency", "issued_by", "issued_at", "due_date", "status", "reply", "replied_by", "replied_at",
                            "review_note", "closed_by", "closed_at"]


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000, label="整改情况或情况说明")


class ReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField(label="同意办结（否则退回重新答复）")
    note = serializers.CharField(max_length=500, label="审核意见")


@collection_endpoint(tags=TAGS, list_summary="监督文书（按辖区）", create_summary="发出监督文书（监督通知书、督办通知、纠错建议书）", serializer=DirectiveSerializer)
def directive_list(request):
    def create(data):
        clue = data.get("clue")
        if clue is not None:
            clue = selectors.get_clue(request.user, clue.pk)
        return services.issue_directive(request.user, agency=data["agency"], kind=data["kind"], subject=data["subject"], content=data["content"],
                                        basis=data["basis"], reply_workdays=data["reply_workdays"], case=data.get("case"), clue=clue)

    return collection(request, selectors.visible_directives(request.user).order_by("-pk"), DirectiveSerializer, create)


@extend_schema(tags=TAGS, summary="监督文书", responses=DirectiveSerializer)
@api_view(["GET"])
def directive_detail(request, pk):
    return Response(DirectiveSerializer(selectors.get_directive(request.user, pk)).data)


@extend_schema(tags=TAGS, summary="答复监督文书（被监督执法主体负责人）", request=ReplySerializer, responses=DirectiveSerializer)
@api_view(["POST"])
def directive_reply(request, pk):
    return Response(DirectiveSerializer(act(request, ReplySerializer, services.reply_directive, selectors.get_directive(request.user, pk))).data)


@extend_schema(tags=TAGS, summary="审核答复：办结或退回", request=ReviewSerializer, responses=DirectiveSerializer)
@api_view(["POST"])
def directive_review(request, pk):
    return Response(DirectiveSerializer(act(request, ReviewSerializer, services.review_directive, selectors.get_directive(request.user, pk))).data)


# ---------------------------------------------------------------- 统计年报报送与汇总

class ReportStatusSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency.pk")
    agency_name = serializers.CharField(source="agency.name")
    report = serializers.IntegerField(source="report.pk", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField(source="submission.submitted_at", allow_null=True, default=None)
    current = serializers.BooleanField(help_text="报送的是现有年报（年报重新生成后须再次报送）")


class SubmitSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), label="执法主体")
    year = serializers.IntegerField(min_value=2000, max_value=2099, label="年度")


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2099, label="年度")


class RegionalReportSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    region = serializers.CharField(source="authority.region_name", read_only=True)

    class Meta:
        model = RegionalReport
        fields = ["id", "authority", "authority_name", "region", "year", "data", "included", "missing", "published_at"]


@extend_schema(tags=TAGS, summary="统计年报报送情况（按辖区；?year= 默认上一年度）", responses=ReportStatusSerializer(many=True),
               parameters=[OpenApiParameter("year", int, description="年度")])
@api_view(["GET"])
def report_status(request):
    text = request.query_params.get("year", "")
    year = int(text) if text.isascii() and text.isdigit() and 2000 <= int(text) <= 2099 else timezone.localdate().year - 1
    return Response(ReportStatusSerializer(selectors.report_status(request.user, year), many=True).data)


@extend_schema(tags=TAGS, summary="报送统计年报（本机关负责人）", request=SubmitSerializer, responses={201: OpenApiTypes.OBJECT})
@api_view(["POST"])
def report_submit(request):
    body = SubmitSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    agency = get_agency(request.user, body.validated_data["agency"].pk)
    row = services.submit_report(request.user, agency, body.validated_data["year"])
    return Response({"agency": row.agency_id, "year": row.year, "submitted_at": row.submitted_at, "recipients": row.recipients}, status=201)


@extend_schema(tags=TAGS, summary="汇总并公布本地区统计年报（设区的市级以上司法行政机关）", request=YearSerializer, responses=RegionalReportSerializer)
@api_view(["POST"])
def regional_publish(request):
    return Response(RegionalReportSerializer(act(request, YearSerializer, services.publish_regional_report)).data)


@extend_schema(tags=["公开"], summary="地区行政执法统计年报", responses=RegionalReportSerializer(many=True), auth=[])
@list_endpoint
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
def public_regional_reports(request):
    return paginated(request, selectors.regional_reports(), RegionalReportSerializer)


# ---------------------------------------------------------------- 数据驾驶舱

class CockpitSerializer(serializers.Serializer):
    region = serializers.CharField(source="scope.code", help_text="地区代码前缀（2、4、6 位）或 a<执法主体ID>")
    label = serializers.CharField(source="scope.label")
    up = serializers.CharField(source="scope.up", allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    total = serializers.DictField(help_text="各项指标：新立案件、在办、超期、处罚决定、罚款、公示、撤回、法制审核、双随机、监督线索及各项比率（%）")
    parts = serializers.SerializerMethodField(help_text="下一级地区或执法主体的同样指标")
    trend = serializers.DictField(help_text="按月：新立案件、行政处罚决定")

    def get_parts(self, data) -> list[dict]:
        return [{"region": code, "label": label, "total": {k: (str(v) if k == "fines" else v) for k, v in t.items()}} for code, label, t in data["parts"]]

    def to_representation(self, data):
        out = super().to_representation(data)
        out["total"] = {k: (str(v) if k == "fines" else v) for k, v in data["total"].items()}
        return out


@extend_schema(tags=TAGS, summary="数据驾驶舱（按辖区与期间）", responses=CockpitSerializer, parameters=[
    OpenApiParameter("region", str, description="地区代码前缀或 a<执法主体ID>；默认为本人可见的最小地区"),
    OpenApiParameter("from", str, description="起始日期 YYYY-MM-DD（默认本年1月1日）"), OpenApiParameter("to", str, description="截止日期（默认今天）")])
@api_view(["GET"])
def cockpit_figures(request):
    from . import cockpit

    p = request.query_params
    return Response(CockpitSerializer(cockpit.cockpit(request.user, p.get("region", ""), p.get("from", ""), p.get("to", ""))).data)
