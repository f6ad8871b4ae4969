"""The OPD's own evaluation of each running agreement, EVALUATIONS_PER_YEAR times a year.

domain.md §7 (Kota Yogyakarta practice): besides its monthly reports, the lead OPD's PPKSD
evaluate each agreement in implementation twice a year by default: the progress against the
PKS, the obstacles and the follow-up. The year is cut into EVALUATIONS_PER_YEAR equal parts (the
semesters by default); a part is evaluated once it has ended, is due on day REPORT_DUE_DAY of the
following month, like a monthly report, and is overdue after that. The TKKSD reads them in its
annual evaluation.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kerjasama import concurrency
from kerjasama.concurrency import Edition
from registry import lifecycle
from registry.models import Agreement
from registry.roles import is_ppksd_of

from . import periods
from .models import OpdEvaluation
from .services import ServiceError

# The divisors of twelve: parts of a year made of whole months.
ALLOWED_PARTS = (1, 2, 3, 4, 6, 12)


def parts_per_year() -> int:
    return settings.EVALUATIONS_PER_YEAR


def months_per_part() -> int:
    return 12 // parts_per_year()


def part_span(year: int, part: int) -> tuple[date, date]:
    """The first and last day of a part of the year."""
    first = date(year, (part - 1) * months_per_part() + 1, 1)
    last = periods.month_end(periods.add_months(first, months_per_part() - 1))
    return first, last


def part_due(year: int, part: int) -> date:
    """Day REPORT_DUE_DAY of the month after the part ends."""
    _first, last = part_span(year, part)
    return periods.due_date(periods.month_start(last))


def part_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // months_per_part() + 1


def previous_part(year: int, part: int) -> tuple[int, int]:
    return (year, part - 1) if part > 1 else (year - 1, parts_per_year())


def last_ended_part(today: date) -> tuple[int, int]:
    """The most recent part of the year that has ended by `today`."""
    return previous_part(*part_of(today))


def part_label(year: int, part: int) -> str:
    first, last = part_span(year, part)
    if parts_per_year() == 2:
        return str(_("Semester %(part)s %(year)s") % {"part": "I" if part == 1 else "II", "year": year})
    return str(_("%(first)s to %(last)s") % {"first": date_format(first, "F"), "last": date_format(last, "F Y")})


def ran_during(agreement: Agreement, year: int, part: int) -> bool:
    first, last = part_span(year, part)
    if agreement.start_date is None or agreement.start_date > last:
        return False
    return agreement.end_date is None or agreement.end_date >= first


# --- who may do what --------------------------------------------------------------------------------------


def can_file(user, agreement: Agreement) -> bool:
    """The lead OPD's PPKSD evaluate their agreements in implementation."""
    return is_ppksd_of(user, agreement.lead_opd_id) and agreement.stage in lifecycle.ACTIVE_STAGES


# --- writes ------------------------------------------------------------------------------------------------


@dataclass
class OpdEvaluationData:
    progress: str
    obstacles: str = ""
    follow_up: str = ""


CONTENT_FIELDS = ["progress", "obstacles", "follow_up"]


def check_part(agreement: Agreement, year: int, part: int, today: date) -> None:
    """Refuse a part the agreement does not owe: not a part, not ended, or outside its term."""
    if not 1 <= part <= parts_per_year():
        raise ServiceError(_("Choose a part of the year."))
    if (year, part) > last_ended_part(today):
        raise ServiceError(_("A part of the year is evaluated once it has ended."))
    if not ran_during(agreement, year, part):
        raise ServiceError(_("The agreement did not run during that part of the year."))


@transaction.atomic
def file_opd_evaluation(
    agreement: Agreement, *, actor, year: int, part: int, data: OpdEvaluationData, today: date | None = None
) -> OpdEvaluation:
    """File the lead OPD's evaluation of a part of the year; one per agreement and part."""
    if not can_file(actor, agreement):
        raise PermissionDenied
    check_part(agreement, year, part, today or timezone.localdate())
    evaluation = OpdEvaluation(
        agreement=agreement, year=year, part=part, submitted_by=actor, submitted_at=timezone.now(), **data.__dict__
    )
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise ServiceError(_("This part of the year has already been evaluated; open it to revise it.")) from None
    return evaluation


@transaction.atomic
def revise_opd_evaluation(
    evaluation: OpdEvaluation, *, actor, data: OpdEvaluationData, edition: Edition | None = None
) -> OpdEvaluation:
    """Revise an evaluation; one read before a colleague revised it is refused with StaleEdit."""
    locked = OpdEvaluation.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=evaluation.pk)
    if not can_file(actor, locked.agreement):
        raise PermissionDenied
    concurrency.check_edition(locked, edition, CONTENT_FIELDS)
    for name, value in data.__dict__.items():
        setattr(locked, name, value)
    locked.submitted_by, locked.submitted_at = actor, timezone.now()
    concurrency.save_edit(locked, [*CONTENT_FIELDS, "submitted_by", "submitted_at"])
    return locked


# --- reads -------------------------------------------------------------------------------------------------


@dataclass
class PartState:
    year: int
    part: int
    due: date
    evaluation: OpdEvaluation | None
    overdue: bool

    @property
    def label(self) -> str:
        return part_label(self.year, self.part)


def part_states(agreement: Agreement, today: date, *, limit: int = 6) -> list[PartState]:
    """The parts the agreement has had to evaluate, newest first, with their evaluation or state."""
    if agreement.start_date is None:
        return []
    evaluations = {(e.year, e.part): e for e in agreement.opd_evaluations.all()}
    states = []
    year, part = last_ended_part(today)
    while len(states) < limit and (year, part) >= part_of(agreement.start_date):
        if ran_during(agreement, year, part):
            evaluation = evaluations.get((year, part))
            due = part_due(year, part)
            states.append(PartState(year, part, due, evaluation, evaluation is None and today > due))
        year, part = previous_part(year, part)
    return states


def agreements_owing(year: int, part: int, queryset=None):
    """Agreements in implementation that ran during the part and have no evaluation of it."""
    first, last = part_span(year, part)
    done = OpdEvaluation.objects.filter(agreement=OuterRef("pk"), year=year, part=part)
    queryset = queryset if queryset is not None else Agreement.objects.all()
    return (
        queryset.filter(stage__in=lifecycle.ACTIVE_STAGES, start_date__lte=last)
        .exclude(end_date__lt=first)
        .exclude(Exists(done))
    )


def of_year(agreement: Agreement, year: int) -> list[OpdEvaluation]:
    """The OPD's evaluations of a year, each with its `label`, for the TKKSD's annual evaluation."""
    evaluations = list(agreement.opd_evaluations.filter(year=year).select_related("submitted_by").order_by("part"))
    for evaluation in evaluations:
        evaluation.label = part_label(evaluation.year, evaluation.part)
    return evaluations
