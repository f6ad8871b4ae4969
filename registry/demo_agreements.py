"""Demo agreements: every kind in every stage, with realistic partners and documents, walked
through the real lifecycle; and, for benchmarks, large generated volumes inserted in bulk."""

import importlib
import io
import random
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Mod
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

from . import lifecycle, services
from .models import (
    OPD,
    Agreement,
    AgreementPartner,
    DocumentType,
    DprdApproval,
    EndReason,
    Kind,
    KsddNature,
    KsdpkType,
    Partner,
    PartnerKind,
    Regency,
    Stage,
    Transition,
    Urusan,
    User,
)

# Partners that are not regions (seed 002: Kartamantul; real BUMN/BUMD, universities, K/L).
NAMED_PARTNERS = [
    (PartnerKind.COOPERATION_BODY, "Sekretariat Bersama Kartamantul", ""),
    (PartnerKind.BUMD, "Perumda Air Minum Tirta Sembada", ""),
    (PartnerKind.BUMN, "PT Kereta Api Indonesia (Persero)", ""),
    (PartnerKind.BUMN, "PT PLN (Persero) UP3 Yogyakarta", ""),
    (PartnerKind.PRIVATE_COMPANY, "PT Jogja Daur Ulang Lestari", ""),
    (PartnerKind.COOPERATIVE, "Koperasi Susu Warga Mulya", ""),
    (PartnerKind.UNIVERSITY, "Universitas Gadjah Mada", ""),
    (PartnerKind.UNIVERSITY, "Universitas Negeri Yogyakarta", ""),
    (PartnerKind.FOUNDATION, "Yayasan Lestari Merapi", ""),
    (PartnerKind.CIVIL_SOCIETY, "Forum Pengurangan Risiko Bencana Sleman", ""),
    (PartnerKind.MINISTRY, "Badan Pusat Statistik", ""),
    (PartnerKind.MINISTRY, "Balai Besar Wilayah Sungai Serayu Opak, Kementerian PUPR", ""),
    (PartnerKind.MINISTRY, "Kantor Pertanahan Kabupaten Sleman", ""),
    (PartnerKind.FOREIGN_GOVERNMENT, "Kota Gyeongju", "Korea Selatan"),
    (PartnerKind.FOREIGN_INSTITUTION, "Japan International Cooperation Agency (JICA)", "Jepang"),
]

# Neighbours of Kabupaten Sleman, by Kemendagri code: Kota Yogyakarta, Bantul, Kulon Progo,
# Gunungkidul, and across the provincial border Magelang, Klaten and Boyolali.
REGION_CODES = ["34.71", "34.02", "34.01", "34.03", "33.08", "33.10", "33.09"]

