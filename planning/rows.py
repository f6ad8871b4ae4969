"""The proposal list's rows and a cycle's progress per OPD printed from Python, as registry/rows.py
does for the agreement list: the template engine spends several microseconds on each value of a
table's rows. Every value is escaped (html.escape, as Django's escape)."""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from registry.rows import url_maker

# One row of the table in templates/planning/proposal_list.html.
_PROPOSAL_ROW_HTML = (
    "<tr>"
    '<td class="text-nowrap small">{number}</td>'
    '<td><a href="{url}">{title}</a></td>'
    '<td class="small">{opd}</td>'
    '<td class="text-nowrap small">{kind}</td>'
    '<td><span class="badge text-bg-{badge}" data-testid="status">{status}</span>{rank}</td>'
    "<td>{year}</td>"
    "</tr>"
)


def proposal_rows(proposals) -> SafeString:
    """The table rows of proposals read by planning.selectors.proposal_list."""
    detail_url = url_maker("planning:proposal_detail")
    html = "\n".join(
        _PROPOSAL_ROW_HTML.format(
            number=escape(proposal.number),
            url=detail_url(proposal.pk),
            title=escape(proposal.title),
            opd=escape(str(proposal.opd)),
            kind=escape(proposal.kind.upper()),
            badge=proposal.badge,
            status=escape(str(proposal.get_status_display())),
            rank=f' <span class="small">#{proposal.rank}</span>' if proposal.rank else "",
            year=proposal.cycle.year,
        )
        for proposal in proposals
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)


# One row of the table of progress per OPD in templates/planning/cycle_detail.html.
_PROGRESS_ROW_HTML = (
    "<tr>"
    "<td>{opd}</td>"
    '<td class="text-end">{accounts}</td>'
    '<td class="text-end">{appointed}{short}</td>'
    '<td class="text-end">{potentials}</td>'
    '<td class="text-end">{submitted}</td>'
    '<td class="text-end">{prioritised}</td>'
    "</tr>"
)


def progress_rows(progress) -> SafeString:
    """The table rows of a cycle's progress per OPD (planning.selectors.cycle_progress)."""
    short = ' <span class="badge text-bg-warning" data-testid="short-of-ppksd">{}</span>'.format(escape(_("too few")))
    html = "\n".join(
        _PROGRESS_ROW_HTML.format(
            opd=escape(row.opd.name),
            accounts=row.ppksd_accounts,
            appointed=row.appointed,
            short=short if row.short_of_ppksd else "",
            potentials=row.potentials,
            submitted=row.submitted,
            prioritised=row.prioritised,
        )
        for row in progress
    )
    return mark_safe(html)  # noqa: S308 (every value is escaped above)
