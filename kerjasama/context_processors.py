from registry.roles import primary_role, user_roles

from . import navigation as nav


def navigation(request):
    """The navigation entries and roles of the logged-in user, and what the home page counted for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    return {
        "nav_menu": nav.menu_for(user, roles, request.path),
        "user_roles": sorted(roles),
        "user_primary_role": primary_role(user),
        # The home page passes its own queue's total and unread count; on every other page the
        # navigation loads both after the page (kerjasama.views.work_queue_nav).
        "unread_notifications": getattr(request, "unread_notifications", None),
        "work_queue_total": getattr(request, "work_queue_total", None),
    }
