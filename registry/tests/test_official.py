"""Official documents: numbering, issuing, snapshots, render jobs, voids, corrections, verification."""

import hashlib
import io
import re
import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from kerjasama import jobs
from registry import official
from registry.errors import AlreadyDone
from registry.models import Counter, DocumentKind, NumberSeries, OfficialDocument, PemdaProfile, RenderJob, TkksdMember
from registry.models.official import validate_pattern
from registry.tests.factories import PemdaProfileFactory
from registry.tests.official_data import berita_acara_data, keputusan_data, surat_data


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text().replace("\u2010\n", "") for page in PdfReader(io.BytesIO(content)).pages)


# --- numbering -----------------------------------------------------------------------------------------


def test_a_pattern_formats_the_yearly_sequence():
    series = NumberSeries(code="x", pattern="100.3.3/{seq:03d}/{unit}/{roman_month}/{year}", unit="KS")
    assert series.format(12, date(2026, 11, 2)) == "100.3.3/012/KS/XI/2026"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("100.3.3/KS/{year}", "{seq}"), ("{seq}/{bogus}", "bogus"), ("{seq", "tidak sah")],
)
def test_a_pattern_must_be_valid(pattern, message):
    with pytest.raises(ValidationError, match=message):
        validate_pattern(pattern)


