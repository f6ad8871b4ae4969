"""Building blocks of planning tests; everything goes through planning/services.py."""

import io
import re
from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone
from pypdf import PdfReader

from planning import services
from planning.models import Cycle, Decision, Plenary, Potential, Proposal, StrategicIssue
from registry.demo import seed_tkksd_members
from registry.models import Kind, KsddNature, TkksdMember, Urusan
from registry.tests.factories import PemdaProfileFactory, make_partner, region_partner


def the_team(chair=None):
    """The Pemda profile and the TKKSD's members (a chair and a secretary sign the Berita Acara);
    `chair` is the account of the Ketua TKKSD, who closes plenaries and issues their minutes."""
    PemdaProfileFactory()
    seed_tkksd_members({})
    if chair is not None:
        TkksdMember.objects.filter(team_role=TkksdMember.TeamRole.KETUA).update(user=chair)


def open_cycle(tkksd, year=None, *, deadline=None, plenary=None) -> Cycle:
    today = timezone.localdate()
    deadline = deadline or today + timedelta(days=10)
    plenary = plenary or deadline + timedelta(days=5)
    return services.open_cycle(
        Cycle(
            year=year or today.year,
            socialisation_date=deadline - timedelta(days=60),
            coordination_start=deadline - timedelta(days=50),
            coordination_end=deadline - timedelta(days=30),
            submission_deadline=deadline,
            plenary_date=plenary,
        ),
        actor=tkksd,
    )


def map_potential(ppksd, cycle, title="Pengolahan sampah regional", **fields) -> Potential:
    values = {
        "cycle": cycle,
        "urusan": Urusan.objects.get(code="2.11"),
        "title": title,
        "description": "Lahan dan armada pengangkutan sampah.",
        "problem": "Timbulan sampah melebihi kapasitas TPA.",
        "strategic_issue": StrategicIssue.PELAYANAN_PUBLIK,
        "candidate_partners": "Pemerintah Kota Yogyakarta",
        "candidate_kind": Kind.KSDD,
        "expected_benefit": "Biaya pengolahan per ton turun.",
    }
    values.update(fields)
    return services.create_potential(Potential(**values), actor=ppksd)


def draft_proposal(ppksd, potential, title="Pengelolaan Sampah Regional", partners=None, **fields) -> Proposal:
    values = {
        "potential": potential,
        "title": title,
        "kind": Kind.KSDD,
        "ksdd_nature": KsddNature.WAJIB,
        "urusan": potential.urusan,
        "object": f"{title}: pengolahan sampah bersama di TPST regional.",
        "benefit": "Biaya pengolahan per ton turun.",
        "cost_estimate": Decimal("1250000000"),
        "funding_source": "APBD Kabupaten Sleman",
        "duration_months": 36,
        "rpjmd_reference": "RPJMD Misi 4",
    }
    values.update(fields)
    if partners is None:
        partners = [region_partner("34.71")] if values["kind"] == Kind.KSDD else [make_partner()]
    return services.create_proposal(Proposal(**values), actor=ppksd, partners=partners)


def submitted_proposal(ppksd, cycle, title="Pengelolaan Sampah Regional", **fields) -> Proposal:
    potential = map_potential(ppksd, cycle, title=f"Potensi {title}")
    proposal = draft_proposal(ppksd, potential, title=title, **fields)
    return services.submit_proposal(proposal, actor=ppksd)


def schedule(tkksd, cycle, when=None) -> Plenary:
    return services.schedule_plenary(
        Plenary(
            cycle=cycle,
            date=when or timezone.localdate(),
            start_time=time(9, 0),
            place="Ruang Rapat Sekretariat Daerah Kabupaten Sleman",
            chair="Sekretaris Daerah selaku Ketua TKKSD",
        ),
        actor=tkksd,
    )


def hold_plenary(tkksd, plenary, decisions) -> None:
    """Put the proposals on the agenda, record everyone present and each decision.

    `decisions` is a list of (proposal, decision, rank, reasons).
    """
    from registry.models import TkksdMember

    services.add_to_agenda(plenary, actor=tkksd, proposals=[row[0] for row in decisions])
    services.record_attendance(plenary, actor=tkksd, members=list(TkksdMember.objects.filter(is_active=True)))
    for proposal, decision, rank, reasons in decisions:
        services.record_decision(plenary, actor=tkksd, proposal=proposal, decision=decision, rank=rank, reasons=reasons)


def prioritise(tkksd, plenary, proposals) -> None:
    hold_plenary(tkksd, plenary, [(p, Decision.PRIORITISED, rank, "") for rank, p in enumerate(proposals, start=1)])


def pdf_text(document) -> str:
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text().replace("\u2010\n", "") for page in reader.pages)


def compact(text: str) -> str:
    """Text without any whitespace: justified lines and line breaks inside numbers do not matter."""
    return re.sub(r"\s+", "", text)


def last_year() -> int:
    return timezone.localdate().year - 1
