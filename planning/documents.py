"""The printed content of the plenary's Berita Acara and of the programme's Keputusan Bupati.

Both return the `draft_data` that registry.official.build expects for their kind. Documents are
always in Indonesian, whatever the interface language, so nothing here is translated.
"""

from kerjasama.formatting import number_in_words, rupiah
from registry.models import DocumentKind
from registry.official import legal

from .models import AgendaItem, Decision, Proposal

KIND_NAMES = {
    "ksdd": "KSDD (dengan Daerah Lain)",
    "ksdpk": "KSDPK (dengan Pihak Ketiga)",
    "ksdpl": "KSDPL (dengan Pemerintah Daerah di Luar Negeri)",
    "ksdll": "KSDLL (dengan Lembaga di Luar Negeri)",
    "sinergi": "Sinergi dengan Pemerintah Pusat",
}

DECISION_NAMES = {
    Decision.PRIORITISED: "Diprioritaskan",
    Decision.DEFERRED: "Ditunda",
    Decision.REJECTED: "Ditolak",
    Decision.RETURNED: "Dikembalikan untuk diperbaiki",
}


def partner_names(proposal: Proposal) -> str:
    names = [partner.name for partner in proposal.partners.all()]
    if proposal.other_candidates:
        names.append(proposal.other_candidates)
    return "; ".join(names) or "-"


def _in_sentence(text: str) -> str:
    """Reasons continue a sentence: "Mendesak karena …" becomes "mendesak karena …" (acronyms stay)."""
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def decision_sentence(item: AgendaItem) -> str:
    proposal = item.proposal
    subject = f"Usulan {proposal.number} “{proposal.title}” dari {proposal.opd.name}"
    reasons = _in_sentence(item.reasons)
    if item.decision == Decision.PRIORITISED:
        sentence = f"{subject} diprioritaskan dengan peringkat {item.rank}"
        return f"{sentence}, dengan pertimbangan {reasons}." if reasons else f"{sentence}."
    if item.decision == Decision.DEFERRED:
        return f"{subject} ditunda pembahasannya dengan alasan {reasons}."
    if item.decision == Decision.REJECTED:
        return f"{subject} tidak disetujui dengan alasan {reasons}."
    return f"{subject} dikembalikan kepada {proposal.opd.name} untuk diperbaiki: {reasons}."


def _signature(title: str, member) -> dict:
    return {"title": title, "name": member.name, "position": member.position, "nip": member.nip}


def minutes_data(plenary, *, items, attendees, chair, secretary, regency_short: str) -> dict:
    """The Berita Acara of a closed plenary: every agenda item's decision, the attendance list and
    the table of proposals with their results. `chair` and `secretary` are TKKSD members."""
    year = plenary.cycle.year
    count = len(items)
    rows = [
        [
            str(index),
            f"{item.proposal.number} {item.proposal.title}",
            item.proposal.opd.name,
            KIND_NAMES.get(item.proposal.kind, item.proposal.kind),
            partner_names(item.proposal),
            DECISION_NAMES[item.decision] + (f" (peringkat {item.rank})" if item.rank else ""),
            item.reasons or "-",
        ]
        for index, item in enumerate(items, start=1)
    ]
    follow_up = [line.strip() for line in plenary.follow_up.splitlines() if line.strip()]
    if not follow_up:
        if any(item.decision == Decision.PRIORITISED for item in items):
            follow_up.append(
                "Usulan yang diprioritaskan dituangkan dalam rancangan Keputusan Bupati tentang Rencana Program dan "
                f"Kegiatan Kerja Sama Daerah Tahun {year}."
            )
        if any(item.decision == Decision.RETURNED for item in items):
            follow_up.append(
                "Usulan yang dikembalikan diperbaiki oleh Perangkat Daerah pengusul dan diajukan kembali kepada TKKSD."
            )
    return {
        "subtitle": f"RAPAT PLENO TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN {regency_short.upper()}",
        "meeting": {
            "date": plenary.date.isoformat(),
            "start": plenary.start_time.strftime("%H:%M"),
            "place": plenary.place,
            "chair": plenary.chair,
            "purpose": "telah dilaksanakan Rapat Pleno Tim Koordinasi Kerja Sama Daerah Kabupaten "
            f"{regency_short} dalam rangka pembahasan usulan kerja sama daerah hasil pemetaan potensi Tahun {year}",
        },
        "agenda": [
            f"Pembahasan {count} ({number_in_words(count)}) usulan kerja sama daerah hasil pemetaan potensi "
            f"Tahun {year}.",
            "Penetapan keputusan atas setiap usulan: diprioritaskan beserta peringkatnya, ditunda, ditolak, atau "
            "dikembalikan untuk diperbaiki.",
        ],
        "resolution": "memutuskan",
        "decisions": [decision_sentence(item) for item in items],
        "follow_up": follow_up,
        "attendees": [{"name": person.name, "position": person.position} for person in attendees],
        "secretary": _signature("Sekretaris TKKSD,", secretary),
        "chair": _signature("Ketua TKKSD,", chair),
        "tables": [
            {
                "title": "DAFTAR USULAN KERJA SAMA DAERAH DAN HASIL PEMBAHASAN",
                "columns": ["No", "Usulan", "Perangkat Daerah", "Jenis KSD", "Calon Mitra", "Hasil", "Keterangan"],
                "rows": rows,
            }
        ],
    }


