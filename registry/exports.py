"""CSV and XLSX exports of the agreement list, exactly as filtered."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .status import status_of

HEADERS = (
    ("register_number", lambda: _("Register number")),
    ("title", lambda: _("Title")),
    ("kind", lambda: _("Kind")),
    ("stage", lambda: _("Stage")),
    ("status", lambda: _("Status")),
    ("lead_opd", lambda: _("Lead OPD")),
    ("partners", lambda: _("Partners")),
    ("urusan", lambda: _("Urusan")),
    ("object", lambda: _("Object")),
    ("own_number", lambda: _("Our number")),
    ("partner_number", lambda: _("Partner's number")),
    ("start_date", lambda: _("Start date")),
    ("end_date", lambda: _("End date")),
    ("value", lambda: _("Value (Rp)")),
    ("dprd_required", lambda: _("DPRD approval required")),
)


def _row(agreement, today) -> list:
    return [
        agreement.register_number,
        agreement.title,
        agreement.get_kind_display(),
        agreement.get_stage_display(),
        str(status_of(agreement, today).label),
        agreement.lead_opd.name,
        "; ".join(partner.name for partner in agreement.partners.all()),
        str(agreement.urusan),
        agreement.object,
        agreement.own_number,
        agreement.partner_number,
        agreement.start_date.isoformat() if agreement.start_date else "",
        agreement.end_date.isoformat() if agreement.end_date else "",
        agreement.value if agreement.value is not None else "",
        _("yes") if agreement.dprd_required else _("no"),
    ]


def _safe_cell(value):
    """Spreadsheet formula injection: a cell starting with = + - @ is read as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def _rows(queryset, today, chunk_size=2000):
    for agreement in queryset.iterator(chunk_size=chunk_size):
        yield [_safe_cell(value) for value in _row(agreement, today)]


def export_agreements(queryset, fmt: str, *, today):
    headers = [label() for _key, label in HEADERS]
    filename = f"kerja-sama-{today.isoformat()}"
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            # A byte-order mark makes Excel open the UTF-8 file correctly.
            yield "\ufeff" + writer.writerow(headers)
            for row in _rows(queryset, today):
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Agreements"))
    sheet.append(headers)
    for row in _rows(queryset, today):
        sheet.append(row)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    workbook.save(response)
    return response
