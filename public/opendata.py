"""Open data of the public register: one table as CSV and JSON, described by a Frictionless
Data Package (Table Schema), so that a province or the Ministry can gather the files of many
regencies without reading any page.

Every row is identified by the agreement's register number ("KS-2026-00012"), given once and
never changed or reused, and by its address on the public register; `pemda_kode` names the
publishing regency by its Kemendagri code.
"""

import csv
import io
import itertools
import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kerjasama import jobs
from registry import publication
from registry.models import AgreementPartner, Kind, OpenDataLicence, PemdaProfile, Stage

LICENCE_URLS = {
    OpenDataLicence.CC_BY_4_0: "https://creativecommons.org/licenses/by/4.0/",
    OpenDataLicence.CC_BY_SA_4_0: "https://creativecommons.org/licenses/by-sa/4.0/",
    OpenDataLicence.CC0_1_0: "https://creativecommons.org/publicdomain/zero/1.0/",
    OpenDataLicence.ODBL_1_0: "https://opendatacommons.org/licenses/odbl/1-0/",
}
# (name, type, format, description): the Table Schema of the files, in column order.
FIELDS = [
    ("id", "string", "default", "Nomor register kerja sama; tetap, tidak pernah berubah atau dipakai ulang."),
    ("uri", "string", "uri", "Alamat kerja sama pada register publik."),
    ("pemda_kode", "string", "default", "Kode Kemendagri pemerintah daerah yang menerbitkan data."),
    ("pemda_nama", "string", "default", "Nama pemerintah daerah yang menerbitkan data."),
    ("judul", "string", "default", "Judul kerja sama."),
    ("jenis", "string", "default", "Kode jenis kerja sama: ksdd, ksdpk, ksdpl, ksdll atau sinergi."),
    ("jenis_nama", "string", "default", "Nama jenis kerja sama."),
    ("mitra", "string", "default", "Nama mitra, dipisahkan titik koma."),
    ("mitra_kode_wilayah", "string", "default", "Kode Kemendagri mitra yang berupa daerah, dipisahkan titik koma."),
    ("opd_pengampu", "string", "default", "Perangkat daerah pengampu."),
    ("opd_kode", "string", "default", "Kode perangkat daerah pengampu, bila ada."),
    ("objek", "string", "default", "Objek kerja sama."),
    ("urusan_kode", "string", "default", "Kode urusan pemerintahan (Permendagri 90/2019)."),
    ("urusan_nama", "string", "default", "Nama urusan pemerintahan (UU 23/2014 Pasal 12)."),
    ("tanggal_mulai", "date", "default", "Tanggal mulai berlaku."),
    ("tanggal_berakhir", "date", "default", "Tanggal berakhir."),
    ("status", "string", "default", "berjalan atau berakhir."),
    ("dokumen", "string", "default", "Alamat dokumen publik kerja sama, dipisahkan spasi."),
]
FIELD_NAMES = [name for name, _type, _format, _description in FIELDS]
STATUS_VALUES = ["berjalan", "berakhir"]


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# The agreement's columns a row is made of, read as values: model instances and a prefetch of
# their partners cost a worker tens of megabytes more at a hundred thousand agreements.
_COLUMNS = (
    "pk",
    "register_number",
    "title",
    "kind",
    "object",
    "stage",
    "start_date",
    "end_date",
    "lead_opd__name",
    "lead_opd__code",
    "urusan__code",
    "urusan__name",
)
_BATCH = 2000


def _partners_of(agreement_ids) -> dict[int, list[tuple]]:
    """Each agreement's partners (name, kind, regency, province), by name."""
    partners: dict[int, list[tuple]] = {}
    for agreement_id, *partner in AgreementPartner.objects.filter(agreement_id__in=agreement_ids).values_list(
        "agreement_id", "partner__name", "partner__kind", "partner__regency_id", "partner__province_id"
    ):
        partners.setdefault(agreement_id, []).append(tuple(partner))
    for linked in partners.values():
        linked.sort(key=lambda partner: partner[0])
    return partners


