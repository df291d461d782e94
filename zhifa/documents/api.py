"""执法文书 endpoints: draft, edit the draft, issue (number + PDF + seal), record the party's signature, fetch the PDF."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhifa.cases import selectors as case_selectors
from zhifa.core.api import act, collection_endpoint, paginated
from zhifa.procedures.document_types import DOCUMENT_TYPES

from . import selectors, services
from .filters import DocumentFilter
from .models import Document, DocumentStatus, Service, ServiceManner, SignatureOutcome


class ServiceRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["manner", "act_on", "served_on", "recipient", "place", "witnesses", "note", "recorded_by", "recorded_at"]


class DocumentSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    services = ServiceRecordSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id", "case", "case_number", "doc_type", "title", "number", "status", "content", "issued_by", "issued_on",
            "pdf_sm3", "pdf_size", "signature", "signature_note", "witness", "signed_on", "services",
        ]


class ServeSerializer(serializers.Serializer):
    manner = serializers.ChoiceField(choices=ServiceManner.choices)
    act_on = serializers.DateField(help_text="交付、留置、签收、电子送达到达或公告发布之日")
    recipient = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    place = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    witnesses = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)


class DraftSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    doc_type = serializers.ChoiceField(choices=sorted(DOCUMENT_TYPES))
    content = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)


class ContentSerializer(serializers.Serializer):
    content = serializers.DictField(child=serializers.CharField(allow_blank=True))


class SignatureSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=SignatureOutcome.choices)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)
    witness = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)


@collection_endpoint(tags=["执法文书"], list_summary="文书列表（按执法主体范围）", create_summary="制作文书草稿", serializer=DocumentSerializer,
                     filterset=DocumentFilter, create_request=DraftSerializer)
def document_list(request):
    if request.method == "GET":
        return paginated(request, selectors.visible_documents(request.user).prefetch_related("services"), DocumentSerializer, filterset=DocumentFilter)
    data = DraftSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    case = case_selectors.get_case(request.user, data.validated_data["case"])
    document = services.draft_document(request.user, case, doc_type=data.validated_data["doc_type"], content=data.validated_data["content"])
    return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["执法文书"], methods=["GET"], summary="文书详情", responses=DocumentSerializer)
@extend_schema(tags=["执法文书"], methods=["PATCH"], summary="修改草稿内容", request=ContentSerializer, responses=DocumentSerializer)
@api_view(["GET", "PATCH"])
def document_detail(request, pk):
    document = selectors.get_document(request.user, pk)
    if request.method == "PATCH":
        data = ContentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.update_draft(request.user, document, content=data.validated_data["content"])
    return Response(DocumentSerializer(document).data)


@extend_schema(tags=["执法文书"], summary="签发：分配文号、生成 PDF、加盖电子签章（条件不具备时返回 400 及原因）", request=None, responses=DocumentSerializer)
@api_view(["POST"])
def issue(request, pk):
    document = services.issue_document(request.user, selectors.get_document(request.user, pk))
    return Response(DocumentSerializer(document).data)


class RequestIssueSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", help_text="送审说明")


@extend_schema(tags=["执法文书"], summary="送机关负责人审批签发（须由负责人签发的文书）；负责人批准即以其名义签发",
               request=RequestIssueSerializer, responses={201: inline_serializer("ApprovalRef", {"id": serializers.IntegerField(), "status": serializers.CharField()})})
@api_view(["POST"])
def request_issue(request, pk):
    approval = act(request, RequestIssueSerializer, services.request_issue, selectors.get_document(request.user, pk))
    return Response({"id": approval.pk, "status": approval.status}, status=201)


@extend_schema(tags=["执法文书"], summary="登记当事人签名或拒签情况", request=SignatureSerializer, responses=DocumentSerializer)
@api_view(["POST"])
def sign(request, pk):
    document = act(request, SignatureSerializer, services.record_signature, selectors.get_document(request.user, pk))
    return Response(DocumentSerializer(document).data)


@extend_schema(tags=["执法文书"], summary="登记送达（方式和日期；公告送达经过三十日视为送达）", request=ServeSerializer, responses=DocumentSerializer)
@api_view(["POST"])
def serve(request, pk):
    act(request, ServeSerializer, services.record_service, selectors.get_document(request.user, pk))
    return Response(DocumentSerializer(selectors.get_document(request.user, pk)).data)


@extend_schema(tags=["执法文书"], summary="已签发文书的 PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
@api_view(["GET"])
def pdf(request, pk):
    document = selectors.get_document(request.user, pk)
    if document.status != DocumentStatus.ISSUED:
        return Response({"detail": "文书签发后才有 PDF。"}, status=status.HTTP_409_CONFLICT)
    response = FileResponse(services.pdf_stream(document), content_type="application/pdf")
    response["X-Content-SM3"] = document.pdf_sm3
    return response
