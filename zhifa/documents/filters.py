"""Filters of the document list: the pages and the API read these same parameters."""

import django_filters as df

from zhifa.core.filters import FilterSet, IdFilter
from zhifa.procedures.document_types import DOCUMENT_TYPES

from .models import Document, DocumentStatus


class DocumentFilter(FilterSet):
    case = IdFilter(label="案件", field_name="case_id")
    doc_type = df.ChoiceFilter(label="文书种类", choices=lambda: [(code, entry[0]) for code, entry in DOCUMENT_TYPES.items()])
    status = df.ChoiceFilter(label="状态", choices=DocumentStatus.choices)
    number = df.CharFilter(label="文号", lookup_expr="icontains")

    class Meta:
        model = Document
        fields = []
