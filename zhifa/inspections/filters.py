"""Filters of the 双随机 lists: the page and the API read these same parameters."""

import django_filters as df
from django.db.models import Q

from zhifa.core.filters import BooleanFilter, FilterSet, IdFilter

from .models import Plan, PlanStatus, RiskClass, Target, TargetKind, Task, TaskStatus


class TargetFilter(FilterSet):
    q = df.CharFilter(label="名称或代码", method="search")
    agency = IdFilter(label="执法主体", field_name="agency_id")
    risk_class = df.ChoiceFilter(label="风险等级", choices=RiskClass.choices)
    kind = df.ChoiceFilter(label="类型", choices=TargetKind.choices)
    region = df.CharFilter(label="行政区划代码（前几位）", field_name="region_code", lookup_expr="startswith")
    active = BooleanFilter(label="在库", field_name="is_active")

    class Meta:
        model = Target
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isascii():  # a code: its exact value (indexed)
            return queryset.filter(code=value.upper())
        return queryset.filter(name__contains=value)


class PlanFilter(FilterSet):
    year = df.NumberFilter(label="年度", field_name="year", min_value=2000, max_value=2099)
    status = df.ChoiceFilter(label="状态", choices=PlanStatus.choices)
    agency = IdFilter(label="执法主体", method="by_agency")

    class Meta:
        model = Plan
        fields = []

    def by_agency(self, queryset, name, value):
        return queryset.filter(Q(agency_id=value) | Q(partners=value)).distinct()


class TaskFilter(FilterSet):
    plan = IdFilter(label="抽查计划", field_name="plan_id")
    status = df.ChoiceFilter(label="状态", choices=TaskStatus.choices)
    mine = BooleanFilter(label="只看我的任务", method="only_mine")

    class Meta:
        model = Task
        fields = []

    def only_mine(self, queryset, name, value):
        if value and self.request is not None:
            return queryset.filter(inspectors__person=self.request.user, inspectors__is_active=True)
        return queryset