# title, kind, urusan code, lead OPD, partner names or region codes, target stage, extras
SCENARIOS = [
    (
        "Pengelolaan Sampah Regional TPST Piyungan",
        Kind.KSDD,
        "2.11",
        "DLH",
        ["Sekretariat Bersama Kartamantul", "34.71", "34.02"],
        Stage.PELAKSANAAN,
        {"ksdd_nature": KsddNature.WAJIB, "burdens_community": True, "not_yet_budgeted": False},
    ),
    (
        "Penyelenggaraan Angkutan Perkotaan Trans Jogja",
        Kind.KSDD,
        "2.15",
        "Dishub",
        ["34.71", "34.02"],
        Stage.PELAPORAN,
        {"ksdd_nature": KsddNature.WAJIB},
    ),
    (
        "Pengendalian Banjir dan Drainase Lintas Batas",
        Kind.KSDD,
        "1.03",
        "DPUPR",
        ["34.71"],
        Stage.PERSETUJUAN_DPRD,
        {"ksdd_nature": KsddNature.WAJIB, "not_yet_budgeted": True},
    ),
    (
        "Pelayanan Kesehatan Rujukan Perbatasan",
        Kind.KSDD,
        "1.02",
        "Dinkes",
        ["33.08"],
        Stage.PENANDATANGANAN_KB,
        {"ksdd_nature": KsddNature.WAJIB},
    ),
    (
        "Promosi Pariwisata Bersama Koridor Borobudur-Prambanan",
        Kind.KSDD,
        "3.26",
        "Dispar",
        ["33.08", "33.10"],
        Stage.PENYUSUNAN_KB,
        {"ksdd_nature": KsddNature.SUKARELA},
    ),
    (
        "Pertukaran Data Kependudukan Wilayah Perbatasan",
        Kind.KSDD,
        "2.12",
        "Disdukcapil",
        ["34.01"],
        Stage.PENAWARAN,
        {"ksdd_nature": KsddNature.SUKARELA},
    ),
    (
        "Penanggulangan Bencana Erupsi Merapi Terpadu",
        Kind.KSDD,
        "1.05",
        "BPBD",
        ["33.08", "33.10", "33.09"],
        Stage.PERSIAPAN,
        {"ksdd_nature": KsddNature.WAJIB},
    ),
    (
        "Pengelolaan Air Limbah Domestik Terpusat",
        Kind.KSDD,
        "1.04",
        "Disperkim",
        ["34.71", "34.02"],
        Stage.PENYUSUNAN_PKS,
        {"ksdd_nature": KsddNature.WAJIB, "burdens_community": True},
    ),
    (
        "Pemasaran Produk UMKM Antardaerah",
        Kind.KSDD,
        "2.17",
        "Dinkop UKM",
        ["34.03"],
        Stage.BERAKHIR,
        {"ksdd_nature": KsddNature.SUKARELA, "expired": True},
    ),
    (
        "Penyediaan Air Minum Kawasan Perkotaan",
        Kind.KSDPK,
        "1.03",
        "DPUPR",
        ["Perumda Air Minum Tirta Sembada"],
        Stage.PENANDATANGANAN_PKS,
        {"ksdpk_type": KsdpkType.PELAYANAN_PUBLIK},
    ),
    (
        "Pengolahan Sampah Menjadi Bahan Bakar (RDF)",
        Kind.KSDPK,
        "2.11",
        "DLH",
        ["PT Jogja Daur Ulang Lestari"],
        Stage.PERSIAPAN,
        {"ksdpk_type": KsdpkType.INVESTASI, "burdens_community": True, "not_yet_budgeted": True},
    ),
    (
        "Pemanfaatan Aset Stasiun untuk Park and Ride",
        Kind.KSDPK,
        "2.15",
        "Dishub",
        ["PT Kereta Api Indonesia (Persero)"],
        Stage.PELAKSANAAN,
        {"ksdpk_type": KsdpkType.PENGELOLAAN_ASET, "ending_soon": True},
    ),
    (
        "Penelitian dan Pengabdian Masyarakat Desa Wisata",
        Kind.KSDPK,
        "3.26",
        "Dispar",
        ["Universitas Gadjah Mada"],
        Stage.PELAKSANAAN,
        {"ksdpk_type": KsdpkType.LAINNYA},
    ),
    (
        "Pendampingan Koperasi Susu Lereng Merapi",
        Kind.KSDPK,
        "2.17",
        "Dinkop UKM",
        ["Koperasi Susu Warga Mulya"],
        Stage.DIBATALKAN,
        {"ksdpk_type": KsdpkType.LAINNYA},
    ),
    (
        "Penerangan Jalan Umum Hemat Energi",
        Kind.KSDPK,
        "1.03",
        "Dishub",
        ["PT PLN (Persero) UP3 Yogyakarta"],
        Stage.BERAKHIR,
        {"ksdpk_type": KsdpkType.PELAYANAN_PUBLIK},
    ),
    (
        "Sinergi Data Statistik Sektoral",
        Kind.SINERGI,
        "2.20",
        "Diskominfo",
        ["Badan Pusat Statistik"],
        Stage.PELAKSANAAN,
        {},
    ),
    (
        "Sinergi Normalisasi Sungai Gajah Wong",
        Kind.SINERGI,
        "1.03",
        "DPUPR",
        ["Balai Besar Wilayah Sungai Serayu Opak, Kementerian PUPR"],
        Stage.PENYUSUNAN_NK_RK,
        {},
    ),
    (
        "Sinergi Percepatan Sertifikasi Tanah Aset Daerah",
        Kind.SINERGI,
        "2.10",
        "BPKAD",
        ["Kantor Pertanahan Kabupaten Sleman"],
        Stage.PERSIAPAN,
        {},
    ),
    (
        "Kota Kembar Sleman-Gyeongju: Pelestarian Cagar Budaya",
        Kind.KSDPL,
        "2.22",
        "Disbud",
        ["Kota Gyeongju"],
        Stage.PENYUSUNAN_RENCANA,
        {},
    ),
    (
        "Pengurangan Risiko Bencana Berbasis Komunitas",
        Kind.KSDLL,
        "1.05",
        "BPBD",
        ["Japan International Cooperation Agency (JICA)"],
        Stage.PENJAJAKAN,
        {},
    ),
    (
        "Forum Relawan Tangguh Bencana",
        Kind.KSDPK,
        "1.05",
        "BPBD",
        ["Forum Pengurangan Risiko Bencana Sleman"],
        Stage.DITOLAK,
        {"ksdpk_type": KsdpkType.LAINNYA},
    ),
]

