"""Publication endpoints for staff (review queue, release, withdrawal), and the public open data under /api/v1/public/
(the same data the portal serves at /gs/decisions/)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from zhifa.core.api import act, list_endpoint, paginated
from zhifa.core.fastread import FastRead, Rows
from zhifa.core.filters import parameters

from . import selectors, services, views
from .filters import PublicationFilter
from .models import Publication, PublicationCategory, PublicationCorrection, PublicitySetting, RetentionScheme, WithdrawalTrigger


class PublicationSerializer(FastRead, serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = [
            "id", "token", "agency", "case", "document", "category", "decision_number", "decision_date", "party_name", "party_code",
            "conclusion", "basis", "fine_amount", "text", "redactions", "secret_marks", "due_date", "status", "published_on",
            "take_down_on", "retention_basis", "withdrawal_trigger", "trigger_date", "withdrawal_due", "withdrawn_on", "withdrawal_reason",
            "corrections",
        ]

    corrections = serializers.SerializerMethodField()

    def get_corrections(self, p) -> list[dict]:
        if type(p) is dict:
            return p["corrections"]  # a list page read as rows (PUBLICATION_ROWS)
        return [_correction(c.corrected_on, c.note, c.changes) for c in p.corrections.all()]


def _correction(corrected_on, note, changes) -> dict:
    return {"corrected_on": corrected_on.isoformat(), "note": note, "changes": changes}


def _fill_publications(rows: list[dict]):
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row["corrections"] = []
    corrections = PublicationCorrection.objects.filter(publication_id__in=by_id).order_by("id")
    for publication_id, *correction in corrections.values_list("publication_id", "corrected_on", "note", "changes"):
        by_id[publication_id]["corrections"].append(_correction(*correction))


PUBLICATION_ROWS = Rows(PublicationSerializer, extra=["id"], fill=_fill_publications)


class ReleaseSerializer(serializers.Serializer):
    secret_marks = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)


class WithdrawSerializer(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=WithdrawalTrigger.choices, required=False, default="", help_text="已登记事由的可不填")
    trigger_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=500)


class RevocationSerializer(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=WithdrawalTrigger.choices)
    trigger_date = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class CorrectionSerializer(serializers.Serializer):
    party_name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    conclusion = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    basis = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)
    text = serializers.CharField(max_length=50000, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=500)


class SettingSerializer(serializers.ModelSerializer):
    scheme = serializers.ChoiceField(choices=RetentionScheme.choices)

    class Meta:
        model = PublicitySetting
        fields = ["agency", "scheme", "low_fine_amount", "low_fine_basis"]
        read_only_fields = ["agency"]


@extend_schema(summary="公示记录（按执法主体范围）", parameters=parameters(PublicationFilter), responses=PublicationSerializer(many=True), tags=["公示"])
@list_endpoint
@api_view(["GET"])
def publication_list(request):
    return paginated(request, selectors.visible_publications(request.user), PublicationSerializer, filterset=PublicationFilter, rows=PUBLICATION_ROWS)


def _action(summary, serializer_class, call):
    """An action on one publication: validate the body, call the service as the user, answer with the publication."""

    @extend_schema(tags=["公示"], summary=summary, request=serializer_class, responses=PublicationSerializer)
    @api_view(["POST"])
    def view(request, pk):
        publication = act(request, serializer_class, call, selectors.get_publication(request.user, pk))
        return Response(PublicationSerializer(publication).data)

    return view


release = _action("审核后公开（可标记商业秘密）", ReleaseSerializer, services.release)
withdraw = _action("撤回公示（须公开理由）", WithdrawSerializer, services.withdraw)
revocation = _action("登记决定被变更、撤销、确认违法或无效（自该日起三个工作日内撤回）", RevocationSerializer, services.record_revocation)
correct = _action("更正公示信息（更正说明随之公开）", CorrectionSerializer, services.correct)


@extend_schema(tags=["公示"], summary="应撤回而未撤回的公示（按撤回期限排序）", responses=PublicationSerializer(many=True))
@api_view(["GET"])
def withdrawals_due(request):
    return Response(PublicationSerializer(selectors.withdrawals_due(request.user)[:500], many=True).data)


@extend_schema(tags=["公示"], methods=["GET"], summary="机关的公示期限规则", responses=SettingSerializer)
@extend_schema(tags=["公示"], methods=["PUT"], summary="设置机关的公示期限规则", request=SettingSerializer, responses=SettingSerializer)
@api_view(["GET", "PUT"])
def setting(request, agency_pk):
    from zhifa.org.selectors import get_agency

    agency = get_agency(request.user, agency_pk)
    if request.method == "PUT":
        data = SettingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_setting(request.user, agency, **data.validated_data)
    current = selectors.setting_for(agency) or PublicitySetting(agency=agency)
    return Response(SettingSerializer(current).data)


# --- public open data (no login): the portal's data under /api/v1/public/ -----------------------------------

PUBLIC_TAG = ["公开"]
FILTERS = [
    OpenApiParameter("q", description="关键词（决定书文号、当事人、结论、全文）"),
    OpenApiParameter("agency", OpenApiTypes.INT, description="执法主体 ID"),
    OpenApiParameter("category", description="类别", enum=[c for c, _ in PublicationCategory.choices]),
    OpenApiParameter("year", OpenApiTypes.INT, description="决定年度"),
]


class PublicDecisionSerializer(serializers.Serializer):
    decision_number = serializers.CharField(label="决定书文号")
    category = serializers.CharField(label="类别")
    party_name = serializers.CharField(label="当事人（已去标识化）")
    party_code = serializers.CharField(label="统一社会信用代码（自然人为空）")
    conclusion = serializers.CharField(label="处理结果")
    basis = serializers.CharField(label="依据")
    fine_amount = serializers.CharField(label="罚款金额（元）")
    decision_date = serializers.CharField(label="决定日期")
    agency = serializers.CharField(label="执法主体")
    published_on = serializers.CharField(label="公示日期")
    status = serializers.CharField(label="状态")
    withdrawn_on = serializers.CharField(label="撤回日期")
    withdrawal_reason = serializers.CharField(label="撤回原因")
    corrected_on = serializers.CharField(label="最近更正日期")
    correction_note = serializers.CharField(label="更正说明")
    url = serializers.CharField(label="公示页面地址")


def _delegate(view):
    """The same bytes as the portal's file at /gs/decisions/…: one implementation, two addresses."""

    @api_view(["GET"])
    @permission_classes([AllowAny])
    @authentication_classes([])
    def endpoint(request):
        return view(request._request)

    return endpoint