def rows():
    """The rows of the open data, one per public agreement, oldest register number first."""
    profile = PemdaProfile.current()
    pemda_code = profile.regency_id if profile else ""
    pemda_name = profile.government_name if profile else ""
    agreements = publication.public_agreements().order_by("register_number")
    documents: dict[int, list[str]] = {}
    for pk, agreement_id in (
        publication.public_documents(agreements)
        .order_by("agreement_id", "doc_type", "-version")
        .values_list("pk", "agreement_id")
    ):
        documents.setdefault(agreement_id, []).append(_absolute(reverse("public:document", args=[pk])))
    kind_names = {kind: str(label) for kind, label in Kind.choices}
    values = agreements.values_list(*_COLUMNS, named=True).iterator(chunk_size=_BATCH)
    for batch in itertools.batched(values, _BATCH):
        partners = _partners_of([agreement.pk for agreement in batch])
        for agreement in batch:
            linked = partners.get(agreement.pk, [])
            yield {
                "id": agreement.register_number,
                "uri": _absolute(reverse("public:agreement_detail", args=[agreement.register_number])),
                "pemda_kode": pemda_code,
                "pemda_nama": pemda_name,
                "judul": agreement.title,
                "jenis": agreement.kind,
                "jenis_nama": kind_names[agreement.kind],
                "mitra": "; ".join(name for name, _kind, _regency, _province in linked),
                "mitra_kode_wilayah": "; ".join(
                    regency or province for _name, kind, regency, province in linked if kind == "region"
                ),
                "opd_pengampu": agreement.lead_opd__name,
                "opd_kode": agreement.lead_opd__code,
                "objek": agreement.object,
                "urusan_kode": agreement.urusan__code,
                "urusan_nama": capfirst(agreement.urusan__name),
                "tanggal_mulai": agreement.start_date.isoformat() if agreement.start_date else None,
                "tanggal_berakhir": agreement.end_date.isoformat() if agreement.end_date else None,
                "status": "berakhir" if agreement.stage == Stage.BERAKHIR else "berjalan",
                "dokumen": " ".join(documents.get(agreement.pk, [])),
            }


