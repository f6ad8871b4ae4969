"""The weekly check of issued documents' files, reported to the administrators."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry import official
from registry.models import User
from registry.roles import Role

from .services import notify_users

# How each finding reads in the administrators' notification.
_STATES = {
    official.FileState.MISSING: _("file missing"),
    official.FileState.UNREADABLE: _("file unreadable"),
    official.FileState.ALTERED: _("file altered (SHA-256 differs)"),
    official.FileState.FAILED: _("never rendered"),
    official.FileState.SIGNED_MISSING: _("signed original missing"),
    official.FileState.SIGNED_UNREADABLE: _("signed original unreadable"),
    official.FileState.SIGNED_ALTERED: _("signed original altered (SHA-256 differs)"),
}


def report_damaged_documents() -> int:
    """Check every issued document's file and notify the active administrators of the damaged
    ones, in one notification. Returns how many documents were found."""
    found = list(official.damaged_documents())
    if not found:
        return 0
    admins = User.objects.filter(is_active=True, groups__name=Role.ADMIN).distinct()
    # In the application's language, whichever process runs the check.
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            f"{document.number or document.verification_code} · {document.title}: {_STATES[state]}"
            for document, state in found
        ]
        title = ngettext(
            "Document check: %(count)d issued document needs attention",
            "Document check: %(count)d issued documents need attention",
            len(found),
        ) % {"count": len(found)}
    with transaction.atomic():
        notify_users(admins, title=title, body="\n".join(lines), url=reverse("registry:official_list"))
    return len(found)
