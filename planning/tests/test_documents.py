"""The Berita Acara and the SK Bupati as printed: issue them, run the rendering task, read the PDF."""

import pytest

from planning import programme, services
from planning.models import Decision
from registry.models import OfficialDocument, RenderJob, TkksdMember

from .factories import compact, hold_plenary, open_cycle, pdf_text, schedule, submitted_proposal, the_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(tkksd, ppksd, other_ppksd, django_capture_on_commit_callbacks):
    """A closed plenary with four decisions and a guest; its Berita Acara rendered."""
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    waste = submitted_proposal(ppksd, cycle, title="Pengelolaan Sampah Regional")
    transport = submitted_proposal(ppksd, cycle, title="Angkutan Perkotaan Lintas Batas")
    clinic = submitted_proposal(
        other_ppksd, cycle, title="Rujukan Kesehatan Merapi", kind="ksdpk", ksdd_nature="", ksdpk_type="a"
    )
    market = submitted_proposal(other_ppksd, cycle, title="Pasar Rakyat Bersama")
    plenary = schedule(tkksd, cycle)
    with django_capture_on_commit_callbacks(execute=True):
        hold_plenary(
            tkksd,
            plenary,
            [
                (waste, Decision.PRIORITISED, 1, "Kapasitas TPA hampir habis"),
                (transport, Decision.PRIORITISED, 2, ""),
                (clinic, Decision.DEFERRED, None, "Menunggu studi kelayakan"),
                (market, Decision.RETURNED, None, "Lengkapi analisis manfaat dan biaya"),
            ],
        )
        services.add_guest(plenary, actor=tkksd, name="Ir. Hartono", position="Balai Besar Wilayah Sungai")
        minutes = services.close_plenary(plenary, actor=tkksd)
    return {"cycle": cycle, "plenary": plenary, "minutes": minutes, "proposals": [waste, transport, clinic, market]}


def test_the_berita_acara_lists_attendees_and_every_decision(decided):
    minutes = decided["minutes"]
    waste, transport, _clinic, market = decided["proposals"]
    assert minutes.render_jobs.get().state == RenderJob.State.DONE
    minutes.refresh_from_db()
    assert minutes.is_rendered
    text = pdf_text(minutes)
    flat = compact(text)
    for expected in [
        "BERITA ACARA",
        "RAPAT PLENO TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN SLEMAN",
        f"NOMOR: {minutes.number}",
        "bertempat di Ruang Rapat Sekretariat Daerah Kabupaten Sleman",
        "yang dipimpin oleh Sekretaris Daerah selaku Ketua TKKSD",
        "Pembahasan 4 (empat) usulan kerja sama daerah",
        "Setelah dilakukan pembahasan, rapat memutuskan:",
        f"Usulan {waste.number} “Pengelolaan Sampah Regional” dari Dinas Perhubungan diprioritaskan dengan "
        "peringkat 1, dengan pertimbangan kapasitas TPA hampir habis.",
        f"Usulan {transport.number} “Angkutan Perkotaan Lintas Batas” dari Dinas Perhubungan diprioritaskan "
        "dengan peringkat 2.",
        "“Rujukan Kesehatan Merapi” dari Dinas Lingkungan Hidup ditunda pembahasannya dengan alasan menunggu "
        "studi kelayakan.",
        f"Usulan {market.number} “Pasar Rakyat Bersama” dari Dinas Lingkungan Hidup dikembalikan kepada Dinas "
        "Lingkungan Hidup untuk diperbaiki: lengkapi analisis manfaat dan biaya.",
        "Demikian Berita Acara ini dibuat dengan sebenarnya",
        "Sekretaris TKKSD,",
        "Ketua TKKSD,",
        "DAFTAR HADIR",
        "Ir. Hartono",
        "Balai Besar Wilayah Sungai",
        "DAFTAR USULAN KERJA SAMA DAERAH DAN HASIL PEMBAHASAN",
        "Diprioritaskan (peringkat 1)",
        "Dikembalikan untuk diperbaiki",
        f"Kode verifikasi: {minutes.verification_code}",
    ]:
        assert compact(expected) in flat, expected
    for member in TkksdMember.objects.filter(is_active=True):
        assert compact(member.name) in flat
    chair = TkksdMember.objects.get(team_role="ketua")
    assert compact(f"NIP {chair.nip}") in flat
    # "Pada hari ini <day> tanggal <in words> …" with the meeting's own date.
    assert "Pada hari ini" in text
    assert decided["plenary"].date.strftime("%d-%m-%Y") in text


def test_the_sk_bupati_prints_the_programme_as_its_lampiran(
    decided, tkksd, pimpinan, django_capture_on_commit_callbacks
):
    cycle, minutes = decided["cycle"], decided["minutes"]
    waste, transport, _clinic, _market = decided["proposals"]
    programme.draft_programme(cycle, actor=tkksd)
    cycle.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        decree = programme.issue_programme(cycle, actor=pimpinan)
    assert decree.status == OfficialDocument.Status.ISSUED
    text = pdf_text(decree)
    flat = compact(text)
    year = cycle.year
    for expected in [
        "BUPATI SLEMAN",
        "KEPUTUSAN BUPATI SLEMAN",
        f"NOMOR {decree.number}",
        f"RENCANA PROGRAM DAN KEGIATAN KERJA SAMA DAERAH KABUPATEN SLEMAN TAHUN {year}",
        f"sebagaimana dituangkan dalam Berita Acara Nomor {minutes.number}",
        "Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah",
        "MEMUTUSKAN:",
        f"Menetapkan Rencana Program dan Kegiatan Kerja Sama Daerah Kabupaten Sleman Tahun {year}",
        "Keputusan Bupati ini mulai berlaku pada tanggal ditetapkan.",
        "HARJONO PRAWIRO",
        "LAMPIRAN",
        "Rujukan RPJMD/RKPD",
        "OPD Pelaksana",
        waste.object,
        transport.object,
        "Rp1.250.000.000,00",
        "Prioritas 1",
        "Prioritas 2",
        "KSDD (dengan Daerah Lain)",
        "Pemerintah Kota Yogyakarta",
    ]:
        assert compact(expected) in flat, expected
    # Deferred and returned proposals are not in the programme.
    assert compact("Rujukan Kesehatan Merapi") not in flat
    assert compact("Pasar Rakyat Bersama") not in flat