def _funding(proposal: Proposal) -> str:
    parts = []
    if proposal.cost_estimate is not None:
        parts.append(rupiah(proposal.cost_estimate))
    if proposal.funding_source:
        parts.append(proposal.funding_source)
    return "; ".join(parts) or "-"


def _remarks(proposal: Proposal, minutes_numbers: dict) -> str:
    remarks = [f"Prioritas {proposal.rank}", f"usulan {proposal.number}"]
    if proposal.minutes_id in minutes_numbers:
        remarks.append(f"Berita Acara {minutes_numbers[proposal.minutes_id]}")
    if proposal.dprd_required:
        remarks.append("memerlukan persetujuan DPRD")
    return "; ".join(remarks)


def programme_title(year: int, regency_short: str) -> str:
    return f"RENCANA PROGRAM DAN KEGIATAN KERJA SAMA DAERAH KABUPATEN {regency_short.upper()} TAHUN {year}"


# The exceptions to the RPJMD/RKPD as the lampiran prints them (PP 28/2018 Pasal 4(3)).
PLAN_EXCEPTIONS = {
    "darurat": "Di luar RPJMD/RKPD: keadaan darurat",
    "strategis_nasional": "Di luar RPJMD/RKPD: program strategis nasional",
    "tugas_pembantuan": "Di luar RPJMD/RKPD: tugas pembantuan",
}


def plan_basis(proposal) -> str:
    """The RPJMD/RKPD reference, or the exception and its basis: never a dash (a proposal with
    neither cannot be prioritised)."""
    if proposal.rpjmd_reference.strip():
        return proposal.rpjmd_reference
    exception = PLAN_EXCEPTIONS.get(proposal.plan_exception, "Di luar RPJMD/RKPD")
    basis = " ".join(proposal.plan_exception_basis.split())
    return f"{exception} ({basis})" if basis else exception


def programme_data(cycle, *, proposals, minutes_numbers: dict, regency_short: str, province: str) -> dict:
    """The Keputusan Bupati fixing the cycle's programme, with the prioritised proposals as its lampiran
    (docs/domain.md §6 step 4). `minutes_numbers` maps the Berita Acara ids to their numbers."""
    year = cycle.year
    title = programme_title(year, regency_short)
    numbers = ", ".join(sorted(set(minutes_numbers.values())))
    rows = [
        [
            str(index),
            str(proposal.urusan),
            proposal.object,
            KIND_NAMES.get(proposal.kind, proposal.kind),
            partner_names(proposal),
            proposal.opd.name,
            plan_basis(proposal),
            _funding(proposal),
            _remarks(proposal, minutes_numbers),
        ]
        for index, proposal in enumerate(proposals, start=1)
    ]
    return {
        "title": title,
        "menimbang": [
            "bahwa kerja sama daerah diselenggarakan secara terencana berdasarkan pemetaan potensi dan permasalahan "
            "daerah untuk meningkatkan kesejahteraan masyarakat, efisiensi dan kualitas pelayanan publik;",
            f"bahwa Tim Koordinasi Kerja Sama Daerah Kabupaten {regency_short} telah melaksanakan pemetaan potensi "
            f"kerja sama daerah Tahun {year} dan menetapkan prioritas usulan kerja sama dalam Rapat Pleno "
            f"sebagaimana dituangkan dalam Berita Acara Nomor {numbers};",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan "
            f"Keputusan Bupati tentang Rencana Program dan Kegiatan Kerja Sama Daerah Kabupaten {regency_short} "
            f"Tahun {year};",
        ],
        "mengingat": legal.default_mengingat(DocumentKind.KEPUTUSAN),
        "diktum": [
            f"Menetapkan Rencana Program dan Kegiatan Kerja Sama Daerah Kabupaten {regency_short} Tahun {year} "
            "sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak terpisahkan dari Keputusan Bupati ini.",
            "Rencana Program dan Kegiatan Kerja Sama Daerah sebagaimana dimaksud dalam Diktum KESATU menjadi pedoman "
            "bagi Perangkat Daerah pelaksana bersama Tim Koordinasi Kerja Sama Daerah dalam menyiapkan dan "
            "melaksanakan kerja sama daerah sesuai dengan ketentuan peraturan perundang-undangan.",
            "Perangkat Daerah pelaksana melaporkan perkembangan setiap program kerja sama kepada Bupati melalui "
            "Sekretaris Daerah selaku Ketua Tim Koordinasi Kerja Sama Daerah.",
            "Segala biaya yang timbul akibat ditetapkannya Keputusan Bupati ini dibebankan pada Anggaran Pendapatan "
            f"dan Belanja Daerah Kabupaten {regency_short} serta sumber lain yang sah dan tidak mengikat.",
            "Keputusan Bupati ini mulai berlaku pada tanggal ditetapkan.",
        ],
        "tembusan": [
            "Menteri Dalam Negeri Republik Indonesia di Jakarta;",
            f"Gubernur {province};",
            f"Ketua Dewan Perwakilan Rakyat Daerah Kabupaten {regency_short};",
            "Kepala Perangkat Daerah terkait.",
        ],
        "lampiran": {
            "heading": title,
            "landscape": True,
            "table": {
                "columns": [
                    "No",
                    "Urusan",
                    "Objek",
                    "Jenis KSD",
                    "Calon Mitra",
                    "OPD Pelaksana",
                    "Rujukan RPJMD/RKPD",
                    "Pendanaan",
                    "Keterangan",
                ],
                "rows": rows,
            },
        },
    }
