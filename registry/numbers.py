"""The one register of document numbers in use: each number, per year, has one owner.

Numbers the app allocates from a series, numbers typed in from the Bagian Hukum's register at
issue, and the numbers recorded on agreements (both parties' KB and PKS numbers) share it, so
that two documents never carry the same number: an allocation skips a number already taken, and
a typed or recorded number already taken is refused with its owner.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .errors import ServiceError
from .models import Agreement, OfficialDocument, RegisteredNumber, number_key


class NumberTaken(ServiceError):
    """The number is already another document's or agreement's in that year."""

    def __init__(self, number: str, holder: RegisteredNumber):
        self.holder = holder
        super().__init__(
            _("Number %(number)s is already in use in %(year)s by %(owner)s.")
            % {"number": number, "year": holder.year, "owner": describe(holder)}
        )


def describe(holder: RegisteredNumber) -> str:
    if holder.document_id:
        document = holder.document
        return f"{document.get_kind_display()} “{document.title}”"
    agreement = holder.agreement
    return f"{agreement.register_number} “{agreement.title}”"


def holder_of(number: str, year: int) -> RegisteredNumber | None:
    return (
        RegisteredNumber.objects.select_related("document", "agreement")
        .filter(year=year, key=number_key(number))
        .first()
    )


def register(
    number: str, year: int, *, document: OfficialDocument | None = None, agreement: Agreement | None = None
) -> RegisteredNumber:
    """Record that `number` is in use in `year` by `document` or `agreement`.

    Idempotent for the same owner; raises NumberTaken when another owner has it. Runs in a
    savepoint, so a refusal leaves the caller's transaction usable.
    """
    number = " ".join(number.split())
    key = number_key(number)
    if not key:
        raise ServiceError(_("Enter the number."))
    try:
        with transaction.atomic():
            return RegisteredNumber.objects.create(
                year=year, key=key, number=number[:120], document=document, agreement=agreement
            )
    except IntegrityError:
        holder = holder_of(number, year)
        if holder is None:
            raise
        same = (document is not None and holder.document_id == document.pk) or (
            agreement is not None and holder.agreement_id == agreement.pk
        )
        if same:
            return holder
        raise NumberTaken(number, holder) from None


def is_free(number: str, year: int) -> bool:
    return not RegisteredNumber.objects.filter(year=year, key=number_key(number)).exists()
