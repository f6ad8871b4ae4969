"""Monthly implementation reports: who files, which months, review, evidence checked by content."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kerjasama.tests.markup import flat
from monitoring import selectors, services
from monitoring.models import ImplementationReport, ReportEvent, ReportStatus
from monitoring.validators import evidence_content_type
from registry.models import Stage

from .helpers import add_report, pdf_bytes, png_bytes, report_data, running

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def agreement(tkksd, opd):
    return running(tkksd, opd=opd, start=date(2026, 1, 15), end=date(2027, 12, 31))


# --- services ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ppksd_of_the_lead_opd_files_a_report_waiting_for_review(agreement, ppksd):
    report = services.file_report(agreement, actor=ppksd, period=OCTOBER, data=report_data(), today=TODAY)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == ppksd
    assert [event.action for event in report.events.all()] == [ReportEvent.Action.SUBMITTED]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["tkksd", "other_ppksd", "dprd", "pimpinan", "admin"])
def test_only_the_lead_opds_ppksd_may_file(agreement, users, who):
    with pytest.raises(PermissionDenied):
        services.file_report(agreement, actor=users[who], period=OCTOBER, data=report_data(), today=TODAY)


@pytest.mark.django_db
def test_an_agreement_not_in_implementation_files_no_report(tkksd, ppksd, opd):
    preparing = running(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS)
    with pytest.raises(PermissionDenied):
        services.file_report(preparing, actor=ppksd, period=OCTOBER, data=report_data(), today=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period",
    [date(2026, 11, 1), date(2026, 12, 1), date(2025, 12, 1), date(2026, 10, 5)],
    ids=["this-month", "future", "before-start", "not-a-month-start"],
)
def test_a_month_not_owed_is_refused(agreement, ppksd, period):
    with pytest.raises(services.ServiceError):
        services.file_report(agreement, actor=ppksd, period=period, data=report_data(), today=TODAY)


@pytest.mark.django_db
def test_one_report_per_month(agreement, ppksd):
    services.file_report(agreement, actor=ppksd, period=OCTOBER, data=report_data(), today=TODAY)
    with pytest.raises(services.ServiceError):
        services.file_report(agreement, actor=ppksd, period=OCTOBER, data=report_data(), today=TODAY)
    assert ImplementationReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_tkksd_returns_with_notes_then_accepts_the_revision(agreement, ppksd, tkksd):
    report = services.file_report(agreement, actor=ppksd, period=OCTOBER, data=report_data(), today=TODAY)
    with pytest.raises(services.ServiceError):
        services.review_report(report, actor=tkksd, decision=services.ReviewDecision.RETURN, note=" ")
    returned = services.review_report(
        report, actor=tkksd, decision=services.ReviewDecision.RETURN, note="Lampirkan daftar hadir."
    )
    assert returned.status == ReportStatus.RETURNED
    assert returned.review_note == "Lampirkan daftar hadir."
    # The filer is told, in the app and by e-mail.
    assert mail.outbox[-1].to == [ppksd.email]
    revised = services.revise_report(returned, actor=ppksd, data=report_data(progress=55))
    assert revised.status == ReportStatus.SUBMITTED
    assert revised.progress == 55
    accepted = services.review_report(revised, actor=tkksd, decision=services.ReviewDecision.ACCEPT)
    assert accepted.status == ReportStatus.ACCEPTED
    assert [event.action for event in accepted.events.all()] == ["submitted", "returned", "revised", "accepted"]
    with pytest.raises(services.ServiceError):
        services.revise_report(accepted, actor=ppksd, data=report_data())


@pytest.mark.django_db
def test_a_report_is_reviewed_once(agreement, ppksd, tkksd, make_user):
    report = services.file_report(agreement, actor=ppksd, period=OCTOBER, data=report_data(), today=TODAY)
    services.review_report(report, actor=tkksd, decision=services.ReviewDecision.ACCEPT)
    second = make_user("TKKSD", username="tkksd2")
    with pytest.raises(services.ServiceError):
        services.review_report(report, actor=second, decision=services.ReviewDecision.RETURN, note="Terlambat.")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ppksd", "other_ppksd", "dprd", "pimpinan", "admin"])
def test_only_tkksd_reviews(agreement, users, who):
    report = services.file_report(agreement, actor=users["ppksd"], period=OCTOBER, data=report_data(), today=TODAY)
    with pytest.raises(PermissionDenied):
        services.review_report(report, actor=users[who], decision=services.ReviewDecision.ACCEPT)


# --- overdue ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_missing_months_are_overdue_after_the_due_day(agreement, ppksd, tkksd, settings):
    settings.REPORT_DUE_DAY = 10
    add_report(agreement, date(2026, 9, 1), ppksd, status=ReportStatus.ACCEPTED, reviewer=tkksd)
    add_report(agreement, date(2026, 8, 1), ppksd, status=ReportStatus.RETURNED, reviewer=tkksd)
    states = {state.period: state.state for state in selectors.period_states(agreement, TODAY)}
    assert states[date(2026, 10, 1)] == "overdue"  # due 10 November
    assert states[date(2026, 9, 1)] == ReportStatus.ACCEPTED
    assert states[date(2026, 8, 1)] == ReportStatus.RETURNED
    assert next(s for s in selectors.period_states(agreement, TODAY) if s.period == date(2026, 8, 1)).overdue
    assert states[date(2026, 1, 1)] == "overdue"
    assert date(2025, 12, 1) not in states
    # On the due day itself, October's report is owed but not yet overdue.
    on_due_day = {s.period: s.state for s in selectors.period_states(agreement, date(2026, 11, 10))}
    assert on_due_day[date(2026, 10, 1)] == "owed"


@pytest.mark.django_db
def test_owing_report_lists_running_agreements_without_a_filed_report(agreement, tkksd, ppksd, opd):
    filed = running(tkksd, opd=opd, title="Sudah lapor")
    add_report(filed, OCTOBER, ppksd, status=ReportStatus.SUBMITTED)
    returned = running(tkksd, opd=opd, title="Dikembalikan")
    add_report(returned, OCTOBER, ppksd, status=ReportStatus.RETURNED, reviewer=tkksd)
    running(tkksd, opd=opd, title="Belum mulai", start=date(2026, 11, 1))
    running(tkksd, opd=opd, title="Sudah selesai", start=date(2025, 1, 1), end=date(2026, 9, 30))
    running(tkksd, opd=opd, title="Disiapkan", stage=Stage.PENYUSUNAN_PKS)
    owing = selectors.owing_report(selectors.Agreement.objects.all(), OCTOBER)
    assert sorted(owing.values_list("title", flat=True)) == ["Dikembalikan", agreement.title]


# --- evidence ------------------------------------------------------------------------------------------


def test_evidence_is_recognised_by_content_not_by_name():
    assert evidence_content_type(SimpleUploadedFile("foto.jpg", pdf_bytes())) == "application/pdf"
    assert evidence_content_type(SimpleUploadedFile("laporan.pdf", png_bytes())) == "image/png"
    for name, content in [
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("foto.png", b"<html><script>alert(1)</script></html>"),
        ("rusak.pdf", b"%PDF-1.7\n garbage"),
        ("kosong.pdf", b""),
    ]:
        with pytest.raises(ValidationError):
            evidence_content_type(SimpleUploadedFile(name, content))


def test_gif_is_not_accepted_as_evidence():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="GIF")
    with pytest.raises(ValidationError):
        evidence_content_type(SimpleUploadedFile("animasi.gif", buffer.getvalue()))


# --- pages --------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ppksd_files_with_evidence_and_tkksd_accepts_through_the_pages(client, agreement, ppksd, tkksd):
    client.force_login(ppksd)
    with time_machine.travel(NOW, tick=False):
        url = reverse("monitoring:report_create", args=[agreement.pk]) + "?periode=2026-10"
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "activities": "Rapat koordinasi dengan mitra.",
                "progress": "35",
                "budget_realised": "12500000",
                "outputs": "Jadwal layanan disepakati.",
                "obstacles": "",
                "follow_up": "Uji coba layanan.",
                "evidence": [
                    SimpleUploadedFile("notulen.pdf", pdf_bytes("Notulen")),
                    SimpleUploadedFile("foto.png", png_bytes()),
                ],
            },
        )
    report = ImplementationReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    client.force_login(ppksd)
    assert report.period == OCTOBER
    assert sorted(a.content_type for a in report.attachments.all()) == ["application/pdf", "image/png"]
    attachment = report.attachments.get(content_type="image/png")
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == png_bytes()

    client.force_login(tkksd)
    assert client.get(report.get_absolute_url()).context["review_form"] is not None
    response = client.post(reverse("monitoring:report_review", args=[report.pk]), {"decision": "accept", "note": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.reviewed_by == tkksd


@pytest.mark.django_db
def test_a_file_that_is_not_evidence_is_refused_by_the_form(client, agreement, ppksd):
    client.force_login(ppksd)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("monitoring:report_create", args=[agreement.pk]) + "?periode=2026-10",
            {
                "activities": "Kegiatan.",
                "progress": "35",
                "outputs": "Keluaran.",
                "evidence": [SimpleUploadedFile("foto.jpg", b"MZ\x90\x00this is a program")],
            },
        )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not ImplementationReport.objects.exists()


@pytest.mark.django_db
def test_bad_input_never_answers_500(client, agreement, ppksd):
    client.force_login(ppksd)
    with time_machine.travel(NOW, tick=False):
        url = reverse("monitoring:report_create", args=[agreement.pk])
        assert client.get(url + "?periode=not-a-month").status_code == 200
        # A month the agreement does not owe is refused with the reason, before anything is typed.
        response = client.post(
            url + "?periode=2031-01", {"activities": "x", "progress": "5", "outputs": "y"}, follow=True
        )
        assert response.status_code == 200
        assert "setelah bulan tersebut berakhir" in response.content.decode()
        response = client.post(url, {"activities": "x", "progress": "500", "outputs": "y"})
        assert response.status_code == 200 and response.context["form"].errors["progress"]
        assert client.get(reverse("monitoring:report_list") + "?period=zz&status=nope&opd=x").status_code == 200


@pytest.mark.django_db
def test_returning_without_notes_is_refused_by_the_page(client, agreement, ppksd, tkksd):
    report = services.file_report(agreement, actor=ppksd, period=OCTOBER, data=report_data(), today=TODAY)
    client.force_login(tkksd)
    client.post(reverse("monitoring:report_review", args=[report.pk]), {"decision": "return", "note": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.django_db
def test_filing_an_already_filed_month_opens_the_revision(client, agreement, ppksd):
    report = services.file_report(agreement, actor=ppksd, period=OCTOBER, data=report_data(), today=TODAY)
    client.force_login(ppksd)
    response = client.get(reverse("monitoring:report_create", args=[agreement.pk]) + "?periode=2026-10")
    assert response["Location"] == reverse("monitoring:report_edit", args=[report.pk])


@pytest.mark.django_db
def test_ppksd_sees_what_is_left_to_file_this_month(client, agreement, ppksd, tkksd, opd):
    done = running(tkksd, opd=opd, title="Sudah dilaporkan")
    add_report(done, OCTOBER, ppksd, status=ReportStatus.SUBMITTED)
    client.force_login(ppksd)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("monitoring:report_list"))
    assert [a["title"] for a in response.context["owing"]] == [agreement.title]
    assert response.context["owing_tally"].count == 1
    assert 'data-testid="owing-more"' not in response.content.decode()


@pytest.mark.django_db
def test_what_is_left_to_file_shows_the_latest_changed_first_and_counts_the_rest(
    client, agreement, ppksd, tkksd, opd, monkeypatch
):
    from monitoring.views import reports as report_views

    second = running(tkksd, opd=opd, title="Kedua")
    third = running(tkksd, opd=opd, title="Ketiga")
    client.force_login(ppksd)
    monkeypatch.setattr(report_views, "OWING_ROWS", 2)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("monitoring:report_list"))
    assert [a["pk"] for a in page.context["owing"]] == [third.pk, second.pk]
    assert "2 kerja sama yang terakhir berubah dari 3" in page.content.decode()
    monkeypatch.setattr(report_views, "OWING_CAP", 2)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("monitoring:report_list"))
    assert page.context["owing_tally"].more
    assert "2 kerja sama yang terakhir berubah dari lebih dari 2" in page.content.decode()


@pytest.mark.django_db
def test_report_list_is_scoped_to_the_users_agreements(client, agreement, ppksd, other_ppksd, tkksd, other_opd):
    mine = add_report(agreement, OCTOBER, ppksd)
    theirs = add_report(running(tkksd, opd=other_opd, title="OPD lain"), OCTOBER, other_ppksd)
    client.force_login(ppksd)
    assert list(client.get(reverse("monitoring:report_list")).context["page"]) == [mine]
    client.force_login(tkksd)
    assert set(client.get(reverse("monitoring:report_list")).context["page"]) == {mine, theirs}
    client.force_login(other_ppksd)
    assert client.get(mine.get_absolute_url()).status_code == 404


# The markup the report list's template printed for its rows before monitoring/rows.py did.
_TEMPLATE_ROWS = """{% load monitoring_tags %}{% for report in reports %}<tr>
<td class="text-nowrap"><a href="{{ report.get_absolute_url }}">{{ report.period|date:"F Y" }}</a></td>
<td>{{ report.agreement.title }}</td><td class="small">{{ report.agreement.lead_opd.name }}</td>
<td>{{ report.progress }}%</td>
<td class="small text-nowrap">{{ report.submitted_at|date:"j M Y" }} · {{ report.submitted_by }}</td>
<td><span class="badge text-bg-{{ report.status|state_badge }}">{{ report.get_status_display }}</span></td>
</tr>{% endfor %}"""
_TEMPLATE_OWING = """{% load i18n %}{% for agreement in owing %}
<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2">
<span>{{ agreement.title }} <span class="small text-body-secondary">{{ agreement.register_number }}</span></span>
<a class="btn btn-sm btn-outline-primary"
 href="{% url 'monitoring:report_create' agreement.pk %}?periode={{ period|date:'Y-m' }}">
{% translate "File the report" %}</a>
</li>{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_report_rows_print_what_the_template_printed_escaped(agreement, ppksd, tkksd, opd, language):

    from django.template import Context, Template
    from django.utils import translation

    from monitoring import rows

    hostile = running(tkksd, opd=opd, title="<script>alert(\"x\")</script> & Kerja Sama 'Sampah'")
    add_report(hostile, OCTOBER, ppksd, status=ReportStatus.RETURNED)
    add_report(agreement, date(2026, 8, 1), ppksd, status=ReportStatus.ACCEPTED)
    # Filed at 23.30 in Jakarta: the date printed is Jakarta's, not UTC's.
    add_report(agreement, date(2026, 9, 1), ppksd, status=ReportStatus.SUBMITTED)
    ImplementationReport.objects.filter(period=date(2026, 9, 1)).update(
        submitted_at=datetime(2026, 9, 30, 16, 30, tzinfo=ZoneInfo("UTC"))
    )
    reports = list(selectors.report_list(tkksd))
    owing = list(selectors.Agreement.objects.order_by("pk").values("pk", "title", "register_number"))

    with translation.override(language):
        expected_rows = Template(_TEMPLATE_ROWS).render(Context({"reports": reports}))
        expected_owing = Template(_TEMPLATE_OWING).render(Context({"owing": owing, "period": OCTOBER}))
        assert flat(rows.report_rows(reports)) == flat(expected_rows)
        assert flat(rows.owing_rows(owing, OCTOBER)) == flat(expected_owing)
    assert "<script>" not in str(rows.report_rows(reports)) + str(rows.owing_rows(owing, OCTOBER))
    assert "30 Sep 2026" in expected_rows


@pytest.mark.django_db
def test_the_report_filters_option_list_is_read_once_per_language_and_query(client, agreement, tkksd, opd):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(tkksd)
    url = reverse("monitoring:report_list")
    fields = re.compile(r'<form method="get".*?</form>', re.S)
    first = fields.search(client.get(url).content.decode()).group()
    with CaptureQueriesContext(connection) as queries:
        again = fields.search(client.get(url).content.decode()).group()
    read = [q["sql"] for q in queries.captured_queries]
    assert not any('FROM "registry_opd"' in sql for sql in read), read
    assert again == first
    assert f'<option value="{opd.pk}">{opd}</option>' in first
    # The chosen values are printed as chosen, in the language of the page.
    chosen = client.get(url, {"opd": opd.pk, "period": "2026-09", "status": "submitted"}).content.decode()
    assert f'<option value="{opd.pk}" selected>' in chosen
    assert 'value="2026-09"' in chosen
    assert '<option value="submitted" selected>' in chosen
    client.cookies["django_language"] = "en"
    assert ">All</option>" in client.get(url).content.decode()
    assert ">Semua</option>" in first


@pytest.mark.django_db
def test_the_empty_report_form_is_printed_as_crispy_prints_it_and_kept(
    client, agreement, ppksd, tkksd, opd, printed_forms
):
    from crispy_forms.utils import render_crispy_form

    from kerjasama.tests.markup import flat
    from monitoring.forms import ReportForm

    other = running(tkksd, opd=opd, title="Kerja sama lain", start=date(2026, 1, 15), end=date(2027, 12, 31))
    client.force_login(ppksd)
    url = reverse("monitoring:report_create", args=[agreement.pk]) + "?periode=2026-10"
    expected = flat(render_crispy_form(ReportForm()))
    assert expected in flat(client.get(url).content.decode())
    printed_forms.clear()
    page = client.get(reverse("monitoring:report_create", args=[other.pk]) + "?periode=2026-10")
    assert expected in flat(page.content.decode()) and printed_forms == []
    # Sent back with an error: printed with what was sent.
    response = client.post(url, {"activities": "Rapat <b>koordinasi</b>", "progress": "250"})
    html = response.content.decode()
    assert "Rapat &lt;b&gt;koordinasi&lt;/b&gt;" in html and "is-invalid" in html