@extend_schema(summary="公示的行政执法决定（分页）", parameters=[*FILTERS, OpenApiParameter("page", OpenApiTypes.INT)],
               responses=PublicDecisionSerializer(many=True), tags=PUBLIC_TAG, auth=[])
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
def public_decisions(request):
    qs = views._filtered(request._request, selectors.open_data_publications()).select_related("agency").prefetch_related("corrections")
    page = selectors.CappedPaginator(qs, 50).get_page(request.query_params.get("page"))
    return Response({
        "count": page.paginator.count, "capped": page.capped, "page": page.number, "pages": page.paginator.num_pages,
        "results": [views.public_row(request._request, p) for p in page.object_list],
    })


@extend_schema(summary="公示的行政执法决定详情", responses=PublicDecisionSerializer, tags=PUBLIC_TAG, auth=[])
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
def public_decision(request, token):
    return Response(views.public_row(request._request, selectors.get_public(token)))


def _file(summary, media_type, view, description=""):
    return extend_schema(
        summary=summary, description=description, parameters=FILTERS, tags=PUBLIC_TAG, auth=[],
        responses={(200, media_type): OpenApiTypes.BINARY},
    )(_delegate(view))


public_open_data_csv = _file("开放数据：公示决定（CSV，UTF-8 BOM）", "text/csv", views.open_data_csv,
                             "与 /gs/decisions/open-data.csv 相同。撤回的决定只保留文号、日期与撤回原因。")
public_open_data_json = _file("开放数据：公示决定（JSON）", "application/json", views.open_data_json,
                              "与 /gs/decisions/open-data.json 相同：{generated, items: [...]}。")
public_atom = _file("公示决定订阅（Atom）", "application/atom+xml", views.atom_feed, "最近 100 条公示与撤回。")
public_cf = _file("双公示：行政处罚（信用中国交换格式 CSV）", "text/csv", views.cf_export)