DOCUMENT_FOR_CHECK = {
    Stage.PERSIAPAN: [DocumentType.KAJIAN_TKKSD, DocumentType.STUDI_KELAYAKAN],
    Stage.PENAWARAN: [DocumentType.SURAT_PENAWARAN],
    Stage.PENYUSUNAN_KB: [DocumentType.DRAF_KB],
    Stage.PENANDATANGANAN_KB: [DocumentType.KB],
    Stage.PENYUSUNAN_PKS: [DocumentType.DRAF_PKS],
    Stage.PENANDATANGANAN_PKS: [DocumentType.PKS],
    Stage.PENYUSUNAN_NK_RK: [DocumentType.DRAF_NK_RK],
    Stage.PENANDATANGANAN_NK_RK: [DocumentType.NK_RK],
    Stage.PENANDATANGANAN_LOI: [DocumentType.LOI],
    Stage.PENYUSUNAN_RENCANA: [DocumentType.RENCANA_KERJA_SAMA],
    Stage.PERTIMBANGAN_MENDAGRI: [DocumentType.PERTIMBANGAN_MENDAGRI],
    Stage.PERSETUJUAN_NASKAH: [DocumentType.NASKAH],
    Stage.KONFIRMASI_KEMLU: [DocumentType.KONFIRMASI_KEMLU],
    Stage.PENANDATANGANAN_NASKAH: [DocumentType.NASKAH],
}
SIGNED_TYPES = {DocumentType.KB, DocumentType.PKS, DocumentType.NK_RK}


def demo_titles() -> list[str]:
    """The titles of the demo's own agreements (SCENARIOS), as opposed to generated ones."""
    return [scenario[0] for scenario in SCENARIOS]


def demo_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a scan."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({NameObject("/Title"): TextStringObject(title)})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _partner(name_or_code: str, actor) -> Partner:
    if name_or_code[:2].isdigit():
        regency = Regency.objects.get(code=name_or_code)
        existing = Partner.objects.filter(regency=regency).first()
        return existing or services.save_partner(
            Partner(kind=PartnerKind.REGION, regency=regency, province=regency.province), actor=actor
        )
    return Partner.objects.get(name=name_or_code)


def seed_partners(actor) -> int:
    for kind, name, country in NAMED_PARTNERS:
        if not Partner.objects.filter(name=name).exists():
            services.save_partner(Partner(kind=kind, name=name, country=country), actor=actor)
    for code in REGION_CODES:
        _partner(code, actor)
    return Partner.objects.count()


