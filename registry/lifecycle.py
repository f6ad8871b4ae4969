"""The PP 28/2018 lifecycle: one stage table per kind, and the one function that moves an agreement.

Each table lists a kind's stages in legal order (docs/domain.md §2). A row says who may move an
agreement out of the stage, which checks must pass first, and, for a conditional stage, when
it applies at all (DPRD approval). Every allowed move, the timeline, the dashboard and the
reminders are derived from these tables; nothing else writes `Agreement.stage`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import attention, signals
from .models import (
    Agreement,
    AgreementDocument,
    DocumentType,
    DprdApproval,
    EndReason,
    Kind,
    Relation,
    Stage,
    Transition,
)
from .roles import Role, has_role

Check = Callable[[Agreement], str | None]

ADMIN_ROLES = frozenset({Role.TKKSD, Role.ADMIN})
OPD_AND_TKKSD = frozenset({Role.TKKSD, Role.ADMIN, Role.PPKSD})


class TransitionError(Exception):
    """A move that is not allowed now; `message` is translated and shown to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- checks: each returns what is missing, or None -------------------------------------------


def _latest(agreement: Agreement, doc_type: str, *, signed: bool | None = None) -> AgreementDocument | None:
    documents = agreement.documents.filter(doc_type=doc_type)
    if signed is not None:
        documents = documents.filter(is_signed=signed)
    return documents.order_by("-version").first()


def has_document(doc_type: str) -> Check:
    def check(agreement):
        if _latest(agreement, doc_type) is None:
            return format_lazy(_("Upload the {document} first."), document=DocumentType(doc_type).label)
        return None

    return check


def has_signed(doc_type: str) -> Check:
    """The signed scan is filed, with both parties' numbers and its paraf/meterai/stempel checklist."""

    def check(agreement):
        document = _latest(agreement, doc_type, signed=True)
        label = DocumentType(doc_type).label
        if document is None:
            return format_lazy(_("Upload the signed {document} first."), document=label)
        missing = [
            str(name)
            for present, name in (
                (document.has_paraf, _("paraf")),
                (document.has_materai, _("meterai")),
                (document.has_stempel, _("stempel")),
            )
            if not present
        ]
        if missing:
            return format_lazy(
                _("The signed {document} scan lacks: {missing}."), document=label, missing=", ".join(missing)
            )
        if not document.number or not document.partner_number:
            return format_lazy(_("Record both parties' numbers of the signed {document}."), document=label)
        return None

    return check


def adds_burden(agreement: Agreement) -> bool:
    """A follow-up that burdens the community or the APBD where the agreement it follows did not
    (an addendum adding an unbudgeted cost): PP 28/2018 Pasal 6(2) asks its own DPRD approval."""
    parent = agreement.parent
    if parent is None:
        return False
    return (agreement.burdens_community and not parent.burdens_community) or (
        agreement.not_yet_budgeted and not parent.not_yet_budgeted
    )


# Follow-ups that rest on the DPRD approval of the agreement they follow, unless they add a burden:
# a PKS carries out its KB (PP 28/2018 Pasal 6(1): the DPRD approves before the PKS is drafted), an
# addendum amends its PKS. An extension or a renewal goes through the whole procedure again.
_COVERED_BY_PARENT = frozenset({Relation.PKS_OF_KB, Relation.ADDENDUM})


def dprd_approval_given(agreement: Agreement) -> bool:
    """Whether the DPRD approved this agreement or, for a follow-up that adds no burden, the one it follows."""
    if _approved(agreement):
        return True
    if agreement.parent_id and agreement.relation in _COVERED_BY_PARENT and not adds_burden(agreement):
        parent = agreement.parent
        return not parent.dprd_required or dprd_approval_given(parent)
    return False


def _approved(agreement: Agreement) -> bool:
    """Whether one of the agreement's own DPRD requests was approved: from its requests when the
    caller read them already (prefetch_related("dprd_approvals"), as the agreement page does),
    else by asking the database."""
    read = getattr(agreement, "_prefetched_objects_cache", {}).get("dprd_approvals")
    if read is not None:
        return any(approval.decision in DprdApproval.APPROVING for approval in read)
    return agreement.dprd_approvals.filter(decision__in=DprdApproval.APPROVING).exists()


