"""The programme: the Keputusan Bupati on the Rencana Program dan Kegiatan Kerja Sama Daerah.

The TKKSD drafts it from the cycle's prioritised proposals; Pimpinan issues it through the official
documents; the `document_issued` receiver then files each proposal as an agreement. The rule of the
issue lives here: the SK only includes proposals prioritised in an issued Berita Acara of the same
cycle, checked when drafting and again inside the issuing transaction.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from registry import lifecycle, official
from registry import services as registry_services
from registry.models import IN_FORCE, Agreement, DocumentKind, Kind, KsddNature, OfficialDocument, Stage

from . import documents, rules
from .models import Cycle, Plenary, Proposal, ProposalStatus
from .services import ServiceError, pemda_profile, set_status

DECREE_SERIES = "keputusan-bupati"


def programme_candidates(cycle: Cycle):
    """The proposals the SK may include: prioritised in an issued Berita Acara of the same cycle."""
    closed_here = Plenary.objects.filter(cycle=cycle, status=Plenary.Status.CLOSED).values("minutes_id")
    return (
        Proposal.objects.filter(
            cycle=cycle,
            status=ProposalStatus.PRIORITISED,
            minutes__status__in=IN_FORCE,
            minutes_id__in=closed_here,
        )
        .select_related("opd", "urusan", "minutes")
        .prefetch_related("partners")
        .order_by("minutes__issue_date", "rank", "pk")
    )


def _check_eligible(cycle: Cycle, proposals) -> list[Proposal]:
    eligible = {proposal.pk: proposal for proposal in programme_candidates(cycle)}
    chosen = []
    for proposal in proposals:
        if proposal.pk not in eligible:
            raise ServiceError(
                format_lazy(
                    _(
                        "The SK can only include proposals prioritised in an issued Berita Acara of the same cycle; "
                        "“{title}” is not."
                    ),
                    title=proposal.title,
                )
            )
        chosen.append(eligible[proposal.pk])
    chosen.sort(key=lambda p: (p.minutes.issue_date, p.rank, p.pk))
    return chosen


@transaction.atomic
def draft_programme(cycle: Cycle, *, actor, proposals=None) -> OfficialDocument:
    """Draft (or redraft) the Keputusan Bupati on the cycle's Rencana Program dan Kegiatan KSD.

    `proposals` defaults to every eligible one. Pimpinan issues the draft; issuing turns each
    included proposal into an agreement (`adopt_programme`).
    """
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not rules.is_tkksd(actor):
        raise PermissionDenied
    if not cycle.is_open:
        raise ServiceError(_("The programme of %(year)s has already been fixed.") % {"year": cycle.year})
    chosen = list(programme_candidates(cycle)) if proposals is None else _check_eligible(cycle, proposals)
    if not chosen:
        raise ServiceError(_("No proposal of this cycle has been prioritised in an issued Berita Acara yet."))
    profile = pemda_profile()
    minutes_numbers = {p.minutes_id: p.minutes.number for p in chosen}
    data = documents.programme_data(
        cycle,
        proposals=chosen,
        minutes_numbers=minutes_numbers,
        regency_short=profile.regency.short_name,
        province=profile.regency.province.name,
    )
    title = f"Rencana Program dan Kegiatan Kerja Sama Daerah Tahun {cycle.year}"
    if cycle.decree_id:
        decree = official.update_draft(cycle.decree, actor=actor, title=title, data=data, paper="F4")
    else:
        decree = official.create_draft(
            actor=actor,
            kind=DocumentKind.KEPUTUSAN,
            series=official.series_for(DECREE_SERIES),
            title=title,
            data=data,
            paper="F4",
        )
        cycle.decree = decree
    cycle.programme_drafted_by = actor
    cycle.save(update_fields=["decree", "programme_drafted_by"])
    Proposal.objects.filter(decree=decree).exclude(pk__in=[p.pk for p in chosen]).update(decree=None)
    Proposal.objects.filter(pk__in=[p.pk for p in chosen]).update(decree=decree)
    return decree


def issue_programme(cycle: Cycle, *, actor, issue_date: dt.date | None = None, number: str = "") -> OfficialDocument:
    """Pimpinan issues the drafted programme decree; the agreements are created as it is issued.
    `number` is the number from the Bagian Hukum's register when the series is kept there."""
    if cycle.decree_id is None:
        raise ServiceError(_("Draft the programme decree first."))
    return official.issue_document(cycle.decree, actor=actor, issue_date=issue_date, number=number)


def _filer(actor, cycle: Cycle, opd_id):
    """Who files the agreements: the issuer when they may file for the OPD, else the TKKSD officer who
    last drafted the SK."""
    if registry_services.can_file_for(actor, opd_id):
        return actor
    return cycle.programme_drafted_by


