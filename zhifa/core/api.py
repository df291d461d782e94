"""Shared API plumbing, and the working-day calendar endpoints."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from zhifa import workdays
from zhifa.core import filters, selectors, services
from zhifa.core.models import HolidayOverride


def exception_handler(exc, context):
    """Every error as JSON with a Chinese `detail`; service errors become 400/403/404."""
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(errors)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您无权执行此操作。")
    elif isinstance(exc, workdays.OutOfRange):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "未找到该记录，或您无权查看。")
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        exc = exceptions.Throttled(wait=wait)  # the wait gives the Retry-After header
        exc.detail = f"请求过于频繁，请 {wait} 秒后再试。"  # set after: DRF appends its own wait sentence to a detail passed in
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "提交的数据有误，未作任何修改。", "errors": response.data}
    return response


def paginated(request, queryset, serializer_class, *, filterset=None, context=None, rows=None) -> Response:
    """A list endpoint's answer: filtered by the app's filterset (the page's parameters), paged by limit/offset,
    as {count, next, previous, results}. `rows` (a `fastread.Rows`) reads the page as dicts instead of models."""
    if filterset is not None:
        queryset = filters.for_api(filterset, request, queryset)
    paginator = api_settings.DEFAULT_PAGINATION_CLASS()
    if rows is not None:
        page = rows.page(paginator.paginate_queryset(rows.queryset(queryset), request))
    else:
        page = paginator.paginate_queryset(queryset, request)
    return paginator.get_paginated_response(serializer_class(page, many=True, context={"request": request, **(context or {})}).data)


def list_endpoint(view):
    """Mark a function view (below @extend_schema, above @api_view) as a paged list for the schema."""
    view.cls.pagination_class = api_settings.DEFAULT_PAGINATION_CLASS
    return view


def collection_endpoint(*, tags, list_summary, create_summary, serializer, filterset=None, create_request=None, create_response=None):
    """A collection URL: GET the paged, filtered list; POST creates one. Documents both in the schema."""

    def decorate(fn):
        view = list_endpoint(api_view(["GET", "POST"])(fn))
        view = extend_schema(
            methods=["POST"], summary=create_summary, tags=tags, request=create_request or serializer,
            responses={201: create_response or serializer},
        )(view)
        params = filters.parameters(filterset) if filterset else []
        return extend_schema(methods=["GET"], summary=list_summary, tags=tags, parameters=params, responses=serializer(many=True))(view)

    return decorate


def collection(request, queryset, serializer_class, create, *, filterset=None) -> Response:
    """The body of a collection endpoint whose POST takes and returns `serializer_class`: create(validated data)
    calls the service (which checks who may, and refuses in Chinese)."""
    if request.method == "GET":
        return paginated(request, queryset, serializer_class, filterset=filterset)
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    created = create(dict(body.validated_data))
    return Response(serializer_class(created, context={"request": request}).data, status=status.HTTP_201_CREATED)


def act(request, payload_serializer, service, *args):
    """Every action endpoint: validate the body, call the service as the requesting user, return its result."""
    payload = payload_serializer(data=request.data)
    payload.is_valid(raise_exception=True)
    return service(request.user, *args, **payload.validated_data)  # its ValidationError is a 400 (exception_handler)


# --- working days -----------------------------------------------------------------------


class DayStatusSerializer(serializers.Serializer):
    date = serializers.DateField(label="日期")
    is_workday = serializers.BooleanField(label="是否工作日")
    provisional = serializers.BooleanField(label="暂估", help_text="该年度尚无官方放假安排，结果为估算。")
    name = serializers.CharField(label="节假日名称")
    source = serializers.CharField(label="来源")


class DeadlineQuerySerializer(serializers.Serializer):
    start = serializers.DateField(label="起算日")
    amount = serializers.IntegerField(label="期间", min_value=0, max_value=workdays.MAX_SPAN_DAYS)
    unit = serializers.ChoiceField(label="单位", choices=[(workdays.WD, "工作日"), (workdays.DAYS, "日")])
    roll_forward = serializers.BooleanField(
        label="期满日遇休息日顺延", required=False, default=True, help_text="仅对日历日期间有效。"
    )
    basis = serializers.CharField(label="法律依据", required=False, default="", allow_blank=True, max_length=200)


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateField()
    amount = serializers.IntegerField()
    unit = serializers.CharField()
    date = serializers.DateField(label="期限届满日")
    provisional = serializers.BooleanField()
    rolled = serializers.BooleanField()
    basis = serializers.CharField()
    rule = serializers.CharField()
    description = serializers.CharField(source="describe")


def compute_deadline(data: dict) -> workdays.Deadline:
    if data["unit"] == workdays.WD:
        return workdays.add_workdays(data["start"], data["amount"], basis=data.get("basis", ""))
    return workdays.add_days(
        data["start"], data["amount"], roll_forward=data.get("roll_forward", True), basis=data.get("basis", "")
    )


@extend_schema(
    summary="查询某日是否为工作日",
    parameters=[OpenApiParameter("date", OpenApiTypes.DATE, required=True, description="日期，如 2026-10-10")],
    responses=DayStatusSerializer,
    tags=["工作日"],
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def workday_status(request):
    field = serializers.DateField()
    try:
        day = field.to_internal_value(request.query_params.get("date", ""))
    except exceptions.ValidationError as exc:
        raise exceptions.ValidationError({"date": exc.detail})
    return Response(DayStatusSerializer(workdays.day_status(day)).data)


@extend_schema(
    summary="计算期限",
    description="工作日期间不含起算日，调休上班日计入；日历日期间期满日遇休息日可顺延（民法典第二百零三条）。",
    parameters=[DeadlineQuerySerializer],
    responses=DeadlineSerializer,
    tags=["工作日"],
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def deadline(request):
    query = DeadlineQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return Response(DeadlineSerializer(compute_deadline(query.validated_data)).data)


class HolidayOverrideSerializer(serializers.ModelSerializer):
    class Meta:
        model = HolidayOverride
        fields = ["id", "date", "is_workday", "name", "source", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"date": {"validators": []}}  # an existing date is updated, not rejected


@extend_schema(
    methods=["GET"], summary="节假日调整列表", parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年度")],
    responses=HolidayOverrideSerializer(many=True), tags=["工作日"],
)
@extend_schema(
    methods=["POST"], summary="新增或修改某日的节假日调整", request=HolidayOverrideSerializer,
    responses={201: HolidayOverrideSerializer}, tags=["工作日"],
)
@api_view(["GET", "POST"])
def holiday_override_list(request):
    """节假日调整：管理员录入，优先于内置官方日历。"""
    if request.method == "GET":
        qs = selectors.day_overrides()
        year = request.query_params.get("year")
        if year:
            if not year.isdigit() or not 1 <= int(year) <= 9999:
                raise exceptions.ValidationError({"year": ["年度必须是 1 至 9999 之间的数字。"]})
            qs = qs.filter(date__year=int(year))
        return Response(HolidayOverrideSerializer(qs, many=True).data)
    ser = HolidayOverrideSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    override = services.set_day_override(request.user, **ser.validated_data)
    return Response(HolidayOverrideSerializer(override).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="删除节假日调整", responses={204: None}, tags=["工作日"])
@api_view(["DELETE"])
def holiday_override_detail(request, pk):
    override = selectors.get_day_override(pk)
    if override is None:
        raise exceptions.NotFound("未找到该节假日调整。")
    services.remove_day_override(request.user, override)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    summary="年度工作日统计",
    parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=True)],
    responses=inline_serializer("YearSummary", {"year": serializers.IntegerField(), "workdays": serializers.IntegerField(), "provisional": serializers.BooleanField()}),
    tags=["工作日"],
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def year_summary(request):
    year = request.query_params.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= workdays.LAST_YEAR:
        raise exceptions.ValidationError({"year": [f"年度应为2000至{workdays.LAST_YEAR}之间的数字。"]})
    return Response(workdays.year_summary(int(year)))