def dprd_approved_if_required(agreement: Agreement) -> str | None:
    if not agreement.dprd_required or dprd_approval_given(agreement):
        return None
    if agreement.parent_id and agreement.relation in _COVERED_BY_PARENT and not adds_burden(agreement):
        return format_lazy(
            _("The DPRD has not approved {parent} yet, on which this rests (PP 28/2018 Pasal 6(1))."),
            parent=agreement.parent.register_number,
        )
    return _("DPRD approval is required and has not been given.")


def pks_clauses_complete(agreement: Agreement) -> str | None:
    from .clauses import missing_mandatory_clauses

    missing = missing_mandatory_clauses(agreement)
    if missing:
        return format_lazy(
            _("The PKS lacks the clause on {clauses}."), clauses=", ".join(str(c.label) for c in missing)
        )
    return None


def legal_analysis_written(agreement: Agreement) -> str | None:
    if not agreement.legal_analysis.strip():
        return _("Write the legal analysis note before the PKS goes to signing.")
    return None


def plan_basis_missing(record) -> str | None:
    """PP 28/2018 Pasal 4(3) and 16(3): the object of a cooperation comes from the RPJMD/RKPD, or
    is an emergency, a national strategic programme or tugas pembantuan, with its basis. For
    agreements and proposals alike (their fields `rpjmd_reference`, `plan_exception`,
    `plan_exception_basis`)."""
    if record.rpjmd_reference.strip():
        return None
    if record.plan_exception and record.plan_exception_basis.strip():
        return None
    if record.plan_exception:
        return _("Write the basis of the exception to the RPJMD/RKPD.")
    return _(
        "Record the RPJMD/RKPD reference of the object, or the exception that allows it without one (an "
        "emergency, a national strategic programme, tugas pembantuan) with its basis (PP 28/2018 Pasal 4(3))."
    )


def term_set(agreement: Agreement) -> str | None:
    if not agreement.start_date or not agreement.end_date:
        return _("Set the start and end dates of the agreement.")
    return None


def feasibility_study_for_third_party(agreement: Agreement) -> str | None:
    # UU 23/2014 Pasal 366(3): a KSDPK is preceded by a feasibility study.
    if agreement.kind == Kind.KSDPK:
        return has_document(DocumentType.STUDI_KELAYAKAN)(agreement)
    return None


def is_addendum(agreement: Agreement) -> bool:
    return agreement.relation == Relation.ADDENDUM


def unless_addendum(check: Check) -> Check:
    def guarded(agreement):
        return None if is_addendum(agreement) else check(agreement)

    return guarded


def only_addendum(check: Check) -> Check:
    def guarded(agreement):
        return check(agreement) if is_addendum(agreement) else None

    return guarded


def dprd_required(agreement: Agreement) -> bool:
    return agreement.dprd_required


# --- the tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    stage: Stage
    # Who may move an agreement out of this stage (TKKSD and Admin always; PPKSD where the OPD acts).
    movers: frozenset[str] = ADMIN_ROLES
    checks: tuple[Check, ...] = ()
    # The documents this stage rests on: offered first on the upload form.
    documents: tuple[str, ...] = ()
    # A conditional stage applies only when this holds (DPRD approval, PP 28/2018 Pasal 6(2)).
    applies: Callable[[Agreement], bool] | None = None
    who: str = field(default="", compare=False)


_PKS_STEPS = (
    Step(
        Stage.PENYUSUNAN_PKS,
        movers=OPD_AND_TKKSD,
        checks=(
            unless_addendum(has_document(DocumentType.DRAF_PKS)),
            only_addendum(has_document(DocumentType.DRAF_ADDENDUM)),
            unless_addendum(pks_clauses_complete),
            legal_analysis_written,
            dprd_approved_if_required,
        ),
        documents=(DocumentType.DRAF_PKS, DocumentType.SURAT_KUASA, DocumentType.DRAF_ADDENDUM),
        who=_("OPD and TKKSD draft; a Surat Kuasa if a Kepala OPD will sign"),
    ),
    Step(
        Stage.PENANDATANGANAN_PKS,
        checks=(
            unless_addendum(has_signed(DocumentType.PKS)),
            only_addendum(has_signed(DocumentType.ADDENDUM)),
            unless_addendum(pks_clauses_complete),
            dprd_approved_if_required,
            term_set,
            plan_basis_missing,
        ),
        documents=(DocumentType.PKS, DocumentType.ADDENDUM),
        who=_("Bupati or the holder of a Surat Kuasa, with the partner"),
    ),
)

