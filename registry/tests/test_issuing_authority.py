"""Who issues what: a document is issued and voided in the name of its signatory, by that office or
by a user holding a recorded delegation from it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import official
from registry.models import Delegation, DocumentKind, Office, OfficialDocument, TkksdMember
from registry.roles import Role
from registry.tests.official_data import berita_acara_data, keputusan_data, surat_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(make_user, profile):
    """The Ketua TKKSD's account (the Sekretaris Daerah), linked to the chair in the member list."""
    user = make_user(Role.TKKSD, username="ketua.tkksd")
    TkksdMember.objects.create(name="Bambang Wicaksono", position="Sekretaris Daerah", team_role="ketua", user=user)
    return user


@pytest.fixture
def delegate(make_user, admin_user, chair):
    """A TKKSD officer holding a delegation from the Ketua TKKSD to issue the Berita Acara."""
    user = make_user(Role.TKKSD, username="kabag.kerjasama")
    today = timezone.localdate()
    official.record_delegation(
        Delegation(
            delegate=user,
            office=Office.KETUA_TKKSD,
            document_kinds=[DocumentKind.BERITA_ACARA],
            valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=300),
            letter_number="800.1.11.1/017/2026",
            letter_date=today - timedelta(days=31),
        ),
        actor=admin_user,
    )
    return user


def drafts(tkksd):
    return {
        "keputusan": official.create_draft(
            actor=tkksd,
            kind=DocumentKind.KEPUTUSAN,
            series=official.series_for("keputusan-bupati"),
            title="SK",
            data=keputusan_data(),
        ),
        "berita_acara": official.create_draft(
            actor=tkksd,
            kind=DocumentKind.BERITA_ACARA,
            series=official.series_for("berita-acara-tkksd"),
            title="BA",
            data=berita_acara_data(),
        ),
        "surat": official.create_draft(
            actor=tkksd,
            kind=DocumentKind.SURAT,
            series=official.series_for("surat-kerja-sama"),
            title="Permohonan DPRD",
            data=surat_data(),
        ),
    }


# Who may issue (and void) each kind: the signatory's office, or a delegate for that kind.
MAY = {
    "keputusan": {"pimpinan"},
    "berita_acara": {"chair", "delegate"},
    "surat": {"pimpinan"},
}
EVERYONE = ["tkksd", "ppksd", "dprd", "pimpinan", "admin", "outsider", "chair", "delegate"]


@pytest.fixture
def people(users, chair, delegate):
    return {**users, "chair": chair, "delegate": delegate}


@pytest.mark.parametrize("kind", list(MAY))
@pytest.mark.parametrize("who", EVERYONE)
def test_issue_and_void_by_every_role(kind, who, people, client, django_capture_on_commit_callbacks):
    document = drafts(people["tkksd"])[kind]
    allowed = who in MAY[kind]
    assert document.signatory == {"keputusan": "bupati", "berita_acara": "ketua_tkksd", "surat": "bupati"}[kind]
    assert official.can_issue(people[who], document) is allowed
    client.force_login(people[who])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:official_issue", args=[document.pk]))
    document.refresh_from_db()
    if not allowed:
        assert response.status_code == 403
        assert document.is_draft
        # Someone who may issue does it; the same person still may not void it.
        issuer = next(people[name] for name in EVERYONE if name in MAY[kind])
        document = official.issue_document(document, actor=issuer)
        response = client.post(reverse("registry:official_void", args=[document.pk]), {"reason": "Salah."})
        assert response.status_code == 403
        document.refresh_from_db()
        assert document.status == OfficialDocument.Status.ISSUED
        return
    assert response.status_code == 302 and document.number
    assert document.issued_by == people[who]
    assert (document.issued_on_delegation is not None) is (who == "delegate")
    response = client.post(reverse("registry:official_void", args=[document.pk]), {"reason": "Salah alamat."})
    document.refresh_from_db()
    assert document.status == OfficialDocument.Status.VOIDED


