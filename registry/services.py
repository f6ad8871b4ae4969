"""Operations that write to the registry. Views, imports and tasks call these; they check
permissions that depend on the object and raise PermissionDenied or ServiceError."""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kerjasama import concurrency
from kerjasama.concurrency import Edition

from . import attention, lifecycle, numbers, terms
from .clauses import CLAUSES_BY_CODE
from .errors import ServiceError
from .models import (
    Agreement,
    AgreementDocument,
    AgreementPartner,
    Counter,
    DocumentType,
    DprdApproval,
    EndReason,
    Kind,
    Partner,
    PartnerKind,
    PemdaProfile,
    Relation,
    Stage,
    Transition,
    partner_name_key,
)
from .roles import Role, has_role, is_ppksd_of
from .search import search_text

REGISTER_SERIES = "agreement-register"


def _register_number(year: int) -> str:
    return f"KS-{year}-{Counter.allocate(REGISTER_SERIES, year):05d}"


def can_edit_agreement(user, agreement: Agreement) -> bool:
    """TKKSD and Admin edit any agreement; a PPKSD their own OPD's while it is being prepared."""
    if has_role(user, Role.TKKSD, Role.ADMIN):
        return True
    return is_ppksd_of(user, agreement.lead_opd_id) and agreement.stage not in (
        lifecycle.ACTIVE_STAGES | lifecycle.CLOSED_STAGES
    )


def can_file_for(user, lead_opd_id) -> bool:
    if has_role(user, Role.TKKSD, Role.ADMIN):
        return True
    return is_ppksd_of(user, lead_opd_id)


# How the list joins an agreement's partners' names.
PARTNER_SEPARATOR = " · "


def refresh_derived_text(agreement: Agreement) -> None:
    """Recompute what is kept from an agreement's text and partners: its search text and the
    partners' names the list prints. Every change to either goes through here."""
    names = list(agreement.partners.order_by("name", "pk").values_list("name", flat=True))
    agreement.search_document = search_text(agreement, names)
    agreement.partner_names = PARTNER_SEPARATOR.join(names)
    Agreement.objects.filter(pk=agreement.pk).update(
        search_document=agreement.search_document, partner_names=agreement.partner_names
    )


def refresh_partner_agreements(partner: Partner) -> None:
    """A partner's name changed: refresh the text of every agreement it takes part in."""
    for agreement in Agreement.objects.filter(partners=partner):
        refresh_derived_text(agreement)


def _set_partners(agreement: Agreement, partners) -> None:
    wanted = {partner.pk for partner in partners}
    AgreementPartner.objects.filter(agreement=agreement).exclude(partner_id__in=wanted).delete()
    existing = set(AgreementPartner.objects.filter(agreement=agreement).values_list("partner_id", flat=True))
    AgreementPartner.objects.bulk_create(
        [AgreementPartner(agreement=agreement, partner_id=pk) for pk in wanted - existing]
    )


@transaction.atomic
def create_agreement(
    agreement: Agreement, *, actor, partners, other_opds=(), stage: str | None = None, note: str = ""
) -> Agreement:
    """File a new agreement (an unsaved instance with its fields set) at its first stage.

    `stage` starts a legacy agreement where it stands (PP 28/2018 Pasal 48); only TKKSD and
    Admin may do that. Raises PermissionDenied when the actor may not file for the lead OPD.
    """
    if not can_file_for(actor, agreement.lead_opd_id):
        raise PermissionDenied
    if stage and not has_role(actor, Role.TKKSD, Role.ADMIN):
        raise PermissionDenied
    if not partners:
        raise ServiceError(_("Choose at least one partner."))
    agreement.register_number = _register_number(timezone.localdate().year)
    agreement.created_by = actor
    lifecycle.start(agreement, actor=actor, stage=stage, note=note)
    _set_partners(agreement, partners)
    agreement.other_opds.set(other_opds)
    refresh_derived_text(agreement)
    terms.refresh_term(agreement)
    if agreement.long_term_reason.strip():
        _record_long_term(agreement, actor=actor)
    return agreement


