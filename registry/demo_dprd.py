"""Demo data for the DPRD approval queue: a member's review note on the demo request and, for
benchmarks, open requests and past answers for the generated agreements, inserted in bulk."""

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import dprd, lifecycle, official
from .demo_agreements import SCENARIOS
from .models import Agreement, DprdApproval, DprdReviewNote, Kind, PemdaProfile, Stage, User

Decision = DprdApproval.Decision
_NEEDS_APPROVAL = Q(kind__in=[Kind.KSDPL, Kind.KSDLL]) | Q(burdens_community=True) | Q(not_yet_budgeted=True)


@transaction.atomic
def seed_dprd(size: int = 0) -> int:
    """Idempotent. Returns how many requests were added."""
    added = _seed_demo_requests()
    return added + (_seed_volume(size) if size else 0)


def _seed_demo_requests() -> int:
    """The demo agreements waiting at the DPRD stage get a request letter, drafted and issued the
    real way three weeks ago, and the DPRD member's first review note."""
    tkksd, member = User.objects.filter(username="tkksd").first(), User.objects.filter(username="dprd").first()
    bupati = User.objects.filter(username="bupati").first()
    if tkksd is None or bupati is None or PemdaProfile.current() is None:
        return 0
    titles = [scenario[0] for scenario in SCENARIOS]
    waiting = (
        Agreement.objects.filter(title__in=titles, stage=Stage.PERSETUJUAN_DPRD)
        .filter(_NEEDS_APPROVAL)
        .exclude(dprd_approvals__decision=Decision.PENDING)
    )
    added = 0
    sent_on = timezone.localdate() - timedelta(days=21)
    for agreement in waiting:
        approval = dprd.draft_request_letter(agreement, actor=tkksd)
        official.issue_document(approval.request_letter, actor=bupati, issue_date=sent_on)
        dprd.record_receipt(
            approval,
            actor=tkksd,
            received_on=sent_on + timedelta(days=1),
            agenda_number=f"005/{approval.pk:03d}/DPRD/{sent_on.year}",
        )
        added += 1
        if member:
            DprdReviewNote.objects.create(
                approval=approval,
                author=member,
                text="Komisi C meminta data debit banjir lima tahun terakhir sebelum rapat kerja.",
            )
    return added


def _seed_volume(size: int) -> int:
    """Open requests for the generated agreements waiting at the DPRD stage, and approvals for
    those already past it, received over the last years (for the queue and the overview)."""
    rng = random.Random(size)
    today = timezone.localdate()
    answered_stages = [*lifecycle.ACTIVE_STAGES, Stage.PENYUSUNAN_PKS, Stage.PENANDATANGANAN_PKS]
    without_request = Agreement.objects.filter(_NEEDS_APPROVAL).exclude(dprd_approvals__isnull=False)
    waiting = list(without_request.filter(stage=Stage.PERSETUJUAN_DPRD).values_list("pk", flat=True))
    answered = list(
        without_request.filter(stage__in=answered_stages).values_list("pk", flat=True)[: max(size // 50, 1)]
    )
    calendar = dprd.calendar_for(today - timedelta(days=5 * 365), today + timedelta(days=120))
    rows = []
    for pk in waiting:
        received = today - timedelta(days=rng.randrange(0, 100))
        rows.append(
            DprdApproval(
                agreement_id=pk,
                request_number=f"100.3.3/{pk % 1000:03d}/KS/{received.year}",
                sent_on=received,
                received_on=received,
                due_on=dprd.deadline_for(received, calendar=calendar),
            )
        )
    for pk in answered:
        received = today - timedelta(days=rng.randrange(100, 5 * 365))
        decision = rng.choice([Decision.APPROVED, Decision.APPROVED, Decision.APPROVED_WITH_NOTES, Decision.REJECTED])
        decided = calendar.add(received, rng.randrange(5, 50))
        rows.append(
            DprdApproval(
                agreement_id=pk,
                request_number=f"100.3.3/{pk % 1000:03d}/KS/{received.year}",
                sent_on=received,
                received_on=received,
                due_on=dprd.deadline_for(received, calendar=calendar),
                decision=decision,
                decision_number=f"170/{pk % 1000:03d}/KEP/DPRD/{decided.year}",
                decision_date=decided,
                answer_workdays=calendar.count(received, decided),
                reasons="Data contoh." if decision != Decision.APPROVED else "",
            )
        )
    DprdApproval.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
