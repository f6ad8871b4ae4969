"""Edits never overwrite each other (kerjasama/concurrency.py).

For every edit form: a user reads the form, someone else saves a change meanwhile, the user
saves: the edit is refused with what changed, the newer data is kept, the user's input stays in
the form, and saving again applies it knowingly.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from kerjasama import concurrency
from monitoring import evaluations
from monitoring import services as monitoring_services
from monitoring.tests.helpers import evaluation_data, report_data, running
from planning import services as planning_services
from planning.tests.factories import draft_proposal, map_potential, open_cycle, the_team
from registry import official, services
from registry.clauses import CLAUSES
from registry.models import PemdaProfile, Stage, TkksdMember
from registry.tests.factories import PemdaProfileFactory, make_agreement, make_partner


def post_data(form: forms.BaseForm, **changes) -> dict:
    """What a browser posts for `form` as rendered, with `changes` typed over it."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled or isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif isinstance(value, dt.date):
            data[key] = value.isoformat()
        elif isinstance(value, dt.time):
            data[key] = value.strftime("%H:%M")
        elif value is not None:
            data[key] = str(value)
    data.update(changes)
    return data


@dataclass
class Case:
    """One edit form: who edits what, and how someone else changes the same field meanwhile."""

    name: str
    user: str
    field: str  # the form field both change
    mine: Any
    theirs: Any
    setup: Any  # (users) -> record
    edit_url: Any  # record -> url of the page with the form
    post_url: Any  # record -> url the form posts to
    meanwhile: Any  # (record, users, value) -> None, saves `value` through the service
    current: Any  # record -> the stored value of the field
    form_key: str = "form"


def _agreement(users):
    return make_agreement(users["tkksd"], title="Judul awal")


def _pks(users):
    return make_agreement(users["tkksd"], stage=Stage.PENYUSUNAN_PKS)


def _cycle(users):
    return open_cycle(users["tkksd"])


def _potential(users):
    return map_potential(users["ppksd"], open_cycle(users["tkksd"]))


def _proposal(users):
    return draft_proposal(users["ppksd"], map_potential(users["ppksd"], open_cycle(users["tkksd"])))


def _plenary(users):
    from planning.models import Plenary

    cycle = open_cycle(users["tkksd"])
    return planning_services.schedule_plenary(
        Plenary(cycle=cycle, date=cycle.plenary_date, start_time=dt.time(9), place="Ruang Rapat", chair="Sekda"),
        actor=users["tkksd"],
    )


def _report(users):
    agreement = running(users["tkksd"], opd=users["ppksd"].opd)
    report = monitoring_services.file_report(
        agreement, actor=users["ppksd"], period=dt.date(2025, 3, 1), data=report_data(), today=dt.date(2025, 4, 2)
    )
    return monitoring_services.review_report(report, actor=users["tkksd"], decision="return", note="Lengkapi.")


def _evaluation(users):
    agreement = running(users["tkksd"])
    return evaluations.create_evaluation(
        agreement, actor=users["tkksd"], year=2025, data=evaluation_data(), today=dt.date(2026, 1, 10)
    )


def _draft(users):
    PemdaProfileFactory()
    the_team()
    return official.draft_tkksd_decree(actor=users["tkksd"])


def _member(users):
    return official.add_tkksd_member(
        TkksdMember(name="Ir. Suharti", position="Kepala Bappeda", team_role=TkksdMember.TeamRole.ANGGOTA),
        actor=users["tkksd"],
    )


