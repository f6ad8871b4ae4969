"""The maximum term of practice (KSD_MAX_TERM_YEARS, domain.md §7): a warning, not a block. A longer
term, alone or with the agreements it extends, is saved only with a recorded reason, shown on the
agreement's page and timeline, and listed under "perlu perhatian"."""

from datetime import date

import pytest
from django.urls import reverse

from kerjasama.formatting import term_in_words
from kerjasama.tests.test_concurrency import post_data
from monitoring import selectors as monitoring_selectors
from registry import services, terms
from registry.models import Agreement, Relation, Stage
from registry.tests.factories import make_agreement


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2025, 1, 1), date(2029, 12, 31), 60),
        (date(2025, 1, 1), date(2030, 1, 1), 61),
        (date(2025, 3, 15), date(2025, 3, 15), 1),
        (date(2024, 1, 31), date(2024, 2, 28), 1),
        (date(2024, 1, 31), date(2024, 2, 29), 2),
    ],
)
def test_a_term_counts_each_begun_month(start, end, months):
    assert terms.months_between(start, end) == months


def test_terms_are_written_with_their_number_in_words():
    assert term_in_words(60) == "5 (lima) tahun"
    assert term_in_words(61) == "61 (enam puluh satu) bulan"
    assert term_in_words(18) == "18 (delapan belas) bulan"


@pytest.mark.django_db
def test_a_term_beyond_the_limit_needs_a_reason_shown_on_the_page_timeline_and_dashboard(tkksd, client):
    agreement = make_agreement(tkksd, title="Kerja sama panjang")
    client.force_login(tkksd)
    url = reverse("registry:agreement_edit", args=[agreement.pk])
    form = client.get(url).context["form"]
    response = client.post(url, post_data(form, start_date="2026-01-01", end_date="2031-12-31"))
    assert response.status_code == 200
    assert "72" in str(response.context["form"].errors["long_term_reason"])
    assert Agreement.objects.get(pk=agreement.pk).start_date is None

    reason = "Investasi armada memerlukan masa pengembalian tujuh tahun."
    form = client.get(url).context["form"]
    response = client.post(
        url, post_data(form, start_date="2026-01-01", end_date="2031-12-31", long_term_reason=reason)
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.term_months, agreement.long_term_reason) == (72, reason)
    assert reason in agreement.transitions.last().note
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'data-testid="long-term"' in page and reason in page
    listed = monitoring_selectors.dormant(Agreement.objects.all(), date(2026, 11, 30))
    assert [row.agreement.pk for row in listed["long_term"]] == [agreement.pk]

    # Shortened within the limit: no reason is needed any more, and none is kept.
    form = client.get(url).context["form"]
    response = client.post(url, post_data(form, start_date="2026-01-01", end_date="2030-12-31"))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.term_months, agreement.long_term_reason) == (60, "")
    assert not monitoring_selectors.dormant(Agreement.objects.all(), date(2026, 11, 30))["long_term"]


@pytest.mark.django_db
def test_an_extension_counts_the_term_of_the_agreement_it_extends(tkksd, client):
    first = make_agreement(tkksd, stage=Stage.PELAKSANAAN, start_date=date(2023, 1, 1), end_date=date(2025, 12, 31))
    services.update_agreement(
        first, actor=tkksd, changes={"end_date": date(2025, 12, 31)}, partners=list(first.partners.all())
    )
    first.refresh_from_db()
    assert first.term_months == 36
    extension = services.create_follow_up(first, actor=tkksd, relation=Relation.EXTENSION, title="Perpanjangan")
    client.force_login(tkksd)
    url = reverse("registry:agreement_edit", args=[extension.pk])
    form = client.get(url).context["form"]
    response = client.post(url, post_data(form, start_date="2026-01-01", end_date="2028-12-31"))
    assert response.status_code == 200
    assert "72" in str(response.context["form"].errors["long_term_reason"])
    form = client.get(url).context["form"]
    response = client.post(
        url,
        post_data(form, start_date="2026-01-01", end_date="2028-12-31", long_term_reason="Disetujui kedua pihak."),
    )
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.term_months == 72


@pytest.mark.django_db
def test_the_dprd_request_letter_writes_the_term_in_words(tkksd, opd):
    from registry.dprd import request_letter_data
    from registry.tests.factories import PemdaProfileFactory

    agreement = make_agreement(
        tkksd, opd=opd, stage=Stage.PERSETUJUAN_DPRD, start_date=date(2027, 1, 1), end_date=date(2031, 12, 31)
    )
    body = " ".join(request_letter_data(agreement, PemdaProfileFactory())["body"])
    assert "jangka waktu: 5 (lima) tahun" in body
