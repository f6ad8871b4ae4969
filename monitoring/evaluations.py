"""The TKKSD's annual evaluation (monev): write a draft, make it final, print its report.

The scale and the criteria are defined here once; the form, the page and the printed report
read them. A final evaluation is frozen: its printed values are copied into `snapshot` when it
is made final and its report is always rendered from that copy (conventions.md rule 15).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kerjasama import concurrency
from kerjasama.concurrency import Edition
from kerjasama.formatting import rupiah
from registry import lifecycle
from registry.models import Agreement, PemdaProfile, Stage, TkksdMember
from registry.official.pdf import pemda_letterhead, render_pdf
from registry.roles import Role, has_role

from .models import Evaluation, EvaluationStatus, Recommendation, Score
from .services import ServiceError, notify_users

TEMPLATE = "evaluation_report.html"


@dataclass(frozen=True)
class Criterion:
    field: str
    name: str
    description: str


CRITERIA = (
    Criterion("effectiveness", _("Effectiveness"), _("The agreed activities were carried out and met their targets.")),
    Criterion("efficiency", _("Efficiency"), _("Money, people and time spent are in proportion to the results.")),
    Criterion("benefit", _("Benefit"), _("The community and the Pemda feel the results of the cooperation.")),
    Criterion(
        "compliance",
        _("Compliance with the PKS"),
        _("Both parties fulfil the rights and obligations written in the PKS."),
    ),
)

# What each point of the scale means, for every criterion.
SCALE = {
    Score.VERY_GOOD: _("fully met (at least 90 per cent of the targets)"),
    Score.GOOD: _("mostly met (70 to 89 per cent)"),
    Score.FAIR: _("partly met (50 to 69 per cent)"),
    Score.POOR: _("little met (25 to 49 per cent)"),
    Score.VERY_POOR: _("hardly or not met (under 25 per cent)"),
}

# Evaluated: agreements in implementation, and those that ended (their last year).
EVALUABLE_STAGES = lifecycle.ACTIVE_STAGES | {Stage.BERAKHIR}


@dataclass
class EvaluationData:
    effectiveness: int
    efficiency: int
    benefit: int
    compliance: int
    strengths: str
    weaknesses: str
    opportunities: str
    threats: str
    recommendation: str
    conclusion: str


def can_evaluate(user) -> bool:
    return has_role(user, Role.TKKSD)


def _check(agreement: Agreement, year: int, data: EvaluationData, today: date) -> None:
    if agreement.stage not in EVALUABLE_STAGES:
        raise ServiceError(_("Only an agreement in implementation, or one that has ended, is evaluated."))
    if year > today.year or (agreement.start_date and year < agreement.start_date.year):
        raise ServiceError(_("Choose a year within the agreement's term, not after this one."))
    for criterion in CRITERIA:
        if getattr(data, criterion.field) not in Score.values:
            raise ServiceError(_("Every score is a whole number from 1 to 5."))
    if data.recommendation not in Recommendation.values:
        raise ServiceError(_("Choose a recommendation."))


def _apply(evaluation: Evaluation, data: EvaluationData) -> None:
    for name, value in data.__dict__.items():
        setattr(evaluation, name, value)


@transaction.atomic
def create_evaluation(
    agreement: Agreement, *, actor, year: int, data: EvaluationData, today: date | None = None
) -> Evaluation:
    """Start the evaluation of `agreement` for `year` as a draft; one per agreement and year."""
    if not can_evaluate(actor):
        raise PermissionDenied
    _check(agreement, year, data, today or timezone.localdate())
    evaluation = Evaluation(agreement=agreement, year=year, created_by=actor)
    _apply(evaluation, data)
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise ServiceError(_("This agreement already has an evaluation for that year.")) from None
    return evaluation


@transaction.atomic
def update_evaluation(
    evaluation: Evaluation, *, actor, data: EvaluationData, edition: Edition | None = None
) -> Evaluation:
    """Save an edit of a draft evaluation; one read before a colleague changed it is refused
    with StaleEdit."""
    if not can_evaluate(actor):
        raise PermissionDenied
    locked = Evaluation.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=evaluation.pk)
    if locked.is_final:
        raise ServiceError(_("A final evaluation can no longer be changed."))
    fields = list(data.__dict__)
    concurrency.check_edition(locked, edition, fields)
    _check(locked.agreement, locked.year, data, timezone.localdate())
    _apply(locked, data)
    concurrency.save_edit(locked, fields)
    return locked


@transaction.atomic
def finalise_evaluation(evaluation: Evaluation, *, actor, today: date | None = None) -> Evaluation:
    """Make the evaluation final: its printed values are frozen and the lead OPD's PPKSD are told
    the recommendation, which the agreement's page shows from then on."""
    if not can_evaluate(actor):
        raise PermissionDenied
    locked = (
        Evaluation.objects.select_for_update()
        .select_related("agreement", "agreement__lead_opd", "agreement__urusan")
        .get(pk=evaluation.pk)
    )
    if locked.is_final:
        raise ServiceError(_("This evaluation is already final."))
    locked.status = EvaluationStatus.FINAL
    locked.finalised_by, locked.finalised_at = actor, timezone.now()
    locked.snapshot = report_context(locked, today or timezone.localdate())
    locked.save(update_fields=["status", "finalised_by", "finalised_at", "snapshot", "updated_at"])
    from registry.selectors import ppksd_of

    agreement = locked.agreement
    # Notifications are written in the application's language, whatever the actor's.
    with translation.override(settings.LANGUAGE_CODE):
        title = str(
            _("Annual evaluation %(year)s of “%(title)s”: %(recommendation)s")
            % {"year": locked.year, "title": agreement.title, "recommendation": locked.get_recommendation_display()}
        )
    notify_users(ppksd_of(agreement.lead_opd), title=title, url=locked.get_absolute_url())
    return locked


