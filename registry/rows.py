"""List rows with every printed value computed once in Python: the list template then only
prints strings, which keeps the busiest page of the app cheap to render."""

from dataclasses import dataclass
from datetime import date

from django.utils import dateformat

from .models import Stage
from .status import BADGE, status_of


@dataclass(frozen=True)
class AgreementRow:
    url: str
    register_number: str
    title: str
    kind: str
    partners: str
    lead_opd: str
    stage: str
    status: str
    status_label: str
    status_badge: str
    end_date: str


def agreement_rows(agreements, today: date) -> list[AgreementRow]:
    rows = []
    for agreement in agreements:
        status = status_of(agreement, today)
        rows.append(
            AgreementRow(
                url=agreement.get_absolute_url(),
                register_number=agreement.register_number,
                title=agreement.title,
                kind=agreement.kind.upper(),
                partners=" · ".join(partner.name for partner in agreement.partners.all()),
                lead_opd=str(agreement.lead_opd),
                # Stage(...).label, not get_stage_display(): the latter rebuilds the choices each call.
                stage=str(Stage(agreement.stage).label),
                status=status.value,
                status_label=str(status.label),
                status_badge=BADGE[status],
                end_date=dateformat.format(agreement.end_date, "j M Y") if agreement.end_date else "—",
            )
        )
    return rows
