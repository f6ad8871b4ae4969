"""Every handoff notifies exactly the people whose turn it is, once; e-mail follows each user's
preference, at once or in the daily digest."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from monitoring import handoffs, services
from monitoring.models import Notification, NotificationPreference
from monitoring.tests.helpers import report_data, running
from planning import services as planning_services
from planning.models import Decision
from planning.tests.factories import hold_plenary, open_cycle, schedule, submitted_proposal, the_team
from registry import dprd as desk
from registry import lifecycle, official
from registry import services as registry_services
from registry.models import DocumentKind, DprdApproval, Stage
from registry.roles import Role
from registry.tests.factories import PemdaProfileFactory, make_agreement
from registry.tests.official_data import keputusan_data

pytestmark = pytest.mark.django_db


def told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def recipients() -> set[str]:
    return set(Notification.objects.values_list("recipient__username", flat=True))


@pytest.fixture
def colleague(make_user, opd):
    """A second PPKSD of the same OPD."""
    return make_user(Role.PPKSD, username="ppksd.dua", opd=opd, email="dua@example.go.id")


# --- planning ------------------------------------------------------------------------------------------


def test_a_submitted_proposal_tells_the_tkksd_once(tkksd, ppksd, other_ppksd, pimpinan, dprd, opd):
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    assert recipients() == {"tkksd"}
    [title] = told(tkksd)
    assert "Dishub" in title or "Dinas Perhubungan" in title
    assert Notification.objects.get(recipient=tkksd).url == proposal.get_absolute_url()
    # The same event announced again tells nobody twice.
    handoffs.proposal_submitted(proposal, ppksd)
    assert Notification.objects.count() == 1


def test_a_returned_proposal_tells_every_ppksd_of_its_opd_and_nobody_else(tkksd, ppksd, colleague, other_ppksd, opd):
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    Notification.objects.all().delete()
    planning_services.return_proposal(proposal, actor=tkksd, note="Lengkapi kajian manfaat")
    assert recipients() == {"ppksd", "ppksd.dua"}
    notification = Notification.objects.get(recipient=ppksd)
    assert notification.body == "Lengkapi kajian manfaat" and "dikembalikan" in notification.title.lower()


def test_closing_a_plenary_tells_the_opds_their_decisions_and_the_tkksd_its_minutes(
    tkksd, make_user, ppksd, other_ppksd, opd
):
    chair = make_user(Role.TKKSD, Role.PIMPINAN, username="sekda")
    second = make_user(Role.TKKSD, username="tkksd.dua")
    the_team(chair=chair)
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle, timezone.localdate())
    hold_plenary(chair, plenary, [(proposal, Decision.DEFERRED, None, "Menunggu kajian")])
    Notification.objects.all().delete()
    planning_services.close_plenary(plenary, actor=chair)
    assert any("Menunggu" in n.body or "Ditunda" in n.title for n in Notification.objects.filter(recipient=ppksd))
    assert not Notification.objects.filter(recipient=other_ppksd).exists()
    # The Berita Acara goes to the TKKSD, not to the chair who issued it.
    assert any("Berita Acara" in title for title in told(second))
    assert any("Berita Acara" in title for title in told(tkksd))
    assert not any("Berita Acara" in title for title in told(chair))


# --- documents ---------------------------------------------------------------------------------------------


def test_a_decree_draft_tells_the_pimpinan_and_its_issue_tells_the_tkksd(tkksd, pimpinan, dprd, ppksd, make_user):
    PemdaProfileFactory()
    second = make_user(Role.TKKSD, username="tkksd.dua")
    draft = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.KEPUTUSAN,
        series=official.series_for("keputusan-bupati"),
        title="Rencana Program Kerja Sama Daerah Tahun 2027",
        data=keputusan_data(),
    )
    assert recipients() == {"pimpinan"}
    assert Notification.objects.get(recipient=pimpinan).url == draft.get_absolute_url()
    Notification.objects.all().delete()
    official.issue_document(draft, actor=pimpinan)
    assert recipients() == {"tkksd", "tkksd.dua"}
    assert second.notifications.get().url == draft.get_absolute_url()


def test_an_issued_request_letter_tells_the_dprd_the_tkksd_and_the_lead_opd(
    tkksd, pimpinan, dprd, ppksd, other_ppksd, opd
):
    from registry.tests.test_dprd import waiting_agreement

    PemdaProfileFactory()
    agreement = waiting_agreement(tkksd, opd)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    Notification.objects.all().delete()
    official.issue_document(approval.request_letter, actor=pimpinan)
    assert recipients() == {"dprd", "tkksd", "ppksd"}
    assert dprd.notifications.get().url == approval.get_absolute_url()


def test_a_dprd_note_and_decision_reach_the_tkksd_and_the_lead_opd(tkksd, dprd, ppksd, other_ppksd, opd):
    from registry.tests.test_dprd import open_request, waiting_agreement

    agreement = waiting_agreement(tkksd, opd)
    approval = open_request(agreement, tkksd, timezone.localdate() - timedelta(days=3))
    Notification.objects.all().delete()
    desk.add_review_note(approval, actor=dprd, text="Mohon rincian anggaran")
    assert recipients() == {"tkksd", "ppksd"}
    Notification.objects.all().delete()
    registry_services.record_dprd_decision(approval, actor=dprd, decision=DprdApproval.Decision.APPROVED)
    # One notification each: the DPRD's answer, which moved the agreement.
    assert recipients() == {"tkksd", "ppksd"}
    assert Notification.objects.filter(recipient=ppksd).count() == 1
    assert "DPRD" in told(tkksd)[0] and "Disetujui" in told(tkksd)[0]


# --- reports and stages --------------------------------------------------------------------------------


def test_a_filed_report_tells_the_tkksd_and_its_review_the_opd(tkksd, ppksd, colleague, other_ppksd, opd):
    agreement = running(tkksd, opd=opd)
    Notification.objects.all().delete()
    report = services.file_report(agreement, actor=ppksd, period=date(2026, 1, 1), data=report_data())
    assert recipients() == {"tkksd"}
    assert tkksd.notifications.get().url == report.get_absolute_url()
    Notification.objects.all().delete()
    services.review_report(report, actor=tkksd, decision="accept")
    assert recipients() == {"ppksd", "ppksd.dua"}


def test_a_stage_move_tells_the_lead_opd(tkksd, ppksd, other_ppksd, opd):
    agreement = make_agreement(tkksd, opd=opd)
    Notification.objects.all().delete()
    lifecycle.advance(agreement, Stage.DIBATALKAN, actor=tkksd, note="Tidak dilanjutkan")
    assert recipients() == {"ppksd"}
    notification = ppksd.notifications.get()
    assert notification.url == agreement.get_absolute_url() and notification.body == "Tidak dilanjutkan"


def test_a_deactivated_account_and_the_actor_receive_nothing(tkksd, ppksd, make_user, opd):
    gone = make_user(Role.TKKSD, username="pensiun", is_active=False)
    both = make_user(Role.TKKSD, Role.PPKSD, username="rangkap", opd=opd)
    cycle = open_cycle(tkksd)
    submitted_proposal(both, cycle)
    assert recipients() == {"tkksd"}
    assert not gone.notifications.exists()


# --- e-mail ------------------------------------------------------------------------------------------------


def test_an_immediate_email_greets_the_recipient_and_links_the_subject(
    tkksd, ppksd, opd, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://kerjasama.example.go.id"
    tkksd.first_name, tkksd.last_name, tkksd.email = "Rina", "Wati", "rina@example.go.id"
    tkksd.save()
    cycle = open_cycle(tkksd)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submitted_proposal(ppksd, cycle)
    [message] = mail.outbox
    assert message.to == ["rina@example.go.id"]
    assert message.body.startswith("Yth. Rina Wati,")
    assert f"https://kerjasama.example.go.id{proposal.get_absolute_url()}" in message.body


def test_preferences_digest_and_off_send_no_immediate_email(
    tkksd, ppksd, opd, make_user, django_capture_on_commit_callbacks
):
    quiet = make_user(Role.TKKSD, username="diam", email="diam@example.go.id")
    daily = make_user(Role.TKKSD, username="harian", email="harian@example.go.id")
    tkksd.email = "tkksd@example.go.id"
    tkksd.save()
    services.set_email_preference(quiet, NotificationPreference.Email.OFF)
    services.set_email_preference(daily, NotificationPreference.Email.DIGEST)
    cycle = open_cycle(tkksd)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submitted_proposal(ppksd, cycle)
    assert [m.to for m in mail.outbox] == [["tkksd@example.go.id"]]
    assert quiet.notifications.get().email_state == Notification.EmailState.NONE
    assert daily.notifications.get().email_state == Notification.EmailState.DIGEST


JAKARTA = ZoneInfo("Asia/Jakarta")


def test_the_digest_on_a_normal_day_an_empty_day_and_after_a_missed_day(tkksd, ppksd, opd, make_user):
    daily = make_user(Role.TKKSD, username="harian", email="harian@example.go.id", first_name="Harian")
    services.set_email_preference(daily, NotificationPreference.Email.DIGEST)
    cycle = open_cycle(tkksd)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=JAKARTA)):
        submitted_proposal(ppksd, cycle, title="Usulan Pertama")
        submitted_proposal(ppksd, cycle, title="Usulan Kedua")
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 3, 3, 7, 0, tzinfo=JAKARTA)):
        assert services.send_digests() == 1
    [message] = mail.outbox
    assert message.to == ["harian@example.go.id"] and message.body.startswith("Yth. Harian")
    assert "Usulan Pertama" in message.body and "Usulan Kedua" in message.body
    # An empty day: nothing sent, and nothing twice.
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 3, 4, 7, 0, tzinfo=JAKARTA)):
        assert services.send_digests() == 0
    assert mail.outbox == []
    # The scheduler was down on the 6th: the 7th's digest carries both days' items.
    with time_machine.travel(datetime(2026, 3, 5, 9, 0, tzinfo=JAKARTA)):
        submitted_proposal(ppksd, cycle, title="Usulan Ketiga")
    with time_machine.travel(datetime(2026, 3, 6, 9, 0, tzinfo=JAKARTA)):
        submitted_proposal(ppksd, cycle, title="Usulan Keempat")
    with time_machine.travel(datetime(2026, 3, 7, 7, 0, tzinfo=JAKARTA)):
        assert services.send_digests() == 1
    [message] = mail.outbox
    assert "Usulan Ketiga" in message.body and "Usulan Keempat" in message.body
    assert "Usulan Pertama" not in message.body
    assert not daily.notifications.filter(email_state=Notification.EmailState.DIGEST).exists()


def test_the_digest_task_is_on_beat_at_seven():
    from kerjasama.celery import app

    entry = app.conf.beat_schedule["send-email-digests"]
    assert entry["task"] == "monitoring.tasks.send_email_digests"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}


# --- the settings page and the notification list ------------------------------------------------------


@pytest.mark.parametrize("name", ["tkksd", "ppksd", "dprd", "pimpinan", "admin", "outsider"])
def test_every_user_chooses_their_email_preference(client, users, name):
    user = users[name]
    client.force_login(user)
    url = reverse("monitoring:notification_settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": "digest"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=user).email == "digest"
    assert client.post(url, {"email": "sometimes"}).status_code == 200
    assert NotificationPreference.objects.get(user=user).email == "digest"


def test_the_settings_page_needs_a_login(client):
    response = client.get(reverse("monitoring:notification_settings"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_opening_a_notification_marks_it_read_and_mark_all_read_exists(client, tkksd, ppksd, opd):
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    submitted_proposal(ppksd, cycle, title="Usulan Lain")
    client.force_login(tkksd)
    home = client.get(reverse("home")).content.decode()
    first = tkksd.notifications.order_by("pk").first()
    assert reverse("monitoring:notification_open", args=[first.pk]) in home
    response = client.post(reverse("monitoring:notification_open", args=[first.pk]))
    assert response["Location"] == proposal.get_absolute_url()
    first.refresh_from_db()
    assert first.is_read
    client.post(reverse("monitoring:notification_read_all"))
    assert not tkksd.notifications.filter(read_at__isnull=True).exists()
    # Another user cannot open it.
    client.force_login(ppksd)
    assert client.post(reverse("monitoring:notification_open", args=[first.pk])).status_code == 404


def test_after_a_review_the_reviewer_stays_on_the_report_with_a_link_to_the_next(client, tkksd, ppksd, opd):
    agreement = running(tkksd, opd=opd)
    first = services.file_report(agreement, actor=ppksd, period=date(2026, 1, 1), data=report_data())
    second = services.file_report(agreement, actor=ppksd, period=date(2026, 2, 1), data=report_data())
    client.force_login(tkksd)
    response = client.post(
        reverse("monitoring:report_review", args=[first.pk]), {"decision": "accept", "note": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == first.get_absolute_url()
    page = response.content.decode()
    assert "Laporan telah diterima." in page
    assert response.context["report"] == first
    assert response.context["next_to_review"] == second
    assert 'data-testid="next-to-review"' in page