_AFTER_SIGNING = (
    Step(Stage.PELAKSANAAN, documents=(DocumentType.LAPORAN,), who=_("OPD")),
    Step(Stage.PENATAUSAHAAN, documents=(DocumentType.LAINNYA,), who=_("Bagian Kerja Sama")),
    Step(Stage.PELAPORAN, documents=(DocumentType.LAPORAN,), who=_("Bagian Kerja Sama")),
)

_DPRD_STEP = Step(
    Stage.PERSETUJUAN_DPRD,
    checks=(dprd_approved_if_required,),
    documents=(DocumentType.SURAT_PERMOHONAN_DPRD, DocumentType.KEPUTUSAN_DPRD),
    applies=dprd_required,
    who=_("Bupati requests, DPRD decides"),
)

KSDD_TABLE = (
    Step(
        Stage.PERSIAPAN,
        checks=(feasibility_study_for_third_party, has_document(DocumentType.KAJIAN_TKKSD)),
        documents=(
            DocumentType.SURAT_INISIASI,
            DocumentType.KAK,
            DocumentType.STUDI_KELAYAKAN,
            DocumentType.ANALISIS_MANFAAT_BIAYA,
            DocumentType.KAJIAN_TKKSD,
        ),
        who=_("OPD (PPKSD) drafts; TKKSD reviews"),
    ),
    Step(
        Stage.PENAWARAN,
        checks=(has_document(DocumentType.SURAT_PENAWARAN),),
        documents=(DocumentType.SURAT_PENAWARAN,),
        who=_("Bupati signs the offer"),
    ),
    Step(
        Stage.PENYUSUNAN_KB,
        movers=OPD_AND_TKKSD,
        checks=(has_document(DocumentType.DRAF_KB),),
        documents=(DocumentType.DRAF_KB,),
        who=_("OPD and TKKSD"),
    ),
    Step(
        Stage.PENANDATANGANAN_KB,
        checks=(has_signed(DocumentType.KB), plan_basis_missing),
        documents=(DocumentType.KB,),
        who=_("Bupati and the counterpart"),
    ),
    _DPRD_STEP,
    *_PKS_STEPS,
    *_AFTER_SIGNING,
)

SINERGI_TABLE = (
    KSDD_TABLE[0],
    Step(
        Stage.PENAWARAN,
        checks=(has_document(DocumentType.SURAT_PENAWARAN),),
        documents=(DocumentType.SURAT_PENAWARAN,),
        who=_("Bupati signs the offer of sinergi"),
    ),
    Step(
        Stage.PENYUSUNAN_NK_RK,
        movers=OPD_AND_TKKSD,
        checks=(has_document(DocumentType.DRAF_NK_RK),),
        documents=(DocumentType.DRAF_NK_RK,),
        who=_("OPD and TKKSD with the ministry or agency"),
    ),
    _DPRD_STEP,
    Step(
        Stage.PENANDATANGANAN_NK_RK,
        checks=(has_signed(DocumentType.NK_RK), dprd_approved_if_required, term_set, plan_basis_missing),
        documents=(DocumentType.NK_RK,),
        who=_("Bupati and the ministry or agency"),
    ),
    *_AFTER_SIGNING,
)

