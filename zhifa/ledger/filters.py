"""Filter of the event list, read by the ledger page and the API alike. The ledger imports no zhifa app, so it
uses django-filter directly instead of core's FilterSet base."""

import django_filters as df

from .models import LedgerEvent


class EventFilter(df.FilterSet):
    kind = df.CharFilter(label="事件类型", help_text="如 evidence.recorded（见 docs/ledger.md）")
    object_type = df.CharFilter(label="对象类型", help_text="如 cases.case")
    object_id = df.CharFilter(label="对象 ID")

    class Meta:
        model = LedgerEvent
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for key in self.base_filters:
                if key in data:
                    data[key] = "".join(ch for ch in data[key] if ch.isprintable()).strip()[:60]
        super().__init__(data, *args, **kwargs)