@transaction.atomic
def update_agreement(
    agreement: Agreement, *, actor, changes: dict, partners, other_opds=(), edition: Edition | None = None
) -> Agreement:
    """Save an edit of the agreement's details: `changes` maps the edit form's fields to their
    new values; the stage, its dates and reasons, the PKS contents and the numbers are not
    among them and are never written here.

    The row is locked; an edit read from an older version whose fields changed meanwhile is
    refused with StaleEdit (kerjasama/concurrency.py). Raises PermissionDenied, ServiceError.
    """
    if not partners:
        raise ServiceError(_("Choose at least one partner."))
    unknown = set(changes) - AGREEMENT_EDIT_FIELDS
    if unknown:
        raise ValueError(f"Not fields of the agreement form: {sorted(unknown)}")

    def check(locked: Agreement) -> None:
        if not can_edit_agreement(actor, locked):
            if is_ppksd_of(actor, locked.lead_opd_id):
                raise ServiceError(_("This agreement has moved on; its details are now kept by the TKKSD."))
            raise PermissionDenied

    before = Agreement.objects.values_list("long_term_reason", flat=True).get(pk=agreement.pk)

    def validate(locked: Agreement) -> None:
        problems = burden_problems(
            locked, burdens_community=locked.burdens_community, not_yet_budgeted=locked.not_yet_budgeted
        )
        if problems:
            raise ServiceError(next(iter(problems.values())))

    locked = concurrency.edit(
        Agreement,
        agreement.pk,
        changes,
        edition=edition,
        actor=actor,
        compared=[*changes, "partners", "other_opds"],
        check=check,
        validate=validate,
    )
    _set_partners(locked, partners)
    locked.other_opds.set(other_opds)
    refresh_derived_text(locked)
    terms.refresh_term(locked)
    if "long_term_reason" in changes and locked.long_term_reason.strip() and locked.long_term_reason != before:
        _record_long_term(locked, actor=actor)
    return locked


def _record_long_term(agreement: Agreement, *, actor) -> None:
    """The reason for a term beyond the usual limit goes on the timeline (domain.md §7)."""
    add_timeline_note(
        agreement,
        actor=actor,
        note=str(
            _("Term of %(months)s months, beyond the usual %(limit)s, confirmed: %(reason)s")
            % {
                "months": agreement.term_months,
                "limit": terms.limit_label(),
                "reason": " ".join(agreement.long_term_reason.split()),
            }
        ),
    )


@dataclass
class LegacyAgreement:
    """An agreement found in an existing register: its fields, partners, where it stands and
    the note for the first line of its timeline."""

    agreement: Agreement
    partners: list[Partner]
    stage: str
    note: str = ""


@transaction.atomic
def import_legacy_agreements(items: list[LegacyAgreement], *, actor) -> list[Agreement]:
    """File agreements of an existing register in bulk, each where it stands (PP 28/2018
    Pasal 48), with register numbers, partners, the derived texts, a history record and the
    first line of the timeline. The caller (registry/imports/) has checked every value and the
    actor's right to import (TKKSD, Admin or the command line)."""
    if not items:
        return []
    year = timezone.localdate().year
    first = Counter.allocate_block(REGISTER_SERIES, year, len(items))
    agreements = []
    for offset, item in enumerate(items):
        agreement = item.agreement
        names = sorted(partner.name for partner in item.partners)
        agreement.register_number = f"KS-{year}-{first + offset:05d}"
        agreement.created_by = actor
        agreement.term_months = terms.term_months(
            start=agreement.start_date, end=agreement.end_date, duration_months=agreement.duration_months
        )
        agreement.search_document = search_text(agreement, names)
        agreement.partner_names = PARTNER_SEPARATOR.join(names)
        agreements.append(agreement)
    lifecycle.bulk_start(
        agreements, actor=actor, stages=[item.stage for item in items], notes=[item.note for item in items]
    )
    AgreementPartner.objects.bulk_create(
        [
            AgreementPartner(agreement=item.agreement, partner=partner)
            for item in items
            for partner in {partner.pk: partner for partner in item.partners}.values()
        ]
    )
    Agreement.history.bulk_history_create(agreements, default_user=actor)
    for agreement in agreements:
        # The numbers an imported register records belong to its agreements from now on.
        year = numbers_year(agreement)
        for number in (agreement.own_number, agreement.partner_number):
            if number.strip():
                numbers.register(number, year, agreement=agreement)
    return agreements


