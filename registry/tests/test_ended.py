"""An ended agreement says when and why it ended: on its page, in the agreement list's stage cell
("Berakhir 1 Des 2026") and on its partner's page."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from registry import lifecycle
from registry.models import EndReason, Stage
from registry.rows import LIST_VALUES, agreement_rows, table_body

from .factories import make_agreement, make_partner

READERS = ["tkksd", "ppksd", "pimpinan", "admin_user"]


def ended_early(tkksd, opd, **fields):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN, **fields)
    lifecycle.advance(agreement, Stage.BERAKHIR, actor=tkksd, end_reason=EndReason.MUTUAL_AGREEMENT, note="Sepakat")
    return agreement


def short(day: date) -> str:
    with translation.override("id"):
        return dateformat.format(day, "j M Y")


@pytest.mark.django_db
def test_ended_on_is_the_day_of_the_move_or_the_last_day_of_the_term(tkksd, opd):
    early = ended_early(tkksd, opd)
    early.refresh_from_db()
    assert early.ended_on == timezone.localdate()
    expired = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    type(expired).objects.filter(pk=expired.pk).update(
        start_date=date(2020, 1, 1),
        end_date=date(2024, 12, 31),
        stage=Stage.BERAKHIR,
        end_reason=EndReason.TERM_EXPIRED,
    )
    expired.refresh_from_db()
    assert expired.ended_on == date(2024, 12, 31)
    running = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    assert running.ended_on is None


@pytest.mark.django_db
def test_list_rows_give_the_end_date_and_reason_of_an_ended_agreement(tkksd, opd):
    ended = ended_early(tkksd, opd, title="Sudah diakhiri")
    running = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN, title="Masih berjalan")
    queryset = type(ended).objects.filter(pk__in=[ended.pk, running.pk]).order_by("pk")
    with translation.override("id"):
        first, second = agreement_rows(queryset.values(*LIST_VALUES), timezone.localdate())
        html = str(table_body([first, second]))
        reason = str(EndReason.MUTUAL_AGREEMENT.label)
    assert first.stage == f"Berakhir {short(timezone.localdate())}"
    assert first.end_reason == reason and reason in html
    assert second.stage == "Pelaksanaan" and second.end_reason == ""
    assert html.count('data-testid="end-reason"') == 1


@pytest.mark.django_db
@pytest.mark.parametrize("username", READERS)
def test_each_reader_sees_when_and_why_an_agreement_ended(client, request, username, tkksd, opd):
    partner = make_partner("PT Mitra Selesai")
    ended = ended_early(tkksd, opd, partners=[partner])
    with translation.override("id"):
        reason = str(EndReason.MUTUAL_AGREEMENT.label)
        long_day = dateformat.format(timezone.localdate(), "j F Y")
    client.force_login(request.getfixturevalue(username))

    listing = client.get(reverse("registry:agreement_list")).content.decode()
    assert f"Berakhir {short(timezone.localdate())}" in listing
    assert reason in listing

    page = client.get(ended.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Berakhir pada {long_day}" in html
    assert reason in html

    partner_page = client.get(partner.get_absolute_url())
    if partner_page.status_code == 200:
        assert f"Berakhir {short(timezone.localdate())}" in partner_page.content.decode()


@pytest.mark.django_db
def test_outsiders_and_anonymous_do_not_see_an_ended_agreement(client, tkksd, opd, outsider, other_ppksd):
    ended = ended_early(tkksd, opd)
    assert client.get(ended.get_absolute_url()).status_code == 302
    for user in (outsider, other_ppksd):
        client.force_login(user)
        assert client.get(ended.get_absolute_url()).status_code in (403, 404)
