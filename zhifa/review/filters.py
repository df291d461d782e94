"""Filters of the review queue: the page and the API read these same parameters."""

import django_filters as df

from zhifa.core.filters import FilterSet, IdFilter

from .models import ReviewStatus, ReviewTask


class TaskFilter(FilterSet):
    status = df.ChoiceFilter(label="状态", choices=ReviewStatus.choices)
    case = IdFilter(label="案件", field_name="case_id")
    reviewer = IdFilter(label="审核人员", field_name="reviewer_id")
    due_before = df.DateFilter(label="审核期限不晚于", field_name="due_date", lookup_expr="lte")

    class Meta:
        model = ReviewTask
        fields = []