CASES = [
    Case(
        "agreement",
        "tkksd",
        "title",
        "Judul saya",
        "Judul mereka",
        _agreement,
        lambda r: reverse("registry:agreement_edit", args=[r.pk]),
        lambda r: reverse("registry:agreement_edit", args=[r.pk]),
        lambda r, u, v: services.update_agreement(
            r, actor=u["tkksd"], changes={"title": v}, partners=list(r.partners.all()), other_opds=[]
        ),
        lambda r: type(r).objects.get(pk=r.pk).title,
    ),
    Case(
        "pks contents",
        "tkksd",
        "legal_analysis",
        "Analisis saya",
        "Analisis mereka",
        _pks,
        lambda r: reverse("registry:agreement_detail", args=[r.pk]),
        lambda r: reverse("registry:pks_contents", args=[r.pk]),
        lambda r, u, v: services.set_pks_contents(r, actor=u["tkksd"], clauses=[CLAUSES[0].code], legal_analysis=v),
        lambda r: type(r).objects.get(pk=r.pk).legal_analysis,
        form_key="pks_form",
    ),
    Case(
        "partner",
        "tkksd",
        "contact",
        "Budi 0811",
        "Sari 0812",
        lambda u: make_partner("PT Mitra Uji"),
        lambda r: reverse("registry:partner_edit", args=[r.pk]),
        lambda r: reverse("registry:partner_edit", args=[r.pk]),
        lambda r, u, v: services.update_partner(r, actor=u["tkksd"], changes={"contact": v}),
        lambda r: type(r).objects.get(pk=r.pk).contact,
    ),
    Case(
        "pemda profile",
        "admin",
        "phone",
        "(0274) 111",
        "(0274) 222",
        lambda u: PemdaProfileFactory(),
        lambda r: reverse("registry:pemda_profile"),
        lambda r: reverse("registry:pemda_profile"),
        lambda r, u, v: services.save_pemda_profile(actor=u["admin"], changes={"phone": v}),
        lambda r: PemdaProfile.objects.get().phone,
    ),
    Case(
        "official draft",
        "tkksd",
        "title",
        "Judul draf saya",
        "Judul draf mereka",
        _draft,
        lambda r: reverse("registry:official_edit", args=[r.pk]),
        lambda r: reverse("registry:official_edit", args=[r.pk]),
        lambda r, u, v: official.update_draft(r, actor=u["tkksd"], title=v, data=r.draft_data, paper=r.paper),
        lambda r: type(r).objects.get(pk=r.pk).title,
    ),
    Case(
        "tkksd member",
        "tkksd",
        "position",
        "Kepala Bappeda (baru)",
        "Plt. Kepala Bappeda",
        _member,
        lambda r: reverse("registry:tkksd_member_edit", args=[r.pk]),
        lambda r: reverse("registry:tkksd_member_edit", args=[r.pk]),
        lambda r, u, v: official.update_tkksd_member(r, actor=u["tkksd"], changes={"position": v}),
        lambda r: type(r).objects.get(pk=r.pk).position,
    ),
    Case(
        "cycle",
        "tkksd",
        "notes",
        "Catatan saya",
        "Catatan mereka",
        _cycle,
        lambda r: reverse("planning:cycle_edit", args=[r.pk]),
        lambda r: reverse("planning:cycle_edit", args=[r.pk]),
        lambda r, u, v: planning_services.update_cycle(r, actor=u["tkksd"], changes={"notes": v}),
        lambda r: type(r).objects.get(pk=r.pk).notes,
    ),
    Case(
        "potential",
        "ppksd",
        "location",
        "Kecamatan Depok",
        "Kecamatan Mlati",
        _potential,
        lambda r: reverse("planning:potential_edit", args=[r.pk]),
        lambda r: reverse("planning:potential_edit", args=[r.pk]),
        lambda r, u, v: planning_services.update_potential(r, actor=u["ppksd2"], changes={"location": v}),
        lambda r: type(r).objects.get(pk=r.pk).location,
    ),
    Case(
        "proposal",
        "ppksd",
        "title",
        "Usulan versi saya",
        "Usulan versi rekan",
        _proposal,
        lambda r: reverse("planning:proposal_edit", args=[r.pk]),
        lambda r: reverse("planning:proposal_edit", args=[r.pk]),
        lambda r, u, v: planning_services.update_proposal(r, actor=u["ppksd2"], changes={"title": v}),
        lambda r: type(r).objects.get(pk=r.pk).title,
    ),
    Case(
        "plenary",
        "tkksd",
        "place",
        "Ruang Rapat Bupati",
        "Aula Setda",
        _plenary,
        lambda r: reverse("planning:plenary_edit", args=[r.pk]),
        lambda r: reverse("planning:plenary_edit", args=[r.pk]),
        lambda r, u, v: planning_services.update_plenary(r, actor=u["tkksd"], changes={"place": v}),
        lambda r: type(r).objects.get(pk=r.pk).place,
    ),
    Case(
        "report",
        "ppksd",
        "activities",
        "Kegiatan versi saya.",
        "Kegiatan versi rekan.",
        _report,
        lambda r: reverse("monitoring:report_edit", args=[r.pk]),
        lambda r: reverse("monitoring:report_edit", args=[r.pk]),
        lambda r, u, v: monitoring_services.revise_report(r, actor=u["ppksd2"], data=report_data(activities=v)),
        lambda r: type(r).objects.get(pk=r.pk).activities,
    ),
    Case(
        "evaluation",
        "tkksd",
        "conclusion",
        "Kesimpulan saya.",
        "Kesimpulan rekan.",
        _evaluation,
        lambda r: reverse("monitoring:evaluation_edit", args=[r.pk]),
        lambda r: reverse("monitoring:evaluation_edit", args=[r.pk]),
        lambda r, u, v: evaluations.update_evaluation(r, actor=u["tkksd"], data=evaluation_data(conclusion=v)),
        lambda r: type(r).objects.get(pk=r.pk).conclusion,
    ),
]