@transaction.atomic
def adopt_programme(cycle: Cycle, *, document: OfficialDocument, actor) -> list[Agreement]:
    """The programme decree has been issued: file each included proposal as an agreement at its kind's
    first stage, linked back to the proposal, its Berita Acara and the SK, and close the cycle.

    Runs inside the issuing transaction (the `document_issued` receiver); raising here rolls the
    issue back, so a decree never stands without its agreements.
    """
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_open:
        raise ServiceError(_("The programme of %(year)s has already been fixed.") % {"year": cycle.year})
    included = list(Proposal.objects.filter(decree=document).order_by("pk"))
    if not included:
        raise ServiceError(_("The programme decree includes no proposal."))
    chosen = _check_eligible(cycle, included)
    agreements = []
    for proposal in chosen:
        proposal = Proposal.objects.select_for_update(of=("self",)).select_related("minutes").get(pk=proposal.pk)
        if proposal.agreement_id:
            raise ServiceError(format_lazy(_("“{title}” is already an agreement."), title=proposal.title))
        agreement = Agreement(
            kind=proposal.kind,
            title=proposal.title,
            object=proposal.object,
            objectives=proposal.benefit,
            urusan_id=proposal.urusan_id,
            ksdd_nature=proposal.ksdd_nature or (KsddNature.SUKARELA if proposal.kind == Kind.KSDD else ""),
            ksdpk_type=proposal.ksdpk_type if proposal.kind == Kind.KSDPK else "",
            form=proposal.form,
            model=proposal.model,
            lead_opd_id=proposal.opd_id,
            value=proposal.cost_estimate,
            funding_source=proposal.funding_source,
            burdens_community=proposal.burdens_community,
            not_yet_budgeted=proposal.not_yet_budgeted,
            burden_justification=proposal.burden_justification,
            duration_months=proposal.duration_months,
            rpjmd_reference=proposal.rpjmd_reference,
            plan_exception=proposal.plan_exception,
            plan_exception_basis=proposal.plan_exception_basis,
        )
        note = format_lazy(
            _("From proposal {number} (Berita Acara {minutes}; SK {decree})."),
            number=proposal.number,
            minutes=proposal.minutes.number,
            decree=document.number,
        )
        try:
            registry_services.create_agreement(
                agreement,
                actor=_filer(actor, cycle, proposal.opd_id),
                partners=list(proposal.partners.all()),
                note=str(note),
            )
        except registry_services.ServiceError as error:
            raise ServiceError(
                format_lazy(_("“{title}”: {error}"), title=proposal.title, error=error.message)
            ) from error
        except PermissionDenied:
            raise ServiceError(
                _("The TKKSD officer who drafted the SK can no longer file agreements; redraft it.")
            ) from None
        proposal.agreement = agreement
        filed = format_lazy(_("Filed as agreement {number}."), number=agreement.register_number)
        set_status(proposal, ProposalStatus.ADOPTED, actor=actor, note=filed, document=document, fields=["agreement"])
        agreements.append(agreement)
    cycle.status, cycle.closed_at = Cycle.Status.CLOSED, timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    return agreements


@transaction.atomic
def revoke_programme(cycle: Cycle, *, document: OfficialDocument, actor, reason: str) -> list[Agreement]:
    """The programme decree is being voided: undo what it did, or refuse.

    When none of its agreements has moved beyond its first stage, each is withdrawn (stage
    "dibatalkan", the void as its reason, through the lifecycle), its proposal is prioritised
    again and the cycle reopens for a new programme decree. When any has moved on, the void is
    refused with the list: a correcting decree is the way. Runs inside the voiding transaction
    (the `document_voided` receiver); raising rolls the void back.
    """
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    proposals = list(
        Proposal.objects.select_for_update(of=("self",)).select_related("agreement").filter(decree=document)
    )
    agreements = [proposal.agreement for proposal in proposals if proposal.agreement_id]
    moved = [
        agreement
        for agreement in agreements
        if agreement.stage != lifecycle.first_stage(agreement.kind, agreement.relation)
        or agreement.transitions.count() > 1
    ]
    if moved:
        raise ServiceError(
            format_lazy(
                _(
                    "This decree cannot be voided: these agreements it created have moved on: {agreements}. Issue "
                    "a correcting decree instead."
                ),
                agreements="; ".join(f"{a.register_number} “{a.title}” ({a.get_stage_display()})" for a in moved),
            )
        )
    note = str(format_lazy(_("SK {number} voided: {reason}"), number=document.number, reason=" ".join(reason.split())))
    for agreement in agreements:
        lifecycle.advance(
            agreement,
            Stage.DIBATALKAN,
            actor=actor,
            note=note,
            expected_stage=agreement.stage,
            voided_decree=document,
        )
    for proposal in proposals:
        proposal.decree, proposal.agreement = None, None
        set_status(
            proposal,
            ProposalStatus.PRIORITISED,
            actor=actor,
            note=note,
            document=document,
            fields=["decree", "agreement"],
        )
    cycle.status, cycle.decree, cycle.closed_at = Cycle.Status.OPEN, None, None
    cycle.save(update_fields=["status", "decree", "closed_at"])
    return agreements
