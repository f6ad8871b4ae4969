"""Documents lead back to what they decide, and the records lead to their documents."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from planning import services as planning_services
from planning.models import Decision
from planning.tests.factories import hold_plenary, open_cycle, schedule, submitted_proposal, the_team
from registry import dprd as desk
from registry import official
from registry.tests.factories import PemdaProfileFactory

pytestmark = pytest.mark.django_db


def test_a_request_letter_links_to_its_agreement_and_back(client, tkksd, pimpinan, ppksd, opd):
    from registry.tests.test_dprd import waiting_agreement

    PemdaProfileFactory()
    agreement = waiting_agreement(tkksd, opd)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    letter = official.issue_document(approval.request_letter, actor=pimpinan)
    client.force_login(tkksd)
    page = client.get(letter.get_absolute_url()).content.decode()
    assert 'data-testid="official-subjects"' in page
    assert agreement.get_absolute_url() in page and approval.get_absolute_url() in page
    assert letter.get_absolute_url() in client.get(agreement.get_absolute_url()).content.decode()
    # A PPKSD cannot open official documents: the number shows without a link.
    client.force_login(ppksd)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert letter.number in page and letter.get_absolute_url() not in page


def test_a_berita_acara_links_to_its_plenary_and_the_proposal_to_the_berita_acara(client, tkksd, ppksd, opd):
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle, timezone.localdate() - timedelta(days=0))
    hold_plenary(tkksd, plenary, [(proposal, Decision.DEFERRED, None, "Menunggu kajian")])
    minutes = planning_services.close_plenary(plenary, actor=tkksd)
    client.force_login(tkksd)
    assert plenary.get_absolute_url() in client.get(minutes.get_absolute_url()).content.decode()
    assert minutes.get_absolute_url() in client.get(proposal.get_absolute_url()).content.decode()
    assert minutes.get_absolute_url() in client.get(cycle.get_absolute_url()).content.decode()
    assert client.get(reverse("planning:cycle_list")).status_code == 200


def test_a_programme_decree_links_to_its_cycle_and_each_kind_is_looked_for_in_one_query(
    tkksd, ppksd, opd, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from kerjasama.subjects import subjects_of
    from planning import programme
    from registry.models.official import DocumentKind

    PemdaProfileFactory()
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle, timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        hold_plenary(tkksd, plenary, [(proposal, Decision.PRIORITISED, 1, "")])
        minutes = planning_services.close_plenary(plenary, actor=tkksd)
    decree = programme.draft_programme(cycle, actor=tkksd)
    assert decree.kind == DocumentKind.KEPUTUSAN
    for document, expected in ((decree, cycle), (minutes, plenary)):
        with django_assert_num_queries(1):
            [subject] = subjects_of(document)
        assert subject.url == expected.get_absolute_url()
    # A letter of no DPRD request: one query, for requests only.
    decree.kind = DocumentKind.SURAT
    with django_assert_num_queries(1):
        assert subjects_of(decree) == []