@pytest.fixture
def editors(users, make_user, opd):
    from registry.roles import Role

    return {**users, "ppksd2": make_user(Role.PPKSD, username="ppksd.rekan", opd=opd)}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_stale_edit_is_refused_and_the_newer_data_kept(case, editors, client):
    record = case.setup(editors)
    client.force_login(editors[case.user])
    page = client.get(case.edit_url(record))
    assert page.status_code == 200
    form = page.context[case.form_key]
    assert "edition" in form.fields

    # Someone else saves a change of the same field while the form is open.
    case.meanwhile(record, editors, case.theirs)

    response = client.post(case.post_url(record), post_data(form, **{form.add_prefix(case.field): case.mine}))
    assert response.status_code == 200, "a stale edit is shown again, not saved"
    assert case.current(record) == case.theirs, "the newer data is kept"
    html = response.content.decode()
    assert "Orang lain telah menyimpan perubahan" in html
    assert case.theirs in html, "the page shows what changed meanwhile"
    refused = response.context[case.form_key]
    assert refused[case.field].value() == case.mine, "the user's input stays in the form"

    # Saving again, having seen the change, applies the input over the newer data.
    again = client.post(case.post_url(record), post_data(refused))
    assert again.status_code == 302, again.content.decode()[:2000]
    assert case.current(record) == case.mine


@pytest.mark.django_db
def test_an_edit_of_other_fields_meanwhile_does_not_block_the_form(tkksd, client):
    """The PKS contents and the agreement's details are two forms of one row: saving one does
    not refuse the other, and neither writes the other's fields."""
    agreement = make_agreement(tkksd, stage=Stage.PENYUSUNAN_PKS, title="Judul awal")
    client.force_login(tkksd)
    form = client.get(reverse("registry:agreement_edit", args=[agreement.pk])).context["form"]
    services.set_pks_contents(agreement, actor=tkksd, clauses=[CLAUSES[0].code], legal_analysis="Analisis hukum")

    response = client.post(reverse("registry:agreement_edit", args=[agreement.pk]), post_data(form, title="Judul baru"))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.legal_analysis) == ("Judul baru", "Analisis hukum")
    assert agreement.pks_clauses == [CLAUSES[0].code]
    assert agreement.version == 3


@pytest.mark.django_db
def test_an_edit_never_writes_back_the_stage(tkksd, client):
    agreement = make_agreement(tkksd, title="Judul awal")
    client.force_login(tkksd)
    form = client.get(reverse("registry:agreement_edit", args=[agreement.pk])).context["form"]
    from registry import lifecycle

    lifecycle.advance(agreement, Stage.DIBATALKAN, actor=tkksd, note="Mitra mundur.", expected_stage=Stage.PERSIAPAN)

    response = client.post(reverse("registry:agreement_edit", args=[agreement.pk]), post_data(form, title="Judul baru"))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.stage, agreement.title) == (Stage.DIBATALKAN, "Judul baru")
    assert list(agreement.history.values_list("stage", flat=True)[:1]) == [Stage.DIBATALKAN]


