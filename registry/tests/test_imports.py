"""Importing existing registers: reading, mapping, outcomes, commit, idempotency, bad files."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from registry.imports import services
from registry.imports.analysis import Options
from registry.imports.reading import ImportFileError
from registry.models import (
    Agreement,
    EndReason,
    ImportJob,
    ImportMapping,
    Kind,
    Partner,
    PartnerKind,
    Stage,
    Urusan,
)
from registry.tests.factories import OPDFactory, make_partner, region_partner
from registry.tests.import_data import FIRST_DATA_ROW, MESSY_ROWS, expected_outcomes, messy_workbook, plain_workbook

TODAY = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def register(db):
    """The registry before the import: the OPD, Kota Yogyakarta and PT KAI are known."""
    OPDFactory(name="Dinas Lingkungan Hidup", abbreviation="DLH")
    dishub = OPDFactory(name="Dinas Perhubungan", abbreviation="Dishub")
    region_partner("34.71")
    make_partner("PT Kereta Api Indonesia (Persero)", kind=PartnerKind.BUMN)
    return {"opd": dishub, "urusan": Urusan.objects.get(code="2.11")}


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(TODAY, tick=False):
        yield


def options(register, **kwargs):
    return Options(lead_opd_id=register["opd"].pk, urusan_id=register["urusan"].pk, **kwargs)


def preview(content, actor, register, name="register.xlsx", **kwargs):
    job = services.receive(content, name, actor=actor)
    return services.set_mapping(job, actor=actor, mapping=job.mapping, options=options(register, **kwargs))


def outcomes(job):
    return dict(job.rows.values_list("number", "outcome"))


def errors_of(job, number):
    return [error for error in job.rows.get(number=number).errors if not error.get("warning")]


# --- reading and understanding --------------------------------------------------------------------


def test_messy_workbook_gives_exactly_the_expected_outcomes(register, tkksd):
    job = preview(messy_workbook(), tkksd, register)

    assert job.state == ImportJob.State.PREVIEWED
    assert outcomes(job) == expected_outcomes()
    assert (job.new_count, job.update_count, job.unchanged_count, job.error_count) == (5, 0, 0, 5)
    assert job.headers[2] == "Nomor Pihak I" and job.headers[3] == "Nomor Pihak II"
    assert job.mapping == {
        "1": "title",
        "2": "own_number",
        "3": "partner_number",
        "4": "signed_date",
        "5": "partner",
        "6": "duration",
        "7": "end_date",
        "8": "lead_opd",
        "9": "value",
        "10": "kind",
        "11": "notes",
    }


def test_each_error_names_the_column_the_value_and_the_reason(register, tkksd):
    job = preview(messy_workbook(), tkksd, register)

    [unknown] = errors_of(job, FIRST_DATA_ROW + 3)
    assert unknown["column"] == "Mitra" and unknown["value"] == "Universitas Gadjah Mada"
    assert "mitra" in unknown["reason"].lower()
    [region] = errors_of(job, FIRST_DATA_ROW + 4)
    assert region["value"] == "Kabupaten Kalasan" and "Kemendagri" in region["reason"]
    [duplicate] = errors_of(job, FIRST_DATA_ROW + 8)
    assert f"baris {FIRST_DATA_ROW}" in duplicate["reason"]
    [bad_date] = errors_of(job, FIRST_DATA_ROW + 9)
    assert (bad_date["column"], bad_date["value"]) == ("Tanggal", "31-02-2021")
    [formula_text] = errors_of(job, FIRST_DATA_ROW + 10)
    assert formula_text["value"] == "@SUM(A1:A9)" and "“@”" in formula_text["reason"]
    formula = job.rows.get(number=FIRST_DATA_ROW + 7)
    assert formula.outcome == "new"
    assert [(w["column"], w["value"]) for w in formula.errors if w.get("warning")] == [("Nilai (Rp)", "=1000*1000")]


def test_values_are_understood_in_every_style(register, tkksd):
    job = preview(messy_workbook(), tkksd, register)
    values = {row.number: row.values for row in job.rows.all()}

    first = values[FIRST_DATA_ROW]
    assert (first["start_date"], first["end_date"], first["duration_months"]) == ("2023-03-12", "2028-03-11", 60)
    assert first["value"] == "1250000000.00" and first["stage"] == Stage.PELAKSANAAN
    second = values[FIRST_DATA_ROW + 1]
    assert (second["start_date"], second["end_date"]) == ("2021-03-12", "2026-03-11")
    assert second["kind"] == Kind.KSDD and second["kind_inferred"] is True
    assert (second["stage"], second["end_reason"]) == (Stage.BERAKHIR, EndReason.TERM_EXPIRED)
    third = values[FIRST_DATA_ROW + 2]
    assert (third["start_date"], third["duration_months"], third["value"]) == ("2021-03-12", 60, "1500000.00")
    assert third["kind"] == Kind.KSDPK
    serial = values[FIRST_DATA_ROW + 6]
    assert (serial["start_date"], serial["end_date"]) == ("2022-01-01", "2023-12-31")
    unsigned = values[FIRST_DATA_ROW + 7]
    assert unsigned["stage"] == Stage.PERSIAPAN and unsigned["value"] is None


def test_partners_are_matched_to_regions_and_the_registry(register, tkksd):
    job = preview(messy_workbook(), tkksd, register)
    names = {name.name: name for name in job.partner_names.all()}

    assert names["Pemkot Yogyakarta"].decision == "match" and names["Pemkot Yogyakarta"].score == 100
    assert (names["Kab. Bantul"].decision, names["Kab. Bantul"].region_code) == ("create", "34.02")
    assert names["Pemprov DIY"].region_code == "34"
    kai = names["PT. KAI (Persero)"]
    assert kai.partner.name == "PT Kereta Api Indonesia (Persero)" and kai.agreement_kind == Kind.KSDPK
    assert names["Universitas Gadjah Mada"].decision == "undecided"
    assert names["Kabupaten Kalasan"].refusal and names["Kabupaten Kalasan"].decision == "undecided"


# --- commit ------------------------------------------------------------------------------------------


def test_commit_files_agreements_with_stage_partners_and_timeline(register, tkksd):
    job = preview(messy_workbook(), tkksd, register)
    job = services.request_commit(job, actor=tkksd)

    assert job.state == ImportJob.State.COMMITTED
    assert (job.created_count, job.updated_count, job.partners_created) == (5, 0, 2)
    assert Agreement.objects.count() == 5
    sampah = Agreement.objects.get(title="Pengelolaan Sampah Regional")
    assert sampah.stage == Stage.PELAKSANAAN and sampah.kind == Kind.KSDD
    assert (sampah.own_number, sampah.partner_number) == ("100.3.3/011/KS/2023", "658/12/2023")
    assert sampah.value == Decimal("1250000000.00") and sampah.lead_opd.abbreviation == "DLH"
    assert [p.name for p in sampah.partners.all()] == ["Pemerintah Kota Yogyakarta"]
    assert sampah.register_number.startswith("KS-2026-")
    [line] = sampah.transitions.all()
    assert line.to_stage == Stage.PELAKSANAAN and line.actor == tkksd
    assert line.note == f"Diimpor dari register.xlsx, baris {FIRST_DATA_ROW}. Keterangan dalam berkas: Asli di arsip"
    assert sampah.history.count() == 1
    banjir = Agreement.objects.get(title="Penanganan Banjir Kali Code")
    assert (banjir.stage, banjir.end_reason) == (Stage.BERAKHIR, EndReason.TERM_EXPIRED)
    assert banjir.partners.get().regency_id == "34.02"
    assert Partner.objects.get(kind=PartnerKind.REGION, province_id="34", regency=None).name == (
        "Pemerintah Provinsi Daerah Istimewa Yogyakarta"
    )
    assert Agreement.objects.get(title="Rencana Jalur Sepeda").stage == Stage.PERSIAPAN
    assert not Partner.objects.filter(name__icontains="Kalasan").exists()
    assert "Pemerintah Kota Yogyakarta" in sampah.search_document


def test_importing_the_same_file_again_changes_nothing(register, tkksd):
    content = messy_workbook()
    services.request_commit(preview(content, tkksd, register), actor=tkksd)
    before = list(Agreement.objects.values_list("pk", "version", "updated_at"))

    again = preview(content, tkksd, register)
    assert services.previous_imports(again).count() == 1
    assert (again.new_count, again.update_count, again.unchanged_count) == (0, 0, 5)
    again = services.request_commit(again, actor=tkksd)

    assert (again.created_count, again.updated_count, again.partners_created) == (0, 0, 0)
    assert list(Agreement.objects.values_list("pk", "version", "updated_at")) == before


def test_a_corrected_file_updates_only_what_changed(register, tkksd):
    services.request_commit(preview(messy_workbook(), tkksd, register), actor=tkksd)
    corrected = [list(values) for values, _outcome in MESSY_ROWS]
    corrected[0][8] = "Rp 1.300.000.000"
    corrected[2][0] = "Reaktivasi Jalur Kereta Wisata Yogyakarta-Magelang"
    rows = [(tuple(values), outcome) for values, (_v, outcome) in zip(corrected, MESSY_ROWS, strict=True)]

    job = preview(messy_workbook(rows), tkksd, register)
    assert outcomes(job)[FIRST_DATA_ROW] == "update"
    assert job.rows.get(number=FIRST_DATA_ROW).changes == ["value"]
    # Matched on both parties' numbers although its title changed.
    assert job.rows.get(number=FIRST_DATA_ROW + 2).changes == ["title"]
    assert (job.new_count, job.update_count, job.unchanged_count) == (0, 2, 3)
    job = services.request_commit(job, actor=tkksd)

    assert (job.created_count, job.updated_count) == (0, 2)
    assert Agreement.objects.count() == 5
    sampah = Agreement.objects.get(own_number="100.3.3/011/KS/2023")
    assert sampah.value == Decimal("1300000000.00") and sampah.version == 2
    assert "Diperbarui oleh impor register.xlsx" in sampah.transitions.last().note
    assert Agreement.objects.get(own_number="100.3.3/005/KS/2021").title.endswith("Yogyakarta-Magelang")
    assert Agreement.objects.get(title="Promosi Wisata Bersama").version == 1


def test_partner_decisions_resolve_unknown_names(register, tkksd):
    job = preview(messy_workbook(), tkksd, register)
    ugm = job.partner_names.get(name="Universitas Gadjah Mada")
    assert ugm.partner_kind == PartnerKind.UNIVERSITY

    job = services.decide_partners(
        job,
        actor=tkksd,
        choices=[services.PartnerChoice(name_id=ugm.pk, create=True, agreement_kind=Kind.KSDPK)],
    )
    assert outcomes(job)[FIRST_DATA_ROW + 3] == "new"
    job = services.request_commit(job, actor=tkksd)
    agreement = Agreement.objects.get(title="Pengabdian Masyarakat Kesehatan")
    assert agreement.kind == Kind.KSDPK
    assert agreement.partners.get().kind == PartnerKind.UNIVERSITY
    assert agreement.end_date == dt.date(2027, 12, 31)


def test_the_mapping_is_remembered_for_the_same_headers(register, tkksd):
    job = services.receive(messy_workbook(), "a.xlsx", actor=tkksd)
    mapping = {**job.mapping, "11": ""}
    services.set_mapping(job, actor=tkksd, mapping=mapping, options=options(register))
    assert ImportMapping.objects.count() == 1

    second = services.receive(messy_workbook(), "b.xlsx", actor=tkksd)
    assert "11" not in second.mapping
    assert second.options["lead_opd_id"] == register["opd"].pk


def test_the_command_line_gives_the_same_outcomes_as_the_web(register, tkksd, admin_user, tmp_path, capsys):
    path = tmp_path / "register.xlsx"
    path.write_bytes(messy_workbook())
    web = preview(path.read_bytes(), tkksd, register)

    call_command("import_agreements", str(path), "--opd", "Dishub", "--urusan", "2.11", "--user", "tkksd")
    command = ImportJob.objects.exclude(pk=web.pk).get()
    assert outcomes(command) == outcomes(web)
    assert Agreement.objects.count() == 0
    printed = capsys.readouterr().out
    assert "Kabupaten Kalasan" in printed and "Nothing was written" in printed

    call_command("import_agreements", str(path), "--opd", "Dishub", "--urusan", "2.11", "--commit")
    assert Agreement.objects.count() == 5
    assert ImportJob.objects.order_by("-pk").first().committed_by == admin_user


def test_command_line_registers_unknown_partners_only_when_asked(register, admin_user, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(messy_workbook())
    call_command("import_agreements", str(path), "--opd", "Dishub", "--urusan", "2.11", "--commit")
    assert not Partner.objects.filter(name="Universitas Gadjah Mada").exists()

    call_command("import_agreements", str(path), "--opd", "Dishub", "--urusan", "2.11", "--commit", "--create-partners")
    assert Partner.objects.get(name="Universitas Gadjah Mada").kind == PartnerKind.UNIVERSITY
    assert Agreement.objects.filter(title="Pengabdian Masyarakat Kesehatan").count() == 1
    # A region that is not in the reference is never created, not even when asked.
    assert not Partner.objects.filter(name__icontains="Kalasan").exists()


def test_command_line_refuses_a_bad_file(db, admin_user, tmp_path):
    path = tmp_path / "register.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(CommandError, match="xlsx"):
        call_command("import_agreements", str(path))


def test_only_tkksd_and_admin_may_import(register, users):
    for name, user in users.items():
        if name in ("tkksd", "admin"):
            assert services.receive(messy_workbook(), "r.xlsx", actor=user).pk
        else:
            with pytest.raises(services.PermissionDenied):
                services.receive(messy_workbook(), "r.xlsx", actor=user)


def test_the_error_report_has_the_original_rows_and_a_reason_column(register, tkksd):
    from registry.imports.report import error_report

    job = preview(messy_workbook(), tkksd, register)
    workbook = load_workbook(io.BytesIO(error_report(job)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Baris" and header[-1] == "Alasan"
    assert header[1:-1] == ["No", "Judul / Perihal", "Nomor Pihak I", "Nomor Pihak II", *header[5:-1]]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in lines] == [n for n, o in sorted(expected_outcomes().items()) if o == "error"]
    assert lines[-1][2] == "@SUM(A1:A9)"
    assert sheet.freeze_panes == "A2"


# --- bad files ---------------------------------------------------------------------------------------


def _zip_with(name: str, data: bytes) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 100, "foto.xlsx", "bukan lembar kerja"),
        (b"", "kosong.csv", "kosong"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64, "r.xlsx", "sandi"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "lama.xls", ".xlsx"),
        (b"PK\x03\x04" + b"\x14\0garbage" * 20, "rusak.xlsx", "rusak"),
        (_zip_with("word/document.xml", b"<w/>"), "surat.docx", "bukan lembar kerja"),
    ],
)
def test_a_file_that_is_not_a_readable_spreadsheet_is_refused(db, tkksd, content, name, message):
    with pytest.raises(ImportFileError) as refused:
        services.receive(content, name, actor=tkksd)
    assert message in str(refused.value.message).lower()
    assert not ImportJob.objects.exists()


def test_an_empty_sheet_and_a_sheet_without_headers_are_refused(db, tkksd):
    with pytest.raises(ImportFileError, match="kosong"):
        services.receive(plain_workbook([], headers=()), "kosong.xlsx", actor=tkksd)
    with pytest.raises(ImportFileError, match="judul"):
        services.receive(plain_workbook([["a", "b"]], headers=("Satu", "Dua")), "x.xlsx", actor=tkksd)


def test_too_many_rows_or_columns_are_refused_with_the_limit(db, tkksd, settings):
    rows = "Judul,Mitra\n" + "".join(f"Kerja sama {n},Pemkot Yogyakarta\n" for n in range(100_001))
    with pytest.raises(ImportFileError, match=r"20\.000"):
        services.receive(rows.encode(), "besar.csv", actor=tkksd)
    wide = ",".join(["Judul", "Mitra", *[f"Kolom {n}" for n in range(198)]]) + "\n"
    with pytest.raises(ImportFileError, match="200 kolom"):
        services.receive(wide.encode(), "lebar.csv", actor=tkksd)


def test_a_windows_1252_csv_with_semicolons_is_read(register, tkksd):
    content = (
        "Judul;Mitra;Tanggal;Jangka Waktu;Nilai\r\n"
        "Pengembangan Kawasan Café Budaya;Pemkot Yogyakarta;01-02-2022;3 tahun;Rp 2.000.000\r\n"
        '=HYPERLINK("http://x");Pemkot Yogyakarta;01-02-2022;3 tahun;\r\n'
        "+Promosi;Pemkot Yogyakarta;01-02-2022;3 tahun;\r\n"
        "-Promosi;Pemkot Yogyakarta;01-02-2022;3 tahun;\r\n"
    ).encode("cp1252")
    job = preview(content, tkksd, register, name="register.csv")

    assert job.file_format == "csv"
    assert outcomes(job) == {2: "new", 3: "error", 4: "error", 5: "error"}
    first = job.rows.get(number=2).values
    assert first["title"] == "Pengembangan Kawasan Café Budaya" and first["value"] == "2000000.00"
    assert first["end_date"] == "2025-01-31"


def test_nothing_is_written_when_a_batch_fails(register, tkksd, monkeypatch):
    job = preview(messy_workbook(), tkksd, register)

    def broken(items, *, actor):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.services, "import_legacy_agreements", broken)
    with pytest.raises(RuntimeError):
        services.request_commit(job, actor=tkksd)
    assert Agreement.objects.count() == 0
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and "disk full" in job.error
