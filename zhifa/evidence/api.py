"""Evidence endpoints. Uploads are multipart and streamed through the hashing handler; every
retrieval of a record or its bytes is logged before it is served."""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.core.api import run_service
from zhifa.core.errors import require
from zhifa.core.text import query_id
from zhifa.org.models import Person

from . import selectors, services
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
from .views import MISSING_MESSAGE, client_meta, file_response


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


@extend_schema(tags=["证据"])
class EvidenceListCreate(generics.ListAPIView):
    parser_classes = [MultiPartParser]
    serializer_class = EvidenceSerializer

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST":
            self.upload_problem = use_hashing_uploads(request)  # before anything reads the body
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.visible_evidence(self.request.user)
        if case_number := self.request.query_params.get("case_number"):
            qs = qs.filter(case_number=case_number)
        if q := self.request.query_params.get("q"):
            qs = qs.filter(Q(number__icontains=q) | Q(case_number__icontains=q) | Q(title__icontains=q))
        return qs

    @extend_schema(
        summary="证据列表（按执法主体范围）",
        parameters=[OpenApiParameter("case_number", str), OpenApiParameter("q", str, description="编号、案件编号或名称")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="登记证据（multipart 流式上传，服务端计算 SM3 与 SHA-256）", request=EvidenceUploadSerializer, responses={201: EvidenceSerializer})
    def post(self, request):
        if getattr(self, "upload_problem", None):
            raise TooLarge(self.upload_problem)
        # Spooled files that never reach storage are removed when Django closes the request's files.
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        upload = data.pop("file")
        if not isinstance(upload, SpooledUploadFile):
            raise serializers.ValidationError({"file": "文件上传方式无效。"})
        data["case"] = run_service(services.case_of_own_agency, request.user, data["case_number"])
        evidence = run_service(services.record_evidence, request.user, upload=upload.spooled, **data)
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["证据"], summary="证据详情（记录一次调阅）", responses=EvidenceSerializer)
class EvidenceDetail(APIView):
    def get(self, request, pk):
        evidence = selectors.get_evidence(request.user, pk)
        services.record_access(request.user, evidence, action=AccessAction.VIEW, channel=AccessChannel.API, **client_meta(request))
        return Response(EvidenceSerializer(evidence).data)


@extend_schema(
    tags=["证据"],
    summary="下载证据文件（记录一次调阅）",
    parameters=[OpenApiParameter("reason", str, description="调阅事由")],
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
)
class EvidenceContent(APIView):
    def get(self, request, pk):
        evidence = selectors.get_evidence(request.user, pk)
        services.record_access(
            request.user, evidence, action=AccessAction.DOWNLOAD, channel=AccessChannel.API,
            reason=request.query_params.get("reason", ""), **client_meta(request),
        )
        try:
            return file_response(evidence)
        except EvidenceFileMissing:
            raise FileGone()


@extend_schema(
    tags=["证据"],
    summary="调阅记录（监督人员、机关负责人、系统管理员）",
    parameters=[OpenApiParameter("evidence", int), OpenApiParameter("person", int)],
)
class AccessList(generics.ListAPIView):
    serializer_class = AccessSerializer

    def get_queryset(self):
        require(selectors.may_see_access_log(self.request.user), "调阅记录仅对监督人员、机关负责人和系统管理员开放。")
        qs = selectors.visible_accesses(self.request.user)
        for name in ("evidence", "person"):
            value = self.request.query_params.get(name)
            if value:
                if query_id(value) is None:
                    raise serializers.ValidationError({name: "必须是整数 ID。"})
                qs = qs.filter(**{f"{name}_id": query_id(value)})
        return qs