def numbers_year(agreement: Agreement) -> int:
    """The year an agreement's own and partner numbers are registered under (registry/numbers.py)."""
    day = agreement.start_date or timezone.localdate()
    return day.year


def add_timeline_note(agreement: Agreement, *, actor, note: str) -> Transition:
    """A line on the agreement's timeline that records an event without moving it (an import
    updating it): from and to its current stage."""
    return Transition.objects.create(
        agreement=agreement,
        from_stage=agreement.stage,
        to_stage=agreement.stage,
        actor=actor,
        at=timezone.now(),
        note=note,
    )


@transaction.atomic
def register_partners(partners: list[Partner], *, actor) -> list[Partner]:
    """Register new partners found by an import, each named like save_partner names it; a
    partner registered meanwhile under the same name or region is taken instead."""
    registered = []
    for partner in partners:
        _name_region(partner)
        existing = duplicate_partner(partner)
        if existing is not None:
            registered.append(existing)
            continue
        partner._history_user = actor
        try:
            _save_unique(partner, partner.save)
        except ServiceError:
            partner = duplicate_partner(partner) or partner
        registered.append(partner)
    return registered


# What the agreement form may write; everything else has its own service (lifecycle.advance for
# the stage, set_pks_contents for the PKS contents, documents for the numbers).
AGREEMENT_EDIT_FIELDS = frozenset(
    {
        "ksdd_nature",
        "ksdpk_type",
        "title",
        "object",
        "scope",
        "background",
        "purpose",
        "objectives",
        "urusan",
        "form",
        "model",
        "lead_opd",
        "value",
        "funding_source",
        "burdens_community",
        "not_yet_budgeted",
        "burden_justification",
        "start_date",
        "duration_months",
        "end_date",
        "rpjmd_reference",
        "plan_exception",
        "plan_exception_basis",
        "long_term_reason",
        "own_signatory",
        "partner_signatory",
    }
)


# Follow-ups and the stages their parent must have reached.
_FOLLOW_UP_NEEDS = {
    Relation.PKS_OF_KB: _("A further PKS follows a signed Kesepakatan Bersama."),
    Relation.ADDENDUM: _("An addendum amends a signed agreement."),
    Relation.EXTENSION: _("An extension follows a signed agreement."),
    Relation.RENEWAL: _("A renewal follows a signed agreement."),
}
_SIGNED_OR_ENDED = lifecycle.ACTIVE_STAGES | {Stage.BERAKHIR}


def follow_up_problem(parent: Agreement, relation: str):
    """Why `parent` cannot be followed up this way now, or None: a further PKS follows a signed KB
    whose DPRD approval, where required, has been given (PP 28/2018 Pasal 6(1)); an addendum
    amends a signed PKS that is running; an extension or renewal follows a signed agreement."""
    if relation == Relation.PKS_OF_KB:
        if parent.kind not in (Kind.KSDD, Kind.KSDPK):
            return _FOLLOW_UP_NEEDS[relation]
        stages = lifecycle.stages_of(parent.kind)
        signed_kb = stages[stages.index(Stage.PENANDATANGANAN_KB) + 1 :]
        if parent.stage not in signed_kb or parent.stage == Stage.BERAKHIR:
            return _FOLLOW_UP_NEEDS[relation]
        if parent.dprd_required and not lifecycle.dprd_approval_given(parent):
            return _(
                "The DPRD has not approved this Kesepakatan Bersama yet: a PKS is drafted only after its approval "
                "(PP 28/2018 Pasal 6(1))."
            )
        return None
    if relation == Relation.ADDENDUM:
        return None if parent.stage in lifecycle.ACTIVE_STAGES else _FOLLOW_UP_NEEDS[relation]
    if relation in (Relation.EXTENSION, Relation.RENEWAL):
        return None if parent.stage in _SIGNED_OR_ENDED else _FOLLOW_UP_NEEDS[relation]
    return _("Unknown kind of follow-up.")


