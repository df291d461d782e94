"""Publication endpoints for staff (review queue, release, withdrawal); the public data is open at /gs/decisions/."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.core.api import act

from . import selectors, services
from .models import Publication, WithdrawalTrigger


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = [
            "id", "token", "agency", "case", "document", "category", "decision_number", "decision_date", "party_name", "party_code",
            "conclusion", "basis", "fine_amount", "text", "redactions", "secret_marks", "due_date", "status", "published_on",
            "take_down_on", "withdrawal_trigger", "trigger_date", "withdrawal_due", "withdrawn_on", "withdrawal_reason",
        ]


class ReleaseSerializer(serializers.Serializer):
    secret_marks = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)


class WithdrawSerializer(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=WithdrawalTrigger.choices)
    trigger_date = serializers.DateField()
    reason = serializers.CharField(max_length=500)


@extend_schema(tags=["公示"], summary="公示记录（按执法主体范围）")
class PublicationList(generics.ListAPIView):
    serializer_class = PublicationSerializer

    def get_queryset(self):
        qs = selectors.visible_publications(self.request.user)
        if status := self.request.query_params.get("status"):
            qs = qs.filter(status=status)
        return qs


@extend_schema(tags=["公示"], summary="审核后公开（可标记商业秘密）", request=ReleaseSerializer, responses=PublicationSerializer)
@api_view(["POST"])
def release(request, pk):
    publication = act(request, ReleaseSerializer, services.release, selectors.get_publication(request.user, pk))
    return Response(PublicationSerializer(publication).data)


@extend_schema(tags=["公示"], summary="撤回公示（须公开理由）", request=WithdrawSerializer, responses=PublicationSerializer)
@api_view(["POST"])
def withdraw(request, pk):
    publication = act(request, WithdrawSerializer, services.withdraw, selectors.get_publication(request.user, pk))
    return Response(PublicationSerializer(publication).data)
