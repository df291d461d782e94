"""Filters of the evidence list and the 调阅 log: the pages and the API read these same parameters."""

import django_filters as df
from django.db.models import Q

from zhifa.core.filters import FilterSet, IdFilter

from .models import Evidence, EvidenceAccess, EvidenceKind, Stage


class EvidenceFilter(FilterSet):
    q = df.CharFilter(label="关键词", method="search", help_text="证据编号、案件编号或名称")
    kind = df.ChoiceFilter(label="证据种类", choices=EvidenceKind.choices)
    stage = df.ChoiceFilter(label="执法环节", choices=Stage.choices)
    case_number = df.CharFilter(label="案件编号")
    case = IdFilter(label="案件", field_name="case_id")

    class Meta:
        model = Evidence
        fields = []

    def search(self, qs, name, value):
        return qs.filter(Q(number__icontains=value) | Q(case_number__icontains=value) | Q(title__icontains=value))


class AccessFilter(FilterSet):
    evidence = IdFilter(label="证据", field_name="evidence_id")
    number = df.CharFilter(label="证据编号", field_name="evidence__number", lookup_expr="icontains")
    person = df.CharFilter(label="调阅人", method="by_person", help_text="姓名、用户名或人员 ID")
    since = df.DateFilter(label="起", field_name="at__date", lookup_expr="gte")
    until = df.DateFilter(label="止", field_name="at__date", lookup_expr="lte")

    class Meta:
        model = EvidenceAccess
        fields = []

    def by_person(self, qs, name, value):
        match = Q(person__full_name__icontains=value) | Q(person__username=value)
        if value.isascii() and value.isdigit() and len(value) <= 18:
            match |= Q(person_id=int(value))
        return qs.filter(match)
