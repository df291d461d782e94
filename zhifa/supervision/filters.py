"""Filters of the clue list: the page and the API read these same parameters."""

import django_filters as df

from zhifa.core.filters import BooleanFilter, FilterSet, IdFilter

from .detectors import all_detectors
from .models import Clue, ClueStatus, Severity


class ClueFilter(FilterSet):
    status = df.ChoiceFilter(label="状态", choices=ClueStatus.choices)
    open = BooleanFilter(label="未办结", field_name="is_open")
    model = df.ChoiceFilter(label="问题模型", choices=[(d.code, d.name) for d in all_detectors()])
    severity = df.ChoiceFilter(label="严重程度", choices=Severity.choices)
    agency = IdFilter(label="执法主体", field_name="agency_id")

    class Meta:
        model = Clue
        fields = []
