"""The DPRD approval queue: the request letter and its PDF, opening a request on issue, the queue's
order and counts, every decision path, silence past the deadline, review notes, withdrawal, the
overview, the permission matrix of every DPRD URL and role, and pinned query counts."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kerjasama.tests.markup import flat
from registry import dprd as desk
from registry import lifecycle, official, selectors, services, tasks
from registry.errors import AlreadyDone
from registry.models import (
    Agreement,
    DayOff,
    DocumentType,
    DprdApproval,
    DprdReviewNote,
    Kind,
    OfficialDocument,
    Stage,
    Transition,
)

from .factories import PemdaProfileFactory, make_agreement, make_partner, pdf_bytes, upload

pytestmark = pytest.mark.django_db

USERS = ["tkksd", "ppksd", "other_ppksd", "dprd", "pimpinan", "admin", "outsider"]
Decision = DprdApproval.Decision


def pdf_pages(content: bytes) -> list[str]:
    return [
        " ".join(page.extract_text().replace("\u2010\n", "").split()) for page in PdfReader(io.BytesIO(content)).pages
    ]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def waiting_agreement(actor, opd, *, title="Pengendalian Banjir Lintas Batas", attachments=True, **fields):
    """An agreement at the DPRD stage that needs approval (not yet budgeted), with its rencana kerja sama
    written and the documents the request is sent with (the signed KB, the draft PKS); `attachments`
    adds the TKKSD's review."""
    defaults = {
        "not_yet_budgeted": True,
        "burden_justification": "Memerlukan kontribusi APBD setiap tahun selama masa kerja sama.",
        "background": "Banjir tahunan di perbatasan kedua daerah merusak permukiman dan lahan pertanian.",
        "purpose": "Menangani banjir lintas batas secara bersama-sama",
        "objectives": "Tujuan: berkurangnya genangan di kawasan perbatasan.\nSasaran: 12 kilometer saluran normal.",
        "scope": "Normalisasi saluran dan pembangunan kolam retensi.",
        "funding_source": "APBD Kabupaten Sleman",
        "duration_months": 60,
    }
    agreement = make_agreement(actor, opd=opd, stage=Stage.PERSETUJUAN_DPRD, title=title, **(defaults | fields))
    upload(agreement, actor, DocumentType.KB, signed=True)
    upload(agreement, actor, DocumentType.DRAF_PKS)
    if attachments:
        upload(agreement, actor, DocumentType.KAJIAN_TKKSD)
    return agreement


def receive(approval, actor, received_on, agenda_number="172/DPRD/2026"):
    """The TKKSD records the day the DPRD received the letter (from the DPRD's agenda)."""
    return desk.record_receipt(approval, actor=actor, received_on=received_on, agenda_number=agenda_number)


def open_request(agreement, actor, received_on):
    return services.request_dprd_approval(
        agreement, actor=actor, request_number=f"100.3.3/{agreement.pk}/KS", received_on=received_on
    )


@pytest.fixture
def profile(db):
    return PemdaProfileFactory()


# --- the request letter ----------------------------------------------------------------------------


@time_machine.travel(date(2026, 11, 2), tick=False)
def test_issuing_the_request_letter_sends_it_and_its_receipt_starts_the_clock(
    tkksd, dprd, opd, profile, issue, pimpinan
):
    agreement = waiting_agreement(tkksd, opd)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    assert approval.in_preparation and approval.request_letter.is_draft
    # A draft is the registry's business: the DPRD sees neither the request nor the agreement.
    dprd_user = dprd
    assert not desk.requests_visible_to(dprd_user).exists()
    assert not selectors.agreements_visible_to(dprd_user).filter(pk=agreement.pk).exists()
    assert not official.documents_visible_to(dprd_user).filter(pk=approval.request_letter_id).exists()

    letter = issue(approval.request_letter, actor=pimpinan, issue_date=date(2026, 10, 30))
    approval.refresh_from_db()
    # Sent, not received: PP 28/2018 Pasal 30(4) counts from the day the DPRD receives it.
    assert approval.awaiting_receipt and not approval.is_open
    assert (approval.sent_on, approval.received_on, approval.due_on) == (date(2026, 10, 30), None, None)
    assert approval.request_number == letter.number
    assert desk.requests_visible_to(dprd_user).get() == approval
    assert selectors.agreements_visible_to(dprd_user).filter(pk=agreement.pk).exists()
    assert official.documents_visible_to(dprd_user).filter(pk=letter.pk).exists()
    with pytest.raises(services.ServiceError, match="belum dicatat"):
        decide(approval, dprd_user, Decision.APPROVED, day=date(2026, 11, 2))

    with pytest.raises(services.ServiceError, match="sebelum surat itu dikirim"):
        desk.record_receipt(approval, actor=tkksd, received_on=date(2026, 10, 29), agenda_number="172/DPRD/2026")
    with pytest.raises(PermissionDenied):
        desk.record_receipt(approval, actor=dprd_user, received_on=date(2026, 11, 2), agenda_number="172")
    desk.record_receipt(approval, actor=tkksd, received_on=date(2026, 11, 2), agenda_number="172/DPRD/2026")
    approval.refresh_from_db()
    assert approval.is_open and approval.agenda_number == "172/DPRD/2026"
    # 45 working days from the receipt: Natal and its cuti bersama, New Year's Day and Isra Mikraj 2027 skipped.
    assert approval.due_on == date(2027, 1, 8)
    with pytest.raises(AlreadyDone):
        desk.record_receipt(approval, actor=tkksd, received_on=date(2026, 11, 3), agenda_number="173")


@time_machine.travel(date(2026, 11, 2), tick=False)
def test_voiding_the_request_letter_withdraws_the_request_still_waiting(
    client, tkksd, dprd, opd, profile, issue, pimpinan
):
    agreement = waiting_agreement(tkksd, opd)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    letter = issue(approval.request_letter, actor=pimpinan, issue_date=date(2026, 11, 2))
    receive(approval, tkksd, date(2026, 11, 2))
    assert desk.requests_visible_to(dprd).filter(decision=Decision.PENDING).exists()
    client.force_login(pimpinan)
    assert 'data-testid="void-withdraws"' in client.get(letter.get_absolute_url()).content.decode()

    official.void_document(letter, actor=pimpinan, reason="Salah alamat.")
    approval.refresh_from_db()
    assert approval.decision == Decision.WITHDRAWN and approval.decided_by == pimpinan
    assert letter.number in approval.reasons and "Salah alamat." in approval.reasons
    assert not dprd_queue_titles(dprd)
    agreement.refresh_from_db()
    assert agreement.stage == Stage.PERSETUJUAN_DPRD
    # The TKKSD sends a new letter; the new request runs its own clock.
    again = desk.draft_request_letter(agreement, actor=tkksd)
    issue(again.request_letter, actor=pimpinan, issue_date=date(2026, 11, 2))
    receive(again, tkksd, date(2026, 11, 2))
    again.refresh_from_db()
    assert again.is_open and again.due_on == date(2027, 1, 8)


