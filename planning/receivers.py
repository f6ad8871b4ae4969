"""Planning's reactions to what the registry announces."""

from django.dispatch import receiver

from registry.models import DocumentKind
from registry.signals import document_issued

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
