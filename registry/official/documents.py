"""The official documents the app prints, as typed values (docs/domain.md §8).

Callers (planning, DPRD, monitoring) build a ``Keputusan``, ``BeritaAcara`` or ``Surat`` and either
render it at once::

    pdf = render_document(keputusan, paper="F4", draft=True)

or keep ``document_context(doc)`` as the snapshot of an issued document (it is JSON-serialisable:
dates become ISO strings) and later call ``render_pdf(doc.template_name, snapshot)`` to print exactly
the same text again. The dataclasses check what a template cannot: table rows that match their
columns, a QR image that is an inline image and not a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from .pdf import Letterhead, Paper, render_pdf

__all__ = [
    "Attendee",
    "BeritaAcara",
    "DecreeAttachment",
    "Document",
    "Keputusan",
    "Meeting",
    "Signature",
    "Surat",
    "Table",
    "Verification",
    "berita_acara_context",
    "document_context",
    "keputusan_context",
    "render_document",
    "surat_context",
]

# Only inline images may carry the QR code: a URL here would be fetched (and refused) at render time.
QR_PREFIXES = ("data:image/svg+xml", "data:image/png")


@dataclass(frozen=True)
class Signature:
    """A signature block: "Sekretaris Daerah," / space / name / rank / "NIP …".

    ``title`` ends with a comma as printed ("BUPATI SLEMAN,"); ``position`` is an optional second
    line ("Sekretaris Daerah" under "Ketua TKKSD,"). Officials below the kepala daerah sign with NIP.
    """

    title: str
    name: str
    position: str = ""
    rank: str = ""  # pangkat/golongan, e.g. "Pembina Utama Madya (IV/d)"
    nip: str = ""
    uppercase_name: bool = False  # a Keputusan prints the name in capitals

    def context(self) -> dict[str, str]:
        return {
            "title": self.title,
            "position": self.position,
            "name": self.name.upper() if self.uppercase_name else self.name,
            "rank": self.rank,
            "nip": self.nip,
        }


@dataclass(frozen=True)
class Table:
    """A table printed in a lampiran: a header row repeated on every page, then rows of text.

    Cells are already formatted strings (use ``formatting.rupiah`` for money). Raises ValueError when
    a row does not have one cell per column.
    """

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    title: str = ""

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a table needs at least one column")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"row {number} has {len(row)} cells for {len(self.columns)} columns")

    def context(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "columns": [str(column) for column in self.columns],
            "rows": [[str(cell) for cell in row] for row in self.rows],
        }


@dataclass(frozen=True)
class Verification:
    """The QR verification block printed at the foot of every page.

    ``qr_svg_data_uri`` is an inline image (``data:image/svg+xml…`` or ``data:image/png…``) made by
    the caller, e.g. with segno; ``code`` is the short verification code ("ABCD-1234"); ``url`` the
    address where the document can be checked. Raises ValueError for a QR image that is not inline.
    """

    code: str
    url: str
    qr_svg_data_uri: str = ""
    # The printed width of the QR image, quiet zone included (0: the stylesheet's default).
    qr_size_mm: float = 0.0

    def __post_init__(self) -> None:
        if self.qr_svg_data_uri and not self.qr_svg_data_uri.startswith(QR_PREFIXES):
            raise ValueError("the QR image must be a data:image/svg+xml or data:image/png URI")

    def context(self) -> dict[str, str]:
        context = {"qr_svg_data_uri": self.qr_svg_data_uri, "code": self.code, "url": self.url}
        if self.qr_size_mm:
            context["qr_size_mm"] = f"{self.qr_size_mm:.2f}"
        return context


def _verification(value: Verification | None) -> dict[str, str] | None:
    return value.context() if value else None


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# Keputusan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecreeAttachment:
    """The lampiran of a Keputusan: a page headed "LAMPIRAN / KEPUTUSAN … / NOMOR / TANGGAL / TENTANG".

    ``heading`` is printed centred above the table ("RENCANA KERJA SAMA DAERAH … TAHUN 2027");
    ``title`` is the "TENTANG" line and defaults to the decree's title. ``landscape`` turns the
    lampiran pages sideways for wide tables.
    """

    table: Table
    heading: str = ""
    title: str = ""
    landscape: bool = False


@dataclass(frozen=True)
class Keputusan:
    """A Keputusan Bupati (domain-sources.md §8.3).

    ``number`` is None until the Bagian Hukum register assigns one, ``date`` None until it is set;
    both print as dotted blanks. ``diktum`` holds the text of KESATU, KEDUA, … in order; the last one
    is customarily "Keputusan Bupati ini mulai berlaku pada tanggal ditetapkan.". ``place`` defaults
    to the seat of government, the signer to the kepala daerah of the letterhead.
    """

    template_name: ClassVar[str] = "keputusan.html"

    letterhead: Letterhead
    title: str
    menimbang: Sequence[str]
    mengingat: Sequence[str]
    diktum: Sequence[str]
    number: str | None = None
    date: dt.date | None = None
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""
    tembusan: Sequence[str] = ()
    lampiran: DecreeAttachment | None = None
    salinan: bool = False  # a circulated copy, labelled "SALINAN"
    verification: Verification | None = None

    def __post_init__(self) -> None:
        if not self.diktum:
            raise ValueError("a Keputusan needs at least one diktum")


def keputusan_context(doc: Keputusan) -> dict[str, Any]:
    """The template context of ``keputusan.html`` for ``doc`` (see the comment atop the template)."""
    head = doc.letterhead
    title = doc.signer_title or f"{head['head_title']},"
    if doc.signer_name:
        signature = Signature(title=title, name=doc.signer_name, uppercase_name=True).context()
    else:
        # The Pemda's own printed form of the name (titles as it chooses), not an upper-cased one.
        name = head.get("head_decree_name") or head["head_name"].upper()
        signature = Signature(title=title, name=name).context()
    lampiran = None
    if doc.lampiran is not None:
        lampiran = {
            "table": doc.lampiran.table.context(),
            "heading": doc.lampiran.heading,
            "title": doc.lampiran.title or doc.title,
            "landscape": doc.lampiran.landscape,
        }
    number = doc.number or ""
    return {
        "letterhead": dict(head),
        "document_title": " ".join(
            filter(None, [f"KEPUTUSAN {head['head_title']}", f"NOMOR {number}" if number else "", "TENTANG", doc.title])
        ),
        "number": number,
        "title": doc.title,
        "menimbang": list(doc.menimbang),
        "mengingat": list(doc.mengingat),
        "diktum": list(doc.diktum),
        "place": doc.place or head["capital"],
        "date": _iso(doc.date),
        "signature": signature,
        "tembusan": list(doc.tembusan),
        "lampiran": lampiran,
        "salinan": doc.salinan,
        "verification": _verification(doc.verification),
    }


# Berita Acara ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """The pieces of the opening paragraph of a Berita Acara.

    Printed as: "Pada hari ini <date in words> (<dd-mm-yyyy>), pukul <start> <zone>, bertempat di
    <place>, <purpose> yang dipimpin oleh <chair> dan <attended_by>, dengan agenda:". ``start`` is a
    local time in the letterhead's time zone.
    """

    date: dt.date
    start: dt.time
    place: str  # "Ruang Rapat Sekretariat Daerah Kabupaten Sleman"
    chair: str  # "Sekretaris Daerah selaku Ketua TKKSD"
    purpose: str  # "telah dilaksanakan Rapat Pleno Tim Koordinasi Kerja Sama Daerah Kabupaten Sleman"
    attended_by: str = "dihadiri oleh anggota TKKSD sebagaimana daftar hadir terlampir"


@dataclass(frozen=True)
class Attendee:
    """A line of the daftar hadir."""

    name: str
    position: str  # jabatan/instansi


@dataclass(frozen=True)
class BeritaAcara:
    """A Berita Acara of a TKKSD meeting (domain-sources.md §8.4).

    ``secretary`` signs on the left (Sekretaris TKKSD), ``chair`` on the right (Ketua TKKSD). The
    daftar hadir follows on a lampiran page when ``attendees`` is given, then each of ``tables``
    (e.g. the proposals and their assessment).
    """

    template_name: ClassVar[str] = "berita_acara.html"

    letterhead: Letterhead
    subtitle: str  # "RAPAT PLENO TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN SLEMAN"
    meeting: Meeting
    agenda: Sequence[str]
    decisions: Sequence[str]
    secretary: Signature
    chair: Signature
    number: str | None = None
    resolution: Literal["menyepakati", "memutuskan"] = "menyepakati"
    follow_up: Sequence[str] = ()
    attendees: Sequence[Attendee] = ()
    tables: Sequence[Table] = ()
    verification: Verification | None = None
    title: str = "BERITA ACARA"

    def __post_init__(self) -> None:
        if not self.decisions:
            raise ValueError("a Berita Acara records at least one decision")


def berita_acara_context(doc: BeritaAcara) -> dict[str, Any]:
    """The template context of ``berita_acara.html`` for ``doc`` (see the comment atop the template)."""
    meeting = doc.meeting
    number = doc.number or ""
    return {
        "letterhead": dict(doc.letterhead),
        "document_title": " ".join(filter(None, [doc.title, doc.subtitle, f"NOMOR {number}" if number else ""])),
        "title": doc.title,
        "subtitle": doc.subtitle,
        "number": number,
        "meeting": {
            "date": meeting.date.isoformat(),
            "start": meeting.start.strftime("%H:%M"),
            "place": meeting.place,
            "chair": meeting.chair,
            "purpose": meeting.purpose,
            "attended_by": meeting.attended_by,
        },
        "agenda": list(doc.agenda),
        "resolution": doc.resolution,
        "decisions": list(doc.decisions),
        "follow_up": list(doc.follow_up),
        "left_signature": doc.secretary.context(),
        "right_signature": doc.chair.context(),
        "attendees": [{"name": person.name, "position": person.position} for person in doc.attendees],
        "tables": [table.context() for table in doc.tables],
        "verification": _verification(doc.verification),
    }


# Surat dinas -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterSection:
    heading: str  # "Latar Belakang"
    paragraphs: Sequence[str]


@dataclass(frozen=True)
class LetterAttachment:
    """The lampiran of a letter: a page headed "LAMPIRAN / SURAT <office> / NOMOR / TANGGAL / HAL", its
    title in capitals (one line each), then lettered sections (A. Latar Belakang …); it closes with the
    signatory's office and name only, the place and date being the letter's own."""

    office: str  # "BUPATI SLEMAN"
    title: Sequence[str]
    sections: Sequence[LetterSection] = ()
    tables: Sequence[Table] = ()  # after the sections
    landscape: bool = False  # the lampiran pages turned sideways, for wide tables


@dataclass(frozen=True)
class Surat:
    """A surat dinas (official letter), e.g. the request for DPRD approval.

    ``kop`` "pemda" prints the Pemda letterhead with logo and ``letterhead['unit']``; "head" prints the
    kepala daerah's heading ("BUPATI SLEMAN / PROVINSI …"), used when the Bupati signs. The addressee
    prints as "Yth. <recipient>" / "di <recipient_place>". ``body`` is a list of paragraphs.
    """

    template_name: ClassVar[str] = "surat.html"

    letterhead: Letterhead
    subject: str  # "Hal"
    recipient: str  # "Ketua DPRD Kabupaten Sleman"
    recipient_place: str  # "Sleman"
    body: Sequence[str]
    signature: Signature
    number: str | None = None
    date: dt.date | None = None
    place: str = ""
    nature: str = "Biasa"  # "Sifat": Biasa, Segera, Penting, Rahasia
    attachment: str = "-"  # "Lampiran": "1 (satu) berkas"
    tembusan: Sequence[str] = ()
    kop: Literal["pemda", "head"] = "pemda"
    verification: Verification | None = None
    lampiran: LetterAttachment | None = None


def surat_context(doc: Surat) -> dict[str, Any]:
    """The template context of ``surat.html`` for ``doc`` (see the comment atop the template)."""
    number = doc.number or ""
    return {
        "letterhead": dict(doc.letterhead),
        "document_title": " ".join(filter(None, [f"Surat Nomor {number}" if number else "Surat", doc.subject])),
        "kop": doc.kop,
        "number": number,
        "date": _iso(doc.date),
        "place": doc.place or doc.letterhead["capital"],
        "nature": doc.nature,
        "attachment": doc.attachment,
        "subject": doc.subject,
        "recipient": doc.recipient,
        "recipient_place": doc.recipient_place,
        "body": list(doc.body),
        "signature": doc.signature.context(),
        "tembusan": list(doc.tembusan),
        "verification": _verification(doc.verification),
        "lampiran": {
            "office": doc.lampiran.office,
            "title": list(doc.lampiran.title),
            "sections": [
                {"letter": _section_letter(index), "heading": section.heading, "paragraphs": list(section.paragraphs)}
                for index, section in enumerate(doc.lampiran.sections)
            ],
            "tables": [table.context() for table in doc.lampiran.tables],
            "landscape": doc.lampiran.landscape,
        }
        if doc.lampiran
        else None,
    }


def _section_letter(index: int) -> str:
    """A, B, … Z, then AA, AB …: the letters numbering a lampiran's sections."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# Any document ------------------------------------------------------------------------------------------

#: Any printable document.
type Document = Keputusan | BeritaAcara | Surat


def document_context(doc: Document) -> dict[str, Any]:
    """The JSON-serialisable template context of any document: the snapshot to store when issuing."""
    if isinstance(doc, Keputusan):
        return keputusan_context(doc)
    if isinstance(doc, BeritaAcara):
        return berita_acara_context(doc)
    if isinstance(doc, Surat):
        return surat_context(doc)
    raise TypeError(f"not a document: {type(doc).__name__}")


def render_document(doc: Document, *, paper: Paper = "A4", draft: bool = False) -> bytes:
    """Render ``doc`` to PDF/A-3b bytes (see ``registry.official.pdf.render_pdf``)."""
    return render_pdf(doc.template_name, document_context(doc), paper=paper, draft=draft)