# --- the printed report -------------------------------------------------------------------------------


def _letterhead():
    profile = PemdaProfile.current()
    if profile is None:
        raise ServiceError(_("Fill in the Pemda profile first: it is printed on every letterhead."))
    return profile, pemda_letterhead(profile, unit="Sekretariat Daerah")


def _member(team_role: str) -> TkksdMember | None:
    return TkksdMember.objects.filter(is_active=True, team_role=team_role).order_by("order", "pk").first()


def _signatures(profile) -> tuple[dict, dict]:
    secretary = _member(TkksdMember.TeamRole.SEKRETARIS)
    chair = _member(TkksdMember.TeamRole.KETUA)
    left = {
        "title": "Sekretaris TKKSD,",
        "position": secretary.position if secretary else "",
        "name": secretary.name if secretary else "……………………",
        "rank": "",
        "nip": secretary.nip if secretary else "",
    }
    right = {
        "title": "Ketua TKKSD,",
        "position": chair.position if chair else "Sekretaris Daerah",
        "name": chair.name if chair else profile.secretary_name,
        "rank": "",
        "nip": chair.nip if chair else profile.secretary_nip,
    }
    return left, right


def report_context(evaluation: Evaluation, today: date) -> dict:
    """Every printed value of the evaluation report, as plain JSON-ready values, in Indonesian
    whatever the language of the person printing it."""
    profile, letterhead = _letterhead()
    agreement = evaluation.agreement
    left, right = _signatures(profile)
    with translation.override("id"):
        partners = "; ".join(partner.name for partner in agreement.partners.order_by("name"))
        criteria = [
            {
                "name": str(criterion.name),
                "description": str(criterion.description),
                "score": getattr(evaluation, criterion.field),
                "label": str(Score(getattr(evaluation, criterion.field)).label),
            }
            for criterion in CRITERIA
        ]
        context = {
            "letterhead": dict(letterhead),
            "document_title": f"Laporan Evaluasi Kerja Sama Daerah Tahun {evaluation.year}: {agreement.title}",
            "year": evaluation.year,
            "place": letterhead["capital"],
            "date": today.isoformat(),
            "agreement": {
                "register_number": agreement.register_number,
                "title": agreement.title,
                "kind": str(agreement.get_kind_display()),
                "partners": partners,
                "lead_opd": agreement.lead_opd.name,
                "object": agreement.object,
                "own_number": agreement.own_number or "-",
                "partner_number": agreement.partner_number or "-",
                "start_date": agreement.start_date.isoformat() if agreement.start_date else "",
                "end_date": agreement.end_date.isoformat() if agreement.end_date else "",
                "value": rupiah(agreement.value) if agreement.value is not None else "-",
                "stage": str(agreement.get_stage_display()),
            },
            "criteria": criteria,
            "average": f"{evaluation.average:.2f}".replace(".", ","),
            "rating": str(evaluation.rating.label),
            "scale": [f"{score.value} = {score.label}: {SCALE[score]}" for score in Score],
            "swot": {
                "strengths": evaluation.strengths,
                "weaknesses": evaluation.weaknesses,
                "opportunities": evaluation.opportunities,
                "threats": evaluation.threats,
            },
            "recommendation": str(evaluation.get_recommendation_display()),
            "conclusion": evaluation.conclusion,
            "reports": _report_summary(agreement, evaluation.year),
            "left_signature": left,
            "right_signature": right,
        }
    return context


def _report_summary(agreement: Agreement, year: int) -> dict:
    """How the year's monthly reports went: filed, accepted and the last progress reported."""
    reports = list(agreement.implementation_reports.filter(period__year=year).order_by("period"))
    accepted = [report for report in reports if report.status == "accepted"]
    return {
        "filed": len(reports),
        "accepted": len(accepted),
        "last_progress": accepted[-1].progress if accepted else None,
    }


def report_pdf(evaluation: Evaluation) -> bytes:
    """The evaluation report: from its frozen snapshot once final, else a "DRAF" of today's values."""
    if evaluation.is_final:
        return render_pdf(TEMPLATE, evaluation.snapshot, paper="A4")
    return render_pdf(TEMPLATE, report_context(evaluation, timezone.localdate()), paper="A4", draft=True)


def report_filename(evaluation: Evaluation) -> str:
    return f"evaluasi-{evaluation.agreement.register_number}-{evaluation.year}.pdf"