@time_machine.travel(date(2026, 11, 2), tick=False)
def test_voiding_an_answered_request_letter_keeps_the_answer(tkksd, dprd, opd, profile, issue, pimpinan):
    agreement = waiting_agreement(tkksd, opd)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    letter = issue(approval.request_letter, actor=pimpinan, issue_date=date(2026, 11, 2))
    receive(approval, tkksd, date(2026, 11, 2))
    approval.refresh_from_db()
    decide(approval, dprd, Decision.APPROVED, day=date(2026, 11, 2))
    official.void_document(letter, actor=pimpinan, reason="Arsip ganda.")
    approval.refresh_from_db()
    assert approval.decision == Decision.APPROVED
    assert official.OfficialDocument.objects.get(pk=letter.pk).status == "voided"


@time_machine.travel(date(2026, 11, 2), tick=False)
def test_the_request_letter_pdf_names_the_dprd_the_reasons_and_the_attachments(tkksd, opd, profile, issue, pimpinan):
    agreement = waiting_agreement(tkksd, opd, burdens_community=True, value=Decimal("1250000000"))
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    letter = issue(approval.request_letter, actor=pimpinan, issue_date=date(2026, 11, 2))
    assert letter.is_rendered
    pdf = letter.file.read()
    text = pdf_text(pdf)
    for expected in (
        f"Nomor : {letter.number}",
        "Lampiran : 4 (empat) berkas",
        "Hal : Permohonan Persetujuan Rencana Kerja Sama Daerah",
        "Yth. Ketua Dewan Perwakilan Rakyat Daerah Kabupaten Sleman",
        "tentang Pengendalian Banjir Lintas Batas",
        "membebani masyarakat dan Daerah serta pembiayaannya belum dianggarkan",
        "Pasal 6 ayat (2)",
        "Memerlukan kontribusi APBD setiap tahun",
        "c. jangka waktu: 5 (lima) tahun.",
        "tercantum dalam Lampiran surat ini",
        "1. Kesepakatan Bersama yang telah ditandatangani;",
        "2. Rancangan Perjanjian Kerja Sama;",
        "3. Kajian dan rekomendasi Tim Koordinasi Kerja Sama Daerah.",
        "BUPATI SLEMAN",
        "Harjono Prawiro",
        "Gubernur Daerah Istimewa Yogyakarta",
        "Menteri Dalam Negeri",
    ):
        assert expected in text, expected
    assert "2 November 2026" in text
    # The lampiran is the rencana kerja sama, in the order of PP 28/2018 Pasal 30(3), its pages numbered
    # on their own and closing with the office and the name only.
    pages = pdf_pages(pdf)
    lampiran = next(index for index, page in enumerate(pages) if page.lstrip().startswith("LAMPIRAN"))
    plan = " ".join(pages[lampiran:])
    assert f"SURAT BUPATI SLEMAN NOMOR : {letter.number} TANGGAL : 2 November 2026" in plan
    assert "RENCANA KERJA SAMA ANTARA PEMERINTAH KABUPATEN SLEMAN DAN PEMERINTAH KOTA YOGYAKARTA TENTANG" in plan
    headings = [
        "A. Subjek Kerja Sama",
        "B. Latar Belakang",
        "C. Maksud, Tujuan dan Sasaran",
        "D. Objek Kerja Sama",
        "E. Ruang Lingkup",
        "F. Sumber Pembiayaan",
        "G. Jangka Waktu",
        "H. Beban bagi Masyarakat dan Daerah",
    ]
    positions = [plan.index(heading) for heading in headings]
    assert positions == sorted(positions)
    for expected in (
        "Banjir tahunan di perbatasan kedua daerah",
        "Maksud kerja sama ini adalah menangani banjir lintas batas secara bersama-sama.",
        "Sasaran: 12 kilometer saluran normal.",
        "Rp1.250.000.000,00 (satu miliar dua ratus lima puluh juta rupiah)",
        "selama 5 (lima) tahun",
    ):
        assert expected in plan, expected
    assert "Ditetapkan di" not in plan and plan.count("Harjono Prawiro") == 1
    numbers = [re.findall(r" - (\d+) - Kode verifikasi", page) for page in pages]
    assert numbers[0] == [] and numbers[1] == ["2"] and numbers[lampiran] == []


def test_a_foreign_cooperation_letter_cites_pasal_30_and_copies_the_foreign_minister(tkksd, opd, profile):
    agreement = waiting_agreement(
        tkksd,
        opd,
        kind=Kind.KSDPL,
        not_yet_budgeted=False,
        burden_justification="",
        partners=[make_partner("Kota Gyeongju", kind="foreign_government", country="Korea Selatan")],
        attachments=False,
    )
    data = desk.request_letter_data(agreement, profile)
    assert any("Pasal 30" in paragraph for paragraph in data["body"])
    assert "Menteri Luar Negeri;" in data["tembusan"]
    # A cooperation abroad is sent with its letter of intent, not a KB (PP 28/2018 Pasal 30).
    assert desk.letter_missing(agreement) == [
        "Unggah terlebih dahulu dokumen yang menyertai permohonan: Pernyataan Kehendak (Letter of Intent) yang "
        "telah ditandatangani."
    ]
    upload(agreement, tkksd, DocumentType.LOI, signed=True)
    assert desk.letter_missing(agreement) == []
    data = desk.request_letter_data(agreement, profile)
    # The plan in the lampiran, then the KB, the letter of intent and the draft uploaded.
    assert data["attachment"] == "4 (empat) berkas"
    assert "2. Pernyataan Kehendak (Letter of Intent) yang telah ditandatangani;" in data["body"]
    # No burden section: the DPRD approves a cooperation abroad whatever it costs.
    assert [section["heading"] for section in data["lampiran"]["sections"]][-1] == "Jangka Waktu"


def test_the_letter_waits_for_the_whole_plan_and_says_what_is_missing(client, tkksd, opd, profile):
    agreement = waiting_agreement(tkksd, opd, background="", objectives="", scope="", duration_months=None)
    missing = desk.letter_missing(agreement)
    assert missing == [
        "Lengkapi rencana kerja sama, yang dimuat sebagai lampiran surat: latar belakang, tujuan dan sasaran, "
        "ruang lingkup, jangka waktu (tanggal mulai dan berakhir, atau lamanya)."
    ]
    with pytest.raises(services.ServiceError):
        desk.draft_request_letter(agreement, actor=tkksd)
    client.force_login(tkksd)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert missing[0] in page
    assert 'disabled aria-describedby="dprd-letter-missing"' in page
    response = client.post(reverse("registry:dprd_letter_draft", args=[agreement.pk]), follow=True)
    assert missing[0] in response.content.decode()
    assert not DprdApproval.objects.exists()


