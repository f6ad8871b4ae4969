"""The periodic report to the Gubernur and the Menteri Dalam Negeri (docs/domain.md §7).

A yearly report (or one per semester) listing every KSD of the Pemda in the period with its
kind, partners, object, dates, stage, value and evaluation result, with a summary by kind.
It is printed by the document engine (PDF) and exported as a spreadsheet (XLSX) from the same
rows.
"""

from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kerjasama.formatting import long_date, rupiah
from kerjasama.pdf import pemda_letterhead, render_pdf
from kerjasama.spreadsheets import DATE, MONEY, NUMBER, SheetColumn, Spreadsheet
from registry import lifecycle
from registry.models import Kind, PemdaProfile, Stage

from . import selectors
from .models import Recommendation
from .services import ServiceError

TEMPLATE = "periodic_report.html"
# Longer lists are exported as a spreadsheet only: a PDF of thousands of rows helps nobody.
PDF_MAX_ROWS = 1000


class Part:
    YEAR = "year"
    FIRST = "1"
    SECOND = "2"
    CHOICES = (
        (YEAR, gettext_lazy("The whole year")),
        (FIRST, gettext_lazy("First semester (January to June)")),
        (SECOND, gettext_lazy("Second semester (July to December)")),
    )


@dataclass(frozen=True)
class Period:
    year: int
    part: str

    @property
    def start(self) -> date:
        return date(self.year, 7, 1) if self.part == Part.SECOND else date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.part == Part.FIRST else date(self.year, 12, 31)

    @property
    def printed(self) -> str:
        """ "SEMESTER I TAHUN 2026" or "TAHUN 2026"."""
        if self.part == Part.YEAR:
            return f"TAHUN {self.year}"
        return f"SEMESTER {'I' if self.part == Part.FIRST else 'II'} TAHUN {self.year}"

    @property
    def titled(self) -> str:
        """ "Semester II Tahun 2026" (never str.title(), which writes "Semester Ii")."""
        if self.part == Part.YEAR:
            return f"Tahun {self.year}"
        return f"Semester {'I' if self.part == Part.FIRST else 'II'} Tahun {self.year}"

    @property
    def slug(self) -> str:
        return str(self.year) if self.part == Part.YEAR else f"{self.year}-semester-{self.part}"


COLUMNS = (
    "No",
    "Nomor Register / Nomor Naskah",
    "Judul dan Objek",
    "Jenis",
    "Mitra",
    "OPD Pengampu",
    "Jangka Waktu",
    "Tahap",
    "Nilai (Rp)",
    "Hasil Evaluasi",
)
KIND_CODES = {Kind.KSDD: "KSDD", Kind.KSDPK: "KSDPK", Kind.KSDPL: "KSDPL", Kind.KSDLL: "KSDLL", Kind.SINERGI: "Sinergi"}


def _evaluation(agreement) -> str:
    evaluations = getattr(agreement, "final_evaluations", [])
    if not evaluations:
        return "Belum dievaluasi"
    latest = evaluations[0]
    average = f"{latest.average:.2f}".replace(".", ",")
    recommendation = Recommendation(latest.recommendation).label
    return f"{latest.year}: nilai {average} ({latest.rating.label}), rekomendasi {recommendation}"


def _term(agreement) -> str:
    if not agreement.start_date and not agreement.end_date:
        return "-"
    start = long_date(agreement.start_date) if agreement.start_date else "…"
    end = long_date(agreement.end_date) if agreement.end_date else "…"
    return f"{start} s.d. {end}"


def rows_for(period: Period) -> list[dict]:
    """The report's rows, every value already in its printed (Indonesian) form."""
    rows = []
    with translation.override("id"):
        for agreement in selectors.periodic_report_agreements(period.start, period.end):
            numbers = " / ".join(filter(None, [agreement.own_number, agreement.partner_number]))
            rows.append(
                {
                    "kind": agreement.kind,
                    "stage": agreement.stage,
                    "register": agreement.register_number + (f" ({numbers})" if numbers else ""),
                    "title": f"{agreement.title}. {agreement.object}".strip(),
                    "kind_label": KIND_CODES.get(agreement.kind, agreement.kind),
                    "partners": "; ".join(partner.name for partner in agreement.partners.all()),
                    "opd": agreement.lead_opd.name,
                    "term": _term(agreement),
                    "stage_label": str(Stage(agreement.stage).label),
                    "value": rupiah(agreement.value) if agreement.value is not None else "-",
                    "value_number": agreement.value,
                    "start_date": agreement.start_date,
                    "end_date": agreement.end_date,
                    "evaluation": _evaluation(agreement),
                }
            )
    return rows


def _group(stage: str) -> str:
    if stage in lifecycle.ACTIVE_STAGES:
        return "running"
    if stage == Stage.BERAKHIR:
        return "ended"
    return "preparing"