def follow_up_choices(parent: Agreement) -> list[tuple[str, str]]:
    """The follow-ups `parent` can have now, for the form on its page (none at "Persiapan")."""
    return [(value, label) for value, label in Relation.choices if follow_up_problem(parent, value) is None]


def burden_floor(agreement: Agreement) -> tuple[bool, bool]:
    """The burden flags a follow-up cannot drop below: its parent's. A burden found on the
    agreement it follows is never silently cleared (editable only upward)."""
    parent = agreement.parent
    if parent is None:
        return (False, False)
    return (parent.burdens_community, parent.not_yet_budgeted)


def burden_problems(agreement: Agreement, *, burdens_community: bool, not_yet_budgeted: bool) -> dict[str, str]:
    """Field -> message for each burden flag cleared below the agreement it follows."""
    floor_community, floor_budget = burden_floor(agreement)
    problems = {}
    message = _("The agreement this follows (%(number)s) has this burden; a follow-up keeps it.")
    if floor_community and not burdens_community:
        problems["burdens_community"] = message % {"number": agreement.parent.register_number}
    if floor_budget and not not_yet_budgeted:
        problems["not_yet_budgeted"] = message % {"number": agreement.parent.register_number}
    return problems


@transaction.atomic
def create_follow_up(parent: Agreement, *, actor, relation: str, title: str) -> Agreement:
    """Start a follow-up of `parent` (a further PKS, an addendum, an extension, a renewal).

    It copies the parent's substance and partners and links back to it, keeping the chain
    KB → PKS → addendum visible. An extension or renewal goes through the whole procedure
    again (practice, Kota Yogyakarta); a PKS or an addendum starts at drafting the PKS.
    """
    if relation not in Relation.values:
        raise ServiceError(_("Unknown kind of follow-up."))
    if not can_file_for(actor, parent.lead_opd_id):
        raise PermissionDenied
    parent = Agreement.objects.select_for_update().get(pk=parent.pk)
    if problem := follow_up_problem(parent, relation):
        raise ServiceError(problem)
    child = Agreement(
        kind=parent.kind,
        title=title or parent.title,
        object=parent.object,
        scope=parent.scope,
        urusan_id=parent.urusan_id,
        ksdd_nature=parent.ksdd_nature,
        ksdpk_type=parent.ksdpk_type,
        form=parent.form,
        model=parent.model,
        lead_opd_id=parent.lead_opd_id,
        value=parent.value,
        funding_source=parent.funding_source,
        # The burden found on the parent stays with its follow-ups (PP 28/2018 Pasal 6(2)).
        burdens_community=parent.burdens_community,
        not_yet_budgeted=parent.not_yet_budgeted,
        burden_justification=parent.burden_justification,
        parent=parent,
        relation=relation,
    )
    return create_agreement(
        child,
        actor=actor,
        partners=list(parent.partners.all()),
        other_opds=list(parent.other_opds.all()),
        note=str(Relation(relation).label),
    )


def chain_of(agreement: Agreement) -> list[Agreement]:
    """The agreement's ancestors, oldest first, then the agreement itself."""
    chain = [agreement]
    seen = {agreement.pk}
    current = agreement
    while current.parent_id and current.parent_id not in seen:
        current = Agreement.objects.select_related("parent").get(pk=current.parent_id)
        seen.add(current.pk)
        chain.insert(0, current)
    return chain


@dataclass
class DocumentUpload:
    doc_type: str
    file: object
    is_signed: bool = False
    number: str = ""
    partner_number: str = ""
    date: datetime.date | None = None
    has_paraf: bool = False
    has_materai: bool = False
    has_stempel: bool = False
    note: str = ""


