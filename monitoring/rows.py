"""The report list's rows printed from Python, as registry/rows.py does for the agreement list:
the template engine spends several microseconds on each value, and a page of 25 reports with
the 20 agreements still owing one prints a few hundred. Every value is escaped (html.escape, as
Django's escape)."""

from html import escape

from django.middleware.csrf import get_token
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _

from registry.rows import empty_row, long_datetime, short_date, short_months, url_maker

from .models import EvaluationStatus, Recommendation, Score, rating_of
from .templatetags.monitoring_tags import RECOMMENDATION_BADGES, STATE_BADGES, STATE_LABELS

# One row of the table in templates/monitoring/report_list.html.
_REPORT_ROW_HTML = (
    "<tr>"
    '<td class="text-nowrap"><a href="{url}">{period}</a></td>'
    "<td>{title}</td>"
    '<td class="small">{lead_opd}</td>'
    "<td>{progress}%</td>"
    '<td class="small text-nowrap">{filed} · {filer}</td>'
    '<td><span class="badge text-bg-{badge}">{status}</span></td>'
    "</tr>"
)

# One agreement still owing this month's report, with the button to file it.
_OWING_ROW_HTML = (
    '<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2">'
    '<span>{title} <span class="small text-body-secondary">{register_number}</span></span>'
    '<a class="btn btn-sm btn-outline-primary" href="{url}?periode={period}">{label}</a>'
    "</li>"
)


# One running agreement still to evaluate this year, with the button to evaluate it.
_AWAITING_ROW_HTML = (
    '<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2">'
    '<span>{title} <span class="small text-body-secondary">{lead_opd}</span></span>'
    '<a class="btn btn-sm btn-outline-primary" href="{url}">{label}</a>'
    "</li>"
)

# One notification of the notification list, with its button marking it read (and following its link).
_NOTIFICATION_ROW_HTML = (
    '<li class="list-group-item d-flex justify-content-between align-items-start gap-3">'
    '<div><div class="{weight}">{title}</div>{body}'
    '<div class="small text-body-secondary">{created}</div></div>'
    '<form method="post" action="{url}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<button class="btn btn-sm btn-outline-primary" type="submit">{label}</button>'
    "</form></li>"
)

# One of the latest notifications on a home page's card.
_RECENT_ROW_HTML = (
    '<li class="list-group-item{weight}">'
    '<form method="post" action="{url}" class="d-inline">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<button type="submit" class="btn btn-link p-0 text-start align-baseline{weight}">{title}</button>'
    "</form>"
    ' <span class="small text-body-secondary">· {created}</span>'
    "</li>"
)


def month_year(day) -> str:
    """Django's "F Y": Desember 2026."""
    return f"{MONTHS[day.month]} {day.year}"


def report_rows(reports) -> SafeString:
    """The table rows of reports read with monitoring.selectors.REPORT_LIST_COLUMNS."""
    report_url = url_maker("monitoring:report_detail")
    months = short_months()
    html = "\n".join(
        _REPORT_ROW_HTML.format(
            url=report_url(report.pk),
            period=escape(month_year(report.period)),
            title=escape(report.agreement.title),
            lead_opd=escape(report.agreement.lead_opd.name),
            progress=report.progress,
            filed=short_date(timezone.localtime(report.submitted_at).date(), months),
            filer=escape(str(report.submitted_by)),
            badge=STATE_BADGES.get(report.status, "secondary"),
            status=escape(str(STATE_LABELS.get(report.status, report.status))),
        )
        for report in reports
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


def owing_rows(agreements, period) -> SafeString:
    """The list items of agreements still to report on for period, read as values: pk, title,
    register_number."""
    create_url = url_maker("monitoring:report_create")
    label = escape(_("File the report"))
    html = "\n".join(
        _OWING_ROW_HTML.format(
            title=escape(agreement["title"]),
            register_number=escape(agreement["register_number"]),
            url=create_url(agreement["pk"]),
            period=f"{period:%Y-%m}",
            label=label,
        )
        for agreement in agreements
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


def awaiting_rows(agreements) -> SafeString:
    """The list items of agreements still to evaluate, read as values: pk, title, lead_opd__name."""
    create_url = url_maker("monitoring:evaluation_create")
    label = escape(_("Evaluate"))
    html = "\n".join(
        _AWAITING_ROW_HTML.format(
            title=escape(agreement["title"]),
            lead_opd=escape(agreement["lead_opd__name"]),
            url=create_url(agreement["pk"]),
            label=label,
        )
        for agreement in agreements
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


def recent_notification_rows(request, notifications) -> SafeString:
    """The list items of a home page's card of latest notifications."""
    open_url = url_maker("monitoring:notification_open")
    csrf = escape(get_token(request))
    html = "\n".join(
        _RECENT_ROW_HTML.format(
            weight="" if notification.is_read else " fw-semibold",
            url=open_url(notification.pk),
            csrf=csrf,
            title=escape(notification.title),
            created=escape(long_datetime(notification.created_at)),
        )
        for notification in notifications
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


def notification_rows(request, notifications) -> SafeString:
    """The list items of a page of notifications, each with its form to open it or mark it read."""
    open_url = url_maker("monitoring:notification_open")
    csrf = escape(get_token(request))
    labels = {True: escape(_("Open")), False: escape(_("Mark as read"))}
    html = "\n".join(
        _NOTIFICATION_ROW_HTML.format(
            weight="" if notification.is_read else "fw-semibold",
            title=escape(notification.title),
            body=(
                '<div class="small">{}</div>'.format(
                    escape(normalize_newlines(notification.body)).replace("\n", "<br>")
                )
                if notification.body
                else ""
            ),
            created=escape(long_datetime(notification.created_at)),
            url=open_url(notification.pk),
            csrf=csrf,
            label=labels[bool(notification.url)],
        )
        for notification in notifications
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


# One evaluation of the annual evaluation list (templates/monitoring/evaluation_list.html).
_EVALUATION_ROW_HTML = (
    "<tr>"
    '<td><a href="{url}">{title}</a></td>'
    '<td class="small">{lead_opd}</td>'
    "<td>{average} · {rating}</td>"
    '<td><span class="badge text-bg-{badge}">{recommendation}</span></td>'
    "<td>{status}</td>"
    "</tr>"
)


def evaluation_rows(evaluations) -> SafeString:
    """The table rows of a page of evaluations (monitoring.selectors.evaluation_list), or the one
    row saying there is none."""
    if not evaluations:
        return empty_row(5, _("No evaluation for this year yet."))
    evaluation_url = url_maker("monitoring:evaluation_detail")
    # Each label translated once for the page, not once a row.
    ratings = {score: escape(str(score.label)) for score in Score}
    recommendations = {value: escape(str(label)) for value, label in Recommendation.choices}
    statuses = {value: escape(str(label)) for value, label in EvaluationStatus.choices}
    html = "\n".join(
        _EVALUATION_ROW_HTML.format(
            url=evaluation_url(evaluation.pk),
            title=escape(evaluation.agreement.title),
            lead_opd=escape(evaluation.agreement.lead_opd.name),
            # As the template printed a number: with the language's decimal separator (3,50).
            average=escape(formats.localize(average)),
            rating=ratings[rating_of(average)],
            badge=RECOMMENDATION_BADGES.get(evaluation.recommendation, "secondary"),
            recommendation=recommendations.get(evaluation.recommendation) or escape(evaluation.recommendation),
            status=statuses.get(evaluation.status) or escape(evaluation.status),
        )
        for evaluation in evaluations
        for average in (evaluation.average,)
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)
