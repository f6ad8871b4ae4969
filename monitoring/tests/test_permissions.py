"""The permission matrix of every monitoring page: each role, a PPKSD of another OPD, anonymous.

200 allowed, 403 the role may not, 404 out of the user's scope (never "exists but not yours"),
302 sent to log in.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring import evaluations, services
from monitoring.models import ImplementationReport, Recommendation
from registry.tests.factories import PemdaProfileFactory

from .helpers import evaluation_data, png_bytes, report_data, running

USERS = ("tkksd", "ppksd", "other_ppksd", "dprd", "pimpinan", "admin", "outsider")
ALL_200 = dict.fromkeys(USERS, 200)
DASHBOARD = {**ALL_200, "dprd": 403, "outsider": 403}
READERS = {**ALL_200, "outsider": 403}
UPWARD = {"tkksd": 200, "ppksd": 403, "other_ppksd": 403, "dprd": 403, "pimpinan": 200, "admin": 200, "outsider": 403}
OBJECT = {"tkksd": 200, "ppksd": 200, "other_ppksd": 404, "dprd": 404, "pimpinan": 200, "admin": 200, "outsider": 404}
FILER = {"tkksd": 403, "ppksd": 200, "other_ppksd": 404, "dprd": 404, "pimpinan": 403, "admin": 403, "outsider": 404}
TKKSD_ONLY = {**dict.fromkeys(USERS, 403), "tkksd": 200}

MATRIX = {
    "dashboard": DASHBOARD,
    "dormant_list": DASHBOARD,
    "periodic_report": UPWARD,
    "calendar_settings": ALL_200,
    "notification_list": ALL_200,
    "report_list": READERS,
    "evaluation_list": READERS,
    "agreement_reports": OBJECT,
    "report_detail": OBJECT,
    "attachment_download": OBJECT,
    # A draft evaluation is the TKKSD's working paper: the OPD and the DPRD read final ones only.
    "evaluation_detail": {**OBJECT, "ppksd": 404},
    "evaluation_pdf": {**OBJECT, "ppksd": 404},
    "report_create": FILER,
    "report_edit": FILER,
    "evaluation_create": TKKSD_ONLY,
    "evaluation_edit": TKKSD_ONLY,
}


@pytest.fixture
def objects(tkksd, ppksd, opd):
    PemdaProfileFactory()
    agreement = running(tkksd, opd=opd, start=date(2020, 1, 1), end=date(2035, 12, 31))
    report = services.file_report(
        agreement,
        actor=ppksd,
        period=date(2024, 5, 1),
        data=report_data(),
        evidence=[services.Evidence(SimpleUploadedFile("foto.png", png_bytes()), "image/png")],
    )
    evaluation = evaluations.create_evaluation(
        agreement,
        actor=tkksd,
        year=2024,
        data=evaluation_data(
            effectiveness=3, efficiency=3, benefit=3, compliance=3, recommendation=Recommendation.CONTINUE
        ),
    )
    return {"agreement": agreement, "report": report, "evaluation": evaluation}


def url_of(name, objects):
    agreement, report, evaluation = objects["agreement"], objects["report"], objects["evaluation"]
    args = {
        "agreement_reports": [agreement.pk],
        "report_create": [agreement.pk],
        "evaluation_create": [agreement.pk],
        "report_detail": [report.pk],
        "report_edit": [report.pk],
        "attachment_download": [report.attachments.get().pk],
        "evaluation_detail": [evaluation.pk],
        "evaluation_edit": [evaluation.pk],
        "evaluation_pdf": [evaluation.pk],
    }.get(name, [])
    url = reverse(f"monitoring:{name}", args=args)
    return url + "?periode=2024-06" if name == "report_create" else url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "user_name", "expected"),
    [(url, user, status) for url, row in MATRIX.items() for user, status in row.items()],
)
def test_permission_matrix(client, users, objects, url_name, user_name, expected):
    client.force_login(users[user_name])
    assert client.get(url_of(url_name, objects)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_login_everywhere(client, objects, url_name):
    response = client.get(url_of(url_name, objects))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


ACTIONS = {
    "report_review": {**dict.fromkeys(USERS, 403), "tkksd": 302},
    "evaluation_finalise": {**dict.fromkeys(USERS, 403), "tkksd": 302},
    "calendar_regenerate": dict.fromkeys(USERS, 302),
}


def action_url(name, objects):
    args = {"report_review": [objects["report"].pk], "evaluation_finalise": [objects["evaluation"].pk]}
    return reverse(f"monitoring:{name}", args=args.get(name, []))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "user_name", "expected"),
    [(url, user, status) for url, row in ACTIONS.items() for user, status in row.items()],
)
def test_actions_are_post_only_and_refused_to_other_roles(client, users, objects, url_name, user_name, expected):
    url = action_url(url_name, objects)
    client.force_login(users[user_name])
    assert client.get(url).status_code == 405
    assert client.post(url, {"decision": "accept", "note": ""}).status_code == expected
    report = ImplementationReport.objects.get()
    assert (report.status == "accepted") == (url_name == "report_review" and user_name == "tkksd")


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ACTIONS))
def test_anonymous_actions_go_to_login(client, objects, url_name):
    response = client.post(action_url(url_name, objects))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_dprd_reads_the_reports_of_agreements_it_was_asked_to_approve(client, objects, dprd, users):
    from registry.models import DprdApproval

    DprdApproval.objects.create(
        agreement=objects["agreement"], received_on=date(2023, 1, 5), decision=DprdApproval.Decision.APPROVED
    )
    client.force_login(dprd)
    assert client.get(url_of("report_detail", objects)).status_code == 200
    assert client.get(url_of("evaluation_detail", objects)).status_code == 404
    evaluations.finalise_evaluation(objects["evaluation"], actor=users["tkksd"])
    assert client.get(url_of("evaluation_detail", objects)).status_code == 200
    assert client.get(url_of("report_edit", objects)).status_code == 403
