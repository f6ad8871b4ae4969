"""What an official document decides on, and the way back from a record to its documents.

The registry knows documents; planning knows which cycle's programme a decree adopts and which
plenary a Berita Acara records. This module, above both, links each document to its subjects so
that its page can lead to them (and the work queue can summarise a draft).
"""

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planning.models import Cycle, Plenary
from registry.models import DprdApproval, OfficialDocument
from registry.models.official import DocumentKind
from registry.roles import Role, has_role

# Who may open an official document's page (registry.official.documents_visible_to reads all).
READERS = (Role.TKKSD, Role.PIMPINAN, Role.ADMIN)


@dataclass(frozen=True)
class Subject:
    label: str
    url: str


def subjects_of(document: OfficialDocument) -> list[Subject]:
    """The records `document` decides on: the mapping cycle of a programme decree, the plenary of
    a Berita Acara, the agreement (and its DPRD request) of a request letter. Each kind is looked
    for only where a document of that kind is linked (planning/programme.py issues the decree,
    planning/services.py the minutes, registry/dprd.py the letter)."""
    subjects = []
    if document.kind == DocumentKind.KEPUTUSAN:
        for cycle in Cycle.objects.filter(decree=document):
            subjects.append(
                Subject(str(format_lazy(_("Mapping cycle {year}"), year=cycle.year)), cycle.get_absolute_url())
            )
    if document.kind == DocumentKind.BERITA_ACARA:
        for plenary in Plenary.objects.filter(minutes=document):
            subjects.append(
                Subject(
                    str(format_lazy(_("TKKSD plenary of {date}"), date=plenary.date.strftime("%d-%m-%Y"))),
                    plenary.get_absolute_url(),
                )
            )
    if document.kind == DocumentKind.SURAT:
        for approval in DprdApproval.objects.filter(request_letter=document).select_related("agreement"):
            agreement = approval.agreement
            subjects.append(Subject(f"{agreement.register_number} · {agreement.title}", agreement.get_absolute_url()))
            subjects.append(Subject(str(_("DPRD approval request")), approval.get_absolute_url()))
    return subjects


def reads_documents(user) -> bool:
    return has_role(user, *READERS)
