"""Ledger endpoints. Tree heads, keys and consistency proofs are public (hashes only); events
and their inclusion proofs follow agency scoping. Every proof verifies with RFC 9162 §2.1 alone."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from . import rfc9162, selectors, services, tree
from .filters import EventFilter
from .models import Cosignature, LedgerEvent, SigningKey, TreeHead


class TreeHeadSerializer(serializers.ModelSerializer):
    key_id = serializers.CharField(source="key.key_id")
    signed_data = serializers.SerializerMethodField(help_text="被签名的 RFC 9162 TreeHeadDataV2 字节（十六进制）。")
    algorithm = serializers.SerializerMethodField()

    class Meta:
        model = TreeHead
        fields = ["tree_size", "timestamp_ms", "root_hash", "key_id", "signature", "signed_data", "algorithm"]

    def get_signed_data(self, head) -> str:
        return rfc9162.tree_head_data(head.timestamp_ms, head.tree_size, bytes.fromhex(head.root_hash)).hex()

    def get_algorithm(self, head) -> str:
        return "SM2（SM3 摘要，用户标识 1234567812345678），签名值为 base64 DER"


class SigningKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = SigningKey
        fields = ["key_id", "algorithm", "public_key_pem", "created_at"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEvent
        fields = ["seq", "recorded_at", "kind", "actor_id", "agency_id", "object_type", "object_id", "entry", "leaf_hash"]


class InclusionProofSerializer(serializers.Serializer):
    leaf_index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    leaf_hash = serializers.CharField()
    inclusion_path = serializers.ListField(child=serializers.CharField())
    root_hash = serializers.CharField()


class ConsistencyProofSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    consistency_path = serializers.ListField(child=serializers.CharField())
    first_root_hash = serializers.CharField()
    second_root_hash = serializers.CharField()


class CosignatureSerializer(serializers.Serializer):
    origin = serializers.CharField(max_length=200, label="账本名称")
    tree_size = serializers.IntegerField(min_value=1, max_value=2**62, label="事件数")
    root_hash = serializers.RegexField(r"^[0-9a-fA-F]{64}$", label="根哈希")
    witness = serializers.CharField(max_length=100, required=False, allow_blank=True, label="见证方")
    key_id = serializers.RegexField(r"^[0-9a-f]{64}$", label="见证方公钥标识")
    timestamp = serializers.IntegerField(min_value=0, max_value=2**62, label="副署时间（秒）")
    signature = serializers.CharField(max_length=400, label="副署签名（base64 DER）")


class SizeQuerySerializer(serializers.Serializer):
    tree_size = serializers.IntegerField(required=False, min_value=1, label="树大小")


class ConsistencyQuerySerializer(serializers.Serializer):
    first = serializers.IntegerField(min_value=1, label="旧树大小")
    second = serializers.IntegerField(required=False, min_value=1, label="新树大小")


def _signed_size() -> int:
    head = services.latest_head()
    return head.tree_size if head else 0


@extend_schema(summary="最新签名树头", responses=TreeHeadSerializer, tags=["账本"])
@api_view(["GET"])
@permission_classes([AllowAny])
def tree_head(request):
    head = services.latest_head()
    if head is None:
        return Response({"detail": "尚无签名树头。"}, status=404)
    return Response(TreeHeadSerializer(selectors.latest_tree_head()).data)


def _paginated(request, queryset, serializer_class):
    """A paged list in the API's one style ({count, next, previous, results}, limit/offset)."""
    paginator = api_settings.DEFAULT_PAGINATION_CLASS()
    page = paginator.paginate_queryset(queryset, request)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


def _list(view):
    view.cls.pagination_class = api_settings.DEFAULT_PAGINATION_CLASS  # documented as a paged list
    return view


@extend_schema(tags=["账本"], summary="全部签名树头", responses=TreeHeadSerializer(many=True))
@_list
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
def tree_heads(request):
    return _paginated(request, TreeHead.objects.select_related("key").order_by("-tree_size"), TreeHeadSerializer)


@extend_schema(tags=["账本"], summary="签名公钥", responses=SigningKeySerializer(many=True))
@_list
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
def keys(request):
    return _paginated(request, SigningKey.objects.order_by("id"), SigningKeySerializer)


@extend_schema(
    tags=["账本"],
    summary="账本事件（按执法主体范围）",
    parameters=[OpenApiParameter(name, str, description=str(f.label)) for name, f in EventFilter.base_filters.items()],
    responses=EventSerializer(many=True),
)
@_list
@api_view(["GET"])
def events(request):
    found = EventFilter(request.query_params, queryset=selectors.visible_events(request.user).order_by("-seq"))
    if not found.is_valid():
        raise ValidationError({name: [str(e) for e in errors] for name, errors in found.errors.items()})
    return _paginated(request, found.qs, EventSerializer)


@extend_schema(tags=["账本"], summary="账本事件详情", responses=EventSerializer)
@api_view(["GET"])
def event_detail(request, seq):
    return Response(EventSerializer(selectors.get_event(request.user, seq)).data)


@extend_schema(
    tags=["账本"],
    summary="包含证明（RFC 9162 §2.1.3）",
    parameters=[SizeQuerySerializer],
    responses=InclusionProofSerializer,
)
@api_view(["GET"])
def inclusion_proof(request, seq):
    event = selectors.get_event(request.user, seq)
    query = SizeQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    size = query.validated_data.get("tree_size") or _signed_size()
    return Response(tree.inclusion_proof(event.seq, size))


@extend_schema(
    tags=["账本"],
    summary="一致性证明（RFC 9162 §2.1.4）",
    parameters=[ConsistencyQuerySerializer],
    responses=ConsistencyProofSerializer,
)
@api_view(["GET"])
@permission_classes([AllowAny])
def consistency_proof(request):
    query = ConsistencyQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    second = query.validated_data.get("second") or _signed_size()
    return Response(tree.consistency_proof(query.validated_data["first"], second))


@extend_schema(
    tags=["账本"],
    summary="见证副署：列出，或由拉取模式的见证方提交",
    description="见证方（witness.py pull）取回树头与一致性证明、核对并副署后，把副署提交到这里；"
    "只接受本平台登记的见证方对本账本真实树头的有效签名。",
    request=CosignatureSerializer,
    responses={200: CosignatureSerializer(many=True), 201: CosignatureSerializer},
)
@api_view(["GET", "POST"])
@permission_classes([AllowAny])
def cosignatures(request):
    if request.method == "GET":
        rows = Cosignature.objects.order_by("-tree_size", "-id")[:100]
        return Response([c.as_dict() for c in rows])
    body = CosignatureSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    row = services.accept_cosignature(dict(body.validated_data))
    return Response(row.as_dict(), status=201)