def test_drafting_the_letter_is_refused_where_no_request_may_be_made(tkksd, ppksd, opd, profile):
    agreement = waiting_agreement(tkksd, opd, attachments=False)
    with pytest.raises(PermissionDenied):
        desk.draft_request_letter(agreement, actor=ppksd)
    desk.draft_request_letter(agreement, actor=tkksd)
    with pytest.raises(services.ServiceError):
        desk.draft_request_letter(agreement, actor=tkksd)
    early = make_agreement(tkksd, opd=opd, not_yet_budgeted=True, title="Belum sampai tahap DPRD")
    with pytest.raises(services.ServiceError):
        desk.draft_request_letter(early, actor=tkksd)
    # Only agreements whose kind and burden require approval enter the stage at all.
    plain = make_agreement(tkksd, opd=opd, title="Tanpa beban")
    assert Stage.PERSETUJUAN_DPRD not in [step.stage for step in lifecycle.path_of(plain)]
    assert DprdApproval.objects.count() == 1


def test_drafting_needs_the_pemda_profile(tkksd, opd):
    agreement = waiting_agreement(tkksd, opd, attachments=False)
    with pytest.raises(services.ServiceError):
        desk.draft_request_letter(agreement, actor=tkksd)
    assert not OfficialDocument.objects.exists()


def test_issuing_a_letter_whose_agreement_left_the_stage_is_rolled_back(tkksd, opd, profile, issue, pimpinan):
    agreement = waiting_agreement(tkksd, opd, attachments=False)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    Agreement.objects.filter(pk=agreement.pk).update(stage=Stage.PENYUSUNAN_KB)
    with pytest.raises(official.ServiceError):
        issue(approval.request_letter, actor=pimpinan)
    approval.refresh_from_db()
    assert approval.request_letter.is_draft and approval.received_on is None


def test_a_letter_recorded_by_hand_stores_its_deadline_and_cannot_come_from_the_future(tkksd, opd):
    agreement = waiting_agreement(tkksd, opd, attachments=False)
    with pytest.raises(services.ServiceError):
        open_request(agreement, tkksd, timezone.localdate() + timedelta(days=1))
    approval = open_request(agreement, tkksd, date(2026, 3, 2))
    assert approval.due_on == desk.deadline_for(date(2026, 3, 2)) == date(2026, 5, 13)


# --- the queue ------------------------------------------------------------------------------------------


@pytest.fixture
def requests_in_queue(tkksd, opd, profile):
    """Four open requests received on different days, one being prepared, one already answered."""
    received = {
        "Lama sekali": date(2026, 8, 3),
        "Hampir tenggat": date(2026, 9, 21),
        "Baru masuk": date(2026, 11, 20),
        "Sedang": date(2026, 10, 19),
    }
    approvals = {}
    for title, day in received.items():
        approvals[title] = open_request(waiting_agreement(tkksd, opd, title=title, attachments=False), tkksd, day)
    approvals["Disiapkan"] = desk.draft_request_letter(
        waiting_agreement(tkksd, opd, title="Disiapkan", attachments=False), actor=tkksd
    )
    answered = open_request(
        waiting_agreement(tkksd, opd, title="Sudah dijawab", attachments=False), tkksd, received["Sedang"]
    )
    services.record_dprd_decision(answered, actor=tkksd, decision=Decision.APPROVED, decision_date=date(2026, 11, 2))
    return approvals


