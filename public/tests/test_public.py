"""The public register and its open data: what is shown and what never is."""

import datetime as dt
import io
import json
import os
import re
import time

import pytest
from django.urls import reverse
from frictionless import Package, validate

from registry import publication, services
from registry.models import AgreementDocument, DocumentType, EndReason, OpenDataLicence, Stage
from registry.tests.factories import PemdaProfileFactory, make_agreement, region_partner, upload

LIST = reverse("public:agreement_list")


@pytest.fixture
def profile(db):
    return PemdaProfileFactory()


@pytest.fixture
def register(tkksd, opd, profile):
    """Agreements at every kind of stage, and documents of every kind."""
    running = make_agreement(
        tkksd,
        opd=opd,
        stage=Stage.PELAKSANAAN,
        title="Pengelolaan Sampah Regional",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2028, 12, 31),
    )
    ended = make_agreement(
        tkksd,
        opd=opd,
        stage=Stage.BERAKHIR,
        title="Promosi Wisata Bersama",
        object="Promosi pariwisata bersama di kawasan perbatasan.",
        end_reason=EndReason.TERM_EXPIRED,
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2023, 12, 31),
    )
    draft = make_agreement(tkksd, opd=opd, title="Rencana Jalur Sepeda Rahasia")
    hidden = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN, title="Pengamanan Aset Tertutup")
    publication.set_agreement_publication(hidden, actor=tkksd, public=False)
    forced = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_KB, title="Draf Yang Dipaksa Publik")
    publication.set_agreement_publication(forced, actor=tkksd, public=True)
    documents = {
        "pks": upload(running, tkksd, DocumentType.PKS, signed=True),
        "draft_pks": upload(running, tkksd, DocumentType.DRAF_PKS),
        "kajian": upload(running, tkksd, DocumentType.KAJIAN_TKKSD),
        "signed_kajian": upload(running, tkksd, DocumentType.KAJIAN_TKKSD, signed=True),
        "kb_hidden": upload(running, tkksd, DocumentType.KB, signed=True),
        "forced_unsigned": upload(running, tkksd, DocumentType.LAINNYA),
        "hidden_agreement_pks": upload(hidden, tkksd, DocumentType.PKS, signed=True),
        "draft_agreement_kb": upload(forced, tkksd, DocumentType.KB, signed=True),
    }
    publication.set_document_publication(documents["kb_hidden"], actor=tkksd, public=False)
    publication.set_document_publication(documents["signed_kajian"], actor=tkksd, public=True)
    publication.set_document_publication(documents["forced_unsigned"], actor=tkksd, public=True)
    return {"running": running, "ended": ended, "draft": draft, "hidden": hidden, "forced": forced, **documents}


def test_only_signed_agreements_not_hidden_are_public(client, register):
    page = client.get(LIST)
    assert page.status_code == 200
    assert "Pengelolaan Sampah Regional" in page.text and "Promosi Wisata Bersama" in page.text
    for title in ("Rencana Jalur Sepeda Rahasia", "Pengamanan Aset Tertutup", "Draf Yang Dipaksa Publik"):
        assert title not in page.text
    for name in ("running", "ended"):
        url = reverse("public:agreement_detail", args=[register[name].register_number])
        assert client.get(url).status_code == 200
    for name in ("draft", "hidden", "forced"):
        url = reverse("public:agreement_detail", args=[register[name].register_number])
        assert client.get(url).status_code == 404


