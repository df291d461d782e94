from django.contrib.auth.backends import ModelBackend

from .models import Person, PersonRole


class PersonBackend(ModelBackend):
    """Django's password backend, loading the signed-in person with their agency, and their role codes at once.

    Every staff page shows the person's agency in the header and asks their roles (navigation, scoping). The
    agency comes in the same query as the person; the roles in one plain query (cheaper than a prefetch).
    """

    def get_user(self, user_id):
        person = Person._default_manager.select_related("agency").filter(pk=user_id).first()
        if person is None or not self.user_can_authenticate(person):
            return None
        person._role_codes = set(PersonRole.objects.filter(person_id=person.pk).values_list("role", flat=True))
        return person
