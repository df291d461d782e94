from django.utils.functional import SimpleLazyObject


def unread(request):
    """The unread count in the header of every staff page: one COUNT over the partial index of unread rows, run
    only when a page shows it (fragments and JSON answers never do)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
