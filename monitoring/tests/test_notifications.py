"""The notification service: one in-app row, one e-mail, whatever happens to the task."""

import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kerjasama import jobs
from kerjasama.tests.markup import flat
from monitoring import services, tasks
from monitoring.models import Notification


@pytest.mark.django_db(transaction=True)
def test_notify_records_the_notification_and_sends_one_email_after_commit(tkksd):
    notification = services.notify(tkksd, title="Masa berlaku PKS segera berakhir", body="Tinggal 30 hari.", url="/")
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [tkksd.email]
    assert "Masa berlaku PKS segera berakhir" in mail.outbox[0].subject
    assert "Tinggal 30 hari." in mail.outbox[0].body


@pytest.mark.django_db
def test_no_email_is_sent_when_the_transaction_rolls_back(tkksd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(tkksd, title="Tidak jadi")
    # The e-mail task waits for the commit; a rollback drops it.
    assert len(callbacks) == 1
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_user_without_email_gets_only_the_in_app_notification(make_user, django_capture_on_commit_callbacks):
    user = make_user("TKKSD", username="tanpa.email", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(user, title="Hanya di aplikasi")
    assert notification.email_state == Notification.EmailState.NONE
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_redelivered_task_sends_only_once(tkksd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(tkksd, title="Sekali saja")
    # A broker re-delivering the message, or a retry racing the original, finds nothing to do.
    assert tasks.send_notification_email.apply(args=[notification.pk]).get() is False
    assert services.deliver_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_failed_send_is_retried_and_sent_once(tkksd, django_capture_on_commit_callbacks):
    original = services.EmailMessage.send
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return original(*args, **kwargs)

    with mock.patch.object(services.EmailMessage, "send", autospec=True, side_effect=flaky):
        notification = Notification.objects.create(
            recipient=tkksd, title="Coba lagi", email_state=Notification.EmailState.PENDING
        )
        with pytest.raises(smtplib.SMTPServerDisconnected):
            services.deliver_notification_email(notification.pk)
        notification.refresh_from_db()
        assert notification.email_state == Notification.EmailState.PENDING
        assert notification.email_attempts == 1
        assert services.deliver_notification_email(notification.pk) is True
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT


@pytest.mark.django_db
def test_worker_killed_mid_send_is_caught_up_by_the_sweeper_once(tkksd):
    # A worker claimed the row and died before sending: the claim goes stale.
    notification = Notification.objects.create(
        recipient=tkksd,
        title="Pekerja mati",
        email_state=Notification.EmailState.SENDING,
        email_claimed_at=timezone.now() - services.EMAIL_CLAIM_TIMEOUT - timedelta(minutes=1),
    )
    fresh = Notification.objects.create(
        recipient=tkksd,
        title="Sedang dikirim",
        email_state=Notification.EmailState.SENDING,
        email_claimed_at=timezone.now(),
    )
    assert tasks.resend_unsent_emails.apply().get() == 1
    assert tasks.resend_unsent_emails.apply().get() == 0
    assert [message.subject for message in mail.outbox] == ["[Kerja Sama] Pekerja mati"]
    fresh.refresh_from_db()
    assert fresh.email_state == Notification.EmailState.SENDING
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT


@pytest.mark.django_db
def test_an_email_never_published_is_published_again_a_minute_after_its_commit(tkksd, monkeypatch):
    published = []
    monkeypatch.setattr(jobs, "publish", lambda task, *args: published.append(args) or True)
    waiting = Notification.objects.create(recipient=tkksd, title="Menunggu", email_state="pending")
    assert services.unsent_email_ids() == [], "a fresh e-mail is left to its own message"
    Notification.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert tasks.resend_unsent_emails.apply().get() == 1
    assert published == [(waiting.pk,)]


@pytest.mark.django_db(transaction=True)
def test_an_email_sent_twice_carries_one_message_id(tkksd, settings):
    """At least once: a worker killed after sending and before recording it sends it again; the
    copies share their Message-ID, which mail clients fold into one."""
    settings.SITE_URL = "https://kerjasama.slemankab.go.id"
    notification = services.notify(tkksd, title="Tenggat DPRD", body="Sepuluh hari kerja lagi.")
    Notification.objects.filter(pk=notification.pk).update(
        email_state=Notification.EmailState.SENDING,
        email_claimed_at=timezone.now() - services.EMAIL_CLAIM_TIMEOUT - timedelta(seconds=1),
    )
    assert services.deliver_notification_email(notification.pk) is True
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert (
        first.message()["Message-ID"]
        == f"<notification-{notification.pk}.{notification.created_at:%Y%m%d%H%M%S}@kerjasama.slemankab.go.id>"
    )
    assert Notification.objects.filter(recipient=tkksd).count() == 1, "the in-app notification is never doubled"


@pytest.mark.django_db
def test_a_broker_that_refuses_costs_the_action_nothing(tkksd, monkeypatch, caplog, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_notification_email, "apply_async", refused)
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(tkksd, title="Tetap tercatat")
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING, "owed, for the sweeper"
    assert "the sweeper will try again" in caplog.text


@pytest.mark.django_db
def test_notifications_show_in_navigation_and_can_be_marked_read(client, tkksd, other_ppksd):
    mine = services.notify(tkksd, title="Laporan bulanan terlambat", url="/registri/opd/", email=False)
    services.notify(other_ppksd, title="Bukan untuk Anda", email=False)
    client.force_login(tkksd)
    response = client.get(reverse("monitoring:notification_list"))
    html = response.content.decode()
    assert "Laporan bulanan terlambat" in html
    assert "Bukan untuk Anda" not in html
    # The page does not count them: its navigation holds an empty place the count fills once the
    # page has loaded, out of band of the "To do" entry.
    assert '<span id="nav-unread"></span>' in html
    assert f'data-hx-get="{reverse("work_queue_nav")}"' in html
    counts = client.get(reverse("work_queue_nav")).content.decode()
    assert re.search(
        r'<span id="nav-unread" class="badge[^"]*" title="belum dibaca" data-hx-swap-oob="true">1</span>', counts
    )
    # The home page counts them at once.
    home = client.get(reverse("home")).content.decode()
    assert re.search(r'<span id="nav-unread" class="badge[^"]*" title="belum dibaca">1</span>', home)
    response = client.post(reverse("monitoring:notification_open", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/registri/opd/"
    mine.refresh_from_db()
    assert mine.is_read
    # Nothing unread: the empty place stays empty.
    assert "nav-unread" not in client.get(reverse("work_queue_nav")).content.decode()
    assert '<span id="nav-unread"></span>' in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_opening_someone_elses_notification_is_404(client, tkksd, other_ppksd):
    theirs = services.notify(other_ppksd, title="Milik orang lain", email=False)
    client.force_login(tkksd)
    assert client.post(reverse("monitoring:notification_open", args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_notification_link_to_another_site_is_not_followed(client, tkksd):
    notification = services.notify(tkksd, title="Tautan luar", url="https://contoh.invalid/", email=False)
    client.force_login(tkksd)
    response = client.post(reverse("monitoring:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("monitoring:notification_list")


@pytest.mark.django_db
def test_mark_all_read(client, tkksd):
    for n in range(3):
        services.notify(tkksd, title=f"Pemberitahuan {n}", email=False)
    client.force_login(tkksd)
    client.post(reverse("monitoring:notification_read_all"))
    assert not Notification.objects.filter(recipient=tkksd, read_at__isnull=True).exists()


# The markup the notification list's template printed for each notification before monitoring/rows.py did.
_TEMPLATE_ROWS = """{% load i18n %}{% for notification in notifications %}
<li class="list-group-item d-flex justify-content-between align-items-start gap-3"><div>
<div class="{% if not notification.is_read %}fw-semibold{% endif %}">{{ notification.title }}</div>
{% if notification.body %}<div class="small">{{ notification.body|linebreaksbr }}</div>{% endif %}
<div class="small text-body-secondary">{{ notification.created_at|date:"j F Y H.i" }}</div></div>
<form method="post" action="{% url 'monitoring:notification_open' notification.pk %}">{% csrf_token %}
<button class="btn btn-sm btn-outline-primary" type="submit">
{% if notification.url %}{% translate "Open" %}{% else %}{% translate "Mark as read" %}{% endif %}
</button></form></li>{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_notification_rows_print_what_the_template_printed_escaped(rf, tkksd, language):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.template import RequestContext, Template
    from django.utils import translation

    from monitoring import rows

    services.notify(tkksd, title="<script>alert('x')</script> & \"Sampah\"", body="Baris 1\r\nBaris <2>", email=False)
    read = services.notify(tkksd, title="Sudah dibaca", url="/registri/opd/", email=False)
    services.mark_read(read)
    # Created at 23.30 in Jakarta: the time printed is Jakarta's, not UTC's.
    Notification.objects.filter(pk=read.pk).update(created_at=datetime(2026, 9, 30, 16, 30, tzinfo=ZoneInfo("UTC")))
    notifications = list(Notification.objects.filter(recipient=tkksd).order_by("pk"))
    request = rf.get("/")

    with translation.override(language):
        expected = Template(_TEMPLATE_ROWS).render(RequestContext(request, {"notifications": notifications}))
        printed = rows.notification_rows(request, notifications)
        assert flat(printed) == flat(expected)
    assert "<script>" not in printed and "Baris 1<br>Baris &lt;2&gt;" in printed
    assert "30 September 2026 23.30" in expected


@pytest.mark.django_db
def test_a_notification_is_opened_with_the_token_its_row_carries(tkksd):
    import re

    from django.test import Client

    notification = services.notify(tkksd, title="Buka saya", url="/registri/opd/", email=False)
    client = Client(enforce_csrf_checks=True)
    client.force_login(tkksd)
    html = client.get(reverse("monitoring:notification_list")).content.decode()
    action = reverse("monitoring:notification_open", args=[notification.pk])
    token = re.search(rf'action="{action}"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', html)
    response = client.post(action, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302 and response["Location"] == "/registri/opd/"
    notification.refresh_from_db()
    assert notification.is_read
    assert "Belum ada notifikasi." in client.get(reverse("monitoring:notification_list") + "?page=9").content.decode()


# The markup the home pages' card printed for each of the latest notifications before monitoring/rows.py did.
_TEMPLATE_RECENT = """{% for notification in recent_notifications %}
<li class="list-group-item{% if not notification.is_read %} fw-semibold{% endif %}">
<form method="post" action="{% url 'monitoring:notification_open' notification.pk %}" class="d-inline">
{% csrf_token %}
<button type="submit"
 class="btn btn-link p-0 text-start align-baseline{% if not notification.is_read %} fw-semibold{% endif %}">
{{ notification.title }}
</button></form>
<span class="small text-body-secondary">· {{ notification.created_at|date:"j F Y H.i" }}</span></li>{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_home_cards_notifications_print_what_the_template_printed(client, tkksd, language):

    from django.template import RequestContext, Template
    from django.utils import translation

    from monitoring import rows

    services.notify(tkksd, title="<script>alert('x')</script> & \"Sampah\"", email=False)
    services.mark_read(services.notify(tkksd, title="Sudah dibaca", email=False))
    client.force_login(tkksd)
    response = client.get(reverse("home"))
    recent = response.context["recent_notifications"]
    assert len(recent) == 2
    request = response.wsgi_request

    with translation.override(language):
        expected = Template(_TEMPLATE_RECENT).render(RequestContext(request, {"recent_notifications": recent}))
        printed = rows.recent_notification_rows(request, recent)
        assert flat(printed) == flat(expected)
    assert "<script>" not in printed and "&lt;script&gt;" in printed
    assert flat(response.context["recent_notifications_html"]) in flat(response.content.decode())