@time_machine.travel(date(2026, 11, 23), tick=False)
def test_the_queue_lists_open_requests_most_urgent_first_with_their_counts(client, dprd, requests_in_queue):
    client.force_login(dprd)
    response = client.get(reverse("registry:dprd_queue"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.agreement.title for row in rows] == ["Lama sekali", "Hampir tenggat", "Sedang", "Baru masuk"]
    late, soon, middle, fresh = rows
    assert late.overdue and late.approval.due_on == date(2026, 10, 7)
    assert late.days_overdue == desk.calendar_for(date(2026, 10, 7), date(2026, 11, 23)).count(
        date(2026, 10, 7), date(2026, 11, 23)
    )
    assert soon.due_soon and not soon.overdue and soon.approval.due_on == date(2026, 11, 23) and soon.days_left == 0
    assert not middle.due_soon and middle.days_left > 10
    assert fresh.days_waited == 1 and fresh.calendar_days_waited == 3
    assert response.context["counts"] == {"total": 4, "overdue": 1, "due_soon": 1, "awaiting_receipt": 0}
    html = response.content.decode()
    assert html.count('data-testid="queue-row"') == 4
    assert html.count("table-danger") == 1 and html.count("table-warning") == 1
    assert "Disiapkan" not in html and "Sudah dijawab" not in html

    overdue = client.get(reverse("registry:dprd_queue"), {"status": "overdue"}).context["rows"]
    assert [row.agreement.title for row in overdue] == ["Lama sekali"]
    due_soon = client.get(reverse("registry:dprd_queue"), {"status": "due_soon"}).context["rows"]
    assert [row.agreement.title for row in due_soon] == ["Hampir tenggat"]


# The markup the queue's template printed for each request before registry/rows.py did.
_TEMPLATE_QUEUE_ROWS = """{% load i18n %}{% for row in rows %}
<tr class="{% if row.overdue %}table-danger{% elif row.due_soon %}table-warning{% endif %}" data-testid="queue-row">
<td><a href="{{ row.approval.get_absolute_url }}" class="fw-semibold">{{ row.agreement.title }}</a>
<div class="small text-body-secondary">
{{ row.agreement.register_number }} · {{ row.agreement.lead_opd.abbreviation|default:row.agreement.lead_opd.name }}
{% if row.partner_names %}· {{ row.partner_names }}{% endif %}</div></td>
<td class="small text-nowrap">{{ row.approval.request_number|default:"—" }}</td>
<td class="small text-nowrap">
{% if row.awaiting_receipt %}{% translate "sent" %} {{ row.approval.sent_on|date:"j F Y" }}
{% else %}{{ row.approval.received_on|date:"j F Y" }}{% endif %}</td>
<td class="small text-nowrap">{{ row.waited_label }}</td>
<td class="small text-nowrap">{{ row.approval.due_on|date:"j F Y" }}</td>
<td class="text-nowrap" data-testid="remaining">
<span class="badge text-bg-{{ row.badge }}">{{ row.remaining_label }}</span></td>
<td class="small">{{ row.approval.note_count }}</td>
</tr>{% endfor %}"""


@time_machine.travel(date(2026, 11, 23), tick=False)
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_queue_rows_print_what_the_template_printed_escaped(client, dprd, tkksd, requests_in_queue, language):
    from django.template import Context, Template
    from django.utils import translation

    from registry.rows import dprd_queue_rows

    hostile = requests_in_queue["Sedang"]
    Agreement.objects.filter(pk=hostile.agreement_id).update(
        title="<script>alert('x')</script> & \"Sampah\"", partner_names="Kota <Yogyakarta> & Sleman"
    )
    # One request sent but not yet received: no term runs and the letter's date is printed.
    DprdApproval.objects.filter(pk=requests_in_queue["Baru masuk"].pk).update(
        received_on=None, due_on=None, sent_on=date(2026, 11, 19)
    )
    client.force_login(dprd)
    rows = client.get(reverse("registry:dprd_queue")).context["rows"]
    assert {row.awaiting_receipt for row in rows} == {True, False} and any(row.overdue for row in rows)

    with translation.override(language):
        expected = Template(_TEMPLATE_QUEUE_ROWS).render(Context({"rows": rows}))
        printed = dprd_queue_rows(rows)
        assert flat(printed) == flat(expected)
    assert "<script>" not in printed and "&lt;Yogyakarta&gt; &amp; Sleman" in printed
    assert "19 November 2026" in printed


@time_machine.travel(date(2026, 11, 23), tick=False)
def test_the_overview_shows_waiting_times_and_answers_per_year(client, pimpinan, tkksd, requests_in_queue):
    client.force_login(pimpinan)
    overview = client.get(reverse("registry:dprd_overview")).context["overview"]
    assert overview["pending"] == 4 and overview["overdue"] == 1
    assert overview["longest_request"] == requests_in_queue["Lama sekali"]
    calendar = desk.calendar_for(date(2026, 8, 1), date(2026, 11, 23))
    waits = [
        calendar.count(day, date(2026, 11, 23))
        for day in (date(2026, 8, 3), date(2026, 9, 21), date(2026, 11, 20), date(2026, 10, 19))
    ]
    assert overview["longest_wait"] == max(waits)
    assert overview["average_wait"] == round(sum(waits) / 4, 1)
    (year,) = overview["years"]
    assert year.year == 2026 and year.counts == {Decision.APPROVED: 1} and year.approved == 1
    assert year.average_answer_days == calendar.count(date(2026, 10, 19), date(2026, 11, 2))
    # The TKKSD also sees the letters still being prepared.
    client.force_login(tkksd)
    assert list(client.get(reverse("registry:dprd_overview")).context["preparing"]) == [requests_in_queue["Disiapkan"]]


@time_machine.travel(date(2026, 11, 23), tick=False)
def test_the_overview_counts_the_waits_per_day_of_receipt_as_it_would_request_by_request(client, pimpinan, tkksd, opd):
    """The waiting requests are read per day of receipt, so the overview's queries and rows do not
    grow with the queue; its figures are those of every request counted one by one, the longest
    wait included when requests received on a Friday and over the weekend after it tie."""
    today = date(2026, 11, 23)
    client.force_login(pimpinan)

    def overview():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("registry:dprd_overview"))
        # One row per day of receipt, not one per request.
        assert any(
            q["sql"].startswith('SELECT "registry_dprdapproval"."received_on" AS "received_on", COUNT(')
            and " GROUP BY " in q["sql"]
            for q in queries.captured_queries
        )
        return response.context["overview"], len(queries.captured_queries)

    empty, _ = overview()
    assert (empty["pending"], empty["overdue"], empty["average_wait"], empty["longest_request"]) == (0, 0, None, None)
    # Friday 7 August and the Saturday and Sunday after it: the same number of working days waited.
    days = [date(2026, 8, 7), date(2026, 8, 8), date(2026, 8, 9), date(2026, 10, 19), date(2026, 11, 20)]
    approvals = [
        open_request(waiting_agreement(tkksd, opd, title=f"Permohonan {n}", attachments=False), tkksd, day)
        for n, day in enumerate(days)
    ]
    small, queries = overview()
    for n, day in enumerate(days * 3):
        open_request(waiting_agreement(tkksd, opd, title=f"Tambahan {n}", attachments=False), tkksd, day)
    large, more_queries = overview()
    assert more_queries == queries

    waiting = list(DprdApproval.objects.filter(decision=Decision.PENDING, received_on__isnull=False))
    calendar = desk.calendar_for(min(a.received_on for a in waiting), today)
    waits = {approval.pk: calendar.count(approval.received_on, today) for approval in waiting}
    assert waits[approvals[0].pk] == waits[approvals[1].pk] == waits[approvals[2].pk] == max(waits.values())
    assert large["pending"] == len(waiting) == 20
    assert large["overdue"] == sum(1 for approval in waiting if approval.due_on < today) > 0
    assert large["average_wait"] == round(sum(waits.values()) / len(waits), 1)
    assert large["longest_wait"] == max(waits.values())
    assert large["longest_request"] == max(waiting, key=lambda approval: (waits[approval.pk], approval.pk))
    assert small["longest_request"] == approvals[2]
    page = client.get(reverse("registry:dprd_overview")).content.decode()
    assert f'data-testid="pending">{len(waiting)}<' in page


def test_the_overview_counts_answers_in_the_database_from_the_stored_answer_time(client, pimpinan, tkksd, opd):
    """The answer time is stored by each path that records an answer (a decision recorded here; the
    deemed approval is checked above), so the overview's queries do not grow with the answers."""

    def overview():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("registry:dprd_overview"))
        return response.context["overview"], len(queries.captured_queries)

    client.force_login(pimpinan)
    # The first load stores the overview's row; later loads overwrite it.
    overview()
    received_on = date(2026, 10, 1)
    first = decide(
        open_request(waiting_agreement(tkksd, opd, title="Satu"), tkksd, received_on),
        tkksd,
        Decision.APPROVED,
        day=date(2026, 10, 15),
    )
    assert first.answer_workdays == desk.answer_workdays(received_on, date(2026, 10, 15)) == 10
    small, queries = overview()
    assert small["years"][0].average_answer_days == 10
    for n, (decision, day) in enumerate(
        [(Decision.REJECTED, date(2026, 10, 8)), (Decision.APPROVED_WITH_NOTES, date(2026, 11, 2))]
    ):
        approval = open_request(waiting_agreement(tkksd, opd, title=f"Lain {n}"), tkksd, received_on)
        decide(approval, tkksd, decision, reasons="Alasan.", day=day)
    large, more_queries = overview()
    assert more_queries == queries
    (year,) = large["years"]
    assert year.counts == {Decision.APPROVED: 1, Decision.REJECTED: 1, Decision.APPROVED_WITH_NOTES: 1}
    days = [
        desk.answer_workdays(received_on, day) for day in (date(2026, 10, 15), date(2026, 10, 8), date(2026, 11, 2))
    ]
    assert year.average_answer_days == round(sum(days) / 3, 1) == 12.3


