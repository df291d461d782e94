"""Who holds a role where: the recipients the apps' notification rules name."""

from django.db.models import Q

from zhifa.core.roles import Role
from zhifa.org.models import Agency, Person


def with_role(role: str, agency_id) -> list[int]:
    """Active people holding `role` in the agency."""
    if agency_id is None:
        return []
    return list(Person.objects.filter(agency_id=agency_id, is_active=True, role_assignments__role=role).values_list("pk", flat=True).distinct())


def with_role_anywhere(role: str) -> list[int]:
    """Active people holding `role` in any agency."""
    return list(Person.objects.filter(is_active=True, role_assignments__role=role).values_list("pk", flat=True).distinct())


def supervisors_of(agency_id) -> list[int]:
    """Active supervisors whose region covers the agency (a 司法局's supervisors see the agencies of its region)."""
    agency = Agency.objects.filter(pk=agency_id).only("region_code").first()
    if agency is None:
        return []
    rows = Person.objects.filter(is_active=True, role_assignments__role=Role.SUPERVISOR).select_related("agency")
    return sorted({p.pk for p in rows if p.agency and agency.region_code.startswith(p.agency.jurisdiction_prefix)})


def administrators() -> list[int]:
    return list(Person.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(role_assignments__role=Role.ADMIN)).values_list("pk", flat=True).distinct())
