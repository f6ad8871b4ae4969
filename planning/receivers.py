"""Planning's reactions to what the registry announces."""

from django.dispatch import receiver

from registry.models import DocumentKind
from registry.signals import document_issued, document_voided

from . import programme
from .models import Cycle


@receiver(document_issued, dispatch_uid="planning.adopt_issued_programme")
def adopt_issued_programme(sender, document, actor, **kwargs):
    """A cycle's programme decree has just been issued: its proposals become agreements, in the same
    transaction (a refusal rolls the issue back)."""
    if document.kind != DocumentKind.KEPUTUSAN:
        return
    cycle = Cycle.objects.filter(decree=document).first()
    if cycle is not None:
        programme.adopt_programme(cycle, document=document, actor=actor)


@receiver(document_voided, dispatch_uid="planning.revoke_voided_programme")
def revoke_voided_programme(sender, document, actor, reason, **kwargs):
    """A cycle's programme decree is being voided: its agreements are withdrawn with it, or the
    void is refused while any has moved on (planning.programme.revoke_programme)."""
    if document.kind != DocumentKind.KEPUTUSAN:
        return
    cycle = Cycle.objects.filter(decree=document).first()
    if cycle is not None:
        programme.revoke_programme(cycle, document=document, actor=actor, reason=reason)
