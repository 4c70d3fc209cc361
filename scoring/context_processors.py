from django.utils.functional import SimpleLazyObject

from .models import Role, RoleAssignment


def navigation(request):
    """Expose `nav_roles`: the roles the user holds anywhere, read once and only if a template asks."""

    def roles() -> frozenset[str]:
        user = request.user
        if not user.is_authenticated:
            return frozenset()
        if user.is_superuser:
            return frozenset(Role.values)
        return frozenset(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))

    return {"nav_roles": SimpleLazyObject(roles)}
