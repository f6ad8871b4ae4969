"""Demo data for planning: a complete past cycle and an open current one.

The past year's cycle went all the way: potentials, proposals, a plenary closed with its issued
Berita Acara, and the SK Bupati whose issue filed its proposals as agreements. This year's cycle
is open, with potentials, submitted proposals (and one draft) and a scheduled plenary. Everything
goes through planning/services.py, as the users would. Idempotent: an existing cycle is left alone.
Run after the registry demo (users, OPDs, the TKKSD, partners).
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from registry import services as registry_services
from registry.models import OPD, Kind, KsddNature, KsdpkType, Partner, PartnerKind, Regency, TkksdMember, Urusan, User

from . import programme, services
from .models import Appointment, Cycle, Decision, MandatoryBasis, Plenary, Potential, Proposal, StrategicIssue

# username, letter number pattern (OPD code), letter day of January
APPOINTMENTS = [
    ("ppksd.dishub", "800/{n:03d}/Dishub/{year}", 6),
    ("ppksd.dishub2", "800/{n:03d}/Dishub/{year}", 6),
    ("ppksd.dlh", "800/{n:03d}/DLH/{year}", 9),
    ("ppksd.dlh2", "800/{n:03d}/DLH/{year}", 9),
    ("ppksd.dinkes", "800/{n:03d}/Dinkes/{year}", 13),
]


@dataclass
class Idea:
    """A potential and, optionally, the proposal grown from it."""

    author: str
    urusan: str
    title: str
    description: str
    problem: str
    issue: str
    candidates: str
    benefit: str
    kind: str
    partners: list[str] = field(default_factory=list)
    mandatory: str = ""
    neighbours: str = ""
    location: str = ""
    proposal: dict | None = None


PAST_IDEAS = [
    Idea(
        "ppksd.dlh",
        "2.11",
        "Pengolahan sampah regional di TPST Piyungan",
        "Lahan dan armada pengangkutan sampah; pengalaman mengelola TPS3R di 17 kapanewon.",
        "Timbulan sampah melebihi kapasitas TPA; pencemaran lintas batas ke Bantul dan Kota Yogyakarta.",
        StrategicIssue.PELAYANAN_PUBLIK,
        "Pemerintah Kota Yogyakarta; Pemerintah Kabupaten Bantul (Sekber Kartamantul)",
        "Biaya pengolahan per ton turun, umur TPA bertambah, pencemaran lindi berkurang.",
        Kind.KSDD,
        ["34.71", "34.02"],
        MandatoryBasis.EXTERNALITY,
        "Kota Yogyakarta, Kabupaten Bantul",
        "TPST Piyungan",
        {
            "title": "Pengelolaan Sampah Regional Kartamantul",
            "object": "Pengolahan sampah bersama di TPST regional Piyungan.",
            "cost": Decimal("2500000000"),
            "funding": "APBD Kabupaten Sleman, Kota Yogyakarta dan Kabupaten Bantul",
            "not_yet_budgeted": True,
            "justification": "Kontribusi APBD tahunan untuk biaya operasional TPST belum dianggarkan.",
            "months": 60,
            "rpjmd": "RPJMD 2021-2026 Misi 4, Program Pengelolaan Persampahan",
            "decision": (Decision.PRIORITISED, 1, "Mendesak karena kapasitas TPA hampir habis"),
        },
    ),
    Idea(
        "ppksd.dishub",
        "2.15",
        "Angkutan perkotaan terintegrasi ke wilayah Sleman",
        "Halte dan terminal tipe C di koridor Jalan Magelang dan Jalan Kaliurang.",
        "Kemacetan di perbatasan kota; warga komuter tidak terlayani angkutan umum.",
        StrategicIssue.KAWASAN_PERBATASAN,
        "Pemerintah Kota Yogyakarta",
        "Perjalanan komuter lebih cepat dan murah; beban jalan di perbatasan berkurang.",
        Kind.KSDD,
        ["34.71"],
        MandatoryBasis.EFFICIENCY,
        "Kota Yogyakarta",
        "Koridor Jalan Magelang dan Jalan Kaliurang",
        {
            "title": "Layanan Angkutan Perkotaan Lintas Batas",
            "object": "Penyelenggaraan trayek angkutan perkotaan dari Kota Yogyakarta ke wilayah Sleman.",
            "cost": Decimal("750000000"),
            "funding": "APBD Kabupaten Sleman",
            "months": 36,
            "rpjmd": "RKPD 2025, Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan",
            "decision": (Decision.PRIORITISED, 2, ""),
        },
    ),
    Idea(
        "ppksd.dinkes",
        "1.02",
        "Sistem rujukan terpadu kawasan perbatasan Merapi",
        "Puskesmas rawat inap di lereng Merapi dan ambulans siaga bencana.",
        "Pasien dari Magelang di kawasan rawan bencana dirujuk jauh; data rujukan tidak terhubung.",
        StrategicIssue.PENANGGULANGAN_BENCANA,
        "Pemerintah Kabupaten Magelang",
        "Waktu rujukan lebih singkat dan pelayanan kegawatdaruratan saat erupsi terkoordinasi.",
        Kind.KSDD,
        ["33.08"],
        MandatoryBasis.EFFICIENCY,
        "Kabupaten Magelang",
        "Kapanewon Cangkringan dan Turi",
        {
            "title": "Rujukan Kesehatan Terpadu Kawasan Merapi",
            "object": "Sistem rujukan pasien dan kesiapsiagaan kesehatan bersama di kawasan perbatasan Merapi.",
            "cost": Decimal("400000000"),
            "funding": "APBD Kabupaten Sleman dan Kabupaten Magelang",
            "months": 36,
            "rpjmd": "RPJMD 2021-2026 Misi 2, Program Pemenuhan Upaya Kesehatan",
            "decision": (Decision.PRIORITISED, 3, ""),
        },
    ),
    Idea(
        "ppksd.dlh2",
        "2.11",
        "Daur ulang plastik bersama pelaku usaha",
        "Jaringan 120 bank sampah binaan di tingkat kalurahan.",
        "Sampah plastik bernilai rendah tidak terserap pengepul dan berakhir di TPA.",
        StrategicIssue.PELAYANAN_PUBLIK,
        "PT Jogja Daur Ulang Lestari",
        "Sampah plastik ke TPA berkurang; bank sampah mendapat harga beli yang pasti.",
        Kind.KSDPK,
        ["PT Jogja Daur Ulang Lestari"],
        proposal={
            "title": "Offtake Plastik Bank Sampah",
            "object": "Pembelian sampah plastik dari bank sampah binaan oleh mitra swasta.",
            "funding": "Mitra swasta",
            "months": 24,
            "ksdpk_type": KsdpkType.LAINNYA,
            "decision": (Decision.DEFERRED, None, "Menunggu hasil studi kelayakan"),
        },
    ),
]

CURRENT_IDEAS = [
    Idea(
        "ppksd.dlh",
        "2.11",
        "Pengendalian pencemaran Sungai Code",
        "Laboratorium lingkungan terakreditasi dan data pemantauan kualitas air.",
        "Pencemaran Sungai Code dari hulu di Sleman berdampak ke Kota Yogyakarta.",
        StrategicIssue.TATA_RUANG,
        "Pemerintah Kota Yogyakarta",
        "Kualitas air sungai membaik; pemantauan dan penegakan dilakukan bersama.",
        Kind.KSDD,
        ["34.71"],
        MandatoryBasis.EXTERNALITY,
        "Kota Yogyakarta",
        "Daerah aliran Sungai Code",
        {
            "title": "Pengendalian Pencemaran DAS Code",
            "object": "Pemantauan kualitas air dan pengendalian pencemaran Sungai Code secara bersama.",
            "cost": Decimal("350000000"),
            "funding": "APBD Kabupaten Sleman dan Kota Yogyakarta",
            "months": 36,
            "rpjmd": "RKPD 2026, Program Pengendalian Pencemaran",
            "submit": True,
        },
    ),
    Idea(
        "ppksd.dishub2",
        "2.15",
        "Park and ride di Terminal Jombor",
        "Lahan parkir terminal Jombor yang belum termanfaatkan.",
        "Kendaraan pribadi komuter memadati jalan menuju pusat kota.",
        StrategicIssue.PELAYANAN_PUBLIK,
        "PT Kereta Api Indonesia (Persero)",
        "Perpindahan ke angkutan umum; pendapatan retribusi parkir.",
        Kind.KSDPK,
        ["PT Kereta Api Indonesia (Persero)"],
        proposal={
            "title": "Park and Ride Terminal Jombor",
            "object": "Pengelolaan parkir dan layanan pengumpan terintegrasi di Terminal Jombor.",
            "cost": Decimal("600000000"),
            "funding": "Mitra dan retribusi parkir",
            "months": 60,
            "ksdpk_type": KsdpkType.PENGELOLAAN_ASET,
            "burdens_community": True,
            "justification": "Penyesuaian tarif retribusi parkir di kawasan terminal.",
            "submit": True,
        },
    ),
    Idea(
        "ppksd.dinkes",
        "1.02",
        "Layanan kesehatan jiwa berbasis komunitas",
        "Puskesmas dengan psikolog klinis di 10 kapanewon.",
        "Rujukan kesehatan jiwa menumpuk di rumah sakit rujukan provinsi.",
        StrategicIssue.PELAYANAN_PUBLIK,
        "Universitas Gadjah Mada",
        "Deteksi dini dan layanan lanjutan lebih dekat dengan warga.",
        Kind.KSDPK,
        ["Universitas Gadjah Mada"],
        proposal={
            "title": "Layanan Kesehatan Jiwa Komunitas",
            "object": "Pendampingan tenaga dan kurikulum layanan kesehatan jiwa di puskesmas.",
            "funding": "APBD Kabupaten Sleman",
            "months": 24,
            "ksdpk_type": KsdpkType.PELAYANAN_PUBLIK,
        },
    ),
    Idea(
        "ppksd.dishub",
        "2.15",
        "Sistem tiket terpadu angkutan aglomerasi",
        "Data trayek dan perizinan angkutan di wilayah Sleman.",
        "Penumpang berganti moda harus membayar berkali-kali.",
        StrategicIssue.INFLASI,
        "Pemerintah Kota Yogyakarta; Pemerintah Kabupaten Bantul",
        "Biaya perjalanan warga turun.",
        Kind.KSDD,
    ),
]


def _partner(ref: str, actor) -> Partner:
    if ref[:2].isdigit():
        existing = Partner.objects.filter(regency_id=ref).first()
        if existing:
            return existing
        regency = Regency.objects.get(code=ref)
        return registry_services.save_partner(
            Partner(kind=PartnerKind.REGION, regency=regency, province=regency.province), actor=actor
        )
    return Partner.objects.get(name=ref)


def seed_appointments(users: dict, year: int) -> int:
    created = 0
    tkksd = users["tkksd"]
    for number, (username, pattern, day) in enumerate(APPOINTMENTS, start=11):
        user = users.get(username)
        if user is None or Appointment.objects.filter(user=user).exists():
            continue
        services.record_appointment(
            actor=tkksd, user=user, letter_number=pattern.format(n=number, year=year), letter_date=date(year, 1, day)
        )
        created += 1
    return created


def _map(cycle: Cycle, idea: Idea, users: dict) -> tuple[Potential, Proposal | None]:
    author = users[idea.author]
    potential = services.create_potential(
        Potential(
            cycle=cycle,
            urusan=Urusan.objects.get(code=idea.urusan),
            title=idea.title,
            description=idea.description,
            location=idea.location,
            problem=idea.problem,
            strategic_issue=idea.issue,
            candidate_partners=idea.candidates,
            candidate_kind=idea.kind,
            expected_benefit=idea.benefit,
            mandatory_basis=idea.mandatory,
            affected_neighbours=idea.neighbours,
        ),
        actor=author,
    )
    if idea.proposal is None:
        return potential, None
    plan = idea.proposal
    proposal = services.create_proposal(
        Proposal(
            potential=potential,
            title=plan["title"],
            kind=idea.kind,
            ksdd_nature=(KsddNature.WAJIB if idea.mandatory else KsddNature.SUKARELA) if idea.kind == Kind.KSDD else "",
            ksdpk_type=plan.get("ksdpk_type", ""),
            urusan=potential.urusan,
            object=plan["object"],
            benefit=idea.benefit,
            cost_estimate=plan.get("cost"),
            funding_source=plan.get("funding", ""),
            burdens_community=plan.get("burdens_community", False),
            not_yet_budgeted=plan.get("not_yet_budgeted", False),
            burden_justification=plan.get("justification", ""),
            duration_months=plan.get("months"),
            rpjmd_reference=plan.get("rpjmd", ""),
        ),
        actor=author,
        partners=[_partner(ref, users["tkksd"]) for ref in idea.partners],
    )
    return potential, proposal


def _attend(plenary: Plenary, tkksd) -> None:
    members = list(TkksdMember.objects.filter(is_active=True).exclude(team_role=TkksdMember.TeamRole.PENGARAH))
    services.record_attendance(plenary, actor=tkksd, members=members)
    services.add_guest(plenary, actor=tkksd, name="Kepala Bagian Perekonomian Setda", position="Setda Kabupaten Sleman")


def seed_past_cycle(year: int, users: dict) -> Cycle:
    tkksd, bupati = users["tkksd"], users["bupati"]
    cycle = services.open_cycle(
        Cycle(
            year=year,
            socialisation_date=date(year, 2, 10),
            coordination_start=date(year, 3, 2),
            coordination_end=date(year, 3, 27),
            submission_deadline=date(year, 4, 30),
            plenary_date=date(year, 6, 12),
            notes="Pemetaan potensi kerja sama daerah bersama seluruh Perangkat Daerah.",
        ),
        actor=tkksd,
    )
    mapped = [_map(cycle, idea, users) for idea in PAST_IDEAS]
    for idea, (_potential, proposal) in zip(PAST_IDEAS, mapped, strict=True):
        services.submit_proposal(proposal, actor=users[idea.author], today=date(year, 4, 20))
    plenary = services.schedule_plenary(
        Plenary(
            cycle=cycle,
            date=cycle.plenary_date,
            start_time=time(9, 0),
            place="Ruang Rapat Sekretariat Daerah Kabupaten Sleman",
            chair="Sekretaris Daerah selaku Ketua TKKSD",
        ),
        actor=tkksd,
    )
    services.add_to_agenda(plenary, actor=tkksd, proposals=[proposal for _potential, proposal in mapped])
    _attend(plenary, tkksd)
    for idea, (_potential, proposal) in zip(PAST_IDEAS, mapped, strict=True):
        decision, rank, reasons = idea.proposal["decision"]
        services.record_decision(plenary, actor=tkksd, proposal=proposal, decision=decision, rank=rank, reasons=reasons)
    services.close_plenary(plenary, actor=tkksd)
    programme.draft_programme(cycle, actor=tkksd)
    cycle.refresh_from_db()
    programme.issue_programme(cycle, actor=bupati, issue_date=date(year, 7, 1))
    return cycle


def seed_current_cycle(year: int, users: dict, today: date) -> Cycle:
    tkksd = users["tkksd"]
    cycle = services.open_cycle(
        Cycle(
            year=year,
            socialisation_date=today - timedelta(days=70),
            coordination_start=today - timedelta(days=60),
            coordination_end=today - timedelta(days=40),
            submission_deadline=today + timedelta(days=7),
            plenary_date=today + timedelta(days=14),
            notes="Usulan disampaikan melalui aplikasi paling lambat pada batas waktu.",
        ),
        actor=tkksd,
    )
    submitted = []
    for idea in CURRENT_IDEAS:
        _potential, proposal = _map(cycle, idea, users)
        if proposal is not None and idea.proposal.get("submit"):
            services.submit_proposal(proposal, actor=users[idea.author], today=today)
            submitted.append(proposal)
    plenary = services.schedule_plenary(
        Plenary(
            cycle=cycle,
            date=cycle.plenary_date,
            start_time=time(9, 0),
            place="Ruang Rapat Sekretariat Daerah Kabupaten Sleman",
            chair="Sekretaris Daerah selaku Ketua TKKSD",
        ),
        actor=tkksd,
    )
    services.add_to_agenda(plenary, actor=tkksd, proposals=submitted)
    return cycle


@transaction.atomic
def seed_planning(today: date | None = None) -> dict[str, int]:
    """The planning demo for last year (complete) and this year (open). Idempotent."""
    today = today or timezone.localdate()
    usernames = ["tkksd", "bupati", *(row[0] for row in APPOINTMENTS)]
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    if "tkksd" not in users or "bupati" not in users or not OPD.objects.exists():
        return {"appointments": 0, "cycles": 0}
    counts = {"appointments": seed_appointments(users, today.year - 1), "cycles": 0}
    if not Cycle.objects.filter(year=today.year - 1).exists():
        seed_past_cycle(today.year - 1, users)
        counts["cycles"] += 1
    if not Cycle.objects.filter(year=today.year).exists():
        seed_current_cycle(today.year, users, today)
        counts["cycles"] += 1
    return counts