@transaction.atomic
def upload_document(agreement: Agreement, *, actor, upload: DocumentUpload) -> AgreementDocument:
    """File a document as the next version of its type; earlier versions stay.

    The file must already be validated (registry.validators.validate_pdf_upload). Its
    SHA-256 is stored. A signed KB, PKS, NK or naskah carrying both numbers copies them onto
    the agreement, since those are the agreement's numbers.
    """
    if not can_upload(actor, agreement):
        raise PermissionDenied
    return _store_document(agreement, actor=actor, upload=upload)


def _store_document(agreement: Agreement, *, actor, upload: DocumentUpload) -> AgreementDocument:
    # Lock the agreement so that two uploads of the same type get different versions.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    carries_numbers = upload.is_signed and upload.doc_type in _AGREEMENT_TEXTS
    if carries_numbers:
        # Both parties' numbers are registered to the agreement before the file is stored; a
        # number another document already carries is refused (registry/numbers.py).
        year = (upload.date or timezone.localdate()).year
        for number in (upload.number, upload.partner_number):
            if number.strip():
                numbers.register(number, year, agreement=agreement)
    digest = hashlib.sha256()
    for chunk in upload.file.chunks():
        digest.update(chunk)
    upload.file.seek(0)
    latest = agreement.documents.filter(doc_type=upload.doc_type).aggregate(v=Max("version"))["v"] or 0
    document = AgreementDocument(
        agreement=agreement,
        doc_type=upload.doc_type,
        version=latest + 1,
        is_signed=upload.is_signed,
        number=upload.number,
        partner_number=upload.partner_number,
        date=upload.date,
        original_name=(getattr(upload.file, "name", "") or "dokumen.pdf")[-255:],
        size=upload.file.size,
        sha256=digest.hexdigest(),
        has_paraf=upload.has_paraf,
        has_materai=upload.has_materai,
        has_stempel=upload.has_stempel,
        note=upload.note,
        uploaded_by=actor,
    )
    document.file.save("upload.pdf", upload.file, save=False)
    document._history_user = actor
    document.save()
    if upload.doc_type == DocumentType.KB and upload.is_signed:
        attention.refresh_kb_signed_on(Agreement.objects.filter(pk=agreement.pk), touch=True)
    if carries_numbers and (upload.number or upload.partner_number):
        agreement.own_number = upload.number or agreement.own_number
        agreement.partner_number = upload.partner_number or agreement.partner_number
        agreement._history_user = actor
        agreement.save(update_fields=["own_number", "partner_number", "updated_at"])
        refresh_derived_text(agreement)
    return document


_AGREEMENT_TEXTS = {"kb", "pks", "nk_rk", "naskah", "addendum"}


def can_upload(user, agreement: Agreement) -> bool:
    if has_role(user, Role.TKKSD, Role.ADMIN):
        return agreement.stage not in (Stage.DITOLAK, Stage.DIBATALKAN)
    return is_ppksd_of(user, agreement.lead_opd_id) and agreement.stage not in lifecycle.CLOSED_STAGES


@transaction.atomic
def set_pks_contents(
    agreement: Agreement, *, actor, clauses: list[str], legal_analysis: str, edition: Edition | None = None
) -> Agreement:
    """Record which mandatory PKS contents are present and the legal analysis note; refuses
    with StaleEdit an edit read before someone else changed them."""
    unknown = set(clauses) - set(CLAUSES_BY_CODE)
    if unknown:
        raise ServiceError(_("Unknown clause."))

    def check(locked: Agreement) -> None:
        if not can_edit_agreement(actor, locked):
            raise PermissionDenied

    locked = concurrency.edit(
        Agreement,
        agreement.pk,
        {"pks_clauses": sorted(set(clauses)), "legal_analysis": legal_analysis},
        edition=edition,
        actor=actor,
        check=check,
    )
    agreement.pks_clauses, agreement.legal_analysis, agreement.version = (
        locked.pks_clauses,
        locked.legal_analysis,
        locked.version,
    )
    return locked