def test_the_queue_costs_at_most_ten_queries_whatever_its_length(client, dprd, tkksd, opd):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("registry:dprd_queue"))
        assert response.status_code == 200
        return len(queries.captured_queries), len(response.context["rows"])

    client.force_login(dprd)
    today = timezone.localdate()
    open_request(waiting_agreement(tkksd, opd, title="Pertama", attachments=False), tkksd, today - timedelta(days=3))
    small, rows = count()
    assert rows == 1
    for n in range(40):
        agreement = waiting_agreement(tkksd, opd, title=f"Permohonan {n}", attachments=False)
        approval = open_request(agreement, tkksd, today - timedelta(days=n * 3))
        desk.add_review_note(approval, actor=dprd, text=f"Catatan {n}")
    DayOff.objects.create(date=today - timedelta(days=10), name="Libur daerah")
    large, rows = count()
    assert rows == 25
    assert large == small <= 10


def test_the_request_page_does_not_grow_with_notes_and_attachments(client, dprd, tkksd, opd):
    client.force_login(dprd)
    approval = open_request(waiting_agreement(tkksd, opd), tkksd, timezone.localdate() - timedelta(days=5))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(approval.get_absolute_url()).status_code == 200
        return len(queries.captured_queries)

    before = count()
    for n in range(5):
        desk.add_review_note(approval, actor=dprd, text=f"Catatan {n}")
        upload(approval.agreement, tkksd, DocumentType.DRAF_PKS)
    assert count() == before


# --- decisions ------------------------------------------------------------------------------------------


@pytest.fixture
def received(tkksd, opd):
    agreement = waiting_agreement(tkksd, opd)
    return open_request(agreement, tkksd, timezone.localdate() - timedelta(days=20))


def decide(approval, actor, decision, *, reasons="", day=None, with_letter=True):
    return services.record_dprd_decision(
        approval,
        actor=actor,
        decision=decision,
        decision_number="170/12/KEP/DPRD/2026",
        decision_date=day or timezone.localdate() - timedelta(days=2),
        letter_file=SimpleUploadedFile("keputusan.pdf", pdf_bytes("Keputusan DPRD")) if with_letter else None,
        reasons=reasons,
    )


@pytest.mark.parametrize(
    ("decision", "reasons", "stage"),
    [
        (Decision.APPROVED, "", Stage.PENYUSUNAN_PKS),
        (Decision.APPROVED_WITH_NOTES, "Laporkan pelaksanaan setiap semester.", Stage.PENYUSUNAN_PKS),
        (Decision.REJECTED, "Membebani APBD terlalu besar.", Stage.PENYUSUNAN_KB),
    ],
)
def test_each_decision_by_a_dprd_member_moves_the_agreement_through_the_lifecycle(
    dprd, received, decision, reasons, stage
):
    day = timezone.localdate() - timedelta(days=2)
    decide(received, dprd, decision, reasons=reasons, day=day)
    received.refresh_from_db()
    agreement = received.agreement
    agreement.refresh_from_db()
    assert received.decision == decision and received.decided_by == dprd
    assert received.decision_letter.doc_type == DocumentType.KEPUTUSAN_DPRD
    assert received.decision_letter.number == "170/12/KEP/DPRD/2026"
    assert agreement.stage == stage
    transition = agreement.transitions.last()
    # The DPRD decides; the move is its consequence, taken by the system, dated with the decision.
    assert transition.actor is None and transition.effective_date == day
    assert transition.document == received.decision_letter
    if reasons:
        assert reasons in transition.note
    assert not dprd_queue_titles(dprd)


def dprd_queue_titles(user):
    return [approval.agreement.title for approval in desk.dprd_queue(user)]


def test_a_decision_recorded_by_the_tkksd_is_theirs_on_the_timeline(tkksd, received):
    decide(received, tkksd, Decision.APPROVED)
    assert Transition.objects.filter(agreement=received.agreement).last().actor == tkksd


@pytest.mark.parametrize(
    ("decision", "reasons", "day_offset"),
    [
        ("deemed_approved", "", 2),  # not a decision the DPRD records
        (Decision.REJECTED, "", 2),  # a rejection needs its reasons
        (Decision.APPROVED_WITH_NOTES, "  ", 2),  # and notes need notes
        (Decision.APPROVED, "", 30),  # dated before the DPRD received the request
        (Decision.APPROVED, "", -1),  # dated in the future
    ],
)
def test_an_unreadable_decision_is_refused_and_nothing_is_saved(dprd, received, decision, reasons, day_offset):
    with pytest.raises(services.ServiceError):
        decide(received, dprd, decision, reasons=reasons, day=timezone.localdate() - timedelta(days=day_offset))
    received.refresh_from_db()
    assert received.decision == Decision.PENDING
    assert not received.agreement.documents.filter(doc_type=DocumentType.KEPUTUSAN_DPRD).exists()
    assert received.agreement.stage == Stage.PERSETUJUAN_DPRD


def test_no_decision_on_a_request_the_dprd_has_not_received_or_already_answered(
    tkksd, ppksd, dprd, opd, profile, received
):
    preparing = desk.draft_request_letter(waiting_agreement(tkksd, opd, title="Kedua", attachments=False), actor=tkksd)
    with pytest.raises(services.ServiceError):
        decide(preparing, tkksd, Decision.APPROVED, with_letter=False)
    decide(received, dprd, Decision.APPROVED)
    with pytest.raises(services.ServiceError):
        decide(received, dprd, Decision.REJECTED, reasons="Berubah pikiran.")
    with pytest.raises(PermissionDenied):
        decide(preparing, ppksd, Decision.APPROVED, with_letter=False)


