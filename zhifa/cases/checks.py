"""The cases part of `zhifa ledger verify`: every case replayed from its events. Each event carries the case's
whole state (its row, parties, officers, time limits and stage history), so an edit to any of them is named."""

from django.db.models.base import ModelState

from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import Case
from .services import RELATIONS, case_state

CHUNK = 2000

CASE_EVENTS = {
    "cases.case.opened", "cases.case.moved", "cases.case.proposal_set", "cases.case.party_choice", "cases.case.deadline_extended",
    "cases.case.deadline_paused", "cases.case.deadline_resumed", "cases.case.major_marked", "cases.case.major_unmarked",
    "cases.case.party_added", "cases.case.payment_recorded", "cases.case.payment_arranged", "cases.case.act",
}
RELATED = {
    "parties": "当事人", "officers": "承办人员", "deadlines": "办理期限", "history": "环节记录", "major_marks": "重大执法决定标记",
    "pauses": "不计入期限的期间", "payments": "罚款缴纳记录", "arrangements": "延期（分期）缴纳",
}


CASES = replayed(Spec("cases.case", "案件", created=CASE_EVENTS))


def _instances(queryset):
    """The queryset's rows as model instances made without Model.__init__ (its signals and descriptors were a third
    of the check): every concrete field read by attribute name, as the snapshots read them."""
    model = queryset.model
    names = [f.attname for f in model._meta.concrete_fields]
    db = queryset.db
    for values in queryset.values_list(*names):
        instance = model.__new__(model)
        instance.__dict__.update(zip(names, values))
        instance._state = state = ModelState()
        state.adding, state.db = False, db
        yield instance


def _states():
    """(id, number, state) of every case, oldest first: cases and their related rows read in chunks, one query
    per table per chunk (prefetch_related builds a queryset per case and relation: minutes at a million)."""
    last = 0
    while True:
        chunk = list(_instances(Case.objects.filter(pk__gt=last).order_by("pk")[:CHUNK]))
        if not chunk:
            return
        ids = [c.pk for c in chunk]
        grouped = {}
        for name in RELATIONS:
            relation = Case._meta.get_field(name)
            column = relation.field.attname
            # The chunk is every case between its first and last id: a range on the key, not a list of 2,000 ids
            # (building that IN lookup was a tenth of the check).
            rows = relation.related_model.objects.filter(**{f"{column}__gte": ids[0], f"{column}__lte": ids[-1]}).order_by()
            for row in _instances(rows):
                grouped.setdefault((name, getattr(row, column)), []).append(row)
        for case in chunk:
            yield case.pk, case.number, case_state(case, {name: grouped.get((name, case.pk), []) for name in RELATIONS})
        last = ids[-1]


def check_cases(report, check_files: bool) -> None:
    compare(report, CASES, _states(), field_labels(Case, RELATED))
