"""Demo data for the registry: the Pemda, its OPDs and one account per role.

Idempotent: running it again updates the same rows. Demo passwords are documented in
README.md; never run this against a production database.
"""

from io import BytesIO

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from .models import OPD, Delegation, DocumentKind, Office, PemdaProfile, Regency, TkksdMember, User
from .roles import Role

DEMO_PASSWORD = "KerjaSama2026!"  # noqa: S105 documented demo password, README.md

# A typical kabupaten's perangkat daerah (after the 2024 restructurings), editable by Admin.
DEMO_OPDS = [
    ("Sekretariat Daerah", "Setda"),
    ("Sekretariat DPRD", "Setwan"),
    ("Inspektorat Daerah", "Inspektorat"),
    ("Badan Perencanaan Pembangunan, Riset, dan Inovasi Daerah", "Bapperida"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("Badan Pendapatan Daerah", "Bapenda"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("Dinas Perumahan dan Kawasan Permukiman", "Disperkim"),
    ("Satuan Polisi Pamong Praja", "Satpol PP"),
    ("Dinas Sosial", "Dinsos"),
    ("Dinas Tenaga Kerja", "Disnaker"),
    (
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        "DP3AP2KB",
    ),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("Dinas Pemberdayaan Masyarakat dan Kalurahan", "DPMK"),
    ("Dinas Perhubungan", "Dishub"),
    ("Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("Dinas Koperasi, Usaha Kecil dan Menengah", "Dinkop UKM"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("Dinas Pemuda dan Olahraga", "Dispora"),
    ("Dinas Kebudayaan", "Disbud"),
    ("Dinas Perpustakaan dan Kearsipan", "Dispusip"),
    ("Dinas Pariwisata", "Dispar"),
    ("Dinas Pertanian, Pangan dan Perikanan", "DP3"),
    ("Dinas Perindustrian dan Perdagangan", "Disperindag"),
    ("Rumah Sakit Umum Daerah", "RSUD"),
]

# username, first name, last name, roles, OPD abbreviation, position, NIP
DEMO_USERS = [
    ("admin", "Admin", "Sistem", [Role.ADMIN], "Diskominfo", "Pranata Komputer", "199001012015031001"),
    ("tkksd", "Rina", "Kusumawati", [Role.TKKSD], "Setda", "Kepala Bagian Kerja Sama", "197805122003122004"),
    (
        "sekda",
        "Bambang",
        "Wicaksono",
        [Role.PIMPINAN, Role.TKKSD],
        "Setda",
        "Sekretaris Daerah",
        "196905171994031006",
    ),
    ("bupati", "Harjono", "Prawiro", [Role.PIMPINAN], "Setda", "Bupati", ""),
    ("dprd", "Sri", "Lestari", [Role.DPRD], "Setwan", "Ketua Komisi A DPRD", ""),
    (
        "ppksd.dishub",
        "Agus",
        "Setiawan",
        [Role.PPKSD],
        "Dishub",
        "Kepala Seksi Angkutan",
        "198203142008011003",
    ),
    ("ppksd.dishub2", "Dewi", "Anggraini", [Role.PPKSD], "Dishub", "Analis Kebijakan", "198811202012122002"),
    ("ppksd.dlh", "Yusuf", "Hidayat", [Role.PPKSD], "DLH", "Kepala Bidang Persampahan", "198004252006041005"),
    (
        "ppksd.dlh2",
        "Maya",
        "Puspitasari",
        [Role.PPKSD],
        "DLH",
        "Penata Kelola Lingkungan",
        "199107082015032001",
    ),
    ("ppksd.dinkes", "Andi", "Pratama", [Role.PPKSD], "Dinkes", "Kepala Seksi Rujukan", "198509302010011007"),
]


def _placeholder_emblem() -> bytes:
    """A plainly marked stand-in for the Garuda Pancasila in the demo: the app bundles no emblem,
    and a Pemda's Admin uploads the official image (decrees are not issued without one)."""
    image = Image.new("RGB", (240, 260), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 10, 220, 210), outline=(176, 141, 38), width=8)
    draw.text((62, 95), "LAMBANG", fill=(176, 141, 38))
    draw.text((62, 115), "(contoh demo)", fill=(176, 141, 38))
    draw.text((70, 225), "GARUDA PANCASILA", fill=(120, 90, 20))
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed_reference_demo() -> dict[str, int]:
    sleman = Regency.objects.get(code="34.04")
    PemdaProfile.objects.update_or_create(
        pk=1,
        defaults={
            "regency": sleman,
            "capital": "Sleman",
            "head_title": "Bupati",
            "head_name": "Harjono Prawiro",
            "head_decree_name": "HARJONO PRAWIRO",
            "secretary_name": "Bambang Wicaksono",
            "secretary_nip": "196905171994031006",
            "address": "Jalan Parasamya Nomor 1, Beran, Tridadi, Sleman",
            "postal_code": "55511",
            "phone": "(0274) 868405",
            "email": "kerjasama@slemankab.go.id",
            "website": "www.slemankab.go.id",
        },
    )
    profile = PemdaProfile.objects.get(pk=1)
    if not profile.garuda_emblem:
        profile.garuda_emblem.save("garuda-contoh.png", ContentFile(_placeholder_emblem()), save=False)
        profile.save(update_fields=["garuda_emblem"])
    opds = {}
    for name, abbreviation in DEMO_OPDS:
        opd, _ = OPD.objects.update_or_create(
            name=name, defaults={"abbreviation": abbreviation, "head_title": f"Kepala {name}"}
        )
        opds[abbreviation] = opd
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    for username, first, last, roles, opd_abbreviation, position, nip in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.kerjasama.local",
                "opd": opds[opd_abbreviation],
                "position": position,
                "nip": nip,
                "is_staff": Role.ADMIN in roles,
                "is_superuser": Role.ADMIN in roles,
            },
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([groups[role] for role in roles])
    seed_tkksd_members(opds)
    seed_issuing_offices()
    return {"opds": len(opds), "users": len(DEMO_USERS)}


def seed_issuing_offices() -> None:
    """The chair's account holds the office of the Ketua TKKSD; the Kepala Bagian Kerja Sama issues
    the Berita Acara on a delegation from him, recorded by Admin. Idempotent."""
    from datetime import date

    from django.utils import timezone

    users = {user.username: user for user in User.objects.filter(username__in=["sekda", "tkksd", "admin"])}
    if len(users) < 3:
        return
    TkksdMember.objects.filter(team_role=TkksdMember.TeamRole.KETUA, user__isnull=True).update(user=users["sekda"])
    year = timezone.localdate().year
    if not Delegation.objects.filter(delegate=users["tkksd"], office=Office.KETUA_TKKSD).exists():
        Delegation.objects.create(
            delegate=users["tkksd"],
            office=Office.KETUA_TKKSD,
            document_kinds=[DocumentKind.BERITA_ACARA],
            valid_from=date(year - 1, 1, 1),
            valid_until=date(year + 1, 12, 31),
            letter_number=f"800.1.11.1/017/{year - 1}",
            letter_date=date(year - 1, 1, 2),
            recorded_by=users["admin"],
        )


# The Tim Koordinasi Kerja Sama Daerah as a typical Keputusan Bupati composes it (domain.md, roles).
DEMO_TKKSD = [
    ("Harjono Prawiro", "", "Bupati Sleman", TkksdMember.TeamRole.PENGARAH, "Setda"),
    ("Bambang Wicaksono", "196905171994031006", "Sekretaris Daerah", TkksdMember.TeamRole.KETUA, "Setda"),
    (
        "Sri Purwaningsih",
        "197203121997032004",
        "Asisten Pemerintahan dan Kesejahteraan Rakyat",
        TkksdMember.TeamRole.WAKIL_KETUA,
        "Setda",
    ),
    ("Dwi Anggraini", "198004152005012009", "Kepala Bagian Kerja Sama Setda", TkksdMember.TeamRole.SEKRETARIS, "Setda"),
    ("Agus Santosa", "197508102000031003", "Kepala Bapperida", TkksdMember.TeamRole.ANGGOTA, "Bapperida"),
    ("Rini Hastuti", "197611232001122002", "Kepala BPKAD", TkksdMember.TeamRole.ANGGOTA, "BPKAD"),
    ("Yusuf Kurniawan", "197901052003121005", "Kepala Bagian Hukum Setda", TkksdMember.TeamRole.ANGGOTA, "Setda"),
    ("Endang Lestari", "197702142002122003", "Inspektur Daerah", TkksdMember.TeamRole.ANGGOTA, "Inspektorat"),
    ("Teguh Prasetyo", "198107302006041008", "Kepala Dinas Perhubungan", TkksdMember.TeamRole.ANGGOTA, "Dishub"),
]


def seed_tkksd_members(opds) -> int:
    """The TKKSD's membership, recorded once (an existing list is the Pemda's own and left alone)."""
    if TkksdMember.objects.exists():
        return 0
    TkksdMember.objects.bulk_create(
        TkksdMember(name=name, nip=nip, position=position, team_role=role, opd=opds.get(opd), order=index)
        for index, (name, nip, position, role, opd) in enumerate(DEMO_TKKSD, start=1)
    )
    return len(DEMO_TKKSD)


def sign_demo_originals(today=None, *, waiting_days: int = 14) -> int:
    """The demo's older issued documents carry their signed original, recorded as the office would
    after the signatory signed the paper (the issued PDF stands in for the scan), so that only the
    recent ones wait in the Pimpinan's work queue. Idempotent: signed documents are not listed."""
    from datetime import timedelta

    from django.utils import timezone

    from . import official
    from .official import signed

    today = today or timezone.localdate()
    bupati = User.objects.filter(username="bupati").first()
    if bupati is None:
        return 0
    profile = PemdaProfile.objects.first()
    chair = TkksdMember.objects.filter(is_active=True, team_role=TkksdMember.TeamRole.KETUA).first()
    names = {Office.BUPATI: profile.head_name if profile else "", Office.KETUA_TKKSD: chair.name if chair else ""}
    recorded = 0
    for document in official.awaiting_signature(today).filter(issue_date__lt=today - timedelta(days=waiting_days)):
        signed.record_wet_signature(
            document,
            actor=bupati,
            content=official.read_issued(document),
            signed_on=document.issue_date,
            signer_name=names.get(signed.office_of(document)) or str(bupati),
        )
        recorded += 1
    return recorded