def test_the_decision_page_records_a_rejection_with_its_reasons(client, dprd, received):
    client.force_login(dprd)
    url = reverse("registry:dprd_decision", args=[received.pk])
    response = client.post(url, {"decision": Decision.REJECTED, "decision_number": "1", "decision_date": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        url,
        {
            "decision": Decision.REJECTED,
            "decision_number": "170/13/KEP/DPRD/2026",
            "decision_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "letter": SimpleUploadedFile("keputusan.pdf", pdf_bytes("Keputusan DPRD")),
            "reasons": "Kajian manfaat belum memadai.",
        },
    )
    assert response["Location"] == received.get_absolute_url()
    received.refresh_from_db()
    assert received.decision == Decision.REJECTED
    assert received.agreement.stage == Stage.PENYUSUNAN_KB
    assert client.get(reverse("registry:dprd_decision", args=[received.pk])).status_code == 404


def test_no_pks_is_signed_while_the_approval_is_missing_withdrawn_or_rejected(tkksd, received):
    agreement = received.agreement
    assert lifecycle.dprd_approved_if_required(agreement)
    desk.withdraw_request(received, actor=tkksd, reason="Surat diperbaiki.")
    assert lifecycle.dprd_approved_if_required(agreement)
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.advance(agreement, Stage.PENYUSUNAN_PKS, actor=tkksd)


# --- silence ---------------------------------------------------------------------------------------------


@pytest.fixture
def overdue(tkksd, opd):
    with time_machine.travel(date(2026, 9, 1), tick=False):
        approval = open_request(waiting_agreement(tkksd, opd, attachments=False), tkksd, date(2026, 9, 1))
    assert approval.due_on == date(2026, 11, 3)
    return approval


@time_machine.travel(date(2026, 11, 4), tick=False)
def test_by_default_silence_leaves_the_request_overdue_for_the_tkksd_to_decide(settings, dprd, overdue):
    settings.DPRD_SILENCE_MEANS_APPROVAL = False
    assert tasks.apply_dprd_deadlines.delay().get() == {"refreshed": 0, "deemed_approved": 0}
    overdue.refresh_from_db()
    assert overdue.decision == Decision.PENDING
    (row,) = desk.queue_rows(desk.dprd_queue(dprd), timezone.localdate())
    assert row.overdue and row.days_overdue == 1
    assert overdue.agreement.stage == Stage.PERSETUJUAN_DPRD


def test_where_silence_means_approval_the_request_is_deemed_approved_on_the_deadline_day(settings, overdue):
    settings.DPRD_SILENCE_MEANS_APPROVAL = True
    # On the deadline day itself the DPRD may still answer.
    with time_machine.travel(date(2026, 11, 3), tick=False):
        assert desk.apply_silence(timezone.localdate()) == 0
    with time_machine.travel(date(2026, 11, 6), tick=False):
        assert tasks.apply_dprd_deadlines.delay().get() == {"refreshed": 0, "deemed_approved": 1}
        # A second run (a retry, a re-delivered task) changes nothing.
        assert desk.apply_silence(timezone.localdate()) == 0
    overdue.refresh_from_db()
    assert overdue.decision == Decision.DEEMED_APPROVED and overdue.approves
    assert overdue.decision_date == date(2026, 11, 3)
    # The answer time is stored with the answer: the whole legal term.
    assert overdue.answer_workdays == desk.answer_workdays(date(2026, 9, 1), date(2026, 11, 3)) == 45
    agreement = overdue.agreement
    agreement.refresh_from_db()
    assert agreement.stage == Stage.PENYUSUNAN_PKS
    transition = agreement.transitions.last()
    assert transition.actor is None
    assert transition.effective_date == date(2026, 11, 3)
    assert "3 November 2026" in transition.note
    assert lifecycle.dprd_approved_if_required(agreement) is None


def test_the_daily_task_refreshes_deadlines_when_a_day_off_is_added(admin_client, overdue):
    response = admin_client.post(
        reverse("admin:registry_dayoff_add"), {"date": "2026-10-12", "name": "Cuti bersama daerah"}
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.due_on == date(2026, 11, 4)
    DayOff.objects.all().delete()
    assert tasks.apply_dprd_deadlines.delay().get()["refreshed"] == 1
    overdue.refresh_from_db()
    assert overdue.due_on == date(2026, 11, 3)


# --- notes, withdrawal, the lifecycle ----------------------------------------------------------------------


def test_dprd_members_leave_review_notes_before_the_decision(client, dprd, tkksd, received):
    with pytest.raises(PermissionDenied):
        desk.add_review_note(received, actor=tkksd, text="Bukan anggota DPRD.")
    with pytest.raises(services.ServiceError):
        desk.add_review_note(received, actor=dprd, text="   ")
    client.force_login(dprd)
    response = client.post(reverse("registry:dprd_note", args=[received.pk]), {"text": "Mohon data debit banjir."})
    assert response["Location"].endswith("#catatan")
    note = DprdReviewNote.objects.get()
    assert note.author == dprd and note.text == "Mohon data debit banjir."
    assert "Mohon data debit banjir." in client.get(received.get_absolute_url()).content.decode()
    decide(received, dprd, Decision.APPROVED)
    with pytest.raises(services.ServiceError):
        desk.add_review_note(received, actor=dprd, text="Terlambat.")


def test_the_tkksd_withdraws_a_request_and_may_send_a_new_one(client, tkksd, dprd, received):
    with pytest.raises(PermissionDenied):
        desk.withdraw_request(received, actor=dprd, reason="Bukan wewenang DPRD.")
    client.force_login(tkksd)
    client.post(reverse("registry:dprd_withdraw", args=[received.pk]), {"reason": ""})
    received.refresh_from_db()
    assert received.decision == Decision.PENDING
    client.post(reverse("registry:dprd_withdraw", args=[received.pk]), {"reason": "Lampiran diperbaiki."})
    received.refresh_from_db()
    assert received.decision == Decision.WITHDRAWN and received.reasons == "Lampiran diperbaiki."
    assert not dprd_queue_titles(dprd)
    again = open_request(received.agreement, tkksd, timezone.localdate())
    assert again.is_open


def test_leaving_the_dprd_stage_withdraws_the_open_request(tkksd, dprd, received):
    agreement = received.agreement
    lifecycle.advance(agreement, Stage.PENANDATANGANAN_KB, actor=tkksd, note="KB harus ditandatangani ulang.")
    received.refresh_from_db()
    assert received.decision == Decision.WITHDRAWN
    assert received.reasons == "KB harus ditandatangani ulang."
    assert not dprd_queue_titles(dprd)


def test_dprd_members_cannot_change_agreements(client, dprd, received):
    agreement = received.agreement
    assert lifecycle.allowed_moves(agreement, dprd) == []
    assert not services.can_edit_agreement(dprd, agreement)
    assert not services.can_upload(dprd, agreement)
    client.force_login(dprd)
    client.post(
        reverse("registry:agreement_advance", args=[agreement.pk]),
        {"to_stage": Stage.PENYUSUNAN_PKS, "expected_stage": Stage.PERSETUJUAN_DPRD, "note": "x"},
    )
    agreement.refresh_from_db()
    assert agreement.stage == Stage.PERSETUJUAN_DPRD


# --- who sees what ------------------------------------------------------------------------------------


@pytest.fixture
def world(users, opd, profile):
    tkksd = users["tkksd"]
    received = open_request(waiting_agreement(tkksd, opd), tkksd, timezone.localdate() - timedelta(days=10))
    preparing = desk.draft_request_letter(
        waiting_agreement(tkksd, opd, title="Surat masih draf", attachments=False), actor=tkksd
    )
    fresh = waiting_agreement(tkksd, opd, title="Belum diminta", attachments=False)
    return {"received": received, "preparing": preparing, "fresh": fresh}


def dprd_url(name, world):
    received, preparing = world["received"], world["preparing"]
    return {
        "dprd_queue": reverse("registry:dprd_queue"),
        "dprd_overview": reverse("registry:dprd_overview"),
        "dprd_calendar": reverse("registry:dprd_calendar"),
        "dprd_summary": reverse("registry:dprd_summary"),
        "dprd_detail": received.get_absolute_url(),
        "dprd_detail_preparing": preparing.get_absolute_url(),
        "dprd_request": reverse("registry:dprd_request", args=[world["fresh"].pk]),
        "dprd_decision": reverse("registry:dprd_decision", args=[received.pk]),
        "dprd_decision_preparing": reverse("registry:dprd_decision", args=[preparing.pk]),
        "letter_draft": preparing.request_letter.get_absolute_url(),
        "dprd_note": reverse("registry:dprd_note", args=[received.pk]),
        "dprd_withdraw": reverse("registry:dprd_withdraw", args=[received.pk]),
        "dprd_letter_draft": reverse("registry:dprd_letter_draft", args=[world["fresh"].pk]),
        "agreement_preparing": preparing.agreement.get_absolute_url(),
    }[name]


# GET status per URL and user: 200 allowed, 403 role refused, 404 hidden.
DPRD_GET_MATRIX = {
    "dprd_queue": [200, 403, 403, 200, 200, 200, 403],
    "dprd_overview": [200, 403, 403, 403, 200, 200, 403],
    "dprd_calendar": [200, 403, 403, 200, 200, 200, 403],
    "dprd_summary": [200, 403, 403, 200, 200, 200, 403],
    "dprd_detail": [200, 403, 403, 200, 200, 200, 403],
    "dprd_detail_preparing": [200, 403, 403, 404, 200, 200, 403],
    "dprd_request": [200, 403, 403, 403, 403, 200, 403],
    "dprd_decision": [200, 403, 403, 200, 403, 200, 403],
    "dprd_decision_preparing": [404, 403, 403, 404, 403, 404, 403],
    "letter_draft": [200, 403, 403, 404, 200, 200, 403],
    "agreement_preparing": [200, 200, 404, 404, 200, 200, 404],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "user_name", "expected"),
    [(url, user, status) for url, row in DPRD_GET_MATRIX.items() for user, status in zip(USERS, row, strict=True)],
)
def test_dprd_permission_matrix(client, users, world, url_name, user_name, expected):
    client.force_login(users[user_name])
    assert client.get(dprd_url(url_name, world)).status_code == expected


# POST status per action and user: 302 handled, 403 role refused.
DPRD_POST_MATRIX = {
    "dprd_note": ([403, 403, 403, 302, 403, 403, 403], {"text": "Catatan"}),
    "dprd_withdraw": ([302, 403, 403, 403, 403, 302, 403], {"reason": "Diperbaiki"}),
    "dprd_letter_draft": ([302, 403, 403, 403, 403, 302, 403], {}),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "user_name", "expected"),
    [
        (a, user, status)
        for a, (row, _data) in DPRD_POST_MATRIX.items()
        for user, status in zip(USERS, row, strict=True)
    ],
)
def test_dprd_actions_permission_matrix(client, users, world, action, user_name, expected):
    client.force_login(users[user_name])
    response = client.post(dprd_url(action, world), DPRD_POST_MATRIX[action][1])
    assert response.status_code == expected
    if action == "dprd_letter_draft" and expected == 302:
        assert DprdApproval.objects.filter(agreement=world["fresh"], request_letter__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", [*DPRD_GET_MATRIX, *DPRD_POST_MATRIX])
def test_dprd_pages_send_anonymous_users_to_login(client, world, url_name):
    response = client.get(dprd_url(url_name, world))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_dprd_reads_only_requests_it_received_and_their_agreements(client, users, world):
    client.force_login(users["dprd"])
    listed = client.get(reverse("registry:agreement_list")).context["rows"]
    assert [row["title"] if isinstance(row, dict) else row.title for row in listed] == [
        world["received"].agreement.title
    ]
    page = client.get(world["received"].get_absolute_url())
    html = page.content.decode()
    # The summary and the attachments the request rests on, with working links.
    assert world["received"].agreement.object in html
    attachments = page.context["attachments"]
    assert [document.doc_type for document in attachments] == [
        DocumentType.KB,
        DocumentType.DRAF_PKS,
        DocumentType.KAJIAN_TKKSD,
    ]
    for document in attachments:
        assert client.get(document.get_absolute_url()).status_code == 200
    assert page.context["decision_form"] is not None and page.context["note_form"] is not None
    assert page.context["withdraw_form"] is None


@pytest.mark.django_db
def test_bad_input_never_breaks_the_dprd_pages(client, users, world):
    client.force_login(users["tkksd"])
    for params in ({"page": "x"}, {"page": "-3"}, {"status": "<script>"}):
        assert client.get(reverse("registry:dprd_queue"), params).status_code == 200
    for year in ("abc", "99999", "1999", ""):
        response = client.get(reverse("registry:dprd_calendar"), {"tahun": year})
        assert response.status_code == 200 and response.context["year"] == timezone.localdate().year
    assert client.get(reverse("registry:dprd_detail", args=[999999])).status_code == 404
    assert client.post(reverse("registry:dprd_letter_draft", args=[999999])).status_code == 404
    assert client.post(reverse("registry:dprd_note", args=[world["received"].pk])).status_code == 403


@pytest.mark.django_db
def test_the_agreement_page_offers_the_letter_then_links_the_request(client, users, world):
    client.force_login(users["tkksd"])
    fresh = client.get(world["fresh"].get_absolute_url())
    assert fresh.context["can_request_dprd"]
    assert reverse("registry:dprd_letter_draft", args=[world["fresh"].pk]) in fresh.content.decode()
    preparing = client.get(world["preparing"].agreement.get_absolute_url())
    assert not preparing.context["can_request_dprd"]
    assert world["preparing"].get_absolute_url() in preparing.content.decode()
    client.force_login(users["ppksd"])
    assert not client.get(world["fresh"].get_absolute_url()).context["can_request_dprd"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "overview"), [("dprd", False), ("tkksd", True), ("pimpinan", True)])
