"""REST endpoints for agencies, departments, people and credentials (thin: parse, call, serialise)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from zhifa.core.api import collection, collection_endpoint
from zhifa.core.errors import require
from zhifa.core.roles import Role

from . import selectors, services, twofactor
from .filters import AgencyFilter, CredentialFilter, PersonFilter
from .middleware import keep_signed_in
from .models import Agency, ApiToken, Credential, CredentialStatus, Department, Person


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
    agency = serializers.IntegerField(source="agency.pk", read_only=True, label="执法主体 ID")
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
        extra_kwargs = {  # id_number and phone: plain lengths (stored encrypted)
            "username": {"validators": []}, "id_number": {"write_only": True, "max_length": 18}, "phone": {"max_length": 20},
        }

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


def _scoped_fk(data, field, queryset):
    """A foreign key the caller chose must be within their scope, or it is treated as not existing."""
    obj = data.get(field)
    if obj is not None and not queryset.filter(pk=obj.pk).exists():
        raise serializers.ValidationError({field: ["所选对象不存在或不在您的管理范围内。"]})


def _saved(serializer_class, obj, request, created=False):
    return Response(serializer_class(obj, context={"request": request}).data, status=status.HTTP_201_CREATED if created else 200)


# --- agencies -----------------------------------------------------------------------------------------------


@collection_endpoint(tags=["执法主体"], list_summary="执法主体列表", create_summary="新增执法主体", serializer=AgencySerializer, filterset=AgencyFilter)
def agency_list(request):
    return collection(request, selectors.visible_agencies(request.user), AgencySerializer,
                      lambda data: services.create_agency(request.user, **data), filterset=AgencyFilter)


@extend_schema(methods=["GET"], summary="执法主体详情", responses=AgencySerializer, tags=["执法主体"])
@extend_schema(methods=["PATCH"], summary="修改执法主体", request=AgencySerializer, responses=AgencySerializer, tags=["执法主体"])
@api_view(["GET", "PATCH"])
def agency_detail(request, pk):
    agency = selectors.get_agency(request.user, pk)
    if request.method == "GET":
        return _saved(AgencySerializer, agency, request)
    ser = AgencySerializer(agency, data=request.data, partial=True)
    ser.is_valid(raise_exception=True)
    return _saved(AgencySerializer, services.update_agency(request.user, agency, **ser.validated_data), request)


@extend_schema(summary="法制审核人员配备情况", responses=StaffingSerializer, tags=["执法主体"])
@api_view(["GET"])
def agency_staffing(request, pk):
    agency = selectors.get_agency(request.user, pk)
    return Response(StaffingSerializer(selectors.staffing_report(agency)).data)


@collection_endpoint(tags=["执法主体"], list_summary="内设机构列表", create_summary="新增内设机构", serializer=DepartmentSerializer)
def department_list(request):
    def create(data):
        _scoped_fk(data, "agency", selectors.visible_agencies(request.user))
        return services.create_department(request.user, **data)

    return collection(request, selectors.visible_departments(request.user), DepartmentSerializer, create)


@extend_schema(summary="内设机构详情", responses=DepartmentSerializer, tags=["执法主体"])
@api_view(["GET"])
def department_detail(request, pk):
    return _saved(DepartmentSerializer, selectors.get_visible(selectors.visible_departments(request.user), pk), request)


# --- people -------------------------------------------------------------------------------------------------


def _person_data(request, data):
    data = dict(data)
    roles = data.pop("role_codes", None)
    _scoped_fk(data, "agency", selectors.visible_agencies(request.user))
    return data, roles


@collection_endpoint(tags=["人员"], list_summary="人员列表", create_summary="新增人员", serializer=PersonSerializer, filterset=PersonFilter)
def person_list(request):
    def create(data):
        data, roles = _person_data(request, data)
        return services.create_person(request.user, roles=roles or (), **data)

    return collection(request, selectors.visible_people(request.user), PersonSerializer, create, filterset=PersonFilter)


@extend_schema(methods=["GET"], summary="人员详情", responses=PersonSerializer, tags=["人员"])
@extend_schema(methods=["PATCH"], summary="修改人员信息", request=PersonSerializer, responses=PersonSerializer, tags=["人员"])
@api_view(["GET", "PATCH"])
def person_detail(request, pk):
    person = selectors.get_visible(selectors.visible_people(request.user), pk)
    if request.method == "GET":
        return _saved(PersonSerializer, person, request)
    ser = PersonSerializer(person, data=request.data, partial=True)
    ser.is_valid(raise_exception=True)
    data, roles = _person_data(request, ser.validated_data)
    data.pop("password", None)
    if data.pop("username", person.username) != person.username:
        raise serializers.ValidationError({"username": ["用户名创建后不能修改。"]})
    return _saved(PersonSerializer, services.update_person(request.user, person, roles=roles, **data), request)


# --- credentials --------------------------------------------------------------------------------------------


@collection_endpoint(tags=["执法证件"], list_summary="执法证件列表", create_summary="登记执法证件", serializer=CredentialSerializer, filterset=CredentialFilter)
def credential_list(request):
    def create(data):
        _scoped_fk(data, "person", selectors.visible_people(request.user))
        return services.issue_credential(request.user, **data)

    return collection(request, selectors.visible_credentials(request.user), CredentialSerializer, create, filterset=CredentialFilter)


@extend_schema(summary="执法证件详情", responses=CredentialSerializer, tags=["执法证件"])
@api_view(["GET"])
def credential_detail(request, pk):
    return _saved(CredentialSerializer, selectors.get_visible(selectors.visible_credentials(request.user), pk), request)


@extend_schema(summary="变更证件状态（暂扣、注销、挂失、恢复）", request=CredentialStatusSerializer, responses=CredentialSerializer, tags=["执法证件"])
@api_view(["POST"])
def credential_status(request, pk):
    credential = selectors.get_visible(selectors.visible_credentials(request.user), pk)
    ser = CredentialStatusSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    credential = services.change_credential_status(
        request.user, credential, status=ser.validated_data["status"], reason=ser.validated_data.get("reason", "")
    )
    return _saved(CredentialSerializer, credential, request)


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
@authentication_classes([])
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


# --- login security (administrators) -----------------------------------------------------


class LockedAccountSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    failures = serializers.IntegerField(label="连续失败次数")
    last_attempt = serializers.DateTimeField(label="最近一次尝试")
    ip_address = serializers.CharField(label="来源地址", allow_null=True)
    unlocks_at = serializers.DateTimeField(label="自动解锁时间")


class LoginRecordSerializer(serializers.Serializer):
    time = serializers.DateTimeField(label="时间")
    outcome = serializers.ChoiceField(choices=list(services.LOGIN_OUTCOMES.items()), label="结果")
    username = serializers.CharField(label="用户名")
    ip_address = serializers.CharField(label="来源地址", allow_null=True)


class UnlockResultSerializer(serializers.Serializer):
    username = serializers.CharField()
    cleared = serializers.IntegerField(label="清除的失败次数（0 表示原本未被锁定）")


def _admin_only(request):
    require(selectors.can_manage(request.user), "只有系统管理员可以查看或解除登录锁定。")


@extend_schema(summary="当前被锁定的账号（连续密码错误）", responses=LockedAccountSerializer(many=True), tags=["登录安全"])
@api_view(["GET"])
def locked_accounts(request):
    _admin_only(request)
    return Response(LockedAccountSerializer(services.locked_accounts(), many=True).data)


@extend_schema(summary="解除账号的登录锁定（记入账本）", request=None, responses=UnlockResultSerializer, tags=["登录安全"])
@api_view(["POST"])
def unlock_account(request, username):
    _admin_only(request)
    return Response({"username": username, "cleared": services.unlock_login(request.user, username)})


@extend_schema(
    summary="登录记录（成功、密码错误、锁定），最新在前", responses=LoginRecordSerializer(many=True), tags=["登录安全"],
    parameters=[OpenApiParameter("username", str, description="只看此用户名"), OpenApiParameter("limit", int, description="条数，1–500，默认 100")],
)
@api_view(["GET"])
def login_records(request):
    _admin_only(request)
    raw = request.query_params.get("limit", "100")
    limit = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else 100
    username = request.query_params.get("username", "")[:150]
    return Response(LoginRecordSerializer(services.login_log(max(1, min(limit, 500)), username), many=True).data)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(label="原密码", max_length=128, write_only=True, trim_whitespace=False)
    new_password = serializers.CharField(label="新密码", max_length=128, write_only=True, trim_whitespace=False)


@extend_schema(summary="修改本人密码（长度、字符类别、最近 5 次不重复；记入账本，不含密码）", request=PasswordChangeSerializer,
               responses={204: None}, tags=["人员"])
@api_view(["POST"])
def password_change(request):
    body = PasswordChangeSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    keep_signed_in(request._request, services.change_password(request.user, **body.validated_data))
    return Response(status=status.HTTP_204_NO_CONTENT)


# --- API tokens and the second factor ------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, label="状态：active 有效，expired 已过期，revoked 已吊销")

    class Meta:
        model = ApiToken
        fields = ["id", "person", "label", "prefix", "state", "created_at", "expires_at", "revoked_at", "last_used_at"]
        read_only_fields = fields


class ApiTokenIssueSerializer(serializers.Serializer):
    label = serializers.CharField(label="用途", max_length=60, required=False, allow_blank=True, default="")
    days = serializers.IntegerField(label="有效天数（默认 ZHIFA_API_TOKEN_DAYS）", required=False, min_value=1, max_value=100000)


class IssuedTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, label="令牌（只返回这一次）")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class TwoFactorStatusSerializer(serializers.Serializer):
    required = serializers.BooleanField(label="岗位要求两步验证")
    enrolled = serializers.BooleanField(label="已绑定手机验证器")
    recovery_codes_left = serializers.IntegerField(label="剩余恢复码")


def _tokens_response(actor, person):
    return Response(ApiTokenSerializer(services.api_tokens(actor, person)[:200], many=True).data)


@extend_schema(methods=["GET"], summary="本人的接口令牌（含已过期、已吊销），最新在前", responses=ApiTokenSerializer(many=True), tags=["账号安全"])
@extend_schema(
    methods=["POST"], summary="为本人签发接口令牌（令牌只在此返回一次；须在登录会话中签发，不能用令牌签发令牌）",
    request=ApiTokenIssueSerializer, responses={201: IssuedTokenSerializer}, tags=["账号安全"],
)
@api_view(["GET", "POST"])
def my_tokens(request):
    if request.method == "GET":
        return _tokens_response(request.user, request.user)
    if isinstance(request.auth, ApiToken):
        raise PermissionDenied("接口令牌不能用来签发新令牌，请在登录后的“账号安全”页面或会话中签发。")
    body = ApiTokenIssueSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    token, key = services.issue_api_token(request.user, request.user, **body.validated_data)
    token.token = key
    return Response(IssuedTokenSerializer(token).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="某人员的接口令牌（本人或系统管理员）", responses=ApiTokenSerializer(many=True), tags=["账号安全"])
@api_view(["GET"])
def person_tokens(request, pk):
    person = selectors.get_visible(selectors.visible_people(request.user), pk)
    return _tokens_response(request.user, person)


@extend_schema(summary="吊销接口令牌（本人或系统管理员；记入账本）", request=None, responses=ApiTokenSerializer, tags=["账号安全"])
@api_view(["POST"])
def token_revoke(request, pk):
    token = selectors.api_token(request.user, pk)
    services.revoke_api_token(request.user, token)
    token.refresh_from_db()
    return Response(ApiTokenSerializer(token).data)


@extend_schema(summary="本人的两步验证状态", responses=TwoFactorStatusSerializer, tags=["账号安全"])
@api_view(["GET"])
def my_two_factor(request):
    return Response(TwoFactorStatusSerializer(twofactor.status(request.user)).data)


@extend_schema(summary="重置人员的两步验证（手机和恢复码都丢失时；系统管理员；记入账本）", request=None,
               responses=TwoFactorStatusSerializer, tags=["账号安全"])
@api_view(["POST"])
def person_two_factor_reset(request, pk):
    person = selectors.get_visible(selectors.visible_people(request.user), pk)
    require(selectors.can_manage(request.user), "只有系统管理员可以重置他人的两步验证。")
    twofactor.disable(request.user, person)
    return Response(TwoFactorStatusSerializer(twofactor.status(person)).data)
