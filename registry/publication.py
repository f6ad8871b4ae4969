"""What the public register shows (UU 14/2008 Pasal 11(1): agreements with third parties are
information a public body makes available at all times).

Only signed agreements appear: running (implementation, record keeping, reporting) or ended.
The TKKSD decides per agreement and per document; by default a signed agreement is public and
so are its signed KB, PKS, NK/RK, naskah and addendum, while drafts, reviews (kajian) and every
other document stay private. Nothing unsigned is ever shown, whatever was decided.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from kerjasama import concurrency
from kerjasama.concurrency import Edition

from . import lifecycle
from .models import Agreement, AgreementDocument, DocumentType, Stage
from .roles import Role, has_role

# Signed: the stages after signing, and the end of an agreement that was running.
SIGNED_STAGES = frozenset(lifecycle.ACTIVE_STAGES | {Stage.BERAKHIR})
PUBLIC_BY_DEFAULT = frozenset(
    {DocumentType.KB, DocumentType.PKS, DocumentType.NK_RK, DocumentType.NASKAH, DocumentType.ADDENDUM}
)


def can_decide(user) -> bool:
    return has_role(user, Role.TKKSD, Role.ADMIN)


def is_signed(agreement: Agreement) -> bool:
    return agreement.stage in SIGNED_STAGES


def agreement_is_public(agreement: Agreement) -> bool:
    return is_signed(agreement) and agreement.public is not False


def public_agreements():
    """Every agreement the public register shows."""
    return Agreement.objects.filter(stage__in=SIGNED_STAGES).exclude(public=False)


def _public_documents_condition() -> Q:
    return Q(is_signed=True) & (Q(public=True) | Q(public__isnull=True, doc_type__in=PUBLIC_BY_DEFAULT))


def document_is_public(document: AgreementDocument) -> bool:
    if not document.is_signed or not agreement_is_public(document.agreement):
        return False
    return document.public if document.public is not None else document.doc_type in PUBLIC_BY_DEFAULT


def public_documents(agreements=None):
    """Signed documents shown on the public register, of public agreements only."""
    documents = AgreementDocument.objects.filter(_public_documents_condition())
    return documents.filter(agreement__in=agreements if agreements is not None else public_agreements())


def document_default(document: AgreementDocument) -> bool:
    return document.is_signed and document.doc_type in PUBLIC_BY_DEFAULT


@transaction.atomic
def set_agreement_publication(
    agreement: Agreement, *, actor, public: bool | None, edition: Edition | None = None
) -> Agreement:
    """Show or hide an agreement on the public register (None: the default). TKKSD and Admin;
    refused with StaleEdit when someone else changed the choice since the form was read."""
    if not can_decide(actor):
        raise PermissionDenied
    return concurrency.edit(Agreement, agreement.pk, {"public": public}, edition=edition, actor=actor)


@transaction.atomic
def set_document_publication(document: AgreementDocument, *, actor, public: bool | None) -> AgreementDocument:
    """Show or hide one document on the public register (None: the default for its type).
    An unsigned document is never shown, whatever is chosen here."""
    if not can_decide(actor):
        raise PermissionDenied
    locked = AgreementDocument.objects.select_for_update().get(pk=document.pk)
    locked.public = public
    locked._history_user = actor
    locked.save(update_fields=["public"])
    return locked
