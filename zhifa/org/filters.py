"""Filters of the agency, people and credential lists: the pages and the API read these same parameters."""

import datetime as dt

import django_filters as df
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from zhifa.core.filters import BooleanFilter, FilterSet, IdFilter
from zhifa.core.roles import Role

from .models import Agency, AgencyLevel, Credential, CredentialStatus, Person


class AgencyFilter(FilterSet):
    q = df.CharFilter(label="关键词", method="search", help_text="名称、地区或执法领域")
    level = df.ChoiceFilter(label="层级", choices=AgencyLevel.choices)
    region = df.CharFilter(label="行政区划代码前缀", field_name="region_code", lookup_expr="startswith")

    class Meta:
        model = Agency
        fields = []

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(region_name__icontains=value) | Q(sector__icontains=value))


class PersonFilter(FilterSet):
    q = df.CharFilter(label="关键词", method="search", help_text="姓名、用户名或执法主体名称")
    role = df.ChoiceFilter(label="角色", choices=Role.choices, field_name="role_assignments__role")
    agency = IdFilter(label="执法主体", field_name="agency_id")

    class Meta:
        model = Person
        fields = []

    def search(self, qs, name, value):
        return qs.filter(Q(full_name__icontains=value) | Q(username__icontains=value) | Q(agency__name__icontains=value))


class CredentialFilter(FilterSet):
    q = df.CharFilter(label="关键词", method="search", help_text="证件编号或持证人姓名")
    status = df.ChoiceFilter(label="登记状态", choices=CredentialStatus.choices)
    expiring = BooleanFilter(label="即将到期或已过期", method="filter_expiring")
    person = IdFilter(label="持证人", field_name="person_id")

    class Meta:
        model = Credential
        fields = []

    def search(self, qs, name, value):
        return qs.filter(Q(number__icontains=value) | Q(person__full_name__icontains=value))

    def filter_expiring(self, qs, name, value):
        if not value:
            return qs
        soon = timezone.localdate() + dt.timedelta(days=settings.ZHIFA_CREDENTIAL_EXPIRY_WARNING_DAYS)
        return qs.filter(status=CredentialStatus.VALID, valid_until__lte=soon)
