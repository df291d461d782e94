"""Publication endpoints for staff (review queue, release, withdrawal); the public data is open at /gs/decisions/."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.core.api import act, run_service

from . import selectors, services
from .models import Publication, PublicitySetting, RetentionScheme, WithdrawalTrigger


class PublicationSerializer(serializers.ModelSerializer):
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
        return [{"corrected_on": c.corrected_on.isoformat(), "note": c.note, "changes": c.changes} for c in p.corrections.all()]


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


@extend_schema(tags=["公示"], summary="公示记录（按执法主体范围）")
class PublicationList(generics.ListAPIView):
    serializer_class = PublicationSerializer

    def get_queryset(self):
        qs = selectors.visible_publications(self.request.user)
        if status := self.request.query_params.get("status"):
            qs = qs.filter(status=status)
        return qs


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
    from zhifa.org.selectors import get_visible, visible_agencies

    agency = get_visible(visible_agencies(request.user), agency_pk)
    if request.method == "PUT":
        data = SettingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run_service(services.save_setting, request.user, agency, **data.validated_data)
    current = PublicitySetting.objects.filter(agency=agency).first() or PublicitySetting(agency=agency)
    return Response(SettingSerializer(current).data)
