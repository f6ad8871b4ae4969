"""The empty proposal form, printed once per process for each set of what it offers
(kerjasama/blank_forms.py): the same text as crispy prints, never another OPD's potentials, a new
potential or partner at once, a prefilled or bound form printed as it is."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.urls import reverse
from django.utils import translation

from kerjasama.tests.markup import flat
from planning.forms import ProposalForm
from registry.tests.factories import make_partner

from .factories import map_potential, open_cycle

URL = reverse("planning:proposal_create")


@pytest.fixture
def cycle(tkksd):
    return open_cycle(tkksd)


def page(client, url=URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_empty_form_is_printed_once_and_as_crispy_prints_it(client, ppksd, cycle, printed_forms, language):
    map_potential(ppksd, cycle, title="Pengolahan sampah regional")
    client.force_login(ppksd)
    client.cookies["django_language"] = language
    first = page(client)
    with translation.override(language):
        expected = render_crispy_form(ProposalForm(user=ppksd))
    assert flat(expected) in flat(first.content.decode())
    assert len(printed_forms) == 1
    second = page(client)
    assert len(printed_forms) == 1
    assert flat(expected) in flat(second.content.decode())
    # The other language is printed on its own.
    client.cookies["django_language"] = "en" if language == "id" else "id"
    page(client)
    assert len(printed_forms) == 2


@pytest.mark.django_db
def test_what_the_form_offers_is_never_stale_nor_another_opds(client, ppksd, other_ppksd, cycle, printed_forms):
    map_potential(ppksd, cycle, title="Pengolahan sampah regional")
    map_potential(other_ppksd, cycle, title="Potensi OPD lain yang rahasia")
    client.force_login(ppksd)
    html = page(client).content.decode()
    assert "Pengolahan sampah regional" in html and "Potensi OPD lain yang rahasia" not in html

    # Another OPD's PPKSD gets its own list, not the one printed for the first.
    client.force_login(other_ppksd)
    html = page(client).content.decode()
    assert "Potensi OPD lain yang rahasia" in html and "Pengolahan sampah regional" not in html
    assert len(printed_forms) == 2

    # A potential or a partner added since shows at the next view.
    client.force_login(ppksd)
    map_potential(ppksd, cycle, title="Potensi yang baru dipetakan")
    assert "Potensi yang baru dipetakan" in page(client).content.decode()
    make_partner("PT Mitra Yang Baru Masuk")
    assert "PT Mitra Yang Baru Masuk" in page(client).content.decode()
    assert len(printed_forms) == 4
    # Nothing changed: printed from the store.
    page(client)
    assert len(printed_forms) == 4


@pytest.mark.django_db
def test_a_prefilled_form_and_a_form_sent_back_show_their_own_values(client, ppksd, cycle, printed_forms):
    first = map_potential(ppksd, cycle, title="Pengolahan sampah regional", expected_benefit="Biaya turun.")
    second = map_potential(ppksd, cycle, title="Angkutan perbatasan", expected_benefit="Perjalanan cepat.")
    client.force_login(ppksd)
    for potential in (first, second, first):
        form = page(client, potensi=potential.pk).context["form"]
        html = page(client, potensi=potential.pk).content.decode()
        assert form["title"].value() == potential.title
        assert f'value="{potential.title}"' in html
        assert f'<option value="{potential.pk}" selected>' in html
    # Two prefills and the repeat of the first: two renderings.
    assert len(printed_forms) == 2

    # A form sent with an error is printed with what was sent and the error, every time.
    data = {"potential": first.pk, "title": "Judul yang dikirim", "kind": "ksdd"}
    for _ in range(2):
        html = client.post(URL, data).content.decode()
        assert 'value="Judul yang dikirim"' in html and "is-invalid" in html
    assert len(printed_forms) == 4