@pytest.mark.django_db
def test_a_forged_or_missing_edition_is_a_form_error(tkksd, client):
    agreement = make_agreement(tkksd, title="Judul awal")
    client.force_login(tkksd)
    form = client.get(reverse("registry:agreement_edit", args=[agreement.pk])).context["form"]
    url = reverse("registry:agreement_edit", args=[agreement.pk])
    for edition in ["", "x" * 50, "\x00", concurrency.sign(concurrency.Edition(1))[:-2] + "zz"]:
        response = client.post(url, post_data(form, title="Judul palsu", edition=edition))
        assert response.status_code == 200
        assert "muat ulang halaman" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "Judul awal"


@pytest.mark.django_db
def test_the_edition_names_the_fields_that_changed(tkksd):
    agreement = make_agreement(tkksd, title="Judul awal", value=Decimal("1000"))
    agreement.refresh_from_db()
    read = concurrency.edition_of(agreement, ["title", "value", "object", "partners", "other_opds"])
    services.update_agreement(
        agreement, actor=tkksd, changes={"title": "Judul lain"}, partners=list(agreement.partners.all())
    )
    with pytest.raises(concurrency.StaleEdit) as refused:
        services.update_agreement(
            agreement,
            actor=tkksd,
            changes={"title": "Judul saya", "value": Decimal("2000"), "object": "Objek"},
            partners=list(agreement.partners.all()),
            edition=read,
        )
    assert refused.value.changed == ["title"]
    agreement.refresh_from_db()
    assert (agreement.title, agreement.value) == ("Judul lain", Decimal("1000.00"))


@pytest.mark.django_db
def test_the_partner_name_race_ends_in_a_form_error(tkksd, client, monkeypatch):
    """Two people register the same partner at once: both pass the duplicate check before either
    commits, and the database's uniqueness refuses the second with a message, never a 500."""
    make_partner("PT Kereta Api Indonesia (Persero)", kind="bumn")
    # The other registration is not committed yet when this one looks for a duplicate.
    monkeypatch.setattr(services, "duplicate_partner", lambda partner: None)
    client.force_login(tkksd)
    response = client.post(reverse("registry:partner_create"), {"kind": "bumn", "name": "PT Kereta Api Indonesia"})
    assert response.status_code == 200
    assert "baru saja didaftarkan" in response.content.decode()


@pytest.mark.django_db
def test_a_double_clicked_issue_lands_on_the_document_with_a_message(
    tkksd, pimpinan, client, django_capture_on_commit_callbacks
):
    from registry.models import DocumentKind
    from registry.tests.official_data import surat_data

    PemdaProfileFactory()
    letter = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.SURAT,
        series=official.series_for("surat-kerja-sama"),
        title="Surat",
        data=surat_data(),
    )
    client.force_login(pimpinan)
    url = reverse("registry:official_issue", args=[letter.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
    second = client.post(url, follow=True)
    letter.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == 200 and second.redirect_chain == [(letter.get_absolute_url(), 302)]
    assert f"sudah diterbitkan dengan nomor {letter.number}" in second.content.decode()
    assert letter.sequence == 1

    void_url = reverse("registry:official_void", args=[letter.pk])
    client.post(void_url, {"reason": "Salah alamat."})
    again = client.post(void_url, {"reason": "Salah alamat."}, follow=True)
    assert again.status_code == 200 and "sudah dibatalkan" in again.content.decode()


@pytest.mark.django_db
def test_a_double_clicked_submit_lands_on_the_proposal_with_a_message(tkksd, ppksd, client):
    proposal = draft_proposal(ppksd, map_potential(ppksd, open_cycle(tkksd)))
    client.force_login(ppksd)
    url = reverse("planning:proposal_submit", args=[proposal.pk])
    assert client.post(url).status_code == 302
    second = client.post(url, follow=True)
    assert second.status_code == 200
    assert "sudah diajukan" in second.content.decode()
