"""The org part of `zhifa ledger verify`: agencies, departments, people and credentials replayed from the ledger."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import Agency, ApiToken, Credential, Department, Person
from .services import AGENCY_FIELDS, CREDENTIAL_RECORD, DEPARTMENT_FIELDS, TOKEN_FIELDS, person_record

AGENCIES = replayed(Spec("org.agency", "执法主体", created={"org.agency.created"}, updated={"org.agency.updated"}))
DEPARTMENTS = replayed(Spec("org.department", "内设机构", created={"org.department.created"}))
PEOPLE = replayed(Spec("org.person", "人员", created={"org.person.created"}, updated={"org.person.updated"}))
TOKENS = replayed(Spec("org.apitoken", "接口令牌", created={"org.api_token.issued"}, updated={"org.api_token.revoked"}))
CREDENTIALS = replayed(Spec("org.credential", "执法证件", created={"org.credential.issued"}, updated={"org.credential.status_changed"}))


def check_org(report, check_files: bool) -> None:
    compare(
        report,
        AGENCIES,
        ((a.pk, a.name, ledger.snapshot(a, AGENCY_FIELDS)) for a in Agency.objects.order_by("pk").iterator()),
        field_labels(Agency),
    )
    compare(
        report,
        DEPARTMENTS,
        ((d.pk, d.name, ledger.snapshot(d, DEPARTMENT_FIELDS)) for d in Department.objects.order_by("pk").iterator()),
        field_labels(Department),
    )
    people = Person.objects.order_by("pk").prefetch_related("role_assignments")
    compare(
        report,
        PEOPLE,
        ((p.pk, p.full_name or p.username, person_record(p)) for p in people.iterator(chunk_size=2000)),
        field_labels(Person, {"roles": "角色", "is_superuser": "超级用户", "is_staff": "后台登录"}),
    )
    compare(
        report,
        TOKENS,
        ((t.pk, str(t), ledger.snapshot(t, TOKEN_FIELDS)) for t in ApiToken.objects.order_by("pk").iterator()),
        field_labels(ApiToken, {"digest": "哈希"}),
    )
    compare(
        report,
        CREDENTIALS,
        ((c.pk, c.number, ledger.snapshot(c, CREDENTIAL_RECORD)) for c in Credential.objects.order_by("pk").iterator()),
        field_labels(Credential),
    )
