"""Filters of the staff publication queue: the page and the API read these same parameters. (The public
decision list searches through selectors.search, which the portal page and /api/v1/public/decisions/ share.)"""

import django_filters as df

from zhifa.core.filters import FilterSet, IdFilter

from .models import Publication, PublicationCategory, PublicationStatus


class PublicationFilter(FilterSet):
    status = df.ChoiceFilter(label="状态", choices=PublicationStatus.choices)
    category = df.ChoiceFilter(label="类别", choices=PublicationCategory.choices)
    agency = IdFilter(label="执法主体", field_name="agency_id")
    case = IdFilter(label="案件", field_name="case_id")
    decision_number = df.CharFilter(label="决定书文号", lookup_expr="icontains")

    class Meta:
        model = Publication
        fields = []
