"""Dates kept on each agreement so that "Perlu perhatian" (monitoring.selectors.dormant_with_counts)
filters indexed columns instead of running subqueries over every agreement per request.

`kb_signed_on` is when the Kesepakatan Bersama was signed: the date on its latest signed scan, else
the day the agreement left the KB signing stage, else the day it was recorded (a legacy import). It
is set when an agreement is filed (the day it is recorded) and refreshed by the two writes that change
it: uploading a signed KB (registry.services) and leaving the KB signing stage (registry.lifecycle).
`last_report_period`, the month of the latest accepted implementation report, is monitoring's
(monitoring.services.refresh_last_report).
"""

from django.db.models import DateField, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .models import Agreement, AgreementDocument, DocumentType, Stage, Transition


def kb_signed_expression():
    signed_scan = (
        AgreementDocument.objects.filter(agreement=OuterRef("pk"), doc_type=DocumentType.KB, is_signed=True)
        .exclude(date__isnull=True)
        .order_by("-version")
        .values("date")[:1]
    )
    left_signing = (
        Transition.objects.filter(agreement=OuterRef("pk"), from_stage=Stage.PENANDATANGANAN_KB)
        .order_by("-at")
        .annotate(day=TruncDate("at"))
        .values("day")[:1]
    )
    return Coalesce(
        Subquery(signed_scan, output_field=DateField()),
        Subquery(left_signing, output_field=DateField()),
        TruncDate("created_at"),
        output_field=DateField(),
    )


def refresh_kb_signed_on(agreements=None, *, touch: bool = False) -> int:
    """Recompute `kb_signed_on` of these agreements (a queryset, or all); returns how many rows.
    With `touch`, the agreements count as updated (their `updated_at`), as after a signed KB is
    filed: what reads their latest change (the dashboard) sees it."""
    queryset = Agreement.objects.all() if agreements is None else agreements
    touched = {"updated_at": timezone.now()} if touch else {}
    return queryset.update(kb_signed_on=kb_signed_expression(), **touched)
