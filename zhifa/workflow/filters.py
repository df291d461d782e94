import django_filters

from .models import Delivery


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Delivery.Status.choices, label="状态")
    kind = django_filters.CharFilter(label="事件类型")

    class Meta:
        model = Delivery
        fields = ["status", "kind"]
