"""The 事前公开 lists as public data (no login), under /api/v1/public/: the same content as the portal's pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import selectors, specs
from .models import ListKind

TAG = ["公开"]


class PublicAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(label="名称")
    short_name = serializers.CharField(label="机关代字")
    kind = serializers.CharField(source="get_kind_display", label="主体类型")
    sector = serializers.CharField(label="执法领域")
    region_code = serializers.CharField(label="行政区划代码")
    region_name = serializers.CharField(label="行政区划")
    address = serializers.CharField(label="办公地址")
    phone = serializers.CharField(label="办公电话")
    office_hours = serializers.CharField(label="办公时间")


class PublicItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.name", label="执法主体")
    list_kind = serializers.CharField(label="清单")
    list_title = serializers.SerializerMethodField(label="清单名称")
    code = serializers.CharField(label="事项编码")
    name = serializers.CharField(label="事项名称")
    version = serializers.IntegerField(label="版本")
    is_active = serializers.BooleanField(label="有效", help_text="已取消的事项仍可查阅，以便核对历史。")
    content = serializers.SerializerMethodField(label="内容（栏目名称 → 内容）")

    def get_list_title(self, item) -> str:
        return specs.title(item.list_kind)

    def get_content(self, item) -> dict[str, str]:
        names = specs.procedure_names()
        shown = {}
        for column in specs.columns(item.list_kind):
            value = item.fields.get(column.key, "")
            if column.key == "procedure" and value:
                codes = [c.strip() for c in str(value).replace("，", ",").replace("、", ",").split(",") if c.strip()]
                value = "、".join(names.get(code, code if not code.isascii() else "（未发布的程序）") for code in codes)
            shown[column.label] = value
        return shown


def public(view):
    return api_view(["GET"])(permission_classes([AllowAny])(authentication_classes([])(view)))


@extend_schema(summary="执法主体（事前公开）", parameters=[OpenApiParameter("q", description="名称、地区或领域")],
               responses=PublicAgencySerializer(many=True), tags=TAG, auth=[])
@public
def agencies(request):
    return Response(PublicAgencySerializer(selectors.public_agencies(request.query_params.get("q", "")), many=True).data)


@extend_schema(
    summary="执法主体的公开清单事项（权责清单、随机抽查事项清单、服务指南）",
    parameters=[OpenApiParameter("list", description="清单", enum=ListKind.values)],
    responses=PublicItemSerializer(many=True), tags=TAG, auth=[],
)
@public
def agency_items(request, pk):
    agency = selectors.get_public_agency(pk)
    kind = request.query_params.get("list", "")
    if kind and kind not in ListKind.values:
        raise exceptions.ValidationError({"list": [f"未知清单：{kind[:40]}；可选：{'、'.join(ListKind.values)}"]})
    return Response(PublicItemSerializer(selectors.public_items(agency, kind or None), many=True).data)


@extend_schema(summary="公开清单事项详情", responses=PublicItemSerializer, tags=TAG, auth=[])
@public
def item(request, pk):
    return Response(PublicItemSerializer(selectors.get_public_item(pk)).data)