def can_request_dprd(user, agreement: Agreement) -> bool:
    """TKKSD and Admin ask the DPRD to approve an agreement waiting at the DPRD stage."""
    return (
        has_role(user, Role.TKKSD, Role.ADMIN) and agreement.stage == Stage.PERSETUJUAN_DPRD and agreement.dprd_required
    )


@transaction.atomic
def open_dprd_request(
    agreement: Agreement,
    *,
    actor,
    request_letter=None,
    request_number: str = "",
    received_on: datetime.date | None = None,
) -> DprdApproval:
    """Open the one request of an agreement waiting at the DPRD stage.

    With `received_on` the DPRD has the letter and the legal clock runs from that day (the
    deadline is stored, registry.dprd.deadline_for); without it the request waits for its
    letter (`request_letter`, an official draft) to be issued. Raises PermissionDenied or
    ServiceError.
    """
    if not has_role(actor, Role.TKKSD, Role.ADMIN):
        raise PermissionDenied
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.stage != Stage.PERSETUJUAN_DPRD:
        raise ServiceError(_("A DPRD approval can only be requested at the DPRD approval stage."))
    if not agreement.dprd_required:
        raise ServiceError(_("This agreement does not need DPRD approval."))
    if request_number.strip():
        # A letter sent outside the app still takes its number from the Pemda's register.
        numbers.register(request_number, (received_on or timezone.localdate()).year, agreement=agreement)
    due_on = None
    if received_on is not None:
        if received_on > timezone.localdate():
            raise ServiceError(_("The DPRD cannot have received the request in the future."))
        # registry.dprd builds on this module; the deadline is computed there and only there.
        from .dprd import deadline_for

        due_on = deadline_for(received_on)
    try:
        with transaction.atomic():
            return DprdApproval.objects.create(
                agreement=agreement,
                request_letter=request_letter,
                request_number=request_number,
                sent_on=received_on,
                received_on=received_on,
                due_on=due_on,
            )
    except IntegrityError:
        raise ServiceError(_("A request is already waiting for the DPRD's answer.")) from None


def request_dprd_approval(
    agreement: Agreement, *, actor, request_number: str, received_on: datetime.date
) -> DprdApproval:
    """Record a request letter sent outside the app that reached the DPRD on `received_on`;
    the legal clock starts that day."""
    return open_dprd_request(agreement, actor=actor, request_number=request_number, received_on=received_on)


_DPRD_ANSWERS = (
    DprdApproval.Decision.APPROVED,
    DprdApproval.Decision.APPROVED_WITH_NOTES,
    DprdApproval.Decision.REJECTED,
)


@transaction.atomic
def record_dprd_decision(
    approval: DprdApproval,
    *,
    actor,
    decision: str,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    letter: AgreementDocument | None = None,
    letter_file=None,
    reasons: str = "",
) -> DprdApproval:
    """Record the DPRD's answer and move the agreement on (approved) or back (rejected).

    `letter_file`, a validated PDF of the DPRD's decision letter, is filed on the agreement in
    the same transaction. Raises PermissionDenied or ServiceError; nothing is saved then.
    """
    if not has_role(actor, Role.TKKSD, Role.ADMIN, Role.DPRD):
        raise PermissionDenied
    approval = DprdApproval.objects.select_for_update().select_related("agreement").get(pk=approval.pk)
    if approval.decision != DprdApproval.Decision.PENDING:
        raise ServiceError(_("The DPRD has already decided on this request."))
    if approval.received_on is None:
        raise ServiceError(_("The DPRD's receipt of the request letter has not been recorded yet."))
    if decision not in _DPRD_ANSWERS:
        raise ServiceError(_("Choose the DPRD's decision."))
    if decision == DprdApproval.Decision.REJECTED and not reasons.strip():
        raise ServiceError(_("Write the DPRD's reasons for the rejection."))
    if decision == DprdApproval.Decision.APPROVED_WITH_NOTES and not reasons.strip():
        raise ServiceError(_("Write the DPRD's notes on the approval."))
    if decision_date is not None and decision_date < approval.received_on:
        raise ServiceError(_("The decision cannot be dated before the DPRD received the request."))
    if decision_date is not None and decision_date > timezone.localdate():
        raise ServiceError(_("The decision cannot be dated in the future."))
    if letter_file is not None:
        letter = _store_document(
            approval.agreement,
            actor=actor,
            upload=DocumentUpload(
                doc_type="keputusan_dprd",
                file=letter_file,
                is_signed=True,
                number=decision_number,
                date=decision_date,
            ),
        )
    approval.decision = decision
    approval.decision_number = decision_number
    approval.decision_date = decision_date
    from .dprd import answer_workdays

    approval.answer_workdays = answer_workdays(approval.received_on, decision_date)
    approval.decision_letter = letter
    approval.reasons = reasons
    approval.decided_by = actor
    approval._history_user = actor
    approval.save(
        update_fields=[
            "decision",
            "decision_number",
            "decision_date",
            "answer_workdays",
            "decision_letter",
            "reasons",
            "decided_by",
            "updated_at",
        ]
    )
    note = f"{approval.get_decision_display()}. {reasons}".strip()
    move_after_dprd_answer(approval, actor=actor, note=note, letter=letter, effective_date=decision_date)
    return approval


