"""Filters of the case list: the page and the API read these same parameters."""

import django_filters as df
from django.db.models import Exists, OuterRef, Q

from zhifa.core.filters import BooleanFilter, FilterSet, IdFilter

from .models import Case, CaseSource, CaseStatus, Party


class CaseFilter(FilterSet):
    q = df.CharFilter(label="关键词", method="search", help_text="案件编号、案由或当事人名称")
    status = df.ChoiceFilter(label="状态", choices=CaseStatus.choices)
    stage = df.CharFilter(label="当前环节（编码）")
    number = df.CharFilter(label="案件编号")
    procedure = df.CharFilter(label="执法程序（编码）", field_name="procedure__code")
    source = df.ChoiceFilter(label="案件来源", choices=CaseSource.choices)
    agency = IdFilter(label="执法主体", field_name="agency_id")
    is_major = BooleanFilter(label="重大执法决定")
    opened_after = df.DateFilter(label="立案日期起", field_name="opened_on", lookup_expr="gte")
    opened_before = df.DateFilter(label="立案日期止", field_name="opened_on", lookup_expr="lte")

    class Meta:
        model = Case
        fields = []

    def search(self, qs, name, value):
        # EXISTS instead of a join + DISTINCT: one row per case however many parties match.
        party = Party.objects.filter(case=OuterRef("pk"), name__icontains=value)
        return qs.filter(Q(number__icontains=value) | Q(title__icontains=value) | Exists(party))
