"""List rows with every printed value computed once in Python: the list template then only
prints strings, which keeps the busiest page of the app cheap to render.

The rows are read as values, not model instances, from one table row per agreement (the
partners' names are kept on the agreement, see services.refresh_derived_text)."""

from dataclasses import dataclass
from datetime import date
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import EndReason, Stage
from .status import BADGE, ended_on_for, status_for

# The columns a list row prints; the wide text columns stay in the database.
LIST_VALUES = (
    "pk",
    "register_number",
    "title",
    "kind",
    "stage",
    "end_date",
    "end_reason",
    "stage_changed_at",
    "partner_names",
    "lead_opd__name",
    "lead_opd__abbreviation",
)


@dataclass(frozen=True)
class AgreementRow:
    url: str
    register_number: str
    title: str
    kind: str
    partners: str
    lead_opd: str
    stage: str
    # Why an ended agreement ended; empty while it runs.
    end_reason: str
    status: str
    status_label: str
    status_badge: str
    end_date: str


def url_maker(viewname: str):
    """The address of a view taking one primary key, resolved once per list instead of per row."""
    marker = 987654321
    head, tail = reverse(viewname, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def detail_url_maker():
    """The agreement page's address for a primary key."""
    return url_maker("registry:agreement_detail")


def short_months() -> dict[int, str]:
    """For Django's "j M Y" (1 Jan 2026, 1 Agu 2026), with the month names translated once."""
    return {month: str(name).title() for month, name in MONTHS_3.items()}


def short_date(day: date | None, months: dict[int, str]) -> str:
    return f"{day.day} {months[day.month]} {day.year}" if day else "—"


def agreement_rows(values, today: date) -> list[AgreementRow]:
    """Rows from dictionaries holding LIST_VALUES."""
    detail_url = detail_url_maker()
    months = short_months()
    rows = []
    for value in values:
        status = status_for(value["stage"], value["end_date"], value["end_reason"], today)
        end = value["end_date"]
        ended = ended_on_for(value["stage"], end, value["end_reason"], value["stage_changed_at"])
        stage = str(Stage(value["stage"]).label)
        if ended:
            # "Berakhir 1 Des 2026": an ended agreement says when, beside why.
            stage = _("Ended %(date)s") % {"date": short_date(ended, months)}
        rows.append(
            AgreementRow(
                url=detail_url(value["pk"]),
                register_number=value["register_number"],
                title=value["title"],
                kind=value["kind"].upper(),
                partners=value["partner_names"],
                lead_opd=value["lead_opd__abbreviation"] or value["lead_opd__name"],
                # Stage(...).label, not get_stage_display(): the latter rebuilds the choices each call.
                stage=stage,
                end_reason=str(EndReason(value["end_reason"]).label) if ended and value["end_reason"] else "",
                status=status.value,
                status_label=str(status.label),
                status_badge=BADGE[status],
                end_date=short_date(end, months),
            )
        )
    return rows


# One table row of templates/registry/agreement_list.html. The body is built here, not in the
# template: its 25 rows of 9 cells are the most values any page prints, and the template engine
# spends several microseconds on each. Every value is escaped (html.escape, as Django's escape).
_ROW_HTML = (
    "<tr>"
    '<td class="text-nowrap small">{register_number}</td>'
    '<td><a href="{url}">{title}</a></td>'
    '<td class="text-nowrap">{kind}</td>'
    '<td class="small">{partners}</td>'
    '<td class="small">{lead_opd}</td>'
    '<td class="small" data-testid="stage">{stage}{end_reason}</td>'
    '<td><span class="badge text-bg-{status_badge}" data-testid="status">{status_label}</span></td>'
    '<td class="text-nowrap small">{end_date}</td>'
    "</tr>"
)


_REASON_HTML = '<div class="text-body-secondary" data-testid="end-reason">{}</div>'


def _cells(row: AgreementRow) -> dict[str, str]:
    cells = {name: escape(value) for name, value in vars(row).items()}
    cells["end_reason"] = _REASON_HTML.format(cells["end_reason"]) if row.end_reason else ""
    return cells


def table_body(rows: list[AgreementRow]) -> SafeString:
    html = "\n".join(_ROW_HTML.format_map(_cells(row)) for row in rows)
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


# A row of "Perlu perhatian" (templates/monitoring/dormant_list.html), built here for the same reason.
_DORMANT_ROW_HTML = (
    "<tr>"
    '<td><a href="{url}">{title}</a>'
    '<div class="small text-body-secondary">{register_number} · {stage}</div></td>'
    '<td class="small">{lead_opd}</td>'
    '<td class="small text-nowrap">{since}</td>'
    "</tr>"
)


def dormant_body(rows) -> SafeString:
    """The table rows of monitoring.selectors.DormantRow items (agreements read with LIST_COLUMNS)."""
    detail_url = detail_url_maker()
    months = short_months()
    html = "\n".join(
        _DORMANT_ROW_HTML.format(
            url=detail_url(row.agreement.pk),
            title=escape(row.agreement.title),
            register_number=escape(row.agreement.register_number),
            stage=escape(str(Stage(row.agreement.stage).label)),
            lead_opd=escape(row.agreement.lead_opd.name),
            since=short_date(row.since, months),
        )
        for row in rows
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


# One request of the DPRD's queue (templates/registry/dprd_queue.html), from a registry.dprd.QueueRow.
_QUEUE_ROW_HTML = (
    '<tr class="{colour}" data-testid="queue-row">'
    '<td><a href="{url}" class="fw-semibold">{title}</a>'
    '<div class="small text-body-secondary">{register_number} · {opd}{partners}</div></td>'
    '<td class="small text-nowrap">{request_number}</td>'
    '<td class="small text-nowrap">{received}</td>'
    '<td class="small text-nowrap">{waited}</td>'
    '<td class="small text-nowrap">{due}</td>'
    '<td class="text-nowrap" data-testid="remaining"><span class="badge text-bg-{badge}">{remaining}</span></td>'
    '<td class="small">{notes}</td>'
    "</tr>"
)


def long_date(day: date | None) -> str:
    """Django's "j F Y" (2 Desember 2026); nothing for no date, as the template filter prints."""
    return f"{day.day} {MONTHS[day.month]} {day.year}" if day else ""


def long_datetime(moment) -> str:
    """Django's "j F Y H.i" in the local time zone: 2 Desember 2026 09.30."""
    local = timezone.localtime(moment)
    return f"{long_date(local)} {local:%H.%M}"


def dprd_queue_rows(rows) -> SafeString:
    """The DPRD queue's table rows (registry.dprd.queue_rows)."""
    approval_url = url_maker("registry:dprd_detail")
    sent = escape(_("sent"))
    html = "\n".join(
        _QUEUE_ROW_HTML.format(
            colour="table-danger" if row.overdue else "table-warning" if row.due_soon else "",
            url=approval_url(row.approval.pk),
            title=escape(row.agreement.title),
            register_number=escape(row.agreement.register_number),
            opd=escape(row.agreement.lead_opd.abbreviation or row.agreement.lead_opd.name),
            partners=f" · {escape(row.partner_names)}" if row.partner_names else "",
            request_number=escape(row.approval.request_number or "—"),
            received=(
                f"{sent} {escape(long_date(row.approval.sent_on))}"
                if row.awaiting_receipt
                else escape(long_date(row.approval.received_on))
            ),
            waited=escape(row.waited_label),
            due=escape(long_date(row.approval.due_on)),
            badge=row.badge,
            remaining=escape(row.remaining_label),
            notes=row.approval.note_count,
        )
        for row in rows
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


# The agreement page's document table (templates/registry/agreement_detail.html), its timeline and
# the publication card's document rows: printed here for the same reason as the lists' rows, the
# page being the one every role opens most after the list.
_DOCUMENT_ROW_HTML = (
    "<tr>"
    '<td><a href="{url}">{doc_type}</a><div class="small text-body-secondary">{original_name}</div></td>'
    "<td>v{version}</td>"
    '<td class="small">{number}{partner_number}<br>{date}</td>'
    '<td class="small">{signed}</td>'
    '<td class="small font-monospace text-truncate">{sha256}</td>'
    "</tr>"
)
_TICK = {True: "✓", False: "✗"}


def _short_hash(sha256: str) -> str:
    """As Django's truncatechars:14 prints a SHA-256: its first 13 characters and an ellipsis."""
    return f"{sha256[:13]}…" if len(sha256) > 14 else sha256


def empty_row(columns: int, message: str) -> SafeString:
    """A table's one row saying there is nothing to list, across its `columns`."""
    return mark_safe(f'<tr><td colspan="{columns}" class="text-body-secondary">{escape(message)}</td></tr>')  # noqa: S308 (escaped)


def document_rows(documents) -> SafeString:
    """The document table's rows (registry.selectors.documents_of), or its one row saying there is none."""
    if not documents:
        return empty_row(5, _("No document filed yet."))
    document_url = url_maker("registry:document_download")
    draft = escape(_("draft"))
    html = "\n".join(
        _DOCUMENT_ROW_HTML.format(
            url=document_url(document.pk),
            doc_type=escape(document.get_doc_type_display()),
            original_name=escape(document.original_name),
            version=document.version,
            number=escape(document.number or "—"),
            partner_number=f" / {escape(document.partner_number)}" if document.partner_number else "",
            date=long_date(document.date),
            signed=(
                f"paraf {_TICK[bool(document.has_paraf)]} · meterai {_TICK[bool(document.has_materai)]}"
                f" · stempel {_TICK[bool(document.has_stempel)]}"
                if document.is_signed
                else draft
            ),
            sha256=escape(_short_hash(document.sha256)),
        )
        for document in documents
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


def timeline_items(transitions) -> SafeString:
    """The agreement page's timeline: one item per stage move (registry.selectors.timeline), oldest first."""
    document_url = url_maker("registry:document_download")
    system, effective = escape(_("system")), escape(_("effective"))
    items = []
    for transition in transitions:
        who = escape(str(transition.actor)) if transition.actor else system
        when = f" · {effective} {long_date(transition.effective_date)}" if transition.effective_date else ""
        note = f'<div class="small">{escape(transition.note)}</div>' if transition.note else ""
        document = (
            f'<div class="small"><a href="{document_url(transition.document.pk)}">'
            f"{escape(str(transition.document))}</a></div>"
            if transition.document
            else ""
        )
        items.append(
            f'<li><div class="fw-semibold">{escape(transition.get_to_stage_display())}</div>'
            f'<div class="small text-body-secondary">{long_datetime(transition.at)} · {who}{when}</div>'
            f"{note}{document}</li>"
        )
    return mark_safe("\n".join(items))  # noqa: S308 (every value is escaped above)


_PUBLICATION_ROW_HTML = (
    "<tr>"
    '<td>{document}<div class="text-body-secondary">{shown}</div></td>'
    '<td><form method="post" action="{action}" class="d-flex gap-1">{csrf_input}'
    '<label class="visually-hidden" for="public-{pk}">{label}</label>'
    '<select id="public-{pk}" name="public" class="form-select form-select-sm">{options}</select>'
    '<button type="submit" class="btn btn-sm btn-outline-secondary">{save}</button>'
    "</form></td>"
    "</tr>"
)


def publication_rows(documents, choices, csrf_input: str) -> SafeString:
    """The publication card's rows: each document, whether the public sees it, and its choice.
    `documents` holds (document, shown, choice) as registry.views.publication builds them;
    `csrf_input` is the form's hidden CSRF field, printed in each row's form."""
    action = url_maker("registry:document_publication")
    shown_label, hidden_label = escape(_("shown")), escape(_("hidden"))
    label, save = escape(_("On the public register")), escape(_("Save"))
    options = [(escape(value), escape(str(text))) for value, text in choices]
    html = "\n".join(
        _PUBLICATION_ROW_HTML.format(
            document=escape(str(document)),
            shown=shown_label if shown else hidden_label,
            action=action(document.pk),
            csrf_input=csrf_input,
            pk=document.pk,
            label=label,
            options="".join(
                f'<option value="{value}"{" selected" if value == escape(choice) else ""}>{text}</option>'
                for value, text in options
            ),
            save=save,
        )
        for document, shown, choice in documents
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


# One OPD of the OPD list (templates/registry/opd_list.html).
_OPD_ROW_HTML = (
    '<tr><td><a href="{url}">{name}</a></td><td>{abbreviation}</td><td class="text-end">{ppksd_count}</td></tr>'
)


def opd_rows(opds) -> SafeString:
    """The OPD list's rows (registry.selectors.opd_list, with their PPKSD counts), or the one row
    saying there is none."""
    opd_url = url_maker("registry:opd_detail")
    html = "\n".join(
        _OPD_ROW_HTML.format(
            url=opd_url(opd.pk),
            name=escape(opd.name),
            abbreviation=escape(opd.abbreviation),
            ppksd_count=opd.ppksd_count,
        )
        for opd in opds
    )
    if not html:
        return empty_row(3, _("No OPD to show."))
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


# One agreement of a partner's page (templates/registry/partner_detail.html).
_PARTNER_ROW_HTML = (
    "<tr>"
    '<td class="small">{register_number}</td>'
    '<td><a href="{url}">{title}</a></td>'
    '<td class="small" data-testid="stage">{stage}{end_reason}</td>'
    '<td><span class="badge text-bg-{status_badge}" data-testid="status">{status_label}</span></td>'
    "</tr>"
)


def partner_rows(rows: list[AgreementRow]) -> SafeString:
    """A partner's agreements (agreement_rows), or the one row saying there is none yet."""
    if not rows:
        return empty_row(4, _("No agreement with this partner yet."))
    html = "\n".join(_PARTNER_ROW_HTML.format_map(_cells(row)) for row in rows)
    return mark_safe(html)  # noqa: S308 (every value is escaped above)
