"""Who is told when work passes from one role to another, and what they read.

The registry and planning announce a handoff with a signal inside the transaction of the action
(registry.signals: `handoff`, `document_issued`); monitoring's own handoffs (a report filed or
reviewed) call `report_filed` and `report_reviewed` directly. Each becomes an in-app
notification per recipient, written in the same transaction, and an e-mail after the commit as
the recipient chose (monitoring.services.notify).

- Recipients are computed from the roles at the time of the event: active accounts only, never
  the person who acted, and a PPKSD only for their own OPD.
- Each notification carries an event key, unique per recipient (Notification.event_key): an
  action retried, or a signal sent twice, tells nobody twice.
- Titles are written in the application's language (Indonesian), whatever the actor's.
"""

from functools import wraps

from django.apps import apps
from django.conf import settings
from django.utils import formats, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry import signals
from registry.models import DocumentKind, DprdApproval, Stage, User
from registry.models.official import Office
from registry.roles import Role

from .services import notify_users

ANSWERED = {*DprdApproval.APPROVING, DprdApproval.Decision.REJECTED}


# --- recipients -----------------------------------------------------------------------------------------


def with_role(*roles: str):
    """Active accounts holding any of `roles`."""
    return User.objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("pk")


def ppksd_of(opd_id):
    """The active PPKSD of one OPD (none for an agreement or proposal without one)."""
    if not opd_id:
        return User.objects.none()
    return User.objects.filter(is_active=True, opd_id=opd_id, groups__name=Role.PPKSD).distinct().order_by("pk")


def _tell(recipients, *, actor, key: str, title, body: str = "", url: str = "") -> list:
    people = [user for user in recipients if actor is None or user.pk != actor.pk]
    return notify_users(people, title=str(title), body=str(body or ""), url=url, event_key=key)


def in_site_language(handler):
    """Notifications are written in the application's language, whatever the actor's."""

    @wraps(handler)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return handler(*args, **kwargs)

    return wrapper


def _stamp(moment) -> str:
    return f"{moment.timestamp():.0f}" if moment else "0"


def _agreement(agreement) -> str:
    return f"{agreement.register_number} · {agreement.title}"


# --- planning ---------------------------------------------------------------------------------------------


@in_site_language
def proposal_submitted(proposal, actor):
    return _tell(
        with_role(Role.TKKSD),
        actor=actor,
        key=f"proposal_submitted:{proposal.pk}:{_stamp(proposal.submitted_at)}",
        title=format_lazy(gettext_lazy("Proposal submitted by {opd}: {title}"), opd=proposal.opd, title=proposal.title),
        body=_("Put it on the agenda of the TKKSD plenary."),
        url=proposal.get_absolute_url(),
    )


@in_site_language
def proposal_returned(proposal, actor):
    return _tell(
        ppksd_of(proposal.opd_id),
        actor=actor,
        key=f"proposal_returned:{proposal.pk}:{proposal.events.order_by('-pk').values_list('pk', flat=True).first()}",
        title=format_lazy(gettext_lazy("Proposal returned for revision: {title}"), title=proposal.title),
        body=proposal.revision_note,
        url=proposal.get_absolute_url(),
    )


@in_site_language
def proposal_decided(item, actor):
    proposal = item.proposal
    return _tell(
        ppksd_of(proposal.opd_id),
        actor=actor,
        key=f"proposal_decided:{proposal.pk}:{item.plenary_id}",
        title=format_lazy(
            gettext_lazy("TKKSD plenary decision on “{title}”: {decision}"),
            title=proposal.title,
            decision=item.get_decision_display(),
        ),
        body=item.reasons,
        url=proposal.get_absolute_url(),
    )


# --- documents ---------------------------------------------------------------------------------------------


@in_site_language
def draft_ready(document, actor):
    """A decree or letter drafted to be issued in the Bupati's name: the Pimpinan issue it."""
    if (document.signatory or "") != Office.BUPATI:
        return []
    return _tell(
        with_role(Role.PIMPINAN),
        actor=actor,
        key=f"draft_ready:{document.pk}",
        title=format_lazy(gettext_lazy("Draft waiting for you to issue: {title}"), title=document.title),
        body=_("Check the draft and issue it from its page."),
        url=document.get_absolute_url(),
    )


