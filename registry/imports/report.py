"""The error report of an import: every row that cannot be imported, as the sheet had it, with
the reason beside it, to be corrected and imported again."""

from django.utils.translation import gettext as _

from kerjasama.spreadsheets import SheetColumn, Spreadsheet
from registry.models import ImportJob, ImportRow


def error_report(job: ImportJob) -> bytes:
    width = max(len(job.headers), *(len(row.cells) for row in job.rows.filter(outcome=ImportRow.Outcome.ERROR)), 0)
    headers = [
        job.headers[i] if i < len(job.headers) and job.headers[i] else _("Column %(n)s") % {"n": i + 1}
        for i in range(width)
    ]
    sheet_columns = [
        SheetColumn(_("Row"), width=8),
        *(SheetColumn(header, width=24) for header in headers),
        SheetColumn(_("Reason"), width=80, wrap=True),
    ]
    book = Spreadsheet()
    sheet = book.sheet(_("Errors"), sheet_columns)
    for row in job.rows.filter(outcome=ImportRow.Outcome.ERROR).order_by("number").iterator(chunk_size=2000):
        reasons = "; ".join(
            f"{error['column']}: “{error['value']}” — {error['reason']}"
            if error["value"]
            else f"{error['column']}: {error['reason']}"
            for error in row.errors
            if not error.get("warning")
        )
        cells = list(row.cells) + [""] * (width - len(row.cells))
        sheet.append([row.number, *cells[:width], reasons])
    book.filters_sheet(
        _("About"),
        [
            (_("File"), job.original_name),
            (_("SHA-256"), job.sha256),
            (_("Sheet"), job.sheet or "—"),
            (_("Rows with errors"), job.error_count),
        ],
    )
    return book.to_bytes()