def move_after_dprd_answer(
    approval: DprdApproval,
    *,
    actor,
    note: str,
    letter: AgreementDocument | None = None,
    effective_date: datetime.date | None = None,
) -> None:
    """After the DPRD's answer the agreement moves on (approved) or back to be revised (rejected),
    through the lifecycle, dated with the answer. Raises ServiceError when the move is refused."""
    agreement = approval.agreement
    if agreement.stage != Stage.PERSETUJUAN_DPRD:
        raise ServiceError(_("The agreement is no longer waiting for DPRD approval."))
    if approval.approves:
        stages = lifecycle.stages_of(agreement.kind)
        target = stages[stages.index(Stage.PERSETUJUAN_DPRD) + 1]
    else:
        target = lifecycle.DPRD_REJECTION_TARGET[agreement.kind]
    try:
        lifecycle.advance(
            agreement,
            target,
            actor=_lifecycle_actor(actor),
            note=note,
            document=letter,
            expected_stage=Stage.PERSETUJUAN_DPRD,
            effective_date=effective_date,
        )
    except lifecycle.TransitionError as error:
        raise ServiceError(error.message) from error


def _lifecycle_actor(actor):
    # A DPRD member records the DPRD's decision but does not move agreements themselves:
    # the move is the consequence of the decision, taken by the system.
    if actor is None:
        return lifecycle.SYSTEM
    return lifecycle.SYSTEM if has_role(actor, Role.DPRD) and not has_role(actor, Role.TKKSD, Role.ADMIN) else actor


def end_expired_agreements(today: datetime.date) -> int:
    """Natural end: move every running agreement whose end date has passed to "ended"."""
    ended = 0
    running = Agreement.objects.filter(stage__in=lifecycle.ACTIVE_STAGES, end_date__lt=today)
    for agreement in running.only("pk", "stage", "kind", "relation", "lead_opd_id").iterator():
        try:
            lifecycle.advance(
                agreement,
                Stage.BERAKHIR,
                actor=lifecycle.SYSTEM,
                end_reason=EndReason.TERM_EXPIRED,
                note=str(_("The term of the agreement has expired.")),
                expected_stage=agreement.stage,
            )
        except lifecycle.TransitionError:
            continue
        ended += 1
    return ended


# --- the Pemda profile -------------------------------------------------------------------------

PEMDA_PROFILE_FIELDS = frozenset(
    {
        "regency",
        "capital",
        "head_title",
        "head_name",
        "head_decree_name",
        "secretary_name",
        "secretary_nip",
        "address",
        "formation_law",
        "postal_code",
        "phone",
        "email",
        "website",
        "logo",
        "garuda_emblem",
        "decree_invocation",
        "open_data_licence",
    }
)


