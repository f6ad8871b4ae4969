"""Login protection behind the proxy, per address across usernames, and password reset by e-mail."""

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

LOGIN = "/masuk/"


@pytest.fixture
def behind_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def attempt(client, username, password, forwarded):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR="172.18.0.5",  # the proxy's container
        HTTP_X_FORWARDED_FOR=forwarded,
        HTTP_X_FORWARDED_PROTO="https",
        secure=True,
    )


@pytest.mark.django_db
def test_behind_the_proxy_the_lock_out_follows_the_address_the_proxy_appended(client, behind_proxy, tkksd):
    # The client forges a different left-most address each time; the proxy appends the real one.
    for forged in range(5):
        attempt(client, "tkksd", "salah", f"10.0.0.{forged}, 198.51.100.7")
    locked = attempt(client, "tkksd", "password", "10.0.0.99, 198.51.100.7")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another office's address is not locked out of the same account.
    other = attempt(client, "tkksd", "password", "198.51.100.8")
    assert other.status_code == 302


@pytest.mark.django_db
def test_without_the_proxy_a_forwarded_header_is_ignored(client, tkksd, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    for forged in range(5):
        client.post(
            LOGIN,
            {"username": "tkksd", "password": "salah"},
            REMOTE_ADDR="203.0.113.4",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{forged}",
        )
    locked = client.post(LOGIN, {"username": "tkksd", "password": "password"}, REMOTE_ADDR="203.0.113.4")
    assert locked.status_code == 429


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_stopped_across_usernames(client, behind_proxy, make_user, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = "6/h"
    victim = make_user(username="korban")
    for number in range(6):
        make_user(username=f"pegawai{number}")
        attempt(client, f"pegawai{number}", "Musim2026!", "198.51.100.20")
    refused = attempt(client, "korban", "password", "198.51.100.20")
    assert refused.status_code == 429
    assert "dari alamat Anda" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address logs the same user in.
    assert attempt(client, victim.username, "password", "198.51.100.21").status_code == 302


@pytest.mark.django_db
def test_successful_logins_do_not_count_against_the_address(client, behind_proxy, make_user, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = "3/h"
    for number in range(5):
        make_user(username=f"staf{number}")
        assert attempt(client, f"staf{number}", "password", "198.51.100.30").status_code == 302
        client.logout()


# Password reset -------------------------------------------------------------------------------


def reset_link(message) -> str:
    return re.search(r"https?://\S+/akun/sandi-baru/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_password_reset_by_email_in_indonesian(client, tkksd, settings):
    tkksd.email = "tkksd@example.go.id"
    tkksd.save(update_fields=["email"])
    page = client.get(reverse("password_reset"))
    assert "Lupa kata sandi" in page.content.decode()
    response = client.post(reverse("password_reset"), {"email": "tkksd@example.go.id"}, HTTP_HOST="evil.invalid")
    assert response.status_code in (302, 400)
    response = client.post(reverse("password_reset"), {"email": "tkksd@example.go.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "kata sandi baru" in message.subject.lower()
    link = reset_link(message)
    assert link.startswith(settings.SITE_URL + "/akun/sandi-baru/")
    assert "tkksd" in message.body and "Yth." in message.body

    form = client.get(link, follow=True)
    assert form.status_code == 200 and "validlink" in form.context and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Sandi-Baru-2026!", "new_password2": "Sandi-Baru-2026!"}
    )
    assert done.status_code == 302
    client.logout()
    assert client.post(LOGIN, {"username": "tkksd", "password": "Sandi-Baru-2026!"}).status_code == 302
    # The link works once.
    client.logout()
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "tidak berlaku lagi" in again.content.decode()


@pytest.mark.django_db
def test_a_reset_link_expires(client, tkksd, settings):
    tkksd.email = "tkksd@example.go.id"
    tkksd.save(update_fields=["email"])
    with time_machine.travel("2026-03-02 08:00 +0700", tick=False):
        client.post(reverse("password_reset"), {"email": "tkksd@example.go.id"})
    link = reset_link(mail.outbox[0])
    with time_machine.travel("2026-03-02 10:01 +0700", tick=False):
        assert client.get(link, follow=True).context["validlink"] is False
    with time_machine.travel("2026-03-02 09:50 +0700", tick=False):
        assert client.get(link, follow=True).context["validlink"] is True


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, tkksd):
    response = client.post(reverse("password_reset"), {"email": "siapa@example.go.id"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_resets_are_limited_per_address(client, tkksd, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "3/h"
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": "a@example.go.id"}).status_code == 302
    limited = client.post(reverse("password_reset"), {"email": "a@example.go.id"})
    assert limited.status_code == 429
    assert "Terlalu banyak" in limited.content.decode()


@pytest.mark.django_db
def test_hostile_input_on_the_reset_form_is_a_form_error(client):
    for value in ("a\x00@example.go.id", "x" * 100_000 + "@example.go.id"):
        response = client.post(reverse("password_reset"), {"email": value})
        assert response.status_code == 200


@pytest.mark.django_db
def test_verification_lookups_are_limited_per_address(client, settings):
    settings.VERIFY_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get(reverse("verify_lookup"), {"kode": "AAAA-BBBB"}).status_code == 404
    assert client.get(reverse("verify_lookup"), {"kode": "AAAA-BBBB"}).status_code == 429
    assert client.post(reverse("verify_document", args=["AAAA-BBBB"])).status_code == 429
