"""The periodic report to the Gubernur and the Menteri Dalam Negeri (docs/domain.md §7).

A yearly report (or one per semester) listing every KSD of the Pemda in the period with its
kind, partners, object, dates, stage, value and evaluation result, with a summary by kind.
It is a letter of the Bupati: drafted here as an official document of the Bupati's letter series
(registry.official), issued with its number, signed, and sent with the summary and the list as
its lampiran; the same rows are exported as a spreadsheet (XLSX).
"""

from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kerjasama.formatting import long_date, number_in_words, rupiah
from kerjasama.spreadsheets import DATE, MONEY, NUMBER, SheetColumn, Spreadsheet
from registry import lifecycle, official
from registry.models import DocumentKind, Kind, OfficialDocument, PemdaProfile, Stage
from registry.official.pdf import head_title

from . import selectors
from .models import Recommendation
from .services import ServiceError

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


#: The Bupati's letters on regional cooperation, which the request to the DPRD shares.
LETTER_SERIES = "surat-kerja-sama"
TITLE_PREFIX = "Laporan penyelenggaraan kerja sama daerah"


def letter_data(period: Period, profile: PemdaProfile) -> dict:
    """The fields of the Bupati's letter (registry.official.documents.Surat) that sends the report: the
    figures in its body, the summary by kind and the list of every agreement in its lampiran."""
    rows = rows_for(period)
    if len(rows) > PDF_MAX_ROWS:
        raise ServiceError(
            _("The period has %(count)s agreements, too many to print; download the spreadsheet instead.")
            % {"count": len(rows)}
        )
    regency = profile.regency
    head = head_title(profile)
    by_kind = summary(rows)
    preparing, running, ended, count = (int(value) for value in by_kind[-1][1:])
    body = [
        "Dalam rangka pembinaan dan pengawasan penyelenggaraan kerja sama daerah sebagaimana diatur dalam "
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah dan Peraturan Pemerintah Nomor 28 Tahun "
        f"2018 tentang Kerja Sama Daerah, bersama ini kami sampaikan laporan penyelenggaraan kerja sama daerah "
        f"Pemerintah {regency.name} {period.titled}, untuk periode {long_date(period.start)} sampai dengan "
        f"{long_date(period.end)}.",
        f"Dalam periode tersebut tercatat {count} ({number_in_words(count)}) kerja sama daerah, yang terdiri atas "
        f"{preparing} ({number_in_words(preparing)}) kerja sama dalam tahap persiapan, {running} "
        f"({number_in_words(running)}) kerja sama yang sedang berjalan, dan {ended} ({number_in_words(ended)}) "
        "kerja sama yang telah berakhir.",
        "Rekapitulasi menurut jenis kerja sama dan rincian setiap kerja sama, meliputi jenis, mitra, objek, jangka "
        "waktu, tahap, nilai dan hasil evaluasinya, tercantum dalam Lampiran yang merupakan bagian tidak "
        "terpisahkan dari surat ini.",
        "Demikian laporan ini kami sampaikan. Atas perhatian Bapak, kami ucapkan terima kasih.",
    ]
    return {
        "subject": f"Laporan Penyelenggaraan Kerja Sama Daerah {period.titled}",
        "recipient": f"Gubernur {regency.province.name}",
        "recipient_place": regency.province.name,
        "body": body,
        "signature": {"title": f"{head},", "name": profile.head_name},
        "nature": "Biasa",
        "attachment": "1 (satu) berkas",
        "tembusan": ["Menteri Dalam Negeri Republik Indonesia;", f"Sekretaris Daerah {regency.name}."],
        "kop": "head",
        "lampiran": {
            "office": head,
            "title": [
                "LAPORAN PENYELENGGARAAN KERJA SAMA DAERAH",
                f"PEMERINTAH {regency.name.upper()}",
                period.printed,
            ],
            "landscape": True,
            "tables": [
                {
                    "title": "A. Rekapitulasi Menurut Jenis Kerja Sama",
                    "columns": list(SUMMARY_COLUMNS),
                    "rows": by_kind,
                },
                {
                    "title": "B. Daftar Kerja Sama Daerah",
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
            ],
        },
    }


def draft_letter(period: Period, *, actor) -> OfficialDocument:
    """Draft the Bupati's letter sending the report for `period`, to be issued, signed and sent like
    any official letter. Raises PermissionDenied or ServiceError (no Pemda profile, too many rows)."""
    profile = PemdaProfile.current()
    if profile is None:
        raise ServiceError(_("Fill in the Pemda profile first: it is printed on every letterhead."))
    return official.create_draft(
        actor=actor,
        kind=DocumentKind.SURAT,
        series=official.series_for(LETTER_SERIES),
        title=f"{TITLE_PREFIX} {period.titled}",
        data=letter_data(period, profile),
    )


def letters():
    """The report letters drafted so far, newest first."""
    return OfficialDocument.objects.filter(kind=DocumentKind.SURAT, title__startswith=TITLE_PREFIX).order_by(
        "-created_at"
    )


def filename(period: Period, extension: str) -> str:
    return f"laporan-kerja-sama-{period.slug}.{extension}"


def xlsx(period: Period) -> HttpResponse:
    rows = rows_for(period)
    book = Spreadsheet()
    book.filters_sheet(
        "Keterangan",
        [
            ("Laporan", f"Laporan Penyelenggaraan Kerja Sama Daerah {period.titled}"),
            ("Awal periode", period.start),
            ("Akhir periode", period.end),
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