def summary(rows: list[dict]) -> list[list[str]]:
    """Per kind: how many, and how many in preparation, running and ended."""
    table = []
    totals = {"all": 0, "preparing": 0, "running": 0, "ended": 0}
    for kind in Kind:
        counts = {"all": 0, "preparing": 0, "running": 0, "ended": 0}
        for row in rows:
            if row["kind"] == kind:
                counts["all"] += 1
                counts[_group(row["stage"])] += 1
        for key, value in counts.items():
            totals[key] += value
        table.append([KIND_CODES[kind], *(str(counts[key]) for key in ("preparing", "running", "ended", "all"))])
    table.append(["Jumlah", *(str(totals[key]) for key in ("preparing", "running", "ended", "all"))])
    return table


SUMMARY_COLUMNS = ("Jenis Kerja Sama", "Persiapan", "Berjalan", "Berakhir", "Jumlah")


def context(period: Period, today: date) -> dict:
    profile = PemdaProfile.current()
    if profile is None:
        raise ServiceError(_("Fill in the Pemda profile first: it is printed on every letterhead."))
    rows = rows_for(period)
    if len(rows) > PDF_MAX_ROWS:
        raise ServiceError(
            _("The period has %(count)s agreements, too many to print; download the spreadsheet instead.")
            % {"count": len(rows)}
        )
    letterhead = pemda_letterhead(profile, unit="Sekretariat Daerah")
    regency = profile.regency
    return {
        "letterhead": dict(letterhead),
        "document_title": f"Laporan Penyelenggaraan Kerja Sama Daerah {regency.name} {period.titled}",
        "regency": regency.name,
        "regency_upper": regency.name.upper(),
        "period": period.printed,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "recipients": [f"Gubernur {regency.province.name}", "Menteri Dalam Negeri Republik Indonesia"],
        "place": letterhead["capital"],
        "date": today.isoformat(),
        "signature": {
            "title": f"{letterhead['head_title']},",
            "position": "",
            "name": letterhead["head_name"].upper(),
            "rank": "",
            "nip": "",
        },
        "summary": {"title": "", "columns": list(SUMMARY_COLUMNS), "rows": summary(rows)},
        "table": {
            "title": "",
            "columns": list(COLUMNS),
            "rows": [
                [
                    str(number),
                    row["register"],
                    row["title"],
                    row["kind_label"],
                    row["partners"],
                    row["opd"],
                    row["term"],
                    row["stage_label"],
                    row["value"],
                    row["evaluation"],
                ]
                for number, row in enumerate(rows, start=1)
            ],
        },
        "count": len(rows),
    }


def pdf(period: Period, today: date) -> bytes:
    return render_pdf(TEMPLATE, context(period, today), paper="A4")


def filename(period: Period, extension: str) -> str:
    return f"laporan-kerja-sama-{period.slug}.{extension}"


def xlsx(period: Period) -> HttpResponse:
    rows = rows_for(period)
    book = Spreadsheet()
    book.filters_sheet(
        "Keterangan",
        [
            ("Laporan", f"Laporan Penyelenggaraan Kerja Sama Daerah {period.titled}"),
            ("Periode", f"{period.start:%d-%m-%Y} s.d. {period.end:%d-%m-%Y}"),
            ("Jumlah kerja sama", len(rows)),
        ],
    )
    detail = book.sheet(
        "Rincian",
        [
            SheetColumn("No", width=5, kind=NUMBER),
            SheetColumn("Nomor Register / Nomor Naskah", width=28),
            SheetColumn("Judul dan Objek", width=60, wrap=True),
            SheetColumn("Jenis", width=10),
            SheetColumn("Mitra", width=40, wrap=True),
            SheetColumn("OPD Pengampu", width=30),
            SheetColumn("Tanggal Mulai", width=14, kind=DATE),
            SheetColumn("Tanggal Berakhir", width=14, kind=DATE),
            SheetColumn("Tahap", width=24),
            SheetColumn("Nilai (Rp)", width=20, kind=MONEY),
            SheetColumn("Hasil Evaluasi", width=50, wrap=True),
        ],
    )
    for number, row in enumerate(rows, start=1):
        detail.append(
            [
                number,
                row["register"],
                row["title"],
                row["kind_label"],
                row["partners"],
                row["opd"],
                row["start_date"],
                row["end_date"],
                row["stage_label"],
                row["value_number"],
                row["evaluation"],
            ]
        )
    totals = book.sheet(
        "Rekapitulasi",
        [SheetColumn(title, width=18, kind=NUMBER if i else "text") for i, title in enumerate(SUMMARY_COLUMNS)],
    )
    for line in summary(rows):
        totals.append([line[0], *(int(value) for value in line[1:])])
    return book.response(filename(period, "xlsx"))