def _upload(agreement, doc_type, actor, number_prefix="") -> None:
    signing_text = doc_type == DocumentType.NASKAH and agreement.stage == Stage.PENANDATANGANAN_NASKAH
    signed = doc_type in SIGNED_TYPES or signing_text
    label = DocumentType(doc_type).label
    today = timezone.localdate()
    services.upload_document(
        agreement,
        actor=actor,
        upload=services.DocumentUpload(
            doc_type=doc_type,
            file=SimpleUploadedFile(f"{label}.pdf", demo_pdf(str(label)), content_type="application/pdf"),
            is_signed=signed,
            number=f"{number_prefix or '000'}/{agreement.pk:03d}/KS/{today.year}" if signed else "",
            partner_number=f"MITRA/{agreement.pk:03d}/{today.year}" if signed else "",
            date=today,
            has_paraf=signed,
            has_materai=signed,
            has_stempel=signed,
        ),
    )


def _walk_to(agreement: Agreement, target: str, actor, today: date) -> None:
    """Take the real steps, filing what each stage needs, until `target` is reached."""
    for _attempt in range(30):
        # The request to the DPRD is sent with the draft PKS (registry/dprd.py: REQUIRED_ATTACHMENTS).
        if (
            agreement.stage == Stage.PERSETUJUAN_DPRD
            and agreement.kind in (Kind.KSDD, Kind.KSDPK)
            and not agreement.documents.filter(doc_type=DocumentType.DRAF_PKS).exists()
        ):
            _upload(agreement, DocumentType.DRAF_PKS, actor)
        if agreement.stage == target:
            return
        if agreement.stage == Stage.PERSETUJUAN_DPRD:
            approval = services.request_dprd_approval(
                agreement,
                actor=actor,
                request_number=f"100.3.3/{agreement.pk:03d}/KS",
                received_on=today - timedelta(days=20),
            )
            if target == Stage.PERSETUJUAN_DPRD:
                return
            services.record_dprd_decision(
                approval,
                actor=actor,
                decision=DprdApproval.Decision.APPROVED,
                decision_number=f"170/{agreement.pk:02d}/KEP/DPRD/{today.year}",
                decision_date=today - timedelta(days=5),
            )
            agreement.refresh_from_db()
            continue
        for doc_type in DOCUMENT_FOR_CHECK.get(agreement.stage, []):
            if doc_type == DocumentType.STUDI_KELAYAKAN and agreement.kind != Kind.KSDPK:
                continue
            _upload(agreement, doc_type, actor, number_prefix="100.3.3")
        if agreement.stage == Stage.PENYUSUNAN_PKS:
            from .clauses import CLAUSES

            services.set_pks_contents(
                agreement,
                actor=actor,
                clauses=[clause.code for clause in CLAUSES],
                legal_analysis="Telah ditelaah Bagian Hukum: tidak bertentangan dengan peraturan perundang-undangan.",
            )
        forward = [m for m in lifecycle.allowed_moves(agreement, actor) if m.kind == lifecycle.MoveKind.FORWARD]
        if not forward:
            return
        lifecycle.advance(agreement, forward[0].to_stage, actor=actor, note="Data contoh.")
    raise RuntimeError(f"could not reach {target} for {agreement}")