@pytest.mark.django_db
def test_issue_gives_consecutive_numbers_per_series_restarting_each_year(
    issue, profile, tkksd, letter_series, pimpinan
):
    issued = []
    for day in (date(2026, 3, 1), date(2026, 12, 31), date(2027, 1, 2)):
        draft = official.create_draft(
            actor=tkksd, kind=DocumentKind.SURAT, series=letter_series, title="Surat", data=surat_data()
        )
        issued.append(issue(draft, actor=pimpinan, issue_date=day))
    assert [d.number for d in issued] == ["100.3.3/001/KS/2026", "100.3.3/002/KS/2026", "100.3.3/001/KS/2027"]
    other = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.BERITA_ACARA,
        series=official.series_for("berita-acara-tkksd"),
        title="BA",
        data=berita_acara_data(),
    )
    TkksdMember.objects.create(name="Ketua", position="Sekretaris Daerah", team_role="ketua", user=tkksd)
    assert issue(other, actor=tkksd, issue_date=date(2026, 5, 5)).sequence == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_issues_get_fifty_distinct_consecutive_numbers(make_user, monkeypatch):
    """On SQLite and on PostgreSQL alike (CI runs this suite on PostgreSQL)."""

    monkeypatch.setattr(jobs, "publish", lambda task, *args: None)
    PemdaProfileFactory()
    issuer = make_user("Pimpinan", username="penerbit")
    series = official.series_for("surat-kerja-sama")
    drafts = [
        official.create_draft(
            actor=issuer, kind=DocumentKind.SURAT, series=series, title=f"Surat {i}", data=surat_data()
        )
        for i in range(50)
    ]
    barrier = threading.Barrier(10)
    errors = []

    def issue(batch):
        try:
            barrier.wait(timeout=20)
            for draft in batch:
                official.issue_document(draft, actor=issuer, issue_date=date(2026, 11, 23))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(drafts[i::10],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(OfficialDocument.objects.filter(series=series).values_list("sequence", flat=True))
    assert sequences == list(range(1, 51))
    numbers = set(OfficialDocument.objects.filter(series=series).values_list("number", flat=True))
    assert len(numbers) == 50
    assert Counter.objects.get(series=series.counter_series, year=2026).value == 50


# --- issuing -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issuing_freezes_the_snapshot_and_stores_the_rendered_bytes_with_their_hash(issue, letter, pimpinan):
    issued = issue(letter, actor=pimpinan, issue_date=date(2026, 11, 23))
    issued.refresh_from_db()
    assert issued.status == OfficialDocument.Status.ISSUED
    assert issued.number == "100.3.3/001/KS/2026"
    assert issued.snapshot["context"]["number"] == issued.number
    content = issued.file.read()
    assert hashlib.sha256(content).hexdigest() == issued.sha256
    text = pdf_text(content)
    assert "Nomor : 100.3.3/001/KS/2026" in text.replace("\u00a0", " ") or "100.3.3/001/KS/2026" in text
    assert "Permohonan Persetujuan DPRD" in text
    assert issued.verification_code in text
    assert "DRAF" not in text
    job = issued.render_jobs.get()
    assert (job.state, job.progress) == (RenderJob.State.DONE, 100)


@pytest.mark.django_db
def test_issued_bytes_never_change_after_the_profile_or_a_template_changes(
    issue, letter, tkksd, pimpinan, client, monkeypatch
):
    issued = issue(letter, actor=pimpinan, issue_date=date(2026, 11, 23))
    issued.refresh_from_db()
    original, digest = issued.file.read(), issued.sha256
    PemdaProfile.objects.filter(pk=1).update(address="Jalan Baru Nomor 99", phone="(0274) 000000")
    # A template (or the engine) that now renders something else must never reach an issued document.
    monkeypatch.setattr(official, "render_pdf", lambda *args, **kwargs: b"%PDF-1.7 something else")
    from registry.tasks import render_official_document

    render_official_document.delay(issued.render_jobs.get().pk)  # a re-delivered task
    official._store_issued(issued, b"%PDF-1.7 something else")
    client.force_login(tkksd)
    response = client.get(reverse("registry:official_download", args=[issued.pk]))
    assert response.content == original
    issued.refresh_from_db()
    assert issued.sha256 == digest
    assert "Jalan Baru" not in pdf_text(original)


@pytest.mark.django_db
def test_an_issued_document_cannot_be_edited_or_issued_again(issue, letter, tkksd, pimpinan):
    issue(letter, actor=pimpinan)
    letter.refresh_from_db()
    with pytest.raises(official.ServiceError, match="tidak dapat diubah"):
        official.update_draft(letter, actor=tkksd, title="Lain", data=surat_data(), paper="A4")
    # Issuing again (a double click) says it is done and changes nothing.
    with pytest.raises(AlreadyDone, match=letter.number):
        issue(letter, actor=pimpinan)


@pytest.mark.django_db
def test_a_draft_that_cannot_print_is_refused(profile, tkksd, letter_series):
    with pytest.raises(official.ServiceError, match="belum lengkap"):
        official.create_draft(
            actor=tkksd, kind=DocumentKind.SURAT, series=letter_series, title="x", data={"subject": "Tanpa isi"}
        )
    with pytest.raises(official.ServiceError, match="Seri penomoran"):
        official.create_draft(
            actor=tkksd, kind=DocumentKind.KEPUTUSAN, series=letter_series, title="x", data=keputusan_data()
        )


@pytest.mark.django_db
def test_only_pimpinan_issues_a_decree(issue, decree, tkksd, pimpinan, dprd):
    for user in (tkksd, dprd):
        with pytest.raises(PermissionDenied):
            issue(decree, actor=user)
    assert issue(decree, actor=pimpinan).number.endswith("/001/KEP/" + str(date.today().year))


@pytest.mark.django_db
def test_a_hostile_title_prints_as_text(profile, tkksd, letter_series):
    hostile = 'Surat <img src="http://example.com/x.png"> url(file:///etc/passwd) \u202eabc\u200b'
    draft = official.create_draft(
        actor=tkksd, kind=DocumentKind.SURAT, series=letter_series, title=hostile, data=surat_data(subject=hostile)
    )
    text = "".join(pdf_text(official.preview_pdf(draft)).split())
    assert '<imgsrc="http://example.com/x.png">' in text
    assert "url(file:///etc/passwd)" in text


@pytest.mark.django_db
def test_the_preview_is_watermarked_and_stores_nothing(letter):
    text = pdf_text(official.preview_pdf(letter))
    assert "DRAF" in text
    letter.refresh_from_db()
    assert (letter.number, letter.sha256, bool(letter.file)) == ("", "", False)


# --- the SK on the TKKSD ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_tkksd_decree_prints_the_members_recorded_in_the_app(issue, profile, tkksd, pimpinan):
    TkksdMember.objects.create(
        name="Bambang Wicaksono", position="Sekretaris Daerah", team_role=TkksdMember.TeamRole.KETUA, order=1
    )
    TkksdMember.objects.create(
        name="Dwi Anggraini", position="Kepala Bagian Kerja Sama", team_role=TkksdMember.TeamRole.SEKRETARIS, order=2
    )
    TkksdMember.objects.create(
        name="Mantan Anggota", position="Pensiun", team_role=TkksdMember.TeamRole.ANGGOTA, order=3, is_active=False
    )
    draft = official.draft_tkksd_decree(actor=tkksd, year=2026)
    issued = issue(draft, actor=pimpinan, issue_date=date(2026, 1, 5))
    issued.refresh_from_db()
    text = " ".join(pdf_text(issued.file.read()).split())
    expected_order = [
        "BUPATI SLEMAN",
        "KEPUTUSAN BUPATI SLEMAN",
        "NOMOR 100.3.3.2/001/KEP/2026",
        "TENTANG",
        "PEMBENTUKAN TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN SLEMAN TAHUN 2026",
        "DENGAN RAHMAT TUHAN YANG MAHA ESA",
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN",
        "Menetapkan",
        "KESATU",
        "KEDUA",
        "Ditetapkan di Sleman",
        "5 Januari 2026",
        "HARJONO PRAWIRO",
        "LAMPIRAN",
        "SUSUNAN KEANGGOTAAN",
        "1 Bambang Wicaksono Sekretaris Daerah Ketua",
        "2 Dwi Anggraini Kepala Bagian Kerja Sama Sekretaris",
    ]
    position = 0
    for fragment in expected_order:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing or out of order"
        position = found + len(fragment)
    assert "Mantan Anggota" not in text


@pytest.mark.django_db
def test_no_decree_without_members(profile, tkksd):
    with pytest.raises(official.ServiceError, match="anggota TKKSD"):
        official.draft_tkksd_decree(actor=tkksd)


# --- large documents: a Celery task with progress ----------------------------------------------------------


@pytest.mark.django_db
def test_a_hundred_row_lampiran_renders_in_a_task_with_progress(
    profile, tkksd, pimpinan, client, monkeypatch, django_capture_on_commit_callbacks
):
    from registry import tasks

    queued = []
    monkeypatch.setattr(jobs, "publish", lambda task, *args: queued.append((task.name, *args)))
    draft = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.KEPUTUSAN,
        series=official.series_for("keputusan-bupati"),
        title="Program",
        data=keputusan_data(rows=100),
    )
    assert official.is_large(draft)
    client.force_login(pimpinan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:official_issue", args=[draft.pk]))
    assert response.status_code == 302
    job = RenderJob.objects.get(document=draft)
    renders = [entry for entry in queued if entry[0].startswith("registry.")]
    assert renders == [("registry.tasks.render_official_document", job.pk)] and job.state == RenderJob.State.QUEUED
    progress_page = client.get(reverse("registry:render_progress", args=[job.pk]))
    assert 'hx-trigger="every' in progress_page.content.decode()

    with CaptureQueriesContext(connection) as queries:
        tasks.render_official_document(job.pk)
    progress_updates = [q["sql"] for q in queries if "registry_renderjob" in q["sql"] and '"progress"' in q["sql"]]
    assert len(progress_updates) >= 5  # the bar moves while the pages are laid out
    job.refresh_from_db()
    assert (job.state, job.progress) == (RenderJob.State.DONE, 100)
    draft.refresh_from_db()
    text = pdf_text(draft.file.read())
    assert "Program kerja sama 100" in text and "Mitra 57" in text
    done_page = client.get(reverse("registry:render_progress", args=[job.pk])).content.decode()
    assert "every" not in done_page and reverse("registry:official_download", args=[draft.pk]) in done_page


@pytest.mark.django_db
def test_a_long_draft_preview_is_queued_and_served_to_readers_only(
    profile, tkksd, ppksd, client, django_capture_on_commit_callbacks
):
    draft = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.KEPUTUSAN,
        series=official.series_for("keputusan-bupati"),
        title="Program",
        data=keputusan_data(rows=60),
    )
    client.force_login(tkksd)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("registry:official_preview", args=[draft.pk]))
    assert response.status_code == 302
    job = RenderJob.objects.get(document=draft, purpose=RenderJob.Purpose.PREVIEW)
    assert job.state == RenderJob.State.DONE  # eager in tests
    download = client.get(reverse("registry:render_download", args=[job.pk]))
    assert "DRAF" in pdf_text(b"".join(download.streaming_content))
    client.force_login(ppksd)
    assert client.get(reverse("registry:render_download", args=[job.pk])).status_code == 403


