import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import models

from registry.models import Province, Regency, Urusan
from registry.roles import Role


@pytest.mark.django_db
def test_every_province_and_regency_of_indonesia_is_loaded():
    assert Province.objects.count() == 38
    assert Regency.objects.filter(kind=Regency.Kind.KABUPATEN).count() == 416
    assert Regency.objects.filter(kind=Regency.Kind.KOTA).count() == 98
    sleman = Regency.objects.get(code="34.04")
    assert sleman.name == "Kabupaten Sleman"
    assert sleman.province.name == "Daerah Istimewa Yogyakarta"
    assert sleman.short_name == "Sleman"
    # "Kabupaten Lima Puluh Kota" is a kabupaten even though its name contains "Kota".
    assert Regency.objects.get(code="13.07").kind == Regency.Kind.KABUPATEN


@pytest.mark.django_db
def test_the_admin_homes_reference_figures_are_counted_in_one_query(django_assert_num_queries):
    from registry.models import OPD
    from registry.selectors import reference_counts
    from registry.tests.factories import OPDFactory

    OPDFactory(is_active=False)
    OPDFactory()
    with django_assert_num_queries(1):
        counts = reference_counts()
    assert counts == {
        "provinces": 38,
        "regencies": 416,
        "cities": 98,
        "urusan": 32,
        "opds": OPD.objects.filter(is_active=True).count(),
    }
    assert counts["opds"] == OPD.objects.count() - 1


@pytest.mark.django_db
def test_urusan_of_uu_23_2014_with_exact_names():
    counts = {c: Urusan.objects.filter(classification=c).count() for c in Urusan.Classification.values}
    assert counts == {"wajib_dasar": 6, "wajib_non_dasar": 18, "pilihan": 8}
    assert Urusan.objects.get(code="1.05").name == "ketenteraman, ketertiban umum, dan pelindungan masyarakat"
    assert Urusan.objects.get(code="2.13").name == "pemberdayaan masyarakat dan Desa"
    assert set(Urusan.objects.filter(mostly_provincial=True).values_list("name", flat=True)) == {
        "kelautan dan perikanan",
        "kehutanan",
        "energi dan sumber daya mineral",
    }


@pytest.mark.django_db
def test_role_groups_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.django_db
def test_loading_reference_data_again_changes_nothing():
    call_command("load_reference_data", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Urusan.objects.count() == 32


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_every_role():
    from registry.models import OPD, User

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    for role in Role.values:
        assert User.objects.filter(groups__name=role).exists(), role
    ppksd_opds = set(User.objects.filter(groups__name=Role.PPKSD).values_list("opd", flat=True))
    assert len(ppksd_opds) >= 2
    assert User.objects.get(username="tkksd").check_password("KerjaSama2026!")
    assert OPD.objects.filter(abbreviation="Dishub").count() == 1


@pytest.mark.django_db
def test_seed_demo_with_a_size_adds_generated_agreements_of_every_kind_and_stage():
    from registry.models import Agreement, Kind, Transition

    call_command("seed_demo", verbosity=0)
    last = Agreement.objects.order_by("-pk").values_list("pk", flat=True).first()
    call_command("seed_demo", size=400, verbosity=0)
    generated = Agreement.objects.filter(pk__gt=last)
    assert generated.count() == 400
    assert set(generated.values_list("kind", flat=True)) == set(Kind.values)
    assert generated.values("stage").distinct().count() >= 10
    # Each with its partner (also kept on the row, for the list), its first timeline entry, and
    # about one in four with other OPDs involved.
    assert not generated.filter(partners=None).exists()
    for agreement in generated.prefetch_related("partners")[:20]:
        assert agreement.partner_names == ", ".join(partner.name for partner in agreement.partners.all())
    assert Transition.objects.filter(agreement__in=generated).values("agreement").distinct().count() == 400
    involving_others = generated.exclude(other_opds=None).count()
    assert 40 < involving_others < 180
    assert not generated.filter(other_opds=models.F("lead_opd")).exists()


@pytest.mark.django_db
def test_the_demo_signs_its_older_issued_documents_and_leaves_the_recent_waiting(django_capture_on_commit_callbacks):
    from datetime import date

    from registry import demo, official
    from registry.models import DocumentKind, OfficialDocument, User
    from registry.tests.factories import PemdaProfileFactory
    from registry.tests.official_data import keputusan_data

    PemdaProfileFactory()
    call_command("seed_demo", verbosity=0)
    bupati = User.objects.get(username="bupati")
    issued = {}
    for title, day in (("Lama", date(2026, 10, 1)), ("Baru", date(2026, 11, 25))):
        draft = official.create_draft(
            actor=bupati,
            kind=DocumentKind.KEPUTUSAN,
            series=official.series_for("keputusan-bupati"),
            title=title,
            data=keputusan_data(),
        )
        with django_capture_on_commit_callbacks(execute=True):
            issued[title] = official.issue_document(draft, actor=bupati, issue_date=day)
    assert demo.sign_demo_originals(date(2026, 11, 30)) >= 1
    for document in issued.values():
        document.refresh_from_db()
    assert issued["Lama"].status == OfficialDocument.Status.SIGNED and issued["Lama"].signer_name
    assert issued["Baru"].status == OfficialDocument.Status.ISSUED
    assert demo.sign_demo_originals(date(2026, 11, 30)) == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_generated_agreements_are_found_by_search_through_the_rebuilt_index():
    """On PostgreSQL the bulk seed drops the full-text index while inserting and builds it again."""
    from django.db import connection

    from registry.models import Agreement
    from registry.search import search

    call_command("seed_demo", size=50, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'agreement_search_gin'")
        assert cursor.fetchone() is not None
    generated = Agreement.objects.filter(register_number__startswith="KS-").order_by("-pk").first()
    word = generated.title.split()[0]
    assert search(Agreement.objects.all(), word).filter(pk=generated.pk).exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_search_reads_the_stored_vector_which_follows_every_edit_and_a_selective_search_its_gin_index(tkksd, opd):
    """Migration 0028: the database keeps each agreement's vector (a generated column); search
    matches on it, a rare word through the GIN index, and an edit is found by its new words only."""
    from django.db import connection

    from registry import services
    from registry.models import Agreement
    from registry.search import search
    from registry.tests.factories import make_agreement, region_partner

    call_command("seed_demo", size=2000, verbosity=0)
    agreement = make_agreement(tkksd, opd=opd, title="Pengelolaan Sampah Regional")
    assert search(Agreement.objects.all(), "sampahnya").filter(pk=agreement.pk).exists()
    services.update_agreement(
        agreement,
        actor=tkksd,
        changes={"title": "Penataan Kawasan Karst Gunungsewu", "object": "Perlindungan bentang alam karst."},
        partners=[region_partner()],
    )
    found = search(Agreement.objects.all(), "gunungsewu karst")
    assert list(found.values_list("pk", flat=True)) == [agreement.pk]
    assert not search(Agreement.objects.filter(pk=agreement.pk), "regional").exists()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_agreement")
        sql, params = found.order_by("-updated_at", "-pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "agreement_search_gin" in plan and "to_tsvector" not in plan, plan
        cursor.execute(
            "SELECT search_vector = to_tsvector('indonesian', search_document) FROM registry_agreement WHERE id = %s",
            [agreement.pk],
        )
        assert cursor.fetchone() == (True,)