def test_documents_follow_their_defaults_and_the_tkksd_choices(client, register):
    detail = client.get(reverse("public:agreement_detail", args=[register["running"].register_number]))
    shown = {int(pk) for pk in re.findall(r"/publik/dokumen/(\d+)/", detail.text)}
    assert shown == {register["pks"].pk, register["signed_kajian"].pk}
    for name in ("pks", "signed_kajian"):
        response = client.get(reverse("public:document", args=[register[name].pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    for name in ("draft_pks", "kajian", "kb_hidden", "forced_unsigned", "hidden_agreement_pks", "draft_agreement_kb"):
        assert client.get(reverse("public:document", args=[register[name].pk])).status_code == 404, name


def test_the_public_page_reveals_nothing_else_and_never_links_into_the_app(client, register, tkksd):
    detail = client.get(reverse("public:agreement_detail", args=[register["running"].register_number]))
    listing = client.get(LIST)
    for page in (detail, listing):
        assert 'lang="id"' in page.text
        links = re.findall(r'(?:href|action|src)="([^"]+)"', page.text)
        assert links and all(link.startswith(("/publik/", "/static/", "#")) for link in links), links
        assert str(tkksd) not in page.text and "csrfmiddlewaretoken" not in page.text
        assert "Rencana Jalur Sepeda Rahasia" not in page.text
    assert "Kota Yogyakarta" in detail.text and "Lingkungan hidup" in detail.text


def test_public_pages_are_indonesian_and_cacheable(client, register, django_assert_num_queries):
    client.cookies["django_language"] = "en"
    first = client.get(LIST)
    assert "Kerja sama daerah" in first.text or "kerja sama" in first.text.lower()
    assert first["Content-Language"] == "id"
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    with django_assert_num_queries(0):
        again = client.get(LIST)
    assert again.content == first.content


def test_search_and_filters(client, register):
    found = client.get(LIST, {"q": "sampah"})
    assert "Pengelolaan Sampah Regional" in found.text and "Promosi Wisata Bersama" not in found.text
    ended = client.get(LIST, {"status": "berakhir"})
    assert "Promosi Wisata Bersama" in ended.text and "Pengelolaan Sampah Regional" not in ended.text
    junk = client.get(LIST, {"q": "a\x00b" * 10, "year": "x" * 100_000, "kind": "nope"})
    assert junk.status_code == 200


def _write_package(client, tmp_path):
    for name, url in (
        ("datapackage.json", "public:datapackage"),
        ("kerja-sama.csv", "public:data_csv"),
        ("kerja-sama.json", "public:data_json"),
    ):
        response = client.get(reverse(url))
        assert response.status_code == 200
        (tmp_path / name).write_bytes(response.getvalue())
    return tmp_path / "datapackage.json"


def test_open_data_matches_its_datapackage(client, register, tmp_path):
    path = _write_package(client, tmp_path)
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(path))
    rows = package.get_resource("kerja-sama").read_rows()
    assert [row["id"] for row in rows] == sorted(
        [register["running"].register_number, register["ended"].register_number]
    )
    running = next(row for row in rows if row["id"] == register["running"].register_number)
    assert running["mitra_kode_wilayah"] == "34.71" and running["tanggal_mulai"] == dt.date(2024, 1, 1)
    assert running["pemda_kode"] == "34.04" and running["status"] == "berjalan"
    assert running["uri"].endswith(f"/publik/kerja-sama/{register['running'].register_number}/")
    assert running["dokumen"].count("/publik/dokumen/") == 2
    json_rows = package.get_resource("kerja-sama-json").read_rows()
    assert [row.to_dict() for row in json_rows] == [row.to_dict() for row in rows]
    descriptor = json.loads(path.read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert {field["name"] for field in descriptor["resources"][0]["schema"]["fields"]} >= {"id", "judul", "mitra"}


def test_the_licence_is_the_pemda_choice(client, register, profile):
    profile.open_data_licence = OpenDataLicence.CC0_1_0
    profile.save(update_fields=["open_data_licence"])
    descriptor = client.get(reverse("public:datapackage")).json()
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"
    assert descriptor["licenses"][0]["path"].startswith("https://creativecommons.org/publicdomain/zero/")


def test_identifiers_stay_the_same_across_an_edit(client, register, tkksd, settings):
    agreement = register["running"]
    before = json.loads(client.get(reverse("public:data_json")).getvalue())
    services.update_agreement(
        agreement,
        actor=tkksd,
        changes={"title": "Pengelolaan Sampah Regional Piyungan"},
        partners=[region_partner()],
    )
    written_long_ago(settings.OPEN_DATA_DIR, settings.PUBLIC_CACHE_SECONDS)
    after = json.loads(client.get(reverse("public:data_json")).getvalue())
    assert [row["id"] for row in after] == [row["id"] for row in before]
    assert [row["uri"] for row in after] == [row["uri"] for row in before]
    edited = next(row for row in after if row["id"] == agreement.register_number)
    assert edited["judul"] == "Pengelolaan Sampah Regional Piyungan"
    assert client.get(edited["uri"].split("8000", 1)[-1]).status_code == 200


def test_anonymous_requests_are_rate_limited_per_address(client, register, settings, tkksd):
    settings.PUBLIC_RATE_LIMIT = "3/m"
    statuses = [client.get(LIST, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(LIST, REMOTE_ADDR="203.0.113.7")
    assert refused["Retry-After"] == "60" and "Terlalu banyak" in refused.text
    assert client.get(LIST, REMOTE_ADDR="203.0.113.8").status_code == 200
    client.force_login(tkksd)
    assert client.get(LIST, REMOTE_ADDR="203.0.113.7").status_code == 200


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("tkksd", True), ("admin", True), ("ppksd", False), ("dprd", False), ("pimpinan", False), ("outsider", False)],
)
def test_only_tkksd_and_admin_decide_what_is_public(client, users, tkksd, opd, who, allowed):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    document = upload(agreement, tkksd, DocumentType.PKS, signed=True)
    from registry.forms import PublicationForm

    token = PublicationForm(agreement=agreement)["edition"].initial
    client.force_login(users[who])
    response = client.post(
        reverse("registry:agreement_publication", args=[agreement.pk]), {"public": "no", "edition": token}
    )
    doc_response = client.post(reverse("registry:document_publication", args=[document.pk]), {"public": "no"})
    agreement.refresh_from_db()
    document.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and doc_response.status_code == 302
        assert agreement.public is False and document.public is False
    else:
        assert response.status_code in (403, 404) and doc_response.status_code in (403, 404)
        assert agreement.public is None and document.public is None


def test_the_agreement_page_shows_the_publication_card_to_the_tkksd_only(client, tkksd, ppksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    client.force_login(tkksd)
    assert 'data-testid="publication"' in client.get(agreement.get_absolute_url()).text
    client.force_login(ppksd)
    assert 'data-testid="publication"' not in client.get(agreement.get_absolute_url()).text


def test_a_stale_publication_choice_is_refused(client, tkksd, admin_user, opd):
    from registry.forms import PublicationForm

    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    token = PublicationForm(agreement=agreement)["edition"].initial
    publication.set_agreement_publication(agreement, actor=admin_user, public=False)
    client.force_login(tkksd)
    response = client.post(
        reverse("registry:agreement_publication", args=[agreement.pk]), {"public": "yes", "edition": token}
    )
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.public is False
    assert AgreementDocument.objects.count() == 0


@pytest.fixture
def open_data_dir(settings):
    return settings.OPEN_DATA_DIR  # a directory of the test's own (conftest.py)


def written_long_ago(directory, period, *, periods=None):
    """Every open data file in `directory` as if written `periods` PUBLIC_CACHE_SECONDS ago (by
    default more than a download waits for a worker before writing one itself)."""
    from public import opendata

    then = time.time() - (periods or opendata.STALE_AFTER + 1) * period
    for path in directory.iterdir():
        os.utime(path, (then, then))


def test_open_data_files_are_streamed_from_disk_and_written_again_when_due(
    client, register, open_data_dir, django_assert_max_num_queries, settings
):
    from public import opendata

    first = client.get(reverse("public:data_json"))
    assert first.streaming and first["Content-Type"] == "application/json; charset=utf-8"
    assert "public" in first["Cache-Control"] and 'filename="kerja-sama.json"' in first["Content-Disposition"]
    text = first.getvalue().decode()
    assert text == "".join(opendata.json_chunks())
    [written] = list(open_data_dir.glob("kerja-sama-*.json"))
    # Within PUBLIC_CACHE_SECONDS the same file is served without reading the register again.
    with django_assert_max_num_queries(0):
        again = client.get(reverse("public:data_json"))
    assert again.getvalue().decode() == text and list(open_data_dir.glob("kerja-sama-*.json")) == [written]
    csv = client.get(reverse("public:data_csv"))
    assert csv["Content-Disposition"] == 'inline; filename="kerja-sama.csv"'
    assert csv.getvalue().decode("utf-8") == "".join(opendata.csv_chunks())
    # Once due (without a broker the worker's part runs in the download), a new file is written
    # and served; one older than twice the period is removed, the previous one kept.
    stale = open_data_dir / "kerja-sama-0123.json"
    stale.write_text("[]")
    written_long_ago(open_data_dir, settings.PUBLIC_CACHE_SECONDS, periods=3)
    os.utime(written, (time.time() - settings.PUBLIC_CACHE_SECONDS - 5,) * 2)
    client.get(reverse("public:data_json")).getvalue()
    remaining = set(open_data_dir.glob("kerja-sama-*.json"))
    assert written in remaining and stale not in remaining and len(remaining) == 2
    assert opendata.current_file("json")[0] not in (written, stale)
    assert not list(open_data_dir.glob(".*.partial"))


def test_a_download_serves_the_older_file_while_the_worker_writes_the_next(
    client, register, open_data_dir, settings, django_assert_max_num_queries
):
    from unittest import mock

    from public import opendata, tasks

    assert client.get(reverse("public:data_csv")).getvalue()
    [older] = list(open_data_dir.glob("kerja-sama-*.csv"))
    served = older.read_bytes()
    written_long_ago(open_data_dir, settings.PUBLIC_CACHE_SECONDS, periods=1.5)
    with mock.patch.object(tasks.publish_open_data, "apply_async") as handed:
        # Two downloads past the period: both served the older file at once, without reading the
        # register; the writing is asked of the worker once.
        for _ in range(2):
            with django_assert_max_num_queries(0):
                assert client.get(reverse("public:data_csv")).getvalue() == served
    handed.assert_called_once_with(args=("csv",))
    assert list(open_data_dir.glob("kerja-sama-*.csv")) == [older]
    # The worker writes the next file, which the following download serves.
    name = tasks.publish_open_data.apply(args=("csv",)).get()
    assert opendata.current_file("csv")[0].name == name != older.name
    assert client.get(reverse("public:data_csv")).getvalue() == (open_data_dir / name).read_bytes()
    # Asked again meanwhile (a second worker, a lost mark), the task finds the file fresh and keeps it.
    assert tasks.publish_open_data.apply(args=("csv",)).get() == name
    assert len(list(open_data_dir.glob("kerja-sama-*.csv"))) == 2


def test_a_file_the_worker_left_too_old_is_written_by_the_download(client, register, open_data_dir, settings):
    from unittest import mock

    from public import tasks

    client.get(reverse("public:data_json")).getvalue()
    [older] = list(open_data_dir.glob("kerja-sama-*.json"))
    services.update_agreement(
        register["running"],
        actor=register["running"].created_by,
        changes={"title": "Judul Baru"},
        partners=[region_partner()],
    )
    written_long_ago(open_data_dir, settings.PUBLIC_CACHE_SECONDS)
    with mock.patch.object(tasks.publish_open_data, "apply_async") as handed:
        rows = json.loads(client.get(reverse("public:data_json")).getvalue())
    handed.assert_not_called()
    assert "Judul Baru" in {row["judul"] for row in rows}
    # The older file, past twice the period, is gone.
    assert [path.name for path in open_data_dir.glob("kerja-sama-*.json")] != [older.name]
    assert len(list(open_data_dir.glob("kerja-sama-*.json"))) == 1


def test_a_file_removed_as_it_is_chosen_gives_way_to_the_newer_one(client, register, open_data_dir, monkeypatch):
    from public import opendata

    newer = opendata.publish("csv")
    chosen = iter([open_data_dir / "kerja-sama-removed.csv"])
    latest = opendata._current_or_written
    monkeypatch.setattr(opendata, "_current_or_written", lambda kind: next(chosen, None) or latest(kind))
    assert client.get(reverse("public:data_csv")).getvalue() == newer.read_bytes()


def test_the_command_writes_both_files_ahead_of_the_first_download(
    client, register, open_data_dir, django_assert_max_num_queries
):
    from django.core.management import call_command

    from public import opendata

    call_command("publish_open_data", stdout=io.StringIO())
    files = {path.suffix: path for path in open_data_dir.glob("kerja-sama-*")}
    assert set(files) == {".csv", ".json"}
    with django_assert_max_num_queries(0):
        assert client.get(reverse("public:data_json")).getvalue() == files[".json"].read_bytes()
    assert files[".csv"].read_text(encoding="utf-8", newline="") == "".join(opendata.csv_chunks())


@pytest.mark.parametrize("size", [0, 1, 3])
def test_open_data_written_a_row_at_a_time_reads_as_the_whole_table(tkksd, opd, profile, size):
    import csv
    import io

    from public import opendata

    for number in range(size):
        make_agreement(
            tkksd,
            opd=opd,
            stage=Stage.PELAKSANAAN,
            title=f'Kerja "Sama" {number}\r\nbaris kedua; ünïcödé \\ {{"a": 1}}',
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2028, 12, 31),
        )
    rows = list(opendata.rows())
    assert len(rows) == size
    assert "".join(opendata.json_chunks()) == json.dumps(rows, ensure_ascii=False, indent=1)
    expected = io.StringIO()
    writer = csv.DictWriter(expected, fieldnames=opendata.FIELD_NAMES, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    assert "".join(opendata.csv_chunks()) == expected.getvalue()


def test_a_failed_write_leaves_no_partial_file(client, register, open_data_dir, monkeypatch):
    from public import opendata

    def broken():
        yield "[\n"
        raise OSError("disk full")

    monkeypatch.setitem(opendata.FILES, "json", broken)
    with pytest.raises(OSError):
        client.get(reverse("public:data_json"))
    assert not list(open_data_dir.iterdir())
    monkeypatch.undo()
    assert json.loads(client.get(reverse("public:data_json")).getvalue())


def test_open_data_rows_read_in_batches_are_the_rows_read_at_once(register, tkksd, monkeypatch):
    from public import opendata
    from registry.tests.factories import make_partner

    services.update_agreement(
        register["running"],
        actor=tkksd,
        changes={},
        partners=[make_partner(name="Zeta Mitra"), region_partner(), make_partner(name="Alfa Mitra")],
    )
    whole = list(opendata.rows())
    monkeypatch.setattr(opendata, "_BATCH", 1)
    assert list(opendata.rows()) == whole
    running = next(row for row in whole if row["id"] == register["running"].register_number)
    names = running["mitra"].split("; ")
    assert names == sorted(names) and {"Alfa Mitra", "Zeta Mitra"} <= set(names)
    assert running["mitra_kode_wilayah"] == "34.71"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_writes_the_next_file_while_the_older_is_served(register, open_data_dir, settings):
    from celery.contrib.testing.worker import start_worker
    from django.test import Client

    from kerjasama.celery import app
    from public import opendata

    assert settings.CELERY_BROKER_URL.startswith("redis://"), "CI must provide CELERY_BROKER_URL"
    assert app.conf.task_always_eager is False
    older = opendata.publish("json")
    written_long_ago(open_data_dir, settings.PUBLIC_CACHE_SECONDS, periods=1.5)
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        served = Client().get(reverse("public:data_json")).getvalue()
        assert served == older.read_bytes()
        deadline = time.monotonic() + 30
        while opendata.current_file("json")[0] == older and time.monotonic() < deadline:
            time.sleep(0.1)
    newer = opendata.current_file("json")[0]
    assert newer != older and older.exists()
    assert json.loads(newer.read_text(encoding="utf-8")) == json.loads(served)