@transaction.atomic
def seed_agreements(today: date | None = None) -> int:
    """The demo register: idempotent by title."""
    today = today or timezone.localdate()
    actor = User.objects.get(username="tkksd")
    seed_partners(actor)
    created = 0
    for title, kind, urusan_code, opd_abbreviation, partner_refs, target, extras in SCENARIOS:
        if Agreement.objects.filter(title=title).exists():
            continue
        extras = dict(extras)
        expired, ending_soon = extras.pop("expired", False), extras.pop("ending_soon", False)
        start = today - timedelta(days=400)
        end = today + timedelta(days=60 if ending_soon else 4 * 365)
        if expired:
            start, end = today - timedelta(days=5 * 365), today - timedelta(days=30)
        agreement = Agreement(
            kind=kind,
            title=title,
            object=f"{title} di wilayah Kabupaten Sleman dan sekitarnya.",
            scope="Perencanaan, pelaksanaan, pembiayaan bersama, serta monitoring dan evaluasi.",
            background=(
                f"Urusan {title.lower()} melintasi batas wilayah administrasi, sehingga tidak dapat ditangani "
                "secara efektif dan efisien oleh satu daerah saja."
            ),
            purpose=f"Menyelenggarakan {title.lower()} secara bersama-sama",
            objectives=(
                "Tujuan: meningkatkan kualitas pelayanan publik bagi masyarakat di wilayah para pihak.\n"
                "Sasaran: terselenggaranya layanan bersama sesuai standar pelayanan minimal."
            ),
            urusan=Urusan.objects.get(code=urusan_code),
            lead_opd=OPD.objects.get(abbreviation=opd_abbreviation),
            value=Decimal(random.Random(title).randrange(50, 5000)) * Decimal("1000000"),
            funding_source="APBD Kabupaten Sleman dan mitra",
            start_date=start,
            end_date=end,
            duration_months=(end.year - start.year) * 12 + end.month - start.month,
            own_signatory="Bupati Sleman",
            rpjmd_reference="RPJMD Kabupaten Sleman 2021-2026, Misi 4",
            burden_justification="Memerlukan kontribusi APBD setiap tahun selama masa kerja sama."
            if extras.get("burdens_community") or extras.get("not_yet_budgeted")
            else "",
            **extras,
        )
        partners = [_partner(ref, actor) for ref in partner_refs]
        services.create_agreement(agreement, actor=actor, partners=partners)
        created += 1
        if target in (Stage.DITOLAK, Stage.DIBATALKAN):
            lifecycle.advance(agreement, target, actor=actor, note="Tidak dilanjutkan: belum menjadi prioritas RKPD.")
            continue
        if target == Stage.BERAKHIR:
            _walk_to(agreement, Stage.PELAKSANAAN, actor, today)
            reason = EndReason.TERM_EXPIRED if expired else EndReason.MUTUAL_AGREEMENT
            lifecycle.advance(agreement, Stage.BERAKHIR, actor=actor, end_reason=reason, note="Data contoh.")
            continue
        _walk_to(agreement, target, actor, today)
    return created


# --- benchmark volume -----------------------------------------------------------------------------

_SUBJECTS = [
    "Pengelolaan Sampah",
    "Air Minum",
    "Transportasi Publik",
    "Pelayanan Kesehatan",
    "Pendidikan Vokasi",
    "Promosi Pariwisata",
    "Penanggulangan Bencana",
    "Data Kependudukan",
    "Irigasi Pertanian",
    "Pasar Rakyat",
    "Jaringan Internet Desa",
    "Perlindungan Anak",
    "Ketahanan Pangan",
    "Pengembangan UMKM",
    "Pelestarian Budaya",
]
_PLACES = [
    "Kawasan Perbatasan",
    "Wilayah Utara",
    "Lereng Merapi",
    "Aglomerasi Perkotaan",
    "Koridor Selatan",
    "Desa Wisata",
]