def test_home_pages_load_the_queue_summary(client, users, world, name, overview):
    client.force_login(users[name])
    summary_url = reverse("registry:dprd_summary")
    assert f'hx-get="{summary_url}"' in client.get(reverse("home")).content.decode()
    response = client.get(summary_url)
    assert response.context["counts"] == {"total": 1, "overdue": 0, "due_soon": 0, "awaiting_receipt": 0}
    assert (reverse("registry:dprd_overview") in response.content.decode()) is overview


# --- in the browser -------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_dprd_member_approves_a_request(page, live_server, users, opd, tmp_path):
    tkksd, member = users["tkksd"], users["dprd"]
    PemdaProfileFactory()
    approval = open_request(waiting_agreement(tkksd, opd), tkksd, timezone.localdate() - timedelta(days=15))
    letter = tmp_path / "keputusan-dprd.pdf"
    letter.write_bytes(pdf_bytes("Keputusan DPRD"))

    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(member.username)
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("list", name="Navigasi utama").get_by_role("link", name="Persetujuan DPRD").click()
    rows = page.get_by_test_id("queue-row")
    assert rows.count() == 1
    rows.first.get_by_role("link", name="Pengendalian Banjir Lintas Batas").click()
    assert page.get_by_test_id("request-title").inner_text() == "Pengendalian Banjir Lintas Batas"
    assert page.get_by_test_id("attachments").locator("li").count() == 3

    page.locator("textarea[name=text]").fill("Sudah dibahas di Komisi C.")
    page.locator("#catatan button[type=submit]").click()
    assert "Sudah dibahas di Komisi C." in page.get_by_test_id("review-notes").inner_text()

    page.get_by_label("Keputusan*").select_option(Decision.APPROVED)
    page.get_by_label("Nomor Keputusan DPRD*").fill("170/21/KEP/DPRD/2026")
    page.get_by_label("Tanggal Keputusan DPRD*").fill(timezone.localdate().isoformat())
    page.get_by_label("Surat Keputusan DPRD (PDF)*").set_input_files(str(letter))
    # Recording the decision is irreversible: the member is asked, and told so, first.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Catat keputusan").click()
    page.wait_for_url(re.compile(rf"/dprd/permohonan/{approval.pk}/$"))
    assert len(questions) == 1 and "tidak dapat diubah" in questions[0]
    assert page.get_by_test_id("request-status").inner_text().strip() == "Disetujui"

    approval.refresh_from_db()
    assert approval.decision == Decision.APPROVED and approval.decided_by == member
    agreement = Agreement.objects.get(pk=approval.agreement_id)
    assert agreement.stage == Stage.PENYUSUNAN_PKS
    assert agreement.documents.filter(doc_type=DocumentType.KEPUTUSAN_DPRD, number="170/21/KEP/DPRD/2026").exists()


