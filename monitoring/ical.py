"""A user's deadlines as an iCalendar feed (RFC 5545), read by a secret address without login.

The events are whole days: an agreement's end date, the monthly report due day, a KB's PKS
warning date, the DPRD's answer deadline and the TKKSD plenary, each within the user's scope
and a window around today. Each event has a stable UID, so a calendar updates it in place.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import icalendar
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from registry.models import DprdApproval
from registry.roles import Role, has_role

from . import periods, selectors
from .models import CalendarFeed

PAST_DAYS = 31
FUTURE_DAYS = 400
MAX_EVENTS_PER_KIND = 500


@dataclass(frozen=True)
class Event:
    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def feed_for(user) -> CalendarFeed:
    """The user's feed, created with a fresh token the first time."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or regenerate(user)


@transaction.atomic
def regenerate(user) -> CalendarFeed:
    """Give the user a new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "created_at"])
    return feed


def user_for_token(token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


def events_for(user, today: date) -> list[Event]:
    """The user's deadlines from PAST_DAYS ago to FUTURE_DAYS ahead, in their scope."""
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    events: list[Event] = []
    scope = selectors.dashboard_scope(user)
    with translation.override(settings.LANGUAGE_CODE):
        if scope is not None:
            events += _expiries(scope, start, end)
            events += _report_days(start, end)
            events += _kb_deadlines(scope, start, end)
        if has_role(user, Role.DPRD, Role.TKKSD, Role.PIMPINAN, Role.ADMIN) or scope is not None:
            events += _dprd_deadlines(user, scope, start, end)
        if scope is not None:
            events += _plenaries(start, end)
    return sorted(events, key=lambda event: (event.day, event.uid))


def _expiries(scope, start, end):
    agreements = (
        scope.filter(stage__in=selectors.ACTIVE_STAGES, end_date__gte=start, end_date__lte=end)
        .only("pk", "title", "register_number", "end_date")
        .order_by("end_date", "pk")[:MAX_EVENTS_PER_KIND]
    )
    return [
        Event(
            f"expiry-{agreement.pk}-{agreement.end_date:%Y%m%d}",
            agreement.end_date,
            _("Ends: %(title)s") % {"title": agreement.title},
            _("Agreement %(number)s ends on this day.") % {"number": agreement.register_number},
            _absolute(agreement.get_absolute_url()),
        )
        for agreement in agreements
    ]


def _report_days(start, end):
    return [
        Event(
            f"report-{period:%Y%m}",
            periods.due_date(period),
            _("Implementation reports for %(month)s due") % {"month": formats.date_format(period, "F Y")},
            _("Every agreement in implementation reports on the month to the TKKSD by this day."),
        )
        for period in periods.periods_with_due_date_between(start, end)
    ]


def _kb_deadlines(scope, start, end):
    months = settings.KB_TO_PKS_WARNING_MONTHS
    agreements = (
        selectors.kb_without_pks(scope)
        .filter(
            kb_signed__gte=periods.add_months(start, -months) - timedelta(days=3),
            kb_signed__lte=periods.add_months(end, -months) + timedelta(days=3),
        )
        .only("pk", "title", "register_number")
        .order_by("kb_signed", "pk")[:MAX_EVENTS_PER_KIND]
    )
    events = []
    for agreement in agreements:
        day = periods.add_months(agreement.kb_signed, months)
        if start <= day <= end:
            events.append(
                Event(
                    f"kb-pks-{agreement.pk}-{day:%Y%m%d}",
                    day,
                    _("PKS expected: %(title)s") % {"title": agreement.title},
                    _("The Kesepakatan Bersama of %(number)s has had no PKS for %(months)s months by this day.")
                    % {"number": agreement.register_number, "months": months},
                    _absolute(agreement.get_absolute_url()),
                )
            )
    return events


def _dprd_deadlines(user, scope, start, end):
    approvals = DprdApproval.objects.filter(
        decision=DprdApproval.Decision.PENDING, received_on__isnull=False, due_on__gte=start, due_on__lte=end
    )
    if not has_role(user, Role.DPRD, Role.TKKSD, Role.PIMPINAN, Role.ADMIN):
        approvals = approvals.filter(agreement__in=scope)
    approvals = approvals.select_related("agreement").order_by("due_on", "pk")[:MAX_EVENTS_PER_KIND]
    return [
        Event(
            f"dprd-{approval.pk}-{approval.due_on:%Y%m%d}",
            approval.due_on,
            _("DPRD answer due: %(title)s") % {"title": approval.agreement.title},
            _("Request %(number)s received by the DPRD on %(received)s.")
            % {
                "number": approval.request_number or "-",
                "received": formats.date_format(approval.received_on, "j F Y"),
            },
            _absolute(approval.agreement.get_absolute_url()),
        )
        for approval in approvals
    ]


def _plenaries(start, end):
    from .reminders import plenaries_between

    try:
        model = apps.get_model("planning", "Plenary")
    except LookupError:
        return []
    return [
        Event(f"plenary-{pk}-{day:%Y%m%d}", day, _("TKKSD plenary %(year)s") % {"year": year}, place)
        for pk, day, year, place in plenaries_between(model, start, end)[:MAX_EVENTS_PER_KIND]
    ]


# --- RFC 5545 text -------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Every line break as one "\\n" for the package to escape: a lone carriage return would
    otherwise pass through some properties as it is and end the line there."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def render(events: list[Event], *, name: str) -> str:
    """The feed as iCalendar text, written by the icalendar package: it escapes commas, semicolons
    and every line break (a lone carriage return in a title or a place included) and folds long
    lines on character boundaries."""
    stamp = timezone.now().replace(microsecond=0)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "kerjasama"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kerja Sama//Monitoring//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", " ".join(name.split()))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"{event.uid}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.day)
        entry.add("dtend", event.day + timedelta(days=1))
        entry.add("summary", _text(event.summary))
        if event.description:
            entry.add("description", _text(event.description))
        if event.url:
            entry.add("url", event.url)
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical().decode()