@contextmanager
def _search_index_built_after():
    """On PostgreSQL, drop the full-text GIN index while generated rows go in and build it once
    after: keeping it current row by row takes half the time of a bulk insert. Inside a
    transaction (a test's) the index stays, as PostgreSQL cannot build it over pending checks."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    index = importlib.import_module("registry.migrations.0028_agreement_search_vector")
    with connection.cursor() as cursor:
        cursor.execute(index.DROP)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(index.CREATE)


def seed_volume(size: int, *, batch: int = 5000) -> int:
    """Add `size` generated agreements in bulk (for `make bench`), spread over every kind,
    stage, OPD, urusan, partner and year, each with the first line of its timeline."""
    if size <= 0:
        return 0
    rng = random.Random(size)
    actor = User.objects.get(username="tkksd")
    seed_partners(actor)
    opds = list(OPD.objects.values_list("pk", flat=True))
    urusan = list(Urusan.objects.values_list("pk", flat=True))
    partners = list(Partner.objects.values_list("pk", "name"))
    stages_by_kind = {kind: [*lifecycle.stages_of(kind), Stage.BERAKHIR] for kind in Kind.values}
    today = timezone.localdate()
    year = today.year
    from .models import Counter

    created = 0
    with _search_index_built_after():
        while created < size:
            count = min(batch, size - created)
            first = (
                Counter.objects.filter(series=services.REGISTER_SERIES, year=year)
                .values_list("value", flat=True)
                .first()
                or 0
            )
            Counter.objects.update_or_create(
                series=services.REGISTER_SERIES, year=year, defaults={"value": first + count}
            )
            rows, stages, chosen_partners, involved = [], [], [], []
            for offset in range(count):
                kind = rng.choice(Kind.values)
                stage = rng.choice(stages_by_kind[kind])
                start = today - timedelta(days=rng.randrange(0, 8 * 365))
                end = start + timedelta(days=rng.randrange(180, 5 * 365))
                partner = rng.choice(partners)
                title = f"{rng.choice(_SUBJECTS)} {rng.choice(_PLACES)} {start.year}"
                rows.append(
                    Agreement(
                        kind=kind,
                        register_number=f"KS-{year}-{first + offset + 1:05d}",
                        title=title,
                        object=f"Kerja sama {title.lower()}.",
                        urusan_id=rng.choice(urusan),
                        lead_opd_id=rng.choice(opds),
                        ksdd_nature=rng.choice(KsddNature.values) if kind == Kind.KSDD else "",
                        ksdpk_type=rng.choice(KsdpkType.values) if kind == Kind.KSDPK else "",
                        value=Decimal(rng.randrange(10, 9000)) * Decimal("1000000"),
                        burdens_community=rng.random() < 0.3,
                        start_date=start,
                        end_date=end,
                        end_reason=EndReason.TERM_EXPIRED if stage == Stage.BERAKHIR else "",
                        own_number=f"100.3.3/{rng.randrange(1, 999):03d}/KS/{start.year}",
                        search_document=f"{title} Kerja sama {title.lower()}. {partner[1]}",
                        partner_names=partner[1],
                        created_by=actor,
                    )
                )
                stages.append(stage)
                chosen_partners.append(partner[0])
                # About one agreement in four involves one or two OPDs besides the lead.
                others = rng.sample(opds, rng.choice((1, 2))) if rng.random() < 0.25 else []
                involved.append([pk for pk in others if pk != rows[-1].lead_opd_id])
            lifecycle.bulk_start(rows, actor=actor, stages=stages, batch_size=batch)
            AgreementPartner.objects.bulk_create(
                [AgreementPartner(agreement=row, partner_id=pk) for row, pk in zip(rows, chosen_partners, strict=True)],
                batch_size=batch,
            )
            Agreement.other_opds.through.objects.bulk_create(
                [
                    Agreement.other_opds.through(agreement=row, opd_id=pk)
                    for row, pks in zip(rows, involved, strict=True)
                    for pk in pks
                ],
                batch_size=batch,
            )
            created += count
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would gather them, so that the planner uses the indexes.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE registry_agreement, registry_agreementpartner, registry_agreement_other_opds,"
                " registry_transition"
            )
    return created


# Days by which `spread_stage_dates` moves back the last stage change, by agreement number.
STAGE_AGE_STEPS = (0, 3, 9, 20, 35, 50, 65, 80, 120, 200)


def spread_stage_dates() -> int:
    """Agreements just seeded all moved "now": move the last stage change of those still being
    prepared back by 0 to 200 days (by their number), with their timeline lines, so that some are
    stuck past STAGE_STALE_DAYS and the work queues look like a real office's. Only rows changed
    within the last day move, so running the seed again changes nothing twice."""
    fresh = timezone.now() - timedelta(days=1)
    preparing = [stage for stage in Stage.values if stage not in lifecycle.ACTIVE_STAGES | lifecycle.CLOSED_STAGES]
    moved = 0
    for index, days in enumerate(STAGE_AGE_STEPS):
        if not days:
            continue
        ids = list(
            Agreement.objects.filter(stage__in=preparing, stage_changed_at__gt=fresh)
            .annotate(bucket=Mod("pk", len(STAGE_AGE_STEPS)))
            .filter(bucket=index)
            .values_list("pk", flat=True)
        )
        shift = timedelta(days=days)
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            Transition.objects.filter(agreement_id__in=chunk, at__gt=fresh).update(at=F("at") - shift)
            moved += Agreement.objects.filter(pk__in=chunk).update(stage_changed_at=F("stage_changed_at") - shift)
    return moved