FOREIGN_TABLE = (
    Step(Stage.PRAKARSA, movers=OPD_AND_TKKSD, documents=(DocumentType.KAK,), who=_("Pemda or foreign partner")),
    Step(Stage.PENJAJAKAN, documents=(DocumentType.LAINNYA,), who=_("Bupati explores the benefit")),
    Step(Stage.KOORDINASI_PUSAT, who=_("Bupati with the Ministers of Home and Foreign Affairs")),
    Step(
        Stage.PENANDATANGANAN_LOI,
        checks=(has_document(DocumentType.LOI),),
        documents=(DocumentType.LOI,),
        who=_("Bupati and the foreign partner"),
    ),
    Step(
        Stage.PENYUSUNAN_RENCANA,
        movers=OPD_AND_TKKSD,
        checks=(has_document(DocumentType.RENCANA_KERJA_SAMA),),
        documents=(DocumentType.RENCANA_KERJA_SAMA,),
        who=_("OPD and TKKSD"),
    ),
    _DPRD_STEP,
    Step(
        Stage.PERTIMBANGAN_MENDAGRI,
        checks=(has_document(DocumentType.PERTIMBANGAN_MENDAGRI),),
        documents=(DocumentType.PERTIMBANGAN_MENDAGRI,),
        who=_("Minister of Home Affairs"),
    ),
    Step(
        Stage.PERSETUJUAN_NASKAH,
        checks=(has_document(DocumentType.NASKAH),),
        documents=(DocumentType.NASKAH,),
        who=_("Minister of Home Affairs with an inter-ministerial meeting"),
    ),
    Step(
        Stage.KONFIRMASI_KEMLU,
        checks=(has_document(DocumentType.KONFIRMASI_KEMLU),),
        documents=(DocumentType.KONFIRMASI_KEMLU,),
        who=_("Ministry of Foreign Affairs"),
    ),
    Step(
        Stage.PENANDATANGANAN_NASKAH,
        checks=(has_signed(DocumentType.NASKAH), dprd_approved_if_required, term_set, plan_basis_missing),
        documents=(DocumentType.NASKAH,),
        who=_("Bupati and the foreign partner"),
    ),
    Step(Stage.PELAKSANAAN, documents=(DocumentType.LAPORAN,), who=_("OPD")),
    Step(Stage.PELAPORAN, documents=(DocumentType.LAPORAN,), who=_("Report to the Minister")),
)

TABLES: dict[str, tuple[Step, ...]] = {
    Kind.KSDD: KSDD_TABLE,
    Kind.KSDPK: KSDD_TABLE,
    Kind.SINERGI: SINERGI_TABLE,
    Kind.KSDPL: FOREIGN_TABLE,
    Kind.KSDLL: FOREIGN_TABLE,
}

# Signed and running: the stages in which an agreement can be active, expiring or expired.
ACTIVE_STAGES = frozenset({Stage.PELAKSANAAN, Stage.PENATAUSAHAAN, Stage.PELAPORAN})
CLOSED_STAGES = frozenset({Stage.BERAKHIR, Stage.DITOLAK, Stage.DIBATALKAN})
# Where a DPRD rejection sends the plan back to be revised.
DPRD_REJECTION_TARGET = {
    Kind.KSDD: Stage.PENYUSUNAN_KB,
    Kind.KSDPK: Stage.PENYUSUNAN_KB,
    Kind.SINERGI: Stage.PENYUSUNAN_NK_RK,
    Kind.KSDPL: Stage.PENYUSUNAN_RENCANA,
    Kind.KSDLL: Stage.PENYUSUNAN_RENCANA,
}
# Where a follow-up starts: a further PKS or an addendum skips the stages of the KB.
START_STAGE_BY_RELATION = {
    Relation.PKS_OF_KB: Stage.PENYUSUNAN_PKS,
    Relation.ADDENDUM: Stage.PENYUSUNAN_PKS,
}


def table_for(agreement_or_kind) -> tuple[Step, ...]:
    kind = getattr(agreement_or_kind, "kind", agreement_or_kind)
    return TABLES[kind]


def first_stage(kind: str, relation: str = "") -> Stage:
    return START_STAGE_BY_RELATION.get(relation, table_for(kind)[0].stage)


def start_of(agreement: Agreement) -> Stage:
    """Where the agreement's path begins: an addendum that adds a burden begins at the DPRD's
    approval, since it needs its own (PP 28/2018 Pasal 6(2))."""
    if agreement.relation == Relation.ADDENDUM and adds_burden(agreement):
        return Stage.PERSETUJUAN_DPRD
    return first_stage(agreement.kind, agreement.relation)


