from django.utils.functional import SimpleLazyObject

from monitoring.selectors import unread_count
from registry.roles import primary_role, user_roles

from . import navigation as nav
from . import workqueue


def navigation(request):
    """The navigation entries, role and unread-notification count of the logged-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    return {
        "nav_menu": nav.menu_for(user, roles, request.path),
        "user_roles": sorted(roles),
        "user_primary_role": primary_role(user),
        "unread_notifications": unread_count(user),
        # Counted only when a page prints it; the home page passes its own queue's total.
        "work_queue_total": SimpleLazyObject(
            lambda: request.work_queue_total if hasattr(request, "work_queue_total") else workqueue.total_for(user)
        ),
    }