@in_site_language
def document_issued(document, actor):
    """An issued document goes to the TKKSD and to the OPDs it concerns; a request letter to the
    DPRD also to the DPRD's accounts."""
    Cycle = apps.get_model("planning", "Cycle")
    url = document.get_absolute_url()
    key = f"document_issued:{document.pk}"
    title = format_lazy(
        gettext_lazy("{kind} {number} issued: {title}"),
        kind=document.get_kind_display(),
        number=document.number,
        title=document.title,
    )
    notified = []
    request = DprdApproval.objects.select_related("agreement").filter(request_letter=document).first()
    if request is not None:
        notified += _tell(
            with_role(Role.DPRD),
            actor=actor,
            key=key,
            title=format_lazy(
                gettext_lazy("Request for DPRD approval: {agreement}"), agreement=_agreement(request.agreement)
            ),
            body=format_lazy(gettext_lazy("Letter {number}."), number=document.number),
            url=request.get_absolute_url(),
        )
    opds = set()
    if request is not None:
        opds.add(request.agreement.lead_opd_id)
    if document.kind == DocumentKind.KEPUTUSAN:
        cycle = Cycle.objects.filter(decree=document).first()
        if cycle is not None:
            opds |= set(cycle.proposals.filter(status__in=["prioritised", "adopted"]).values_list("opd_id", flat=True))
    recipients = list(with_role(Role.TKKSD))
    for opd_id in sorted(opd for opd in opds if opd):
        recipients += list(ppksd_of(opd_id))
    notified += _tell(recipients, actor=actor, key=key, title=title, url=url)
    return notified


# --- the DPRD and the lifecycle ------------------------------------------------------------------------


@in_site_language
def dprd_note(note, actor):
    approval = note.approval
    agreement = approval.agreement
    return _tell(
        [*with_role(Role.TKKSD), *ppksd_of(agreement.lead_opd_id)],
        actor=actor,
        key=f"dprd_note:{note.pk}",
        title=format_lazy(gettext_lazy("DPRD review note on {agreement}"), agreement=_agreement(agreement)),
        body=note.text,
        url=approval.get_absolute_url(),
    )


@in_site_language
def stage_moved(transition, actor):
    """The lead OPD's PPKSD are told of every move; a move that is the DPRD's answer is told as
    that answer, to the TKKSD as well."""
    agreement = transition.agreement
    url = agreement.get_absolute_url()
    key = f"stage_moved:{transition.pk}"
    answer = None
    if transition.from_stage == Stage.PERSETUJUAN_DPRD:
        latest = agreement.dprd_approvals.order_by("-pk").first()
        answer = latest if latest is not None and latest.decision in ANSWERED else None
    stage = Stage(transition.to_stage).label
    if answer is not None:
        return _tell(
            [*with_role(Role.TKKSD), *ppksd_of(agreement.lead_opd_id)],
            actor=actor,
            key=key,
            title=format_lazy(
                gettext_lazy("DPRD decision on {agreement}: {decision}"),
                agreement=_agreement(agreement),
                decision=answer.get_decision_display(),
            ),
            body=format_lazy(gettext_lazy("The agreement is now at “{stage}”."), stage=stage),
            url=url,
        )
    return _tell(
        ppksd_of(agreement.lead_opd_id),
        actor=actor,
        key=key,
        title=format_lazy(gettext_lazy("{agreement} moved to “{stage}”"), agreement=_agreement(agreement), stage=stage),
        body=transition.note,
        url=url,
    )


# --- reports (called by monitoring.services) ----------------------------------------------------------


@in_site_language
def report_filed(report, actor):
    return _tell(
        with_role(Role.TKKSD),
        actor=actor,
        key=f"report_filed:{report.pk}:{_stamp(report.submitted_at)}",
        title=format_lazy(
            gettext_lazy("Report for {month} filed: {agreement}"),
            month=formats.date_format(report.period, "F Y"),
            agreement=_agreement(report.agreement),
        ),
        body=_("Review it: accept it or return it with notes."),
        url=report.get_absolute_url(),
    )


@in_site_language
def report_reviewed(report, actor, *, accepted: bool, note: str):
    values = {"month": formats.date_format(report.period, "F Y"), "title": report.agreement.title}
    if accepted:
        title = _("Report for %(month)s accepted: %(title)s") % values
    else:
        title = _("Report for %(month)s returned for revision: %(title)s") % values
    return _tell(
        ppksd_of(report.agreement.lead_opd_id),
        actor=actor,
        key=f"report_reviewed:{report.pk}:{_stamp(report.reviewed_at)}",
        title=title,
        body=note,
        url=report.get_absolute_url(),
    )


# --- the signals ------------------------------------------------------------------------------------------

HANDOFFS = {
    signals.PROPOSAL_SUBMITTED: proposal_submitted,
    signals.PROPOSAL_RETURNED: proposal_returned,
    signals.PROPOSAL_DECIDED: proposal_decided,
    signals.DRAFT_READY: draft_ready,
    signals.DPRD_NOTE: dprd_note,
    signals.STAGE_MOVED: stage_moved,
}


def on_handoff(sender, event, subject, actor, **kwargs):
    handler = HANDOFFS.get(event)
    if handler is not None:
        handler(subject, actor)


def on_document_issued(sender, document, actor, **kwargs):
    document_issued(document, actor)


def connect():
    signals.handoff.connect(on_handoff, dispatch_uid="monitoring.handoffs")
    signals.document_issued.connect(on_document_issued, dispatch_uid="monitoring.handoffs.document_issued")