def stages_of(kind: str) -> list[Stage]:
    """The stages of a kind in order, conditional ones included."""
    return [step.stage for step in table_for(kind)]


def step_of(agreement: Agreement) -> Step | None:
    for step in table_for(agreement):
        if step.stage == agreement.stage:
            return step
    return None


def path_of(agreement: Agreement) -> list[Step]:
    """The steps this agreement goes through: conditional steps that do not apply are left out,
    and a follow-up that starts later skips the steps before its start."""
    steps = [step for step in table_for(agreement) if step.applies is None or step.applies(agreement)]
    start = start_of(agreement)
    index = next((i for i, step in enumerate(steps) if step.stage == start), 0)
    return steps[index:]


# --- moves -------------------------------------------------------------------------------------


class MoveKind:
    FORWARD = "forward"
    BACK = "back"
    END = "end"
    REJECT = "reject"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Move:
    to_stage: Stage
    kind: str
    label: str
    # Why the move cannot be made yet (missing documents, approvals...); empty when it can.
    blocked: tuple[str, ...] = ()
    needs_reason: bool = False

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)

    @property
    def confirmation(self) -> str:
        """What the person is asked before making the move, naming what cannot be undone; empty
        for a step forward, which the page does not ask about."""
        final = _("This cannot be undone: the agreement does not return to an earlier stage.")
        if self.kind == MoveKind.END:
            return f"{_('End this agreement?')} {final}"
        if self.kind == MoveKind.REJECT:
            return f"{_('Record that this agreement is rejected?')} {final}"
        if self.kind == MoveKind.WITHDRAW:
            return f"{_('Withdraw this agreement?')} {final}"
        if self.kind == MoveKind.BACK:
            return _("Move the agreement back to “%(stage)s”? The steps after it are taken again.") % {
                "stage": Stage(self.to_stage).label
            }
        return ""


def _candidate_moves(agreement: Agreement) -> list[tuple[Stage, str, frozenset[str]]]:
    """Every edge out of the current stage, with the roles that may take it."""
    if agreement.stage in CLOSED_STAGES:
        return []
    path = path_of(agreement)
    stages = [step.stage for step in path]
    step = step_of(agreement)
    movers = step.movers if step else ADMIN_ROLES
    edges: list[tuple[Stage, str, frozenset[str]]] = []
    if agreement.stage in stages:
        index = stages.index(agreement.stage)
        if index + 1 < len(stages):
            edges.append((stages[index + 1], MoveKind.FORWARD, movers))
        if agreement.stage not in ACTIVE_STAGES and index > 0:
            edges.append((stages[index - 1], MoveKind.BACK, ADMIN_ROLES))
    elif step is not None and agreement.stage == Stage.PERSETUJUAN_DPRD:
        # DPRD stopped being required (the burden was re-assessed): go on to the next step.
        full = stages_of(agreement.kind)
        edges.append((full[full.index(agreement.stage) + 1], MoveKind.FORWARD, movers))
    if agreement.stage == Stage.PERSETUJUAN_DPRD:
        edges.append((DPRD_REJECTION_TARGET[agreement.kind], MoveKind.BACK, ADMIN_ROLES))
    if agreement.stage in ACTIVE_STAGES:
        edges.append((Stage.BERAKHIR, MoveKind.END, ADMIN_ROLES))
    else:
        edges.append((Stage.DITOLAK, MoveKind.REJECT, ADMIN_ROLES))
        withdrawers = OPD_AND_TKKSD if agreement.stage == path[0].stage else ADMIN_ROLES
        edges.append((Stage.DIBATALKAN, MoveKind.WITHDRAW, withdrawers))
    # Two edges to the same stage (back and DPRD rejection) are one move.
    unique = {}
    for to_stage, kind, roles in edges:
        unique.setdefault(to_stage, (to_stage, kind, roles))
    return list(unique.values())


_MOVE_LABELS = {
    MoveKind.FORWARD: _("Move on to: {stage}"),
    MoveKind.BACK: _("Send back to: {stage}"),
    MoveKind.END: _("End the agreement"),
    MoveKind.REJECT: _("Reject"),
    MoveKind.WITHDRAW: _("Withdraw"),
}