def test_pimpinan_cannot_void_what_pimpinan_may_not_issue(people, django_capture_on_commit_callbacks):
    minutes = official.issue_document(drafts(people["tkksd"])["berita_acara"], actor=people["chair"])
    assert not official.can_void(people["pimpinan"], minutes)
    with pytest.raises(official.PermissionDenied):
        official.void_document(minutes, actor=people["pimpinan"], reason="Tidak berwenang.")


def test_a_delegation_acts_only_for_its_kinds_and_period(people, admin_user):
    delegation = Delegation.objects.get(delegate=people["delegate"])
    documents = drafts(people["tkksd"])
    assert not official.can_issue(people["delegate"], documents["keputusan"])
    assert official.can_issue(people["delegate"], documents["berita_acara"])
    official.end_delegation(delegation, actor=admin_user)
    assert not official.can_issue(people["delegate"], documents["berita_acara"])
    with pytest.raises(official.AlreadyDone):
        official.end_delegation(delegation, actor=admin_user)
    later = Delegation.objects.create(
        delegate=people["delegate"],
        office=Office.KETUA_TKKSD,
        document_kinds=[DocumentKind.BERITA_ACARA],
        valid_from=timezone.localdate() + timedelta(days=1),
        valid_until=timezone.localdate() + timedelta(days=10),
        letter_number="800/2",
        letter_date=timezone.localdate(),
        recorded_by=admin_user,
    )
    assert not official.can_issue(people["delegate"], documents["berita_acara"]), later


def test_the_document_shows_who_issued_it_and_on_which_delegation(people, client, django_capture_on_commit_callbacks):
    document = drafts(people["tkksd"])["berita_acara"]
    client.force_login(people["tkksd"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Ketua TKKSD" in page and str(people["chair"]) in page and str(people["delegate"]) in page
    with django_capture_on_commit_callbacks(execute=True):
        official.issue_document(document, actor=people["delegate"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert "800.1.11.1/017/2026" in page and str(people["delegate"]) in page


@pytest.mark.parametrize(("who", "status"), [("admin", 302), ("tkksd", 403), ("pimpinan", 403), ("ppksd", 403)])
def test_only_admin_records_delegations(who, status, people, client):
    client.force_login(people[who])
    assert client.get(reverse("registry:delegation_list")).status_code == (403 if who == "ppksd" else 200)
    response = client.post(
        reverse("registry:delegation_list"),
        {
            "delegate": people["tkksd"].pk,
            "office": Office.BUPATI,
            "document_kinds": [DocumentKind.SURAT],
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "letter_number": "100/1",
            "letter_date": "2026-01-01",
        },
    )
    assert response.status_code == status
    assert Delegation.objects.filter(office=Office.BUPATI).exists() is (status == 302)


def test_only_admin_links_the_chairs_account(people, client):
    member = TkksdMember.objects.get(team_role="ketua")
    url = reverse("registry:tkksd_member_edit", args=[member.pk])
    client.force_login(people["tkksd"])
    assert "user" not in client.get(url).context["form"].fields
    with pytest.raises(official.PermissionDenied):
        official.update_tkksd_member(member, actor=people["tkksd"], changes={"user": people["tkksd"]})
    official.update_tkksd_member(member, actor=people["admin"], changes={"user": people["tkksd"]})
    assert official.holds_office(people["tkksd"], Office.KETUA_TKKSD)
    assert not official.holds_office(people["chair"], Office.KETUA_TKKSD)


def test_no_delegation_to_someone_holding_the_office_or_ending_before_it_begins(people, admin_user):
    with pytest.raises(official.ServiceError):
        official.record_delegation(
            Delegation(
                delegate=people["pimpinan"],
                office=Office.BUPATI,
                document_kinds=[DocumentKind.SURAT],
                valid_from=date(2026, 1, 1),
                valid_until=date(2026, 12, 31),
                letter_number="1",
                letter_date=date(2026, 1, 1),
            ),
            actor=admin_user,
        )
    with pytest.raises(official.PermissionDenied):
        official.record_delegation(Delegation(delegate=people["tkksd"], office=Office.BUPATI), actor=people["tkksd"])