# --- void and correction ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_void_keeps_the_number_used_and_is_recorded(issue, letter, tkksd, letter_series, pimpinan):
    issued = issue(letter, actor=pimpinan)
    with pytest.raises(official.ServiceError):
        official.void_document(issued, actor=pimpinan, reason="  ")
    voided = official.void_document(issued, actor=pimpinan, reason="Salah alamat tujuan.")
    assert (voided.status, voided.void_reason, voided.voided_by) == ("voided", "Salah alamat tujuan.", pimpinan)
    following = official.create_draft(
        actor=tkksd, kind=DocumentKind.SURAT, series=letter_series, title="Surat", data=surat_data()
    )
    assert issue(following, actor=pimpinan).sequence == 2
    # Voiding again (a double click) says it is done.
    with pytest.raises(AlreadyDone):
        official.void_document(voided, actor=pimpinan, reason="lagi")


@pytest.mark.django_db
def test_a_correction_is_a_new_document_that_replaces_the_old(issue, letter, tkksd, client, pimpinan):
    issued = issue(letter, actor=pimpinan)
    correction = official.create_correction(issued, actor=tkksd)
    assert correction.is_draft and correction.replaces == issued and correction.draft_data == issued.draft_data
    corrected = issue(correction, actor=pimpinan)
    response = client.get(reverse("verify_document", args=[issued.verification_code]))
    assert corrected.number in response.content.decode()
    with pytest.raises(official.ServiceError):
        official.create_correction(official.create_correction(corrected, actor=tkksd), actor=tkksd)


