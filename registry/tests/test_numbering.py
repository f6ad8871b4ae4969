"""Numbers come from the real register and never collide: the app's series skip a number an
agreement already carries, a series kept by the Bagian Hukum takes typed numbers checked against
its pattern, and both share one uniqueness check per year."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from kerjasama import jobs
from registry import numbers, official, services
from registry.models import DocumentKind, DocumentType, NumberSeries, OfficialDocument, RegisteredNumber, Stage
from registry.tests.factories import PemdaProfileFactory, make_agreement, pdf_upload
from registry.tests.official_data import surat_data


def letter(actor, series, title="Surat"):
    return official.create_draft(actor=actor, kind=DocumentKind.SURAT, series=series, title=title, data=surat_data())


def signed_pks(agreement, actor, number, partner_number="415.4/77/2026", day=date(2026, 3, 2)):
    return services.upload_document(
        agreement,
        actor=actor,
        upload=services.DocumentUpload(
            doc_type=DocumentType.PKS,
            file=pdf_upload("pks.pdf"),
            is_signed=True,
            number=number,
            partner_number=partner_number,
            date=day,
            has_paraf=True,
            has_materai=True,
            has_stempel=True,
        ),
    )


@pytest.mark.django_db
def test_the_app_skips_a_number_an_agreement_already_carries(profile, tkksd, pimpinan, letter_series, issue):
    agreement = make_agreement(tkksd, stage=Stage.PENANDATANGANAN_PKS)
    signed_pks(agreement, tkksd, "100.3.3/001/KS/2026")
    issued = issue(letter(tkksd, letter_series), actor=pimpinan, issue_date=date(2026, 11, 23))
    assert issued.number == "100.3.3/002/KS/2026"
    # The year's first number is another year's free number.
    following = issue(letter(tkksd, letter_series), actor=pimpinan, issue_date=date(2027, 1, 4))
    assert following.number == "100.3.3/001/KS/2027"


@pytest.mark.django_db
def test_an_agreement_number_already_given_to_a_letter_is_refused(profile, tkksd, pimpinan, letter_series, issue):
    issued = issue(letter(tkksd, letter_series), actor=pimpinan, issue_date=date(2026, 2, 2))
    agreement = make_agreement(tkksd, stage=Stage.PENANDATANGANAN_PKS)
    with pytest.raises(numbers.NumberTaken, match=r"100\.3\.3/001/ks/2026") as refused:
        signed_pks(agreement, tkksd, " 100.3.3/001/ks/2026 ")
    assert refused.value.holder.document_id == issued.pk
    assert not agreement.documents.exists(), "nothing of the refused upload is kept"
    agreement.refresh_from_db()
    assert agreement.own_number == ""
    # The same agreement recording its own numbers again (a second scan) is fine.
    signed_pks(agreement, tkksd, "100.3.3/099/KS/2026")
    signed_pks(agreement, tkksd, "100.3.3/099/KS/2026")
    assert RegisteredNumber.objects.filter(agreement=agreement).count() == 2


@pytest.fixture
def register_series(db):
    series = official.series_for("surat-kerja-sama")
    series.mode = NumberSeries.Mode.REGISTER
    series.save(update_fields=["mode"])
    return series


@pytest.mark.django_db
def test_a_series_kept_by_the_bagian_hukum_takes_typed_numbers_checked_against_its_pattern(
    profile, tkksd, pimpinan, register_series, issue
):
    draft = letter(tkksd, register_series)
    with translation.override("id"), pytest.raises(official.ServiceError, match="register Bagian Hukum"):
        official.issue_document(draft, actor=pimpinan, issue_date=date(2026, 11, 23))
    with translation.override("id"), pytest.raises(official.ServiceError, match="tidak mengikuti pola"):
        official.issue_document(draft, actor=pimpinan, issue_date=date(2026, 11, 23), number="100.3.3/17/KS/2025")
    issued = issue(draft, actor=pimpinan, issue_date=date(2026, 11, 23), number="100.3.3/017/KS/2026")
    assert (issued.number, issued.sequence, issued.year) == ("100.3.3/017/KS/2026", None, 2026)
    with pytest.raises(numbers.NumberTaken):
        official.issue_document(
            letter(tkksd, register_series), actor=pimpinan, issue_date=date(2026, 11, 24), number="100.3.3/017/KS/2026"
        )


@pytest.mark.django_db
def test_the_issue_form_asks_for_the_number_only_when_the_series_is_kept_by_the_register(
    profile, tkksd, pimpinan, register_series, client, django_capture_on_commit_callbacks
):
    draft = letter(tkksd, register_series)
    client.force_login(pimpinan)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'name="number"' in page and 'name="issue_date"' in page
    url = reverse("registry:official_issue", args=[draft.pk])
    response = client.post(url, {"number": "", "issue_date": ""}, follow=True)
    draft.refresh_from_db()
    assert draft.is_draft and response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"number": "100.3.3/044/KS/2026", "issue_date": "2026-11-20"})
    draft.refresh_from_db()
    assert (draft.number, draft.issue_date) == ("100.3.3/044/KS/2026", date(2026, 11, 20))


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_issues_from_the_register_give_each_number_once(make_user, monkeypatch):
    """Twenty-five numbers, each typed for two drafts at once: each is issued once, the other refused."""
    monkeypatch.setattr(jobs, "publish", lambda task, *args: None)
    PemdaProfileFactory()
    issuer = make_user("Pimpinan", username="penerbit")
    series = official.series_for("surat-kerja-sama")
    series.mode = NumberSeries.Mode.REGISTER
    series.save(update_fields=["mode"])
    work = [(letter(issuer, series, f"Surat {i}"), f"100.3.3/{i // 2 + 1:03d}/KS/2026") for i in range(50)]
    barrier = threading.Barrier(10)
    outcomes, errors = [], []

    def issue(batch):
        try:
            barrier.wait(timeout=20)
            for draft, number in batch:
                try:
                    official.issue_document(draft, actor=issuer, issue_date=date(2026, 11, 23), number=number)
                    outcomes.append("issued")
                except numbers.NumberTaken:
                    outcomes.append("refused")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(work[i::10],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["issued"] * 25 + ["refused"] * 25
    issued = list(OfficialDocument.objects.exclude(number="").values_list("number", flat=True))
    assert len(issued) == 25 and len(set(issued)) == 25
    assert RegisteredNumber.objects.filter(year=2026).count() == 25
