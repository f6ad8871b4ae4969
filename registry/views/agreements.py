"""Agreement pages: list (with export), filing, detail with timeline, moves, follow-ups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kerjasama.blank_forms import printed_blank
from kerjasama.concurrency import StaleEdit

from .. import dprd, history, lifecycle, selectors, services, terms
from ..clauses import CLAUSES
from ..exports import describe_filters, export_agreements
from ..filters import AgreementFilter, agreement_list_query
from ..forms import AdvanceForm, AgreementForm, DocumentUploadForm, FollowUpForm, PksContentsForm
from ..models import Agreement, DprdApproval
from ..pagination import page_of
from ..roles import PARTNER_READERS, READ_ALL_ROLES, Role, has_role, role_required
from ..rows import LIST_VALUES, agreement_rows, document_rows, table_body, timeline_items
from ..status import BADGE, status_of
from .publication import publication_context

FILERS = (Role.TKKSD, Role.ADMIN, Role.PPKSD)


def _visible_roles():
    return (*READ_ALL_ROLES, Role.PPKSD, Role.DPRD)


@role_required(*_visible_roles())
def agreement_list(request):
    today = timezone.localdate()
    export = request.GET.get("export")
    exporting = export in ("csv", "xlsx")
    filterset, queryset = agreement_list_query(request.user, request.GET, today=today, exporting=exporting)
    if exporting:
        return export_agreements(queryset, export, today=today, filters=describe_filters(filterset and filterset.form))
    page = page_of(queryset.values(*LIST_VALUES), request.GET.get("page"))
    rows = agreement_rows(page, today)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "registry/agreement_list.html",
        {
            # Without filters, the form is built only when its cached fields have expired.
            "filter_form": filterset.form if filterset else SimpleLazyObject(lambda: AgreementFilter(today=today).form),
            "filter_errors": filterset.errors if filterset else None,
            "search_text": request.GET.get("q", ""),
            "page": page,
            "rows": rows,
            "rows_html": table_body(rows),
            "query": query.urlencode(),
            "can_file": has_role(request.user, *FILERS),
        },
    )


@role_required(*FILERS)
def agreement_create(request):
    form = AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.create_agreement(
                form.save(),
                actor=request.user,
                partners=form.cleaned_data["partners"],
                other_opds=form.cleaned_data["other_opds"],
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The agreement has been filed as %(number)s.") % {"number": agreement.register_number}
            )
            return redirect(agreement)
    return render(request, "registry/agreement_form.html", {"form": form, "creating": True})


@login_required
def agreement_edit(request, pk):
    agreement = selectors.get_agreement_for(request.user, pk)
    if not services.can_edit_agreement(request.user, agreement):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(
                agreement,
                actor=request.user,
                changes=form.model_changes(),
                partners=form.cleaned_data["partners"],
                other_opds=form.cleaned_data["other_opds"],
                edition=form.edition,
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The agreement has been saved."))
            return redirect(agreement)
    return render(request, "registry/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
def agreement_detail(request, pk):
    agreement = selectors.get_agreement_for(request.user, pk)
    return render(request, "registry/agreement_detail.html", _detail_context(request, agreement))


def _detail_context(request, agreement, *, pks_form=None) -> dict:
    user = request.user
    today = timezone.localdate()
    path = lifecycle.path_of(agreement)
    stages = [step.stage for step in path]
    step = lifecycle.step_of(agreement)
    reached = stages.index(agreement.stage) if agreement.stage in stages else None
    # Newest first; read before the moves, whose DPRD check then counts the approvals read here.
    prefetch_related_objects(
        [agreement], Prefetch("dprd_approvals", queryset=DprdApproval.objects.select_related("decision_letter"))
    )
    approvals = list(agreement.dprd_approvals.all())
    # The one still waiting for the DPRD's answer, if any, among them.
    pending = [approval for approval in approvals if approval.decision == DprdApproval.Decision.PENDING]
    moves = lifecycle.allowed_moves(agreement, user)
    can_upload = services.can_upload(user, agreement)
    can_edit = services.can_edit_agreement(user, agreement)
    is_admin = has_role(user, Role.TKKSD, Role.ADMIN)
    # Read once: the document list, the forward step's choice of document and the publication card.
    documents = list(selectors.documents_of(agreement))
    choices = services.follow_up_choices(agreement)
    follow_up_form = (
        FollowUpForm(choices=choices) if choices and services.can_file_for(user, agreement.lead_opd_id) else None
    )
    return {
        "agreement": agreement,
        "status": status_of(agreement, today),
        "badges": BADGE,
        "path": [
            (s, i < reached if reached is not None else False, s.stage == agreement.stage) for i, s in enumerate(path)
        ],
        "step": step,
        "moves": moves,
        "advance_form": AdvanceForm(agreement=agreement),
        "timeline_items": timeline_items(selectors.timeline(agreement)),
        "documents": documents,
        "document_rows": document_rows(documents),
        "upload_form_html": DocumentUploadForm.blank_html(step.documents if step else ()) if can_upload else None,
        "can_edit": can_edit,
        "links_partners": has_role(user, *PARTNER_READERS),
        "chain": selectors.chain_visible_to(services.chain_of(agreement), user),
        "follow_ups": selectors.follow_ups_of(agreement, user),
        "follow_up_form": follow_up_form,
        # The same few choices on every agreement at the same point: printed once (kerjasama/blank_forms.py).
        "follow_up_form_html": printed_blank(follow_up_form) if follow_up_form else None,
        "clauses": [(clause, clause.code in agreement.pks_clauses) for clause in CLAUSES],
        "pks_form": pks_form or (PksContentsForm(agreement=agreement) if can_edit else None),
        "pks_conflict": pks_form is not None,
        "dprd_approvals": approvals,
        "can_request_dprd": services.can_request_dprd(user, agreement) and not pending,
        "dprd_letter_missing": SimpleLazyObject(lambda: dprd.letter_missing(agreement)),
        "open_dprd_request": pending[0] if is_admin and pending else None,
        "links_dprd_requests": has_role(user, *READ_ALL_ROLES, Role.DPRD),
        "shows_pks": agreement.kind in ("ksdd", "ksdpk"),
        "long_term": (agreement.term_months or 0) > terms.limit_months(),
        "term_limit": terms.limit_label(),
        "publication": SimpleLazyObject(lambda: publication_context(request, agreement, documents)),
    }


@require_POST
@login_required
def agreement_advance(request, pk):
    agreement = selectors.get_agreement_for(request.user, pk)
    form = AdvanceForm(request.POST, agreement=agreement)
    if not form.is_valid():
        messages.error(request, _("The step could not be read; reload the page and try again."))
        return redirect(agreement)
    data = form.cleaned_data
    try:
        lifecycle.advance(
            agreement,
            data["to_stage"],
            actor=request.user,
            note=data["note"],
            document=data["document"],
            end_reason=data["end_reason"],
            expected_stage=data["expected_stage"],
        )
    except lifecycle.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Stage updated: %(stage)s.") % {"stage": agreement.get_stage_display()})
    return redirect(agreement)


@require_POST
@login_required
def pks_contents(request, pk):
    agreement = selectors.get_agreement_for(request.user, pk)
    if not services.can_edit_agreement(request.user, agreement):
        raise PermissionDenied
    form = PksContentsForm(request.POST, agreement=agreement)
    if not form.is_valid():
        messages.error(request, _("The PKS contents could not be saved."))
        return redirect(agreement)
    try:
        services.set_pks_contents(
            agreement,
            actor=request.user,
            clauses=form.cleaned_data["clauses"],
            legal_analysis=form.cleaned_data["legal_analysis"],
            edition=form.edition,
        )
    except StaleEdit as stale:
        # The page again, with the ticks and the analysis as the user left them and what changed.
        form.refuse_stale(stale)
        agreement.refresh_from_db()
        return render(request, "registry/agreement_detail.html", _detail_context(request, agreement, pks_form=form))
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The PKS contents have been saved."))
    return redirect(agreement)


@require_POST
@login_required
def follow_up_create(request, pk):
    parent = selectors.get_agreement_for(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind of follow-up."))
        return redirect(parent)
    try:
        child = services.create_follow_up(
            parent, actor=request.user, relation=form.cleaned_data["relation"], title=form.cleaned_data["title"]
        )
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect(parent)
    messages.success(request, _("The follow-up %(number)s has been created.") % {"number": child.register_number})
    return redirect(child)


@login_required
def agreement_history(request, pk):
    """Every recorded change of the agreement and every stage move: who, when, what."""
    agreement = selectors.get_agreement_for(request.user, pk)
    records = agreement.history.select_related("history_user").order_by("-history_date")[:200]
    transitions = agreement.transitions.select_related("actor").order_by("-at")[:200]
    changes = history.merged(history.entries(records, Agreement), history.moves(transitions))
    return render(request, "registry/agreement_history.html", {"agreement": agreement, "entries": changes})
