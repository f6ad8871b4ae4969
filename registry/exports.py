"""CSV and XLSX exports of the agreement list, exactly as filtered."""

import csv

from django import forms
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kerjasama.spreadsheets import DATE, MONEY, SheetColumn, Spreadsheet

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


# Column widths and types of the XLSX export, in the order of HEADERS.
_XLSX_COLUMNS = {
    "register_number": (16, None),
    "title": (48, None),
    "kind": (24, None),
    "stage": (24, None),
    "status": (16, None),
    "lead_opd": (30, None),
    "partners": (40, None),
    "urusan": (28, None),
    "object": (60, None),
    "own_number": (22, None),
    "partner_number": (22, None),
    "start_date": (13, DATE),
    "end_date": (13, DATE),
    "value": (20, MONEY),
    "dprd_required": (12, None),
}


def describe_filters(form: forms.Form | None) -> list[tuple[str, str]]:
    """The filters of a list as a person reads them: label and chosen value(s)."""
    if form is None or not form.is_bound or not form.is_valid():
        return []
    described = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or isinstance(field.widget, forms.HiddenInput):
            continue
        choices = dict(getattr(field, "choices", []) or [])
        values = value if isinstance(value, list | tuple) or hasattr(value, "model") else [value]
        shown = []
        for item in values:
            if hasattr(item, "strftime"):
                shown.append(item.strftime("%d-%m-%Y"))
            elif isinstance(item, bool):
                shown.append(_("yes") if item else _("no"))
            else:
                shown.append(str(choices.get(item, item)))
        described.append((str(field.label or name), ", ".join(shown)))
    return described


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


def export_agreements(queryset, fmt: str, *, today, filters=None):
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
    book = Spreadsheet()
    book.filters_sheet(
        _("Filter"),
        [
            (_("Exported on"), timezone.localtime().strftime("%d-%m-%Y %H.%M")),
            *(filters or [(_("Filter"), _("none: every agreement you may see"))]),
        ],
    )
    columns = []
    for (key, label), width_kind in zip(HEADERS, (_XLSX_COLUMNS[key] for key, _label in HEADERS), strict=True):
        width, kind = width_kind
        columns.append(SheetColumn(label(), width=width, kind=kind or "text", wrap=key in ("title", "object")))
    sheet = book.sheet(_("Agreements"), columns)
    for agreement in queryset.iterator(chunk_size=2000):
        row = _row(agreement, today)
        row[11], row[12] = agreement.start_date, agreement.end_date
        sheet.append(row)
    return book.response(f"{filename}.xlsx")
