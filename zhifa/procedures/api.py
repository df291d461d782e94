from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import selectors


class DefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    digest = serializers.CharField(help_text="规范 JSON 的 SM3 摘要")
    published_at = serializers.DateTimeField()
    definition = serializers.JSONField(help_text="环节、流转、各环节所需文书与音像记录、期限及法律依据")


@extend_schema(tags=["执法程序（公开）"], summary="已发布的执法程序", responses=DefinitionSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def definition_list(request):
    return Response(DefinitionSerializer(selectors.current_definitions(), many=True).data)


@extend_schema(tags=["执法程序（公开）"], summary="执法程序定义（当前版本）", responses=DefinitionSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
def definition_detail(request, code):
    return Response(DefinitionSerializer(selectors.current(code)).data)
