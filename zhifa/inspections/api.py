"""双随机、一公开 endpoints: libraries, rules and caps, plans (commit, seed, draw, public record), tasks (start,
recuse, result), and the public plans, results and records."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, parser_classes, permission_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from zhifa.core.api import act, collection, collection_endpoint, list_endpoint, paginated
from zhifa.core.filters import parameters
from zhifa.org.models import Agency, Person
from zhifa.powers.models import PublicItem

from . import selectors, services
from .filters import PlanFilter, TargetFilter, TaskFilter
from .models import Inspector, Outcome, Plan, RiskClass, Rule, SeedSource, Target, TargetKind, Task, TaskInspector, YearlyCap
from .records import record_for

TAGS = ["双随机、一公开"]
PUBLIC_TAGS = ["公示（无需登录）"]


class InspectionTargetSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), label="名录库所属执法主体")
    kind = serializers.ChoiceField(choices=TargetKind.choices, label="类型")
    risk_class = serializers.ChoiceField(choices=RiskClass.choices, label="风险等级")

    class Meta:
        model = Target
        fields = ["id", "agency", "name", "code", "kind", "region_code", "industry", "address", "risk_class", "source", "is_active", "updated_at"]
        read_only_fields = ["is_active", "updated_at"]
        validators = []  # the service checks the code and its uniqueness, in Chinese


class TargetImportSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), label="名录库所属执法主体")
    file = serializers.FileField(label="Excel 文件（.xlsx）")


class TargetImportResultSerializer(serializers.Serializer):
    added = serializers.IntegerField(label="新增")
    updated = serializers.IntegerField(label="更新")
    total = serializers.IntegerField(label="在库总数")


class TargetActiveSerializer(serializers.Serializer):
    active = serializers.BooleanField(label="在库")
    reason = serializers.CharField(max_length=300, label="原因")


class InspectorSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), label="执法主体")
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), label="执法人员")
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Inspector
        fields = ["id", "agency", "person", "person_name", "is_active", "note", "updated_at"]
        read_only_fields = ["is_active", "updated_at"]
        validators = []


class InspectorRemovalSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, label="移出原因")


class InspectionRuleSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), label="执法主体")
    item = serializers.PrimaryKeyRelatedField(queryset=PublicItem.objects.all(), label="随机抽查事项")
    risk_class = serializers.ChoiceField(choices=RiskClass.choices, label="风险等级")
    ratio = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=100, label="抽查比例（%）")
    frequency = serializers.IntegerField(min_value=1, max_value=12, label="每年抽查次数")

    class Meta:
        model = Rule
        fields = ["id", "agency", "item", "risk_class", "ratio", "frequency", "basis", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []


class InspectionCapSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2099, label="年度")
    limit = serializers.IntegerField(min_value=1, max_value=50, label="每个检查对象每年最多抽查次数")

    class Meta:
        model = YearlyCap
        fields = ["id", "year", "limit", "basis", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []


class DrawSummarySerializer(serializers.Serializer):
    targets_sm3 = serializers.CharField(label="检查对象名单摘要")
    inspectors_sm3 = serializers.CharField(label="执法检查人员名单摘要")
    parameters_sm3 = serializers.CharField(label="抽取参数摘要")
    target_count = serializers.IntegerField(label="检查对象数")
    inspector_count = serializers.IntegerField(label="执法检查人员数")
    commitment_seq = serializers.IntegerField(label="承诺事件序号")
    committed_at = serializers.DateTimeField(label="固化时间")
    seed = serializers.CharField(label="随机种子")
    drawn_at = serializers.DateTimeField(label="摇号时间", allow_null=True)
    excluded = serializers.JSONField(label="未进入名单的人员")
    skipped = serializers.JSONField(label="因年度上限跳过")


class InspectionPlanSerializer(serializers.ModelSerializer):
    item = serializers.PrimaryKeyRelatedField(queryset=PublicItem.objects.all(), label="随机抽查事项")
    partners = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False, label="联合抽查部门")
    year = serializers.IntegerField(min_value=2000, max_value=2099, label="年度")
    inspectors_per_agency = serializers.IntegerField(min_value=2, max_value=10, default=2, label="每个检查对象每个部门抽取人数（不少于两人）")
    seed_source = serializers.ChoiceField(choices=SeedSource.choices, default=SeedSource.LOTTERY, label="随机种子来源")
    draw = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["id", "agency", "item", "partners", "year", "round", "number", "title", "starts_on", "ends_on", "inspectors_per_agency",
                  "region_prefix", "seed_source", "seed_description", "status", "created_by", "created_at", "draw"]
        read_only_fields = ["agency", "round", "number", "status", "created_by", "created_at"]
        validators = []

    @extend_schema_field(DrawSummarySerializer(allow_null=True))
    def get_draw(self, plan):
        try:
            draw = plan.draw
        except Plan.draw.RelatedObjectDoesNotExist:
            return None
        return DrawSummarySerializer(draw).data


class DrawSeedSerializer(serializers.Serializer):
    seed = serializers.CharField(max_length=200, label="开奖号码", help_text="按开奖公告原样录入。录入即摇号，不能再次录入。")


class InspectionMemberSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = TaskInspector
        fields = ["id", "person", "person_name", "agency", "is_active", "recusal_reason", "recused_at", "replaced_by"]


class InspectionTaskSerializer(serializers.ModelSerializer):
    plan_number = serializers.CharField(source="plan.number", read_only=True)
    target_name = serializers.CharField(source="target.name", read_only=True)
    inspectors = InspectionMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "plan_number", "target", "target_name", "position", "stratum", "status", "case", "outcome", "checked_on",
                  "note", "inspectors"]


class RecuseSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, max_value=2**63 - 1, label="检查组成员 ID")
    reason = serializers.CharField(max_length=300, label="回避原因")


class InspectionResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, label="检查结果")
    checked_on = serializers.DateField(label="检查结束日期")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label="说明（不公开）")


class InspectionCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class PublicInspectionPlanSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    item = serializers.CharField(source="item.name")
    seed = serializers.CharField(source="draw.seed")
    targets_sm3 = serializers.CharField(source="draw.targets_sm3")
    inspectors_sm3 = serializers.CharField(source="draw.inspectors_sm3")

    class Meta:
        model = Plan
        fields = ["id", "number", "title", "agency", "item", "year", "round", "starts_on", "ends_on", "status", "seed_source",
                  "seed_description", "seed", "targets_sm3", "inspectors_sm3"]


class PublicInspectionResultSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan_id")
    plan_number = serializers.CharField(source="plan.number")
    agency = serializers.CharField(source="plan.agency.name")
    position = serializers.IntegerField()
    target_name = serializers.SerializerMethodField()
    target_code = serializers.SerializerMethodField()
    outcome = serializers.CharField(source="get_outcome_display")
    checked_on = serializers.DateField()

    def get_target_name(self, task) -> str:
        return services.public_identity(task.target)[1]

    def get_target_code(self, task) -> str:
        return services.public_identity(task.target)[0]


# ---------------------------------------------------------------- libraries

@collection_endpoint(tags=TAGS, list_summary="检查对象名录库", create_summary="新增或按代码更新检查对象", serializer=InspectionTargetSerializer, filterset=TargetFilter)
def target_list(request):
    def create(data):
        agency = data.pop("agency")
        return services.save_target(request.user, agency, data)

    return collection(request, selectors.visible_targets(request.user).order_by("-pk"), InspectionTargetSerializer, create, filterset=TargetFilter)


@extend_schema(tags=TAGS, summary="检查对象", responses=InspectionTargetSerializer)
@api_view(["GET"])
def target_detail(request, pk):
    return Response(InspectionTargetSerializer(selectors.get_target(request.user, pk)).data)


@extend_schema(tags=TAGS, summary="移出或恢复检查对象（须写明原因）", request=TargetActiveSerializer, responses=InspectionTargetSerializer)
@api_view(["POST"])
def target_active(request, pk):
    return Response(InspectionTargetSerializer(act(request, TargetActiveSerializer, services.set_target_active, selectors.get_target(request.user, pk))).data)


@extend_schema(tags=TAGS, summary="从 Excel 导入检查对象（全部成功或全部不导入，逐行列出错误）", request={"multipart/form-data": TargetImportSerializer},
               responses=TargetImportResultSerializer)
@api_view(["POST"])
@parser_classes([MultiPartParser])
def target_import(request):
    body = TargetImportSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    return Response(services.import_targets(request.user, body.validated_data["agency"], body.validated_data["file"]))


@collection_endpoint(tags=TAGS, list_summary="执法检查人员名录库", create_summary="列入执法检查人员（须持有效执法证）", serializer=InspectorSerializer)
def inspector_list(request):
    return collection(request, selectors.visible_inspectors(request.user).order_by("pk"), InspectorSerializer,
                      lambda d: services.add_inspector(request.user, d["agency"], d["person"], d.get("note", "")))


@extend_schema(tags=TAGS, summary="移出执法检查人员名录库", request=InspectorRemovalSerializer, responses=InspectorSerializer)
@api_view(["POST"])
def inspector_remove(request, pk):
    return Response(InspectorSerializer(act(request, InspectorRemovalSerializer, services.remove_inspector, selectors.get_inspector(request.user, pk))).data)


@collection_endpoint(tags=TAGS, list_summary="抽查比例与频次", create_summary="设定某事项某风险等级的抽查比例与频次", serializer=InspectionRuleSerializer)
def rule_list(request):
    return collection(request, selectors.visible_rules(request.user).order_by("pk"), InspectionRuleSerializer,
                      lambda d: services.save_rule(request.user, d.pop("agency"), **d))


@collection_endpoint(tags=TAGS, list_summary="年度抽查次数上限", create_summary="设定年度抽查次数上限（系统管理员）", serializer=InspectionCapSerializer)
def cap_list(request):
    return collection(request, selectors.caps().order_by("-year"), InspectionCapSerializer, lambda d: services.set_cap(request.user, **d))


# ---------------------------------------------------------------- plans

@collection_endpoint(tags=TAGS, list_summary="抽查计划", create_summary="制定抽查计划（牵头执法主体为事项所属主体）", serializer=InspectionPlanSerializer, filterset=PlanFilter)
def plan_list(request):
    def create(data):
        item = data.pop("item")
        data["partners"] = list(data.pop("partners", []))
        return services.create_plan(request.user, item.agency, item=item, **data)

    plans = selectors.with_draw(selectors.visible_plans(request.user)).order_by("-year", "-pk")
    return collection(request, plans, InspectionPlanSerializer, create, filterset=PlanFilter)


@extend_schema(tags=TAGS, summary="抽查计划", responses=InspectionPlanSerializer)
@api_view(["GET"])
def plan_detail(request, pk):
    return Response(InspectionPlanSerializer(selectors.get_plan(request.user, pk)).data)


@extend_schema(tags=TAGS, summary="固化名单：名单与参数的 SM3 摘要记入账本", request=None, responses=InspectionPlanSerializer)
@api_view(["POST"])
def plan_commit(request, pk):
    plan = selectors.get_plan(request.user, pk)
    services.commit_plan(request.user, plan)
    return Response(InspectionPlanSerializer(selectors.get_plan(request.user, pk)).data)


@extend_schema(tags=TAGS, summary="录入开奖号码并摇号（只能一次）", request=DrawSeedSerializer, responses=InspectionPlanSerializer)
@api_view(["POST"])
def plan_seed(request, pk):
    act(request, DrawSeedSerializer, lambda user, seed: services.enter_seed(user, selectors.get_plan(user, pk), seed))
    return Response(InspectionPlanSerializer(selectors.get_plan(request.user, pk)).data)


@extend_schema(tags=TAGS, summary="以固化后的第一个账本签名树头摇号（尚未生成时 409）", request=None, responses={200: InspectionPlanSerializer, 409: OpenApiTypes.OBJECT})
@api_view(["POST"])
def plan_draw(request, pk):
    plan = selectors.get_plan(request.user, pk)
    if services.draw_from_tree_head(request.user, plan) is None:
        return Response({"detail": "名单固化后的第一个签名树头尚未生成，请稍后再试。"}, status=status.HTTP_409_CONFLICT)
    return Response(InspectionPlanSerializer(selectors.get_plan(request.user, pk)).data)


@extend_schema(tags=TAGS, summary="摇号记录（zhifa-draw/1，可用校验程序重新计算）", responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def plan_record(request, pk):
    plan = selectors.get_plan(request.user, pk)
    return _record(plan)


def _record(plan):
    record = record_for(plan)
    if record is None:
        return Response({"detail": "该计划的名单尚未固化。"}, status=status.HTTP_404_NOT_FOUND)
    return Response(record)


# ---------------------------------------------------------------- tasks

@extend_schema(summary="检查任务", parameters=parameters(TaskFilter), responses=InspectionTaskSerializer(many=True), tags=TAGS)
@list_endpoint
@api_view(["GET"])
def task_list(request):
    tasks = selectors.visible_tasks(request.user).prefetch_related("inspectors__person").order_by("-plan_id", "position")
    return paginated(request, tasks, InspectionTaskSerializer, filterset=TaskFilter)


@extend_schema(tags=TAGS, summary="检查任务", responses=InspectionTaskSerializer)
@api_view(["GET"])
def task_detail(request, pk):
    return Response(InspectionTaskSerializer(selectors.get_task(request.user, pk)).data)


@extend_schema(tags=TAGS, summary="开始检查：按行政检查程序立案", request=None, responses={201: InspectionCaseSerializer})
@api_view(["POST"])
def task_start(request, pk):
    case = services.start_task(request.user, selectors.get_task(request.user, pk))
    return Response({"id": case.pk, "number": case.number}, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS, summary="回避：按公开规则抽取同部门替换人员", request=RecuseSerializer, responses={201: InspectionMemberSerializer})
@api_view(["POST"])
def task_recuse(request, pk):
    task = selectors.get_task(request.user, pk)

    def recuse(user, member, reason):
        row = task.inspectors.filter(pk=member).first()
        if row is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"member": "该人员不在本任务的检查组中。"})
        return services.recuse(user, row, reason)

    return Response(InspectionMemberSerializer(act(request, RecuseSerializer, recuse)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS, summary="录入检查结果（即在公示平台公开）", request=InspectionResultSerializer, responses=InspectionTaskSerializer)
@api_view(["POST"])
def task_result(request, pk):
    return Response(InspectionTaskSerializer(act(request, InspectionResultSerializer, services.record_result, selectors.get_task(request.user, pk))).data)


# ---------------------------------------------------------------- public

@extend_schema(tags=PUBLIC_TAGS, summary="双随机抽查计划（已摇号）", responses=PublicInspectionPlanSerializer(many=True), auth=[])
@list_endpoint
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
def public_plans(request):
    return paginated(request, selectors.public_plans().order_by("-pk"), PublicInspectionPlanSerializer)


@extend_schema(tags=PUBLIC_TAGS, summary="双随机抽查结果（开放数据；自然人检查对象已隐去姓名和证件号码）", responses=PublicInspectionResultSerializer(many=True), auth=[])
@list_endpoint
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
def public_results(request):
    return paginated(request, selectors.public_result_rows(), PublicInspectionResultSerializer)


@extend_schema(tags=PUBLIC_TAGS, summary="摇号记录（zhifa-draw/1）", responses=OpenApiTypes.OBJECT, auth=[])
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
def public_record_detail(request, pk):
    return _record(selectors.public_plan(pk))
