"""Filters of the case list: the page and the API read these same parameters."""

import django_filters as df
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from zhifa.core.filters import BooleanFilter, FilterSet, IdFilter
from zhifa.core.text import search_phrase

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
        """Number, title or a party's name, through the bigram index (a word of two or more characters); a single
        character falls back to a scan."""
        indexed = search_sql(value)
        if indexed is not None:
            return qs.filter(pk__in=RawSQL(*indexed))
        parties = Party.objects.filter(name__icontains=value).values("case_id")
        return qs.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(pk__in=parties))


def search_sql(query: str) -> tuple[str, list] | None:
    """SQL selecting the ids of cases whose number, title or parties contain `query` (as a phrase of bigrams)."""
    phrase = search_phrase(query)
    if phrase is None:
        return None
    if connection.vendor == "sqlite":
        return "SELECT rowid FROM cases_search WHERE cases_search MATCH %s", [f'"{phrase}"']
    return "SELECT id FROM cases_case WHERE search_vector @@ phraseto_tsquery('simple', %s)", [phrase]