# --- the DPRD's receipt (PP 28/2018 Pasal 30(4)) ---------------------------------------------------------


@time_machine.travel(date(2026, 12, 21), tick=False)
def test_a_sent_letter_shows_as_not_yet_received_and_the_receipt_form_is_the_tkksds(
    client, tkksd, dprd, pimpinan, opd, profile, issue
):
    agreement = waiting_agreement(tkksd, opd)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    issue(approval.request_letter, actor=pimpinan, issue_date=date(2026, 12, 21))
    approval.refresh_from_db()
    for user, sees_form in ((tkksd, True), (pimpinan, False), (dprd, False)):
        client.force_login(user)
        queue = client.get(reverse("registry:dprd_queue"))
        assert "Dikirim, belum diterima" in queue.content.decode()
        assert queue.context["counts"]["awaiting_receipt"] == 1
        page = client.get(approval.get_absolute_url()).content.decode()
        assert ('data-testid="receipt-form"' in page) is sees_form
    client.force_login(dprd)
    url = reverse("registry:dprd_receipt", args=[approval.pk])
    assert client.post(url, {"received_on": "2026-12-22", "agenda_number": "9"}).status_code == 403
    client.force_login(tkksd)
    response = client.post(url, {"received_on": "2026-12-22", "agenda_number": "\x00"}, follow=True)
    assert response.status_code == 200
    approval.refresh_from_db()
    assert approval.received_on is None
    response = client.post(url, {"received_on": "2026-12-21", "agenda_number": "170/88/DPRD"}, follow=True)
    assert response.status_code == 200
    approval.refresh_from_db()
    # From Monday 21 December 2026: Natal, cuti bersama, New Year's Day and Isra Mikraj 2027 are skipped.
    assert approval.received_on == date(2026, 12, 21)
    assert approval.due_on == desk.deadline_for(date(2026, 12, 21))
    assert desk.calendar_for(date(2026, 12, 21), approval.due_on).count(date(2026, 12, 21), approval.due_on) == 45
    assert "tenggat" in response.content.decode() or approval.due_on.strftime("%Y") in response.content.decode()


def test_the_deadline_from_the_receipt_skips_natal_and_cuti_bersama():
    calendar = desk.calendar_for(date(2026, 12, 1), date(2027, 3, 1))
    assert not calendar.is_working_day(date(2026, 12, 25))  # Natal
    assert calendar.day_off_name(date(2026, 12, 24)), "cuti bersama Natal 2026"
    # Received on Thursday 24 December would be a day off: counted from the day itself, the term
    # still starts on the next working day.
    due = desk.deadline_for(date(2026, 12, 21))
    naive = date(2026, 12, 21)
    workdays = 0
    while workdays < 45:
        naive += timedelta(days=1)
        if naive.weekday() < 5:
            workdays += 1
    assert due > naive, "holidays and cuti bersama push the deadline past 45 weekdays"


@time_machine.travel(date(2026, 11, 9), tick=False)
def test_the_tkksd_is_reminded_three_working_days_after_sending_without_a_receipt(
    tkksd, dprd, opd, profile, issue, pimpinan
):
    from monitoring import reminders
    from monitoring.models import Reminder, ReminderKind

    agreement = waiting_agreement(tkksd, opd)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    issue(approval.request_letter, actor=pimpinan, issue_date=date(2026, 11, 2))  # Monday
    reminders.scan(date(2026, 11, 4))
    assert not Reminder.objects.filter(kind=ReminderKind.DPRD_RECEIPT).exists()
    reminders.scan(date(2026, 11, 5))  # Thursday: three working days after Monday
    reminder = Reminder.objects.get(kind=ReminderKind.DPRD_RECEIPT)
    assert reminder.recipient == tkksd and reminder.due_date == date(2026, 11, 5)
    assert approval.request_letter.number in reminder.body
    reminders.scan(date(2026, 11, 9))
    assert Reminder.objects.filter(kind=ReminderKind.DPRD_RECEIPT).count() == 1


def test_the_letters_sentences_read_as_an_official_writes_them(tkksd, opd, profile):
    agreement = waiting_agreement(tkksd, opd, burdens_community=True)
    Agreement.objects.filter(pk=agreement.pk).update(
        object="Pengelolaan sampah regional.",
        scope="Pengangkutan dan pengolahan sampah…",
        funding_source="APBD Kabupaten Sleman",
        value=Decimal("1250000000"),
    )
    agreement.refresh_from_db()
    data = desk.request_letter_data(agreement, profile)
    body = " ".join(data["body"])
    assert "dengan daerah lain dengan" not in body
    assert "yang merupakan kerja sama daerah dengan daerah lain." in body
    assert "a. objek kerja sama: pengelolaan sampah regional; b. sumber pembiayaan: APBD Kabupaten Sleman" in body
    assert "dengan perkiraan nilai Rp1.250.000.000,00 (satu miliar dua ratus lima puluh juta rupiah);" in body
    assert "c. jangka waktu: 5 (lima) tahun." in body
    plan = " ".join(" ".join(section["paragraphs"]) for section in data["lampiran"]["sections"])
    for text in (body, plan):
        assert ".;" not in text and ";;" not in text and "…;" not in text and "…." not in text
        # After a colon a sentence goes on in lower case, unless a name or an acronym starts it.
        assert not re.search(r": (?!APBD|Rp)[A-Z][a-z]", text.replace("Tujuan: ", "").replace("Sasaran: ", ""))
