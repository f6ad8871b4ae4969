"""Logging in and resetting a forgotten password, with limits per client address.

django-axes locks a username at one address out after AXES_FAILURE_LIMIT failures; on top of it,
an address that fails more than LOGIN_FAILURES_PER_ADDRESS times across usernames (password
spraying) is refused at the login form until the window passes. Password resets by e-mail are
limited per address (PASSWORD_RESET_RATE_LIMIT) and their links expire after
PASSWORD_RESET_TIMEOUT seconds (Django's signed tokens, void once the password changed).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.urls import reverse_lazy
from django.utils import translation

from .ratelimits import over_limit, too_many_requests, used_up

LOGIN_FAILURES = "login-failures"


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if used_up(request, group=LOGIN_FAILURES, rate=settings.LOGIN_FAILURES_PER_ADDRESS):
            return too_many_requests(
                request, "registration/locked_out.html", {"cooloff_minutes": 60, "address_blocked": True}
            )
        return super().post(request, *args, **kwargs)


@receiver(user_login_failed, dispatch_uid="count-login-failures-per-address")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        over_limit(request, group=LOGIN_FAILURES, rate=settings.LOGIN_FAILURES_PER_ADDRESS)


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "sent" (an unknown address is not revealed); the link in the e-mail is built
    from SITE_URL, never from the request's Host header."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if over_limit(request, group="password-reset", rate=settings.PASSWORD_RESET_RATE_LIMIT):
            return too_many_requests(request, "registration/password_reset_limited.html")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        # The e-mail is written in the application's language, whatever the page was shown in.
        with translation.override(settings.LANGUAGE_CODE):
            return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")