def blockers(agreement: Agreement) -> list[str]:
    """What is missing before the agreement can leave its current stage forward."""
    step = step_of(agreement)
    if step is None:
        return []
    return [str(message) for check in step.checks if (message := check(agreement))]


def may_act(user, agreement: Agreement, roles: frozenset[str]) -> bool:
    if not has_role(user, *roles):
        return False
    if has_role(user, *ADMIN_ROLES):
        return True
    # A PPKSD acts only on their own OPD's agreements.
    return bool(user.opd_id) and user.opd_id == agreement.lead_opd_id


def allowed_moves(agreement: Agreement, user) -> list[Move]:
    """The moves this user may make now; forward moves carry what still blocks them."""
    missing = None
    moves = []
    for to_stage, kind, roles in _candidate_moves(agreement):
        if not may_act(user, agreement, roles):
            continue
        blocked: tuple[str, ...] = ()
        if kind == MoveKind.FORWARD:
            missing = blockers(agreement) if missing is None else missing
            blocked = tuple(missing)
        label = format_lazy(_MOVE_LABELS[kind], stage=Stage(to_stage).label)
        moves.append(Move(to_stage, kind, str(label), blocked, needs_reason=kind == MoveKind.END))
    return moves


SYSTEM = None


@transaction.atomic
def advance(
    agreement: Agreement,
    to_stage: str,
    *,
    actor,
    note: str = "",
    document: AgreementDocument | None = None,
    end_reason: str = "",
    expected_stage: str | None = None,
    effective_date: date | None = None,
    voided_decree=None,
) -> Transition:
    """Move `agreement` to `to_stage` and record the transition; the only writer of the stage.

    `voided_decree`, a voided official document, withdraws an agreement that document created
    (a programme SK voided before its agreements moved on): the move is the consequence of the
    void, taken by whoever voided it.

    `actor` is the user acting, or None for the system (a natural end past the end date, a
    DPRD approval deemed given). The row is locked first, so two people acting at once are
    serialised and the second finds the stage already changed. `expected_stage` is the stage
    the actor saw; a different current stage is refused.

    Raises TransitionError with a translated message when the move is not allowed.
    """
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if expected_stage is not None and locked.stage != expected_stage:
        raise TransitionError(
            format_lazy(
                _("Someone else has just moved this agreement to “{stage}”. Reload the page."),
                stage=locked.get_stage_display(),
            )
        )
    edges = {edge[0]: edge for edge in _candidate_moves(locked)}
    if to_stage not in edges:
        raise TransitionError(
            format_lazy(
                _("“{target}” cannot follow “{stage}”."),
                target=Stage(to_stage).label,
                stage=locked.get_stage_display(),
            )
        )
    _target, kind, roles = edges[to_stage]
    if voided_decree is not None:
        if kind != MoveKind.WITHDRAW or voided_decree.status != voided_decree.Status.VOIDED:
            raise TransitionError(_("Only a voided decree withdraws the agreements it created."))
    elif actor is SYSTEM:
        # The system takes a natural end and the consequence of the DPRD's answer (or silence).
        dprd_answer = locked.stage == Stage.PERSETUJUAN_DPRD and (
            kind == MoveKind.FORWARD or to_stage == DPRD_REJECTION_TARGET[locked.kind]
        )
        if not (kind == MoveKind.END and end_reason == EndReason.TERM_EXPIRED) and not dprd_answer:
            raise TransitionError(_("This step needs a person to take it."))
    elif not may_act(actor, locked, roles):
        raise TransitionError(_("Your role may not take this step on this agreement."))
    if kind == MoveKind.FORWARD:
        missing = blockers(locked)
        if missing:
            raise TransitionError(missing[0])
    if kind == MoveKind.END:
        if end_reason not in EndReason.values:
            raise TransitionError(_("Choose why the agreement ends."))
        locked.end_reason = end_reason
    if kind in (MoveKind.BACK, MoveKind.REJECT, MoveKind.WITHDRAW) and not note.strip():
        raise TransitionError(_("Write a note saying why."))
    if document is not None and document.agreement_id != locked.pk:
        raise TransitionError(_("The document belongs to another agreement."))
    if locked.stage == Stage.PERSETUJUAN_DPRD:
        _withdraw_open_dprd_requests(locked, actor=actor, note=note)
    now = timezone.now()
    transition = Transition.objects.create(
        agreement=locked,
        from_stage=locked.stage,
        to_stage=to_stage,
        actor=actor,
        at=now,
        effective_date=effective_date,
        note=note,
        document=document,
    )
    locked.stage = to_stage
    locked.stage_changed_at = now
    locked._history_user = actor
    locked.save(update_fields=["stage", "stage_changed_at", "end_reason", "updated_at"])
    agreement.stage, agreement.stage_changed_at, agreement.end_reason = (
        locked.stage,
        locked.stage_changed_at,
        locked.end_reason,
    )
    if transition.from_stage == Stage.PENANDATANGANAN_KB:
        attention.refresh_kb_signed_on(Agreement.objects.filter(pk=locked.pk))
    signals.handoff.send(sender=Transition, event=signals.STAGE_MOVED, subject=transition, actor=actor)
    return transition


