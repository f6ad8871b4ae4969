"""Registry pages: the permission matrix for every URL and role, uploads, filters, search,
exports and pinned query counts."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kerjasama import workqueue
from registry import lifecycle, services
from registry.models import Agreement, AgreementDocument, DocumentType, DprdApproval, Kind, Partner, Stage, Urusan

from .factories import make_agreement, make_partner, pdf_bytes, region_partner, upload

USERS = ["tkksd", "ppksd", "other_ppksd", "dprd", "pimpinan", "admin", "outsider"]


@pytest.fixture
def world(users, opd):
    """An agreement of the PPKSD's OPD at the DPRD stage with an open request, and its pieces."""
    tkksd = users["tkksd"]
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PERSETUJUAN_DPRD, not_yet_budgeted=True)
    approval = services.request_dprd_approval(
        agreement, actor=tkksd, request_number="100/1/KS", received_on=date(2026, 10, 1)
    )
    document = upload(agreement, tkksd, DocumentType.KAJIAN_TKKSD)
    draft = make_agreement(tkksd, opd=opd, title="Draf internal")
    return {"agreement": agreement, "approval": approval, "document": document, "draft": draft}


def url_for(name, world):
    agreement, partner = world["agreement"], world["agreement"].partners.first()
    return {
        "agreement_list": reverse("registry:agreement_list"),
        "agreement_create": reverse("registry:agreement_create"),
        "agreement_detail": agreement.get_absolute_url(),
        "draft_detail": world["draft"].get_absolute_url(),
        "agreement_edit": reverse("registry:agreement_edit", args=[agreement.pk]),
        "agreement_history": reverse("registry:agreement_history", args=[agreement.pk]),
        "document_download": world["document"].get_absolute_url(),
        "dprd_request": reverse("registry:dprd_request", args=[agreement.pk]),
        "dprd_decision": reverse("registry:dprd_decision", args=[world["approval"].pk]),
        "partner_list": reverse("registry:partner_list"),
        "partner_create": reverse("registry:partner_create"),
        "partner_detail": partner.get_absolute_url(),
        "partner_edit": reverse("registry:partner_edit", args=[partner.pk]),
    }[name]


# GET status per URL and user: 200 allowed, 403 role refused, 404 not theirs (or hidden).
GET_MATRIX = {
    "agreement_list": [200, 200, 200, 200, 200, 200, 403],
    "agreement_create": [200, 200, 200, 403, 403, 200, 403],
    "agreement_detail": [200, 200, 404, 200, 200, 200, 404],
    "draft_detail": [200, 200, 404, 404, 200, 200, 404],
    "agreement_edit": [200, 200, 404, 403, 403, 200, 404],
    "agreement_history": [200, 200, 404, 200, 200, 200, 404],
    "document_download": [200, 200, 404, 200, 200, 200, 404],
    "dprd_request": [200, 403, 403, 403, 403, 200, 403],
    "dprd_decision": [200, 403, 403, 200, 403, 200, 403],
    "partner_list": [200, 200, 200, 403, 200, 200, 403],
    "partner_create": [200, 200, 200, 403, 200, 200, 403],
    "partner_detail": [200, 200, 200, 403, 200, 200, 403],
    "partner_edit": [200, 403, 403, 403, 403, 200, 403],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "user_name", "expected"),
    [(url, user, status) for url, row in GET_MATRIX.items() for user, status in zip(USERS, row, strict=True)],
)
def test_registry_permission_matrix(client, users, world, url_name, user_name, expected):
    client.force_login(users[user_name])
    assert client.get(url_for(url_name, world)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(GET_MATRIX))
