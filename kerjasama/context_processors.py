from monitoring.selectors import unread_count
from registry.roles import primary_role, user_roles

from . import navigation as nav


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
        # The home page passes its own queue's total; on every other page the navigation loads the
        # count after the page (kerjasama.views.work_queue_nav).
        "work_queue_total": getattr(request, "work_queue_total", None),
    }