def _withdraw_open_dprd_requests(agreement: Agreement, *, actor, note: str) -> None:
    """A request to the DPRD is open only while its agreement waits at the DPRD stage: leaving
    the stage other than by the DPRD's answer (sent back, rejected, withdrawn, or the approval
    no longer needed) withdraws it, so that no queue or reminder waits for it any more."""
    for approval in agreement.dprd_approvals.select_for_update().filter(decision=DprdApproval.Decision.PENDING):
        approval.decision = DprdApproval.Decision.WITHDRAWN
        approval.reasons = note or str(_("The agreement left the DPRD approval stage."))
        approval.decided_by = actor
        approval._history_user = actor
        approval.save(update_fields=["decision", "reasons", "decided_by", "updated_at"])


@transaction.atomic
def start(agreement: Agreement, *, actor, stage: str | None = None, note: str = "") -> Transition:
    """Save a new agreement at its first stage and write the first line of its timeline.

    `stage` lets an import of a legacy agreement (PP 28/2018 Pasal 48) start where it stands.
    """
    if agreement.pk is not None:
        raise ValueError("start() is for new agreements; use advance() to move one.")
    stage = stage or first_stage(agreement.kind, agreement.relation)
    if stage not in Stage.values or stage in (Stage.DITOLAK, Stage.DIBATALKAN):
        raise TransitionError(_("An agreement cannot start at this stage."))
    now = timezone.now()
    agreement.stage = stage
    agreement.stage_changed_at = now
    agreement.kb_signed_on = timezone.localdate(now)
    agreement._history_user = actor
    agreement.save()
    return Transition.objects.create(agreement=agreement, from_stage="", to_stage=stage, actor=actor, at=now, note=note)


def bulk_start(
    agreements: list[Agreement],
    *,
    actor,
    stages: list[str],
    notes: list[str] | None = None,
    batch_size: int = 2000,
) -> None:
    """Insert many new agreements, each at a given stage, with the first line of their timelines
    (and its note, e.g. where an import found it).

    For imports of legacy registers and generated benchmark volumes; it skips the checks of
    the stages before (PP 28/2018 Pasal 48 lets legacy agreements start where they stand).
    """
    now = timezone.now()
    for agreement, stage in zip(agreements, stages, strict=True):
        if stage not in Stage.values or stage in (Stage.DITOLAK, Stage.DIBATALKAN):
            raise TransitionError(_("An agreement cannot start at this stage."))
        agreement.stage = stage
        agreement.stage_changed_at = now
        # As registry.attention has it without a signed KB: the day the agreement was recorded.
        agreement.kb_signed_on = timezone.localdate(now)
    Agreement.objects.bulk_create(agreements, batch_size=batch_size)
    notes = notes if notes is not None else [""] * len(agreements)
    Transition.objects.bulk_create(
        [
            Transition(agreement=agreement, from_stage="", to_stage=agreement.stage, actor=actor, at=now, note=note)
            for agreement, note in zip(agreements, notes, strict=True)
        ],
        batch_size=batch_size,
    )
