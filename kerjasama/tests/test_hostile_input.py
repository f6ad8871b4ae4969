"""Hostile input is a form error or a message, never a 500: NUL characters, over-long values."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.models import PartnerKind

NUL = "Nama\x00tamu"
LONG = "x" * 100_000


@pytest.mark.django_db
@pytest.mark.parametrize("value", [NUL, LONG, "\u202eevil\u200b", "<script>alert(1)</script>"])
def test_the_partner_list_search_takes_any_text(client, tkksd, value):
    client.force_login(tkksd)
    response = client.get(reverse("registry:partner_list"), {"q": value, "kind": value})
    assert response.status_code == 200
    response = client.get(reverse("registry:partner_list"), {"kind": PartnerKind.values[0]})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", [NUL, LONG])
def test_verification_lookup_takes_any_code(client, value):
    assert client.get(reverse("verify_lookup"), {"kode": value}).status_code == 404


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "position", "expected"),
    [(NUL, "Kepala Dinas", "null"), ("N" * 151, "Kepala Dinas", "150"), ("Tamu", "P" * 300, "255")],
)
def test_a_guest_with_a_nul_or_an_over_long_name_is_refused_with_a_message(client, tkksd, name, position, expected):
    from planning.models import Attendee
    from planning.tests.factories import open_cycle, schedule, the_team

    the_team()
    plenary = schedule(tkksd, open_cycle(tkksd))
    client.force_login(tkksd)
    response = client.post(
        reverse("planning:guest_add", args=[plenary.pk]), {"name": name, "position": position}, follow=True
    )
    assert response.status_code == 200
    assert not Attendee.objects.filter(plenary=plenary, position=position).exclude(member__isnull=False).exists()
    assert messages_of(response)


@pytest.mark.django_db
def test_a_return_note_with_a_nul_is_refused_with_a_message(client, tkksd, ppksd):
    from planning.models import ProposalStatus
    from planning.tests.factories import open_cycle, submitted_proposal

    proposal = submitted_proposal(ppksd, open_cycle(tkksd))
    client.force_login(tkksd)
    response = client.post(reverse("planning:proposal_return", args=[proposal.pk]), {"note": NUL}, follow=True)
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert messages_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("start_date", "9999-12-31"), ("start_date", "0001-01-01"), ("other_opds", "99999999999999999999999")],
)
def test_an_agreement_with_an_absurd_date_or_key_is_a_form_error(client, tkksd, opd, field, value):
    from registry.models import Agreement, Kind, Urusan
    from registry.tests.factories import region_partner

    client.force_login(tkksd)
    data = {
        "kind": Kind.KSDD,
        "ksdd_nature": "wajib",
        "title": "Pengelolaan Terminal Bersama",
        "object": "Terminal tipe C di perbatasan.",
        "urusan": Urusan.objects.get(code="2.15").pk,
        "lead_opd": opd.pk,
        "partners": [region_partner("34.02").pk],
        "start_date": "2027-01-01",
        "duration_months": "24",
        field: value,
    }
    response = client.post(reverse("registry:agreement_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Agreement.objects.filter(title="Pengelolaan Terminal Bersama").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999999", "-99999999999999999999999"])
def test_a_key_beyond_the_database_range_is_an_invalid_choice(opd, value):
    from kerjasama.fields import ModelMultipleChoiceField
    from registry.models import OPD

    field = ModelMultipleChoiceField(queryset=OPD.objects.all())
    with pytest.raises(ValidationError) as error:
        field.clean([str(opd.pk), value])
    assert error.value.code == "invalid_choice"
    assert list(field.clean([str(opd.pk)])) == [opd]