def csv_chunks() -> Iterator[str]:
    """The CSV file, a row at a time."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELD_NAMES, lineterminator="\r\n")
    writer.writeheader()
    for row in rows():
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_chunks() -> Iterator[str]:
    """The JSON file, a row at a time: the text of json.dumps(list(rows()), indent=1)."""
    first = True
    for row in rows():
        # A JSON text holds no raw line break (strings escape theirs): each line of the row is
        # indented one step further, as the list's element.
        item = json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n ")
        yield ("[\n " if first else ",\n ") + item
        first = False
    yield "[]" if first else "\n]"


FILES = {"csv": csv_chunks, "json": json_chunks}


# After this many PUBLIC_CACHE_SECONDS without a newer file, a download writes one itself.
STALE_AFTER = 6


def open_published(kind: str) -> BinaryIO:
    """The open data file of `kind` ("csv" or "json") to serve, opened for reading: the newest in
    OPEN_DATA_DIR.

    The files are written a row at a time (`publish`) and served from disk: at a hundred thousand
    agreements a file is tens of megabytes, which a worker would otherwise hold in memory, and at a
    million writing it takes longer than a request may. So a download never waits for one to be
    written but the first ever (an empty directory): a file older than PUBLIC_CACHE_SECONDS is
    still served while the Celery worker writes the next one (`request_refresh`). One older than
    STALE_AFTER periods is written again here, as a worker that does not keep it fresh (it is
    down, or does not share the directory) must not leave the register's data that old. A file
    removed between its choice and its opening (a newer one was written meanwhile) gives way to
    the newer one."""
    for _attempt in range(3):
        try:
            return _current_or_written(kind).open("rb")
        except FileNotFoundError:
            continue
    return publish(kind).open("rb")


def _current_or_written(kind: str) -> Path:
    current = current_file(kind)
    if current is None:
        return publish(kind)
    if _age(current) > STALE_AFTER * settings.PUBLIC_CACHE_SECONDS:
        return publish(kind)
    if _age(current) > settings.PUBLIC_CACHE_SECONDS:
        request_refresh(kind)
        # Without a broker the worker's part ran here and then; serve what it wrote.
        return (current_file(kind) or current)[0]
    return current[0]


def _age(current: tuple[Path, float]) -> float:
    """Seconds since the file `current_file` found was written."""
    return time.time() - current[1]


def current_file(kind: str) -> tuple[Path, float] | None:
    """The newest complete open data file of `kind` and when it was written (seconds since the
    epoch), or None."""
    newest = None
    for path in Path(settings.OPEN_DATA_DIR).glob(f"kerja-sama-*.{kind}"):
        try:
            written = path.stat().st_mtime
        except FileNotFoundError:
            continue  # removed since the listing
        if newest is None or written > newest[1]:
            newest = (path, written)
    return newest


def request_refresh(kind: str) -> None:
    """Hand the writing of a newer file of `kind` to the worker, once per PUBLIC_CACHE_SECONDS
    (a mark in the cache): a lost message costs only a download served the older file, and the
    next one after the mark expired asks again."""
    from . import tasks

    if cache.add(f"publik:open-data:{kind}:writing", True, settings.PUBLIC_CACHE_SECONDS):
        jobs.publish_unless_backing_off(tasks.publish_open_data, kind)


def publish(kind: str) -> Path:
    """Write the open data file of `kind` now, a row at a time, and make it the one served; files
    older than twice PUBLIC_CACHE_SECONDS are removed (a download still reading one keeps it
    open). A failed write leaves no partial file."""
    directory = Path(settings.OPEN_DATA_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"kerja-sama-{uuid.uuid4().hex}.{kind}"
    partial = directory / f".{name}.partial"
    try:
        with partial.open("w", encoding="utf-8", newline="") as file:
            file.writelines(FILES[kind]())
        os.replace(partial, directory / name)
    finally:
        partial.unlink(missing_ok=True)
    _remove_stale(directory, kind, keep=name)
    return directory / name


def publish_if_due(kind: str) -> Path:
    """The worker's part: write a newer file unless one younger than PUBLIC_CACHE_SECONDS is
    there (another worker, or a download, wrote it meanwhile)."""
    current = current_file(kind)
    if current is not None and _age(current) <= settings.PUBLIC_CACHE_SECONDS:
        return current[0]
    return publish(kind)


def _remove_stale(directory: Path, kind: str, *, keep: str) -> None:
    cutoff = time.time() - 2 * settings.PUBLIC_CACHE_SECONDS
    for path in directory.glob(f"kerja-sama-*.{kind}"):
        try:
            if path.name != keep and path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            continue  # another worker removed it first


def schema() -> dict:
    fields = []
    for name, kind, fmt, description in FIELDS:
        field = {"name": name, "type": kind, "format": fmt, "description": description}
        if name in ("id", "uri", "judul", "jenis", "status"):
            field["constraints"] = {"required": True}
        if name == "id":
            field["constraints"]["unique"] = True
        if name == "jenis":
            field["constraints"]["enum"] = list(Kind.values)
        if name == "status":
            field["constraints"]["enum"] = STATUS_VALUES
        fields.append(field)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def datapackage() -> dict:
    profile = PemdaProfile.current()
    licence = profile.open_data_licence if profile else OpenDataLicence.CC_BY_4_0
    code = (profile.regency_id if profile else "").replace(".", "")
    title = _("Regional cooperation register of %(pemda)s") % {
        "pemda": profile.government_name if profile else _("the regional government")
    }
    table = schema()
    return {
        "profile": "tabular-data-package",
        "name": f"kerja-sama-daerah-{code}" if code else "kerja-sama-daerah",
        "title": title,
        "description": _(
            "Signed regional cooperation agreements (PP 28/2018) that are running or ended, as published on the "
            "public register."
        ),
        "homepage": _absolute(reverse("public:agreement_list")),
        "licenses": [{"name": licence, "path": LICENCE_URLS[licence], "title": str(OpenDataLicence(licence).label)}],
        "resources": [
            {
                "name": "kerja-sama",
                "path": "kerja-sama.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table,
            },
            {
                "name": "kerja-sama-json",
                "path": "kerja-sama.json",
                "profile": "tabular-data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "schema": table,
            },
        ],
    }
