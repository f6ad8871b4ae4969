"""The annual evaluation: scale, one per year, final and frozen, its printed report, the agreement page."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from kerjasama.tests.markup import flat
from monitoring import evaluations, selectors
from monitoring.models import Evaluation, EvaluationStatus, Score, average_of, rating_of
from registry.models import PemdaProfile, Stage
from registry.tests.factories import PemdaProfileFactory

from .helpers import evaluation_data, running

TODAY = date(2026, 11, 23)


@pytest.fixture
def agreement(tkksd, opd):
    return running(tkksd, opd=opd, title="Angkutan Perkotaan Trans Jogja", start=date(2024, 1, 1))


@pytest.fixture
def profile(db):
    return PemdaProfileFactory()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text().replace("\u2010\n", "") for page in PdfReader(io.BytesIO(content)).pages)


def test_the_average_reads_on_the_scale():
    assert average_of([4, 3, 5, 4]) == Decimal("4.00")
    assert average_of([4, 3, 4, 3]) == Decimal("3.50")
    assert rating_of(Decimal("3.50")) == Score.GOOD
    assert rating_of(Decimal("3.49")) == Score.FAIR
    assert rating_of(Decimal("1.00")) == Score.VERY_POOR


@pytest.mark.django_db
def test_tkksd_evaluates_once_a_year(agreement, tkksd):
    evaluation = evaluations.create_evaluation(agreement, actor=tkksd, year=2026, data=evaluation_data(), today=TODAY)
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.average == Decimal("4.00")
    with pytest.raises(evaluations.ServiceError):
        evaluations.create_evaluation(agreement, actor=tkksd, year=2026, data=evaluation_data(), today=TODAY)
    evaluations.create_evaluation(agreement, actor=tkksd, year=2025, data=evaluation_data(), today=TODAY)
    assert Evaluation.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "year"),
    [({"effectiveness": 6}, 2026), ({"benefit": 0}, 2026), ({"recommendation": "maybe"}, 2026), ({}, 2027), ({}, 2023)],
    ids=["score-above-scale", "score-below-scale", "unknown-recommendation", "future-year", "before-start"],
)
def test_invalid_evaluations_are_refused(agreement, tkksd, overrides, year):
    with pytest.raises(evaluations.ServiceError):
        evaluations.create_evaluation(agreement, actor=tkksd, year=year, data=evaluation_data(**overrides), today=TODAY)


@pytest.mark.django_db
def test_an_agreement_in_preparation_is_not_evaluated(tkksd, opd):
    preparing = running(tkksd, opd=opd, stage=Stage.PENYUSUNAN_KB)
    with pytest.raises(evaluations.ServiceError):
        evaluations.create_evaluation(preparing, actor=tkksd, year=2026, data=evaluation_data(), today=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ppksd", "other_ppksd", "dprd", "pimpinan", "admin"])
def test_only_tkksd_evaluates(agreement, users, who):
    with pytest.raises(PermissionDenied):
        evaluations.create_evaluation(agreement, actor=users[who], year=2026, data=evaluation_data())


@pytest.mark.django_db(transaction=True)
def test_a_final_evaluation_is_frozen_and_its_report_prints_from_the_snapshot(agreement, tkksd, ppksd, profile):
    evaluation = evaluations.create_evaluation(agreement, actor=tkksd, year=2026, data=evaluation_data(), today=TODAY)
    final = evaluations.finalise_evaluation(evaluation, actor=tkksd, today=date(2026, 11, 30))
    assert final.is_final
    assert final.snapshot["recommendation"]  # printed in Indonesian whatever the page's language
    assert final.snapshot["average"] == "4,00"
    with pytest.raises(evaluations.ServiceError):
        evaluations.update_evaluation(final, actor=tkksd, data=evaluation_data(benefit=1))
    with pytest.raises(evaluations.ServiceError):
        evaluations.finalise_evaluation(final, actor=tkksd)
    # The OPD's liaison officers are told the recommendation.
    assert ppksd.notifications.filter(url=final.get_absolute_url()).exists()

    # A later change to the agreement or the Pemda does not change the printed report.
    agreement.title = "Judul yang diganti kemudian"
    agreement.save(update_fields=["title"])
    PemdaProfile.objects.update(head_name="Orang Lain")
    text = pdf_text(evaluations.report_pdf(Evaluation.objects.get(pk=final.pk)))
    assert "LAPORAN EVALUASI TAHUNAN KERJA SAMA DAERAH" in text
    assert "TAHUN 2026" in text
    assert "Angkutan Perkotaan Trans Jogja" in text
    assert "Judul yang diganti kemudian" not in text
    assert "4,00" in text
    assert "30 November 2026" in text
    assert "Jadwal armada belum tepat waktu." in text
    assert "PEMERINTAH KABUPATEN SLEMAN" in text
    assert "DRAF" not in text


@pytest.mark.django_db
def test_a_draft_report_is_marked_draf(agreement, tkksd, profile):
    evaluation = evaluations.create_evaluation(agreement, actor=tkksd, year=2026, data=evaluation_data(), today=TODAY)
    text = pdf_text(evaluations.report_pdf(evaluation))
    assert "DRAF" in text
    assert "Kekuatan" in text
    assert "Layanan lintas batas berjalan." in text


@pytest.mark.django_db
def test_the_recommendation_shows_on_the_agreement_page(client, agreement, tkksd, profile):
    client.force_login(tkksd)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'data-testid="monitoring"' in page
    assert 'data-testid="recommendation"' not in page
    evaluation = evaluations.create_evaluation(agreement, actor=tkksd, year=2026, data=evaluation_data(), today=TODAY)
    assert 'data-testid="recommendation"' not in client.get(agreement.get_absolute_url()).content.decode()
    evaluations.finalise_evaluation(evaluation, actor=tkksd)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'data-testid="recommendation"' in page
    assert evaluation.get_absolute_url() in page
    assert agreement.evaluations.latest_final() == evaluation


@pytest.mark.django_db
def test_evaluation_pages_write_edit_finalise_and_print(client, agreement, tkksd, profile):
    client.force_login(tkksd)
    form = {
        "year": "2026",
        "effectiveness": "4",
        "efficiency": "3",
        "benefit": "5",
        "compliance": "2",
        "strengths": "a",
        "weaknesses": "b",
        "opportunities": "c",
        "threats": "d",
        "recommendation": "revise",
        "conclusion": "Perlu addendum.",
    }
    response = client.post(reverse("monitoring:evaluation_create", args=[agreement.pk]), form)
    evaluation = Evaluation.objects.get()
    assert response["Location"] == evaluation.get_absolute_url()
    assert evaluation.average == Decimal("3.50")
    response = client.post(reverse("monitoring:evaluation_edit", args=[evaluation.pk]), {**form, "compliance": "6"})
    assert response.status_code == 200
    assert response.context["form"].errors["compliance"]
    edition = client.get(reverse("monitoring:evaluation_edit", args=[evaluation.pk])).context["form"]["edition"].value()
    edit = {**form, "year": "2020", "benefit": "4", "edition": edition}
    client.post(reverse("monitoring:evaluation_edit", args=[evaluation.pk]), edit)
    evaluation.refresh_from_db()
    assert (evaluation.year, evaluation.benefit) == (2026, 4)
    client.post(reverse("monitoring:evaluation_finalise", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.is_final
    # A final evaluation is shown, not edited (a second tab, a double click).
    response = client.get(reverse("monitoring:evaluation_edit", args=[evaluation.pk]))
    assert response["Location"] == evaluation.get_absolute_url()
    response = client.get(reverse("monitoring:evaluation_pdf", args=[evaluation.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Perlu addendum." in text
    # The scale reads "1 = Sangat kurang", with no list number before it.
    assert re.search(r"^1 = ", text, re.M) and not re.search(r"1\. ?1 = ", text)


@pytest.mark.django_db
def test_evaluation_list_shows_the_running_agreements_still_to_evaluate(client, agreement, tkksd, opd):
    evaluated = running(tkksd, opd=opd, title="Sudah dievaluasi")
    evaluations.create_evaluation(evaluated, actor=tkksd, year=2026, data=evaluation_data(), today=TODAY)
    running(tkksd, opd=opd, title="Disiapkan", stage=Stage.PENANDATANGANAN_KB)
    client.force_login(tkksd)
    response = client.get(reverse("monitoring:evaluation_list"), {"year": "2026"})
    assert [e.agreement.title for e in response.context["page"]] == ["Sudah dievaluasi"]
    assert [a["title"] for a in response.context["awaiting"]] == [agreement.title]
    assert response.context["awaiting_tally"].count == 1
    assert not response.context["awaiting_tally"].more


@pytest.mark.django_db
def test_evaluation_list_counts_the_backlog_up_to_its_cap(client, agreement, tkksd, opd, monkeypatch):
    from monitoring.views import evaluations as evaluation_views

    running(tkksd, opd=opd, title="Kedua")
    running(tkksd, opd=opd, title="Ketiga")
    client.force_login(tkksd)
    monkeypatch.setattr(evaluation_views, "AWAITING_CAP", 3)
    response = client.get(reverse("monitoring:evaluation_list"), {"year": "2026"})
    assert (response.context["awaiting_tally"].count, response.context["awaiting_tally"].more) == (3, False)
    assert "3 kerja sama berjalan belum dievaluasi" in response.content.decode()
    monkeypatch.setattr(evaluation_views, "AWAITING_CAP", 2)
    response = client.get(reverse("monitoring:evaluation_list"), {"year": "2026"})
    assert response.context["awaiting_tally"].more
    assert "Lebih dari 2 kerja sama berjalan belum dievaluasi" in response.content.decode()
    assert len(response.context["awaiting"]) == 3


# The markup the evaluation list's template printed for each agreement still to evaluate before
# monitoring/rows.py did.
_TEMPLATE_AWAITING = """{% load i18n %}{% for agreement in awaiting %}
<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2">
<span>{{ agreement.title }} <span class="small text-body-secondary">{{ agreement.lead_opd__name }}</span></span>
<a class="btn btn-sm btn-outline-primary" href="{% url 'monitoring:evaluation_create' agreement.pk %}">
{% translate "Evaluate" %}</a></li>{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_agreements_to_evaluate_print_what_the_template_printed_escaped(client, agreement, tkksd, opd, language):
    from django.db import connection
    from django.template import Context, Template
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from monitoring import rows

    running(tkksd, opd=opd, title="<script>alert('x')</script> & \"Sampah\"")
    client.force_login(tkksd)
    response = client.get(reverse("monitoring:evaluation_list"), {"year": "2026"})
    awaiting = response.context["awaiting"]
    assert len(awaiting) == 2

    with translation.override(language):
        expected = Template(_TEMPLATE_AWAITING).render(Context({"awaiting": awaiting}))
        with CaptureQueriesContext(connection) as queries:
            printed = rows.awaiting_rows(awaiting)
        assert flat(printed) == flat(expected)
    assert not queries.captured_queries
    assert "<script>" not in printed and "&lt;script&gt;" in printed
    assert flat(response.context["awaiting_html"]) in flat(response.content.decode())


# The rows templates/monitoring/evaluation_list.html printed before monitoring/rows.py did.
_TEMPLATE_EVALUATION_ROWS = """{% load i18n monitoring_tags %}{% for evaluation in page %}
<tr><td><a href="{{ evaluation.get_absolute_url }}">{{ evaluation.agreement.title }}</a></td>
<td class="small">{{ evaluation.agreement.lead_opd.name }}</td>
<td>{{ evaluation.average }} · {{ evaluation.rating.label }}</td>
<td><span class="badge text-bg-{{ evaluation.recommendation|recommendation_badge }}">
{{ evaluation.get_recommendation_display }}</span></td>
<td>{{ evaluation.get_status_display }}</td></tr>
{% empty %}<tr><td colspan="5" class="text-body-secondary">{% translate "No evaluation for this year yet." %}</td></tr>
{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_evaluation_rows_print_what_the_template_printed(client, agreement, tkksd, opd, profile, language):
    from django.template import Context, Template
    from django.utils import translation

    from monitoring.models import Recommendation
    from monitoring.rows import evaluation_rows

    hostile = running(tkksd, opd=opd, title="<script>alert('x')</script> & \"Sampah\"", start=date(2024, 1, 1))
    final = evaluations.create_evaluation(agreement, actor=tkksd, year=2026, data=evaluation_data(), today=TODAY)
    evaluations.finalise_evaluation(final, actor=tkksd, today=TODAY)
    # An average with decimals (3.25), another recommendation, still a draft.
    evaluations.create_evaluation(
        hostile,
        actor=tkksd,
        year=2026,
        data=evaluation_data(
            effectiveness=3, efficiency=3, benefit=3, compliance=4, recommendation=Recommendation.STOP
        ),
        today=TODAY,
    )
    client.force_login(tkksd)
    client.cookies["django_language"] = language
    response = client.get(reverse("monitoring:evaluation_list"), {"year": 2026})
    page = response.context["page"]
    assert len(page.rows) == 2
    with translation.override(language):
        # The rows print from the columns the list reads (monitoring.selectors.EVALUATION_ROW), read
        # afresh: the page's rows have printed once already.
        fresh = list(selectors.evaluation_list(tkksd, 2026))
        with CaptureQueriesContext(connection) as queries:
            printed = evaluation_rows(fresh)
        assert not queries.captured_queries
        assert printed == evaluation_rows(page.rows)
        expected = Template(_TEMPLATE_EVALUATION_ROWS).render(Context({"page": page}))
        assert flat(printed) == flat(expected)
        empty = Template(_TEMPLATE_EVALUATION_ROWS).render(Context({"page": []}))
        assert flat(evaluation_rows([])) == flat(empty)
    assert flat(printed) in flat(response.content.decode())
    assert "<script>" not in printed
    assert ("3,25" if language == "id" else "3.25") in printed


@pytest.mark.django_db
def test_the_benchmark_volume_drafts_this_years_evaluations_of_running_agreements_once(tkksd, opd):
    from django.utils import timezone

    from monitoring.demo import seed_evaluation_volume

    year = timezone.localdate().year
    agreements = [
        running(tkksd, opd=opd, title=f"Kerja sama {number}", start=date(year - 1, 1, 1)) for number in range(40)
    ]
    preparing = running(tkksd, opd=opd, title="Belum berjalan", stage=Stage.PERSIAPAN, start=date(year - 1, 1, 1))
    later = running(tkksd, opd=opd, title="Mulai tahun depan", start=date(year + 1, 1, 1), end=date(year + 3, 1, 1))

    created = seed_evaluation_volume()

    seeded = Evaluation.objects.filter(year=year)
    assert created == seeded.count()
    assert 0 < created < len(agreements)
    assert set(seeded.values_list("status", flat=True)) == {EvaluationStatus.DRAFT}
    assert not seeded.filter(agreement__in=[preparing, later]).exists()
    assert seed_evaluation_volume(share=1.0) == len(agreements) - created
    assert seed_evaluation_volume(share=1.0) == 0