def test_registry_pages_send_anonymous_users_to_login(client, world, url_name):
    response = client.get(url_for(url_name, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


POSTS = ["agreement_advance", "pks_contents", "follow_up_create", "document_upload"]
# POST status per action and user on the PPKSD's OPD agreement: 302 handled (allowed or
# refused with a message), 403 role refused, 404 not theirs.
POST_MATRIX = {
    "agreement_advance": [302, 302, 404, 404, 302, 302, 404],
    "pks_contents": [302, 302, 404, 404, 403, 302, 404],
    "follow_up_create": [302, 302, 404, 404, 403, 302, 404],
    "document_upload": [302, 302, 404, 404, 403, 302, 404],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "user_name", "expected"),
    [(a, user, status) for a, row in POST_MATRIX.items() for user, status in zip(USERS, row, strict=True)],
)
def test_registry_actions_permission_matrix(client, users, world, action, user_name, expected):
    agreement = world["draft"]
    client.force_login(users[user_name])
    data = {
        "agreement_advance": {"to_stage": Stage.DIBATALKAN, "expected_stage": Stage.PERSIAPAN, "note": "x"},
        "pks_contents": {"clauses": ["term"], "legal_analysis": "x"},
        "follow_up_create": {"relation": "extension", "title": ""},
        "document_upload": {"doc_type": "kak", "file": SimpleUploadedFile("kak.pdf", pdf_bytes())},
    }[action]
    response = client.post(reverse(f"registry:{action}", args=[agreement.pk]), data)
    assert response.status_code == expected


@pytest.mark.django_db
def test_only_allowed_roles_change_an_agreement_through_the_actions(client, users, world):
    agreement = world["draft"]
    for name in ("dprd", "pimpinan"):
        client.force_login(users[name])
        client.post(
            reverse("registry:agreement_advance", args=[agreement.pk]),
            {"to_stage": Stage.DIBATALKAN, "expected_stage": Stage.PERSIAPAN, "note": "coba"},
        )
        agreement.refresh_from_db()
        assert agreement.stage == Stage.PERSIAPAN
    client.force_login(users["ppksd"])
    client.post(
        reverse("registry:agreement_advance", args=[agreement.pk]),
        {"to_stage": Stage.DIBATALKAN, "expected_stage": Stage.PERSIAPAN, "note": "Ditarik oleh OPD."},
    )
    agreement.refresh_from_db()
    assert agreement.stage == Stage.DIBATALKAN


@pytest.mark.django_db
def test_detail_page_offers_allowed_steps_and_explains_what_is_missing(client, tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENANDATANGANAN_KB)
    client.force_login(tkksd)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "Lanjut ke: Penyusunan Perjanjian Kerja Sama (PKS)" in html
    assert "Unggah Kesepakatan Bersama (KB) yang telah ditandatangani terlebih dahulu." in html
    response = client.post(
        reverse("registry:agreement_advance", args=[agreement.pk]),
        {"to_stage": Stage.PENYUSUNAN_PKS, "expected_stage": Stage.PENANDATANGANAN_KB},
        follow=True,
    )
    assert "Unggah Kesepakatan Bersama (KB) yang telah ditandatangani" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.stage == Stage.PENANDATANGANAN_KB


@pytest.mark.django_db
def test_filing_an_agreement_through_the_form(client, ppksd, opd, other_opd):
    partner = region_partner("34.02")
    client.force_login(ppksd)
    data = {
        "kind": Kind.KSDD,
        "ksdd_nature": "wajib",
        "title": "Pengelolaan Terminal Bersama",
        "object": "Terminal tipe C di perbatasan.",
        "urusan": "",
        "lead_opd": other_opd.pk,
        "partners": [partner.pk],
        "start_date": "01-01-2027",
        "duration_months": "24",
    }
    from registry.models import Urusan

    data["urusan"] = Urusan.objects.get(code="2.15").pk
    response = client.post(reverse("registry:agreement_create"), data)
    # A PPKSD may file only for their own OPD.
    assert response.status_code == 200
    assert "lead_opd" in response.context["form"].errors
    data["lead_opd"] = opd.pk
    response = client.post(reverse("registry:agreement_create"), data)
    agreement = Agreement.objects.get(title="Pengelolaan Terminal Bersama")
    assert response["Location"] == agreement.get_absolute_url()
    assert agreement.stage == Stage.PERSIAPAN
    assert agreement.end_date == date(2028, 12, 31)
    assert agreement.register_number.startswith("KS-")
    assert agreement.transitions.get().actor == ppksd
    assert agreement.history.first().history_user == ppksd


@pytest.mark.django_db
def test_form_validation_messages_are_clear(client, tkksd, opd):
    client.force_login(tkksd)
    response = client.post(
        reverse("registry:agreement_create"),
        {
            "kind": Kind.KSDD,
            "title": "X",
            "object": "Y",
            "lead_opd": opd.pk,
            "burdens_community": "on",
            "start_date": "2027-05-01",
            "end_date": "2027-01-01",
            "value": "-5",
        },
    )
    errors = response.context["form"].errors
    assert "Nyatakan apakah KSDD ini wajib atau sukarela." in errors["ksdd_nature"]
    assert "Tanggal berakhir tidak boleh sebelum tanggal mulai." in errors["end_date"]
    assert "Jelaskan bebannya: DPRD akan membacanya." in errors["burden_justification"]
    assert "partners" in errors and "value" in errors
    # The ambiguous American order is not accepted.
    response = client.post(reverse("registry:agreement_create"), {"start_date": "12/31/2027"})
    assert "start_date" in response.context["form"].errors


# --- uploads -------------------------------------------------------------------------------------


def post_upload(client, agreement, file, **extra):
    return client.post(
        reverse("registry:document_upload", args=[agreement.pk]),
        {"doc_type": "kak", "file": file, **extra},
        follow=True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "bukan PDF"),
        ("kak.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "bukan PDF"),
        ("kosong.pdf", b"", "kosong"),
        ("rusak.pdf", b"%PDF-1.7\n garbage garbage", "rusak"),
    ],
)
def test_uploads_that_are_not_pdfs_are_refused(client, tkksd, opd, name, content, message):
    agreement = make_agreement(tkksd, opd=opd)
    client.force_login(tkksd)
    response = post_upload(client, agreement, SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AgreementDocument.objects.exists()


@pytest.mark.django_db
def test_an_oversized_upload_is_refused(client, tkksd, opd, settings):
    settings.UPLOAD_MAX_BYTES = 100
    agreement = make_agreement(tkksd, opd=opd)
    client.force_login(tkksd)
    response = post_upload(client, agreement, SimpleUploadedFile("besar.pdf", pdf_bytes()))
    assert "paling besar" in response.content.decode()
    assert not AgreementDocument.objects.exists()


@pytest.mark.django_db
def test_a_pdf_with_a_long_unicode_name_is_kept_with_its_hash_and_versions(client, tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd)
    client.force_login(tkksd)
    name = "Kajian Kerja Sama Pengelolaan Sampah — تجربة 中文 " + "ñ" * 300 + ".pdf"
    content = pdf_bytes("Kajian")
    post_upload(client, agreement, SimpleUploadedFile(name, content))
    post_upload(client, agreement, SimpleUploadedFile("kak-revisi.pdf", content))
    documents = list(agreement.documents.order_by("version"))
    assert [d.version for d in documents] == [1, 2]
    import hashlib

    assert documents[0].sha256 == hashlib.sha256(content).hexdigest()
    assert len(documents[0].original_name) <= 255
    assert documents[0].file.name.endswith(".pdf") and "ñ" not in documents[0].file.name
    response = client.get(documents[0].get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"


# --- list, filters, search, export ----------------------------------------------------------------


@pytest.fixture
def register(tkksd, opd, other_opd):
    """A small register with known answers to each filter."""
    today = date.today()
    water = make_agreement(
        tkksd,
        opd=opd,
        title="Penyediaan Air Bersih Perkotaan",
        kind=Kind.KSDPK,
        object="Air minum perpipaan.",
        partners=[make_partner("Perumda Air Minum Tirta Sembada", kind="bumd")],
        stage=Stage.PELAKSANAAN,
        start_date=date(2024, 3, 1),
        end_date=today + timedelta(days=60),
    )
    waste = make_agreement(
        tkksd,
        opd=other_opd,
        title="Pengelolaan Sampah Regional",
        partners=[region_partner("34.71")],
        stage=Stage.PELAKSANAAN,
        start_date=date(2023, 1, 1),
        end_date=today + timedelta(days=900),
    )
    roads = make_agreement(
        tkksd,
        opd=other_opd,
        title="Pemeliharaan Jalan Perbatasan",
        partners=[region_partner("33.08")],
        object="Jalan kabupaten di perbatasan.",
        urusan=Urusan.objects.get(code="1.03"),
        start_date=date(2025, 6, 1),
    )
    waste.own_number = "100.3.3/045/KS/2023"
    waste.save(update_fields=["own_number"])
    services.refresh_derived_text(waste)
    return {"water": water, "waste": waste, "roads": roads}


def listed(client, **params):
    response = client.get(reverse("registry:agreement_list"), params)
    assert response.status_code == 200
    return {row.title for row in response.context["rows"]}


@pytest.mark.django_db
def test_filters(client, tkksd, opd, register):
    client.force_login(tkksd)
    assert listed(client) == {
        "Penyediaan Air Bersih Perkotaan",
        "Pengelolaan Sampah Regional",
        "Pemeliharaan Jalan Perbatasan",
    }
    assert listed(client, kind="ksdpk") == {"Penyediaan Air Bersih Perkotaan"}
    assert listed(client, stage="persiapan") == {"Pemeliharaan Jalan Perbatasan"}
    assert listed(client, status="expiring_soon") == {"Penyediaan Air Bersih Perkotaan"}
    assert listed(client, status="active") == {"Pengelolaan Sampah Regional"}
    assert listed(client, opd=opd.pk) == {"Penyediaan Air Bersih Perkotaan"}
    assert listed(client, partner=register["waste"].partners.first().pk) == {"Pengelolaan Sampah Regional"}
    assert listed(client, year=2025) == {"Pemeliharaan Jalan Perbatasan"}
    assert listed(client, expiring_within=90) == {"Penyediaan Air Bersih Perkotaan"}
    assert listed(client, urusan=register["roads"].urusan_id) == {"Pemeliharaan Jalan Perbatasan"}
    assert listed(client, sort="title")  # sorting works with any filter
    assert listed(client, year="bukan-tahun") == listed(client)  # bad input is ignored, not a 500


@pytest.mark.django_db
def test_search_over_title_object_partner_and_number(client, tkksd, register):
    client.force_login(tkksd)
    assert listed(client, q="sampah") == {"Pengelolaan Sampah Regional"}
    assert listed(client, q="Tirta Sembada") == {"Penyediaan Air Bersih Perkotaan"}
    assert listed(client, q="Kota Yogyakarta") == {"Pengelolaan Sampah Regional"}
    assert listed(client, q="100.3.3/045/KS/2023") == {"Pengelolaan Sampah Regional"}
    assert listed(client, q="tidak ada yang cocok") == set()
    if connection.vendor == "postgresql":
        # The indonesian stemmer: "perkotaan" is found by "kota", "sampahnya" by "sampah".
        assert listed(client, q="kota") == {"Penyediaan Air Bersih Perkotaan", "Pengelolaan Sampah Regional"}
        assert listed(client, q="sampahnya") == {"Pengelolaan Sampah Regional"}


@pytest.mark.django_db
def test_ppksd_list_shows_only_their_opd(client, ppksd, register):
    client.force_login(ppksd)
    assert listed(client) == {"Penyediaan Air Bersih Perkotaan"}


@pytest.mark.django_db
def test_csv_and_xlsx_exports_match_the_filtered_list(client, tkksd, register):
    client.force_login(tkksd)
    params = {"status": "active", "q": ""}
    shown = listed(client, status="active")
    response = client.get(reverse("registry:agreement_list"), {**params, "export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:2] == ["Nomor register", "Judul"]
    assert {row[1] for row in rows[1:]} == shown
    response = client.get(reverse("registry:agreement_list"), {**params, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[1]
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == shown


@pytest.mark.django_db
def test_export_neutralises_spreadsheet_formulas(client, tkksd, opd):
    make_agreement(tkksd, opd=opd, title='=HYPERLINK("http://contoh.invalid")')
    client.force_login(tkksd)
    response = client.get(reverse("registry:agreement_list"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in content


@pytest.mark.django_db
def test_list_pages_without_counting(client, tkksd, opd):
    for n in range(27):
        make_agreement(tkksd, opd=opd, title=f"Kerja sama {n:02d}")
    client.force_login(tkksd)
    first = client.get(reverse("registry:agreement_list"))
    assert len(first.context["rows"]) == 25 and first.context["page"].has_next
    second = client.get(reverse("registry:agreement_list"), {"page": 2})
    assert len(second.context["rows"]) == 2 and not second.context["page"].has_next
    assert client.get(reverse("registry:agreement_list"), {"page": "x"}).status_code == 200


# --- query counts: pinned, whatever the volume ------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    # The work queue's one bounded count (kerjasama/workqueue.py) is not a count of the list.
    assert not any(
        "COUNT(" in q["sql"].upper() and "registry_agreement" in q["sql"] and workqueue.MARKER not in q["sql"]
        for q in queries.captured_queries
    )
    return len(queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{}, {"q": "sampah"}, {"status": "active", "kind": "ksdd"}, {"opd": "OPD", "sort": "title"}]
)
def test_list_query_count_does_not_grow_with_the_data(client, tkksd, opd, params):
    params = {k: (opd.pk if v == "OPD" else v) for k, v in params.items()}
    client.force_login(tkksd)
    make_agreement(tkksd, opd=opd, title="Pengelolaan sampah 1")
    # The first request also fills the cached filter options.
    cold = count_queries(client, reverse("registry:agreement_list"), params)
    small = count_queries(client, reverse("registry:agreement_list"), params)
    assert cold <= small + 4
    for n in range(30):
        make_agreement(
            tkksd, opd=opd, title=f"Pengelolaan sampah {n}", partners=[make_partner(f"PT Mitra {n}"), region_partner()]
        )
    assert count_queries(client, reverse("registry:agreement_list"), params) == small
    # Session, user, roles, the page of agreements (the work queue's and the unread notifications'
    # counts load after the page); the OPD filter checks the OPD.
    assert small == (5 if "opd" in params else 4)


@pytest.mark.django_db
def test_detail_and_partner_query_counts_do_not_grow(client, tkksd, opd):
    client.force_login(tkksd)
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    upload(agreement, tkksd, DocumentType.LAPORAN)
    partner = agreement.partners.first()
    detail = count_queries(client, agreement.get_absolute_url())
    partner_page = count_queries(client, partner.get_absolute_url())
    # More documents, timeline lines, follow-ups and agreements with the partner.
    for _ in range(5):
        upload(agreement, tkksd, DocumentType.LAPORAN)
        upload(agreement, tkksd, DocumentType.KAK)
        make_agreement(tkksd, opd=opd, partners=[partner])
    lifecycle.advance(agreement, Stage.PENATAUSAHAAN, actor=tkksd)
    lifecycle.advance(agreement, Stage.PELAPORAN, actor=tkksd)
    services.create_follow_up(agreement, actor=tkksd, relation="addendum", title="Adendum I")
    services.create_follow_up(agreement, actor=tkksd, relation="addendum", title="Adendum II")
    assert count_queries(client, agreement.get_absolute_url()) == detail
    assert count_queries(client, partner.get_absolute_url()) == partner_page


@pytest.mark.django_db
def test_partner_page_lists_its_agreements_and_partners_are_deduplicated(client, tkksd, opd):
    client.force_login(tkksd)
    response = client.post(reverse("registry:partner_create"), {"kind": "region", "regency": "34.71"})
    partner = Partner.objects.get(regency_id="34.71")
    assert response["Location"] == partner.get_absolute_url()
    assert partner.name == "Pemerintah Kota Yogyakarta"
    response = client.post(reverse("registry:partner_create"), {"kind": "region", "regency": "34.71"})
    assert "sudah terdaftar" in response.content.decode()
    agreement = make_agreement(tkksd, opd=opd, partners=[partner], title="Trans Jogja")
    assert "Trans Jogja" in client.get(partner.get_absolute_url()).content.decode()
    assert agreement.partners.get() == partner


@pytest.mark.django_db
def test_the_partner_page_lists_its_agreements_25_to_a_page_newest_first(client, tkksd, opd):
    client.force_login(tkksd)
    partner = make_partner("PT Mitra Banyak Kerja Sama")
    for n in range(27):
        make_agreement(
            tkksd,
            opd=opd,
            partners=[partner],
            title=f"Kerja sama ke-{n:02d}",
            start_date=date(2020, 1, 1) + timedelta(days=n),
        )
    first = client.get(partner.get_absolute_url())
    titles = re.findall(r"Kerja sama ke-(\d\d)", first.content.decode())
    assert titles == [f"{n:02d}" for n in range(26, 1, -1)]
    assert "?page=2" in first.content.decode()
    second = client.get(partner.get_absolute_url(), {"page": "2"}).content.decode()
    assert re.findall(r"Kerja sama ke-(\d\d)", second) == ["01", "00"]
    assert "?page=1" in second
    # A page past the end, or no number at all, is an empty page or the first one, never an error.
    assert client.get(partner.get_absolute_url(), {"page": "99"}).status_code == 200
    assert client.get(partner.get_absolute_url(), {"page": "x\x00"}).status_code == 200


@pytest.mark.django_db
def test_dprd_decision_through_the_page(client, users, world):
    client.force_login(users["dprd"])
    approval = world["approval"]
    response = client.post(
        reverse("registry:dprd_decision", args=[approval.pk]),
        {
            "decision": DprdApproval.Decision.APPROVED,
            "decision_number": "170/12/KEP/DPRD/2026",
            "decision_date": "2026-11-02",
            "letter": SimpleUploadedFile("keputusan.pdf", pdf_bytes("Keputusan DPRD")),
            "reasons": "",
        },
    )
    assert response.status_code == 302
    agreement = world["agreement"]
    agreement.refresh_from_db()
    assert agreement.stage == Stage.PENYUSUNAN_PKS
    transition = agreement.transitions.last()
    assert transition.actor is None and transition.document.doc_type == DocumentType.KEPUTUSAN_DPRD


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_empty_upload_form_is_printed_once_per_language_and_suggestion(client, tkksd, opd, printed_forms, language):
    from crispy_forms.utils import render_crispy_form
    from django.utils import translation

    from kerjasama.tests.markup import flat
    from registry import forms as registry_forms

    agreement = make_agreement(tkksd, opd=opd)
    suggested = lifecycle.step_of(agreement).documents
    assert suggested
    client.force_login(tkksd)
    client.cookies["django_language"] = language
    page = client.get(agreement.get_absolute_url()).content.decode()
    with translation.override(language):
        expected = render_crispy_form(registry_forms.DocumentUploadForm(suggested=suggested))
    assert flat(expected) in flat(page)
    # The step's own documents come first in the choice of type.
    first = re.search(r'<select name="doc_type"[^>]*>\s*<option value="([^"]+)"', page).group(1)
    assert first == suggested[0]
    # The next view prints the same text without rendering the form again.
    printed_forms.clear()
    assert flat(expected) in flat(client.get(agreement.get_absolute_url()).content.decode())
    assert printed_forms == []
    # Another language is rendered on its own.
    client.cookies["django_language"] = "en" if language == "id" else "id"
    client.get(agreement.get_absolute_url())
    assert len(printed_forms) == 1