# --- public verification ------------------------------------------------------------------------------------


@pytest.fixture
def issued_letter(issue, letter, pimpinan):
    issued = issue(letter, actor=pimpinan, issue_date=date(2026, 11, 23))
    issued.refresh_from_db()
    return issued


@pytest.mark.django_db
def test_the_verification_page_shows_only_the_public_facts(issued_letter, client):
    response = client.get(reverse("verify_document", args=[issued_letter.verification_code]))
    assert response.status_code == 200
    page = response.content.decode()
    for fact in (issued_letter.number, issued_letter.title, issued_letter.sha256, "23 November 2026"):
        assert fact in page
    assert "PEMERINTAH KABUPATEN SLEMAN" in page
    # Nothing of the content: the body and the addressee stay private.
    assert "rancangan perjanjian" not in page and "Ketua DPRD" not in page


@pytest.mark.django_db
def test_the_code_can_be_typed_in_any_case_and_spacing(issued_letter, client):
    code = issued_letter.verification_code.replace("-", " ").lower()
    response = client.get(reverse("verify_lookup"), {"kode": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify_document", args=[issued_letter.verification_code])


@pytest.mark.django_db
def test_uploading_the_genuine_pdf_confirms_it(issued_letter, client):
    content = issued_letter.file.read()
    response = client.post(
        reverse("verify_document", args=[issued_letter.verification_code]),
        {"file": SimpleUploadedFile("sk.pdf", content, content_type="application/pdf")},
    )
    # The issued rendering is the unsigned copy: identical, but not the signed original.
    assert response.context["result"] == "issued"
    assert "Identik dengan hasil cetak yang diterbitkan, yang belum ditandatangani" in response.content.decode()


@pytest.mark.django_db
def test_uploading_an_altered_pdf_is_flagged(issued_letter, client):
    content = issued_letter.file.read() + b"\n"  # one byte more: no longer the issued file
    response = client.post(
        reverse("verify_document", args=[issued_letter.verification_code]),
        {"file": SimpleUploadedFile("sk.pdf", content, content_type="application/pdf")},
    )
    assert response.context["result"] == "different"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ", "not-a-code", "<script>"])
def test_an_unknown_code_finds_nothing(issued_letter, client, code):
    response = client.get(reverse("verify_lookup"), {"kode": code})
    assert response.status_code == 404
    assert issued_letter.number not in response.content.decode()


@pytest.mark.django_db
def test_a_draft_is_never_verifiable(letter, client, pimpinan):
    assert client.get(reverse("verify_document", args=[letter.verification_code])).status_code == 404


# --- permissions ------------------------------------------------------------------------------------------

ROLES = ["tkksd", "ppksd", "other_ppksd", "dprd", "pimpinan", "admin", "outsider"]


def _status(client, user, method, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "allowed"),
    [
        ("official_list", "get", {"tkksd", "pimpinan", "admin", "dprd"}),
        ("tkksd_members", "get", {"tkksd", "pimpinan", "admin"}),
    ],
)
def test_list_pages_by_role(client, users, name, method, allowed):
    url = reverse(f"registry:{name}")
    for role in ROLES:
        expected = 200 if role in allowed else 403
        assert _status(client, users[role], method, url) == expected, role
    assert _status(client, None, method, url) == 302


@pytest.mark.django_db
def test_draft_pages_by_role(client, users, decree):
    """A draft decree: readable by TKKSD, Pimpinan, Admin; DPRD reads issued decrees only."""
    expectations = {
        "official_detail": {"tkksd": 200, "pimpinan": 200, "admin": 200, "dprd": 404},
        "official_edit": {"tkksd": 200, "pimpinan": 403, "admin": 200, "dprd": 403},
        "official_preview": {"tkksd": 200, "pimpinan": 200, "admin": 200, "dprd": 404},
    }
    for name, allowed in expectations.items():
        url = reverse(f"registry:{name}", args=[decree.pk])
        for role in ROLES:
            expected = allowed.get(role, 403)
            assert _status(client, users[role], "get", url) == expected, (name, role)
        assert _status(client, None, "get", url) == 302


@pytest.mark.django_db
def test_issue_void_and_correct_by_role(client, users, decree):
    issue_url = reverse("registry:official_issue", args=[decree.pk])
    for role in ("ppksd", "other_ppksd", "dprd", "admin", "outsider"):
        assert _status(client, users[role], "post", issue_url) in (403, 404), role
    # TKKSD may not issue a decree: the page says so and nothing is issued.
    assert _status(client, users["tkksd"], "post", issue_url) == 403
    decree.refresh_from_db()
    assert decree.is_draft
    assert _status(client, users["pimpinan"], "post", issue_url) == 302
    decree.refresh_from_db()
    assert not decree.is_draft
    assert _status(client, users["dprd"], "get", reverse("registry:official_detail", args=[decree.pk])) == 200
    void_url = reverse("registry:official_void", args=[decree.pk])
    for role in ("ppksd", "dprd", "admin", "outsider"):
        assert _status(client, users[role], "post", void_url, {"reason": "x"}) in (403, 404), role
    correct_url = reverse("registry:official_correct", args=[decree.pk])
    for role in ("ppksd", "dprd", "pimpinan", "outsider"):
        assert _status(client, users[role], "post", correct_url) in (403, 404), role
    assert _status(client, users["tkksd"], "post", correct_url) == 302
    # A decree is voided by the Bupati's side only.
    assert _status(client, users["tkksd"], "post", void_url, {"reason": "Salah"}) == 403
    decree.refresh_from_db()
    assert decree.status == OfficialDocument.Status.ISSUED
    assert _status(client, users["pimpinan"], "post", void_url, {"reason": "Diganti"}) == 302
    decree.refresh_from_db()
    assert decree.status == OfficialDocument.Status.VOIDED


@pytest.mark.django_db
def test_tkksd_membership_is_managed_by_tkksd_and_admin(client, users, profile):
    member = TkksdMember.objects.create(name="A", position="B", team_role=TkksdMember.TeamRole.ANGGOTA)
    edit_url = reverse("registry:tkksd_member_edit", args=[member.pk])
    decree_url = reverse("registry:tkksd_decree")
    for role in ROLES:
        expected = 200 if role in ("tkksd", "admin") else 403
        assert _status(client, users[role], "get", edit_url) == expected, role
        assert _status(client, users[role], "post", decree_url) == (302 if role in ("tkksd", "admin") else 403), role
    payload = {"name": "Baru", "position": "Kepala", "team_role": "anggota", "order": 2, "is_active": "on"}
    assert _status(client, users["pimpinan"], "post", reverse("registry:tkksd_members"), payload) == 403
    assert _status(client, users["tkksd"], "post", reverse("registry:tkksd_members"), payload) == 302
    assert TkksdMember.objects.filter(name="Baru").exists()


@pytest.mark.django_db
def test_the_draft_form_saves_lines_and_reports_errors(client, tkksd, letter):
    client.force_login(tkksd)
    url = reverse("registry:official_edit", args=[letter.pk])
    edition = client.get(url).context["form"]["edition"].value()
    response = client.post(url, {"title": "Surat baru", "paper": "F4", "body": "", "edition": edition})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    data = {
        "title": "Surat baru",
        "paper": "F4",
        "body": "Paragraf satu\n\nParagraf dua",
        "tembusan": "",
        "edition": edition,
    }
    assert client.post(url, data).status_code == 302
    letter.refresh_from_db()
    assert letter.title == "Surat baru" and letter.paper == "F4"
    assert letter.draft_data["body"] == ["Paragraf satu", "Paragraf dua"]


@pytest.mark.django_db
def test_download_of_an_unrendered_document_waits(letter, tkksd, client, monkeypatch, pimpinan):

    monkeypatch.setattr(jobs, "publish", lambda task, *args: None)
    issued = official.issue_document(letter, actor=pimpinan)
    client.force_login(tkksd)
    response = client.get(reverse("registry:official_download", args=[issued.pk]))
    assert response.status_code == 302 and response["Location"] == issued.get_absolute_url()


def test_the_page_names_who_issues_in_one_sentence(client, letter, tkksd, pimpinan):
    client.force_login(tkksd)
    html = client.get(letter.get_absolute_url()).content.decode()
    sentence = " ".join(re.search(r'data-testid="issuers">(.*?)</p>', html, re.S)[1].split())
    assert sentence.startswith("Diterbitkan oleh Bupati")
    assert " ." not in sentence and not sentence.endswith(",")
