"""Evidence endpoints. Uploads are multipart and streamed through the hashing handler; every
retrieval of a record or its bytes is logged before it is served."""

import functools

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from zhifa.core.api import list_endpoint, paginated
from zhifa.core.errors import require
from zhifa.core.filters import parameters
from zhifa.org.models import Person

from . import selectors, services
from .filters import AccessFilter, EvidenceFilter
from .models import (
    AccessAction,
    AccessChannel,
    Evidence,
    EvidenceAccess,
    EvidenceKind,
    Stage,
)
from .storage import EvidenceFileMissing
from .uploads import SpooledUploadFile, use_hashing_uploads
from .views import MISSING_MESSAGE, client_meta, logged_download


class FileGone(APIException):
    status_code = 410
    default_detail = MISSING_MESSAGE


class TooLarge(APIException):
    status_code = 413


class EvidenceSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    collector_name = serializers.CharField(source="collector.full_name", read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id", "number", "agency", "agency_name", "case_number", "title", "kind", "stage", "proves",
            "captured_at", "place", "collector", "collector_name", "recorded_by", "recorded_by_name", "recorded_at",
            "original_name", "media_type", "size", "sm3", "sha256", "note",
        ]


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label="文件")
    case_number = serializers.CharField(label="案件编号", max_length=60)
    title = serializers.CharField(label="名称", max_length=200)
    kind = serializers.ChoiceField(label="证据种类", choices=EvidenceKind.choices)
    stage = serializers.ChoiceField(label="执法环节", choices=Stage.choices)
    proves = serializers.CharField(label="证明对象", max_length=500)
    captured_at = serializers.DateTimeField(label="采集时间")
    place = serializers.CharField(label="采集地点", max_length=200)
    collector = serializers.PrimaryKeyRelatedField(label="采集人", queryset=Person.objects.all())
    note = serializers.CharField(label="备注", max_length=500, required=False, default="", allow_blank=True)


class AccessSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="evidence.number", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = EvidenceAccess
        fields = ["id", "evidence", "number", "person", "person_name", "action", "channel", "reason", "at", "ip", "user_agent"]


def hashing_uploads(view):
    """Install the hashing upload handler before anything (CSRF, authentication) reads the request body."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_problem = use_hashing_uploads(request) if request.method == "POST" else None
        return view(request, *args, **kwargs)

    return wrapper


@extend_schema(methods=["GET"], summary="证据列表（按执法主体范围）", parameters=parameters(EvidenceFilter),
               responses=EvidenceSerializer(many=True), tags=["证据"])
@extend_schema(methods=["POST"], summary="登记证据（multipart 流式上传，服务端计算 SM3 与 SHA-256）",
               request=EvidenceUploadSerializer, responses={201: EvidenceSerializer}, tags=["证据"])
@hashing_uploads
@list_endpoint
@api_view(["GET", "POST"])
@parser_classes([MultiPartParser])
def evidence_list(request):
    if request.method == "GET":
        return paginated(request, selectors.visible_evidence(request.user), EvidenceSerializer, filterset=EvidenceFilter)
    if request.upload_problem:
        raise TooLarge(request.upload_problem)
    # Spooled files that never reach storage are removed when Django closes the request's files.
    serializer = EvidenceUploadSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    upload = data.pop("file")
    if not isinstance(upload, SpooledUploadFile):
        raise serializers.ValidationError({"file": "文件上传方式无效。"})
    data["case"] = services.case_of_own_agency(request.user, data["case_number"])
    evidence = services.record_evidence(request.user, upload=upload.spooled, **data)
    return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["证据"], summary="证据详情（记录一次调阅）", responses=EvidenceSerializer)
@api_view(["GET"])
def evidence_detail(request, pk):
    evidence = selectors.get_evidence(request.user, pk)
    services.record_access(request.user, evidence, action=AccessAction.VIEW, channel=AccessChannel.API, **client_meta(request))
    return Response(EvidenceSerializer(evidence).data)


@extend_schema(
    tags=["证据"],
    summary="下载证据文件（记录一次调阅）",
    parameters=[OpenApiParameter("reason", str, description="调阅事由")],
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
)
@api_view(["GET"])
def evidence_content(request, pk):
    try:
        return logged_download(request, pk, channel=AccessChannel.API, reason=request.query_params.get("reason", ""))
    except EvidenceFileMissing:
        raise FileGone()


@extend_schema(tags=["证据"], summary="调阅记录（监督人员、机关负责人、系统管理员）", parameters=parameters(AccessFilter),
               responses=AccessSerializer(many=True))
@list_endpoint
@api_view(["GET"])
def access_list(request):
    require(selectors.may_see_access_log(request.user), "调阅记录仅对监督人员、机关负责人和系统管理员开放。")
    return paginated(request, selectors.visible_accesses(request.user), AccessSerializer, filterset=AccessFilter)