@transaction.atomic
def save_pemda_profile(*, actor, changes: dict, edition: Edition | None = None) -> PemdaProfile:
    """Create the one Pemda profile or save an edit of it (Admin). An edit read before another
    administrator changed the same fields is refused with StaleEdit."""
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied
    unknown = set(changes) - PEMDA_PROFILE_FIELDS
    if unknown:
        raise ValueError(f"Not fields of the profile form: {sorted(unknown)}")
    if not PemdaProfile.objects.filter(pk=1).exists():
        profile = PemdaProfile()
        concurrency.apply(profile, changes)
        profile._history_user = actor
        try:
            with transaction.atomic():
                profile.save(force_insert=True)
        except IntegrityError:
            raise ServiceError(
                _("Another administrator has just filled in the profile; reload the page to see it.")
            ) from None
        return profile
    return concurrency.edit(PemdaProfile, 1, changes, edition=edition, actor=actor)


# --- partners --------------------------------------------------------------------------------


def duplicate_partner(partner: Partner) -> Partner | None:
    """The existing partner this one would duplicate, if any."""
    others = Partner.objects.exclude(pk=partner.pk)
    if partner.kind == PartnerKind.REGION:
        if partner.regency_id:
            return others.filter(regency_id=partner.regency_id).first()
        return others.filter(kind=PartnerKind.REGION, province_id=partner.province_id, regency__isnull=True).first()
    return others.filter(kind=partner.kind, name_key=partner_name_key(partner.name)).first()


def can_edit_partner(user) -> bool:
    return has_role(user, Role.TKKSD, Role.ADMIN)


def region_partner_name(partner: Partner) -> str:
    if partner.regency_id:
        return f"Pemerintah {partner.regency.name}"
    return f"Pemerintah Provinsi {partner.province.name}"


def _name_region(partner: Partner) -> None:
    if partner.kind == PartnerKind.REGION:
        if partner.regency_id:
            partner.province_id = partner.regency.province_id
        partner.name = region_partner_name(partner)


def _refuse_duplicate(partner: Partner) -> None:
    existing = duplicate_partner(partner)
    if existing is not None:
        raise ServiceError(_("This partner is already registered as “%(name)s”.") % {"name": existing.name})


def _save_unique(partner: Partner, save) -> None:
    """Run `save`; two people registering the same partner at once both pass the duplicate check,
    and the database's uniqueness constraint refuses the second: a clear message, not an error."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        _refuse_duplicate(partner)
        raise ServiceError(_("This partner has just been registered by someone else.")) from None


@transaction.atomic
def save_partner(partner: Partner, *, actor) -> Partner:
    """Register a new partner (an unsaved instance), refusing a duplicate. A region partner is
    named after the region."""
    if not has_role(actor, Role.TKKSD, Role.ADMIN, Role.PPKSD):
        raise PermissionDenied
    if partner.pk is not None:
        raise ValueError("save_partner() registers new partners; use update_partner() for an edit.")
    _name_region(partner)
    _refuse_duplicate(partner)
    partner._history_user = actor
    _save_unique(partner, partner.save)
    return partner


# What the partner form may write.
PARTNER_EDIT_FIELDS = frozenset(
    {"kind", "name", "province", "regency", "country", "address", "contact", "registration_number", "notes"}
)


@transaction.atomic
def update_partner(partner: Partner, *, actor, changes: dict, edition: Edition | None = None) -> Partner:
    """Save an edit of a partner (TKKSD, Admin); refuses a duplicate and, with StaleEdit, an edit
    read before someone else changed the same fields. Agreements' texts follow a new name."""
    if not can_edit_partner(actor):
        raise PermissionDenied
    unknown = set(changes) - PARTNER_EDIT_FIELDS
    if unknown:
        raise ValueError(f"Not fields of the partner form: {sorted(unknown)}")
    locked = concurrency.lock(Partner, partner.pk)
    concurrency.check_edition(locked, edition, list(changes))
    old_name = locked.name
    written = concurrency.apply(locked, changes)
    _name_region(locked)
    _refuse_duplicate(locked)
    renamed = locked.name != old_name
    _save_unique(locked, lambda: concurrency.save_edit(locked, [*written, "name"], actor=actor))
    if renamed:
        refresh_partner_agreements(locked)
    return locked
