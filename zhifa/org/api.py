"""REST endpoints for agencies, departments, people and credentials (thin: parse, call, serialise)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from zhifa.core.api import run_service
from zhifa.core.roles import Role

from . import selectors, services
from .models import Agency, Credential, CredentialStatus, Department, Person


class AgencySerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id", "name", "short_name", "uscc", "level", "level_display", "region_code", "region_name", "kind",
            "sector", "is_supervisory", "parent", "address", "phone", "office_hours", "is_active",
        ]
        read_only_fields = ["id"]


class StaffingSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(read_only=True)
    officers = serializers.IntegerField(label="执法人员数")
    reviewers = serializers.IntegerField(label="法制审核人员数")
    qualified_reviewers = serializers.IntegerField(label="具有法律职业资格的审核人员数")
    required_reviewers = serializers.IntegerField(label="应配备审核人员数")
    ratio = serializers.FloatField(allow_null=True)
    ok = serializers.BooleanField(label="是否达标")
    message = serializers.CharField()


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "agency", "name", "function"]
        read_only_fields = ["id"]


class PersonSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), source="role_codes", required=False, label="角色"
    )
    password = serializers.CharField(write_only=True, required=False, allow_blank=True, label="初始密码")

    class Meta:
        model = Person
        fields = [
            "id", "username", "password", "full_name", "agency", "department", "gender", "position", "phone",
            "id_number", "is_auxiliary", "has_legal_qualification", "legal_qualification_number", "is_active",
            "roles",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"username": {"validators": []}, "id_number": {"write_only": True}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["roles"] = sorted(instance.role_codes)
        return data


class CredentialSerializer(serializers.ModelSerializer):
    effective_status = serializers.SerializerMethodField(label="当前状态")

    class Meta:
        model = Credential
        fields = [
            "id", "person", "kind", "number", "issuing_authority", "scope", "area", "valid_from", "valid_until",
            "status", "status_reason", "effective_status",
        ]
        read_only_fields = ["id", "status", "status_reason"]
        extra_kwargs = {"number": {"validators": []}}

    def get_effective_status(self, obj) -> str:
        return obj.effective_status()[0]


class CredentialStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CredentialStatus.choices, label="状态")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, label="原因")


class ScopedViewSet(viewsets.GenericViewSet):
    """Objects come from the scoping selector; anything out of scope is a 404."""

    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)

    def get_object(self):
        return selectors.get_visible(self.get_queryset(), self.kwargs["pk"])

    def check_scoped_fk(self, data, field, queryset):
        obj = data.get(field)
        if obj is not None and not queryset.filter(pk=obj.pk).exists():
            raise serializers.ValidationError({field: ["所选对象不存在或不在您的管理范围内。"]})


@extend_schema_view(
    list=extend_schema(summary="执法主体列表"),
    retrieve=extend_schema(summary="执法主体详情"),
    create=extend_schema(summary="新增执法主体"),
    partial_update=extend_schema(summary="修改执法主体"),
)
@extend_schema(tags=["执法主体"])
class AgencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = AgencySerializer
    selector = staticmethod(selectors.visible_agencies)

    def create(self, request):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        agency = run_service(services.create_agency, request.user, **ser.validated_data)
        return Response(self.get_serializer(agency).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        agency = self.get_object()
        ser = self.get_serializer(agency, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        agency = run_service(services.update_agency, request.user, agency, **ser.validated_data)
        return Response(self.get_serializer(agency).data)

    @extend_schema(summary="法制审核人员配备情况", responses=StaffingSerializer)
    @action(detail=True, methods=["get"])
    def staffing(self, request, pk=None):
        return Response(StaffingSerializer(selectors.staffing_report(self.get_object())).data)


@extend_schema_view(list=extend_schema(summary="内设机构列表"), create=extend_schema(summary="新增内设机构"))
@extend_schema(tags=["执法主体"])
class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = DepartmentSerializer
    selector = staticmethod(selectors.visible_departments)

    def create(self, request):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        self.check_scoped_fk(ser.validated_data, "agency", selectors.visible_agencies(request.user))
        department = run_service(services.create_department, request.user, **ser.validated_data)
        return Response(self.get_serializer(department).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="人员列表", parameters=[OpenApiParameter("role", description="按角色筛选")]),
    retrieve=extend_schema(summary="人员详情"),
    create=extend_schema(summary="新增人员"),
    partial_update=extend_schema(summary="修改人员信息"),
)
@extend_schema(tags=["人员"])
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = PersonSerializer
    selector = staticmethod(selectors.visible_people)

    def get_queryset(self):
        qs = super().get_queryset()
        role = self.request.query_params.get("role")
        if role:
            if role not in Role.values:
                raise serializers.ValidationError({"role": [f"未知角色：{role}"]})
            qs = qs.filter(role_assignments__role=role)
        return qs

    def _write_data(self, ser):
        data = dict(ser.validated_data)
        roles = data.pop("role_codes", None)
        self.check_scoped_fk(data, "agency", selectors.visible_agencies(self.request.user))
        return data, roles

    def create(self, request):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data, roles = self._write_data(ser)
        person = run_service(services.create_person, request.user, roles=roles or (), **data)
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        person = self.get_object()
        ser = self.get_serializer(person, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data, roles = self._write_data(ser)
        data.pop("password", None)
        if data.pop("username", person.username) != person.username:
            raise serializers.ValidationError({"username": ["用户名创建后不能修改。"]})
        person = run_service(services.update_person, request.user, person, roles=roles, **data)
        return Response(self.get_serializer(person).data)


@extend_schema_view(
    list=extend_schema(summary="执法证件列表"),
    retrieve=extend_schema(summary="执法证件详情"),
    create=extend_schema(summary="登记执法证件"),
)
@extend_schema(tags=["执法证件"])
class CredentialViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = CredentialSerializer
    selector = staticmethod(selectors.visible_credentials)

    def create(self, request):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        self.check_scoped_fk(data, "person", selectors.visible_people(request.user))
        credential = run_service(services.issue_credential, request.user, **data)
        return Response(self.get_serializer(credential).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="变更证件状态（暂扣、注销、挂失、恢复）", request=CredentialStatusSerializer, responses=CredentialSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        credential = self.get_object()
        ser = CredentialStatusSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        credential = run_service(
            services.change_credential_status,
            request.user,
            credential,
            status=ser.validated_data["status"],
            reason=ser.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(credential).data)


@extend_schema(summary="当前登录用户", responses=PersonSerializer, tags=["人员"])
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    return Response(PersonSerializer(request.user).data)


# --- public (no login) ------------------------------------------------------------------


class PublicCredentialSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="get_kind_display")
    status = serializers.SerializerMethodField(label="当前状态")

    class Meta:
        model = Credential
        fields = ["number", "kind", "issuing_authority", "scope", "area", "valid_from", "valid_until", "status"]

    def get_status(self, obj) -> str:
        return obj.effective_status()[1]


class PublicOfficerSerializer(serializers.Serializer):
    """Only what 亮证执法 makes public: no phone, no ID number, no account data."""

    full_name = serializers.CharField(label="姓名")
    agency = serializers.CharField(source="agency.name", label="执法主体")
    position = serializers.CharField(label="职务")
    credentials = serializers.SerializerMethodField()
    holds_valid_credential = serializers.SerializerMethodField(label="持有有效执法证件")
    url = serializers.SerializerMethodField()

    def get_credentials(self, obj) -> list[dict]:
        return PublicCredentialSerializer(obj.credentials.all(), many=True).data

    def get_holds_valid_credential(self, obj) -> bool:
        return any(c.is_currently_valid for c in obj.credentials.all())

    def get_url(self, obj) -> str:
        return reverse("public-officer", args=[obj.public_token])


@extend_schema(summary="执法人员公示信息（扫码亮证）", responses=PublicOfficerSerializer, tags=["公开"], auth=[])
@api_view(["GET"])
@permission_classes([AllowAny])
def public_officer(request, token):
    return Response(PublicOfficerSerializer(selectors.public_officer(token)).data)


@extend_schema(
    summary="执法人员清单查询",
    parameters=[OpenApiParameter("q", description="姓名、证件编号或执法主体名称")],
    responses=PublicOfficerSerializer(many=True),
    tags=["公开"],
    auth=[],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def public_officer_list(request):
    query = request.query_params.get("q", "").strip()[:50]
    people = selectors.public_officers(query).prefetch_related("credentials")[:200]
    return Response(PublicOfficerSerializer(people, many=True).data)
