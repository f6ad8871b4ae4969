"""Concurrent writers, released together from threads, on the configured database (PostgreSQL in
CI, the embedded SQLite file on a laptop): a stage move and edits of one agreement, and many
edits read from one version. Nothing is lost and every record agrees with the others."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from kerjasama.tests.test_concurrency import post_data
from registry.models import Agreement, Stage, Transition
from registry.tests.factories import make_agreement

STALE = "Orang lain telah menyimpan perubahan"


def run_together(actions):
    """Run each action in its own thread, released at the same moment; their results in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=30)
            results[index] = action()
        except Exception as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stage_at(transitions: list[Transition], moment) -> str:
    """The stage the timeline gives for `moment`."""
    return [t.to_stage for t in transitions if t.at <= moment][-1]


@pytest.mark.django_db(transaction=True)
def test_a_stage_move_and_edits_released_together_always_agree(tkksd, make_user):
    from registry.roles import Role

    editors = [tkksd, *(make_user(Role.TKKSD, username=f"tkksd.{n}") for n in range(3))]
    for trial in range(20):
        agreement = make_agreement(tkksd, title=f"Percobaan {trial}")
        edit_url = reverse("registry:agreement_edit", args=[agreement.pk])
        clients = [logged_in(user) for user in editors]
        forms = [client.get(edit_url).context["form"] for client in clients[1:]]

        def move(client=clients[0], pk=agreement.pk):
            return client.post(
                reverse("registry:agreement_advance", args=[pk]),
                {"to_stage": Stage.DIBATALKAN, "expected_stage": Stage.PERSIAPAN, "note": "Mitra mengundurkan diri."},
            )

        def edit(client, form, number, url=edit_url):
            return lambda: client.post(url, post_data(form, title=f"Judul dari penyunting {number}"))

        edits = [edit(c, f, n) for n, (c, f) in enumerate(zip(clients[1:], forms, strict=True))]
        results = run_together([move, *edits])
        for result in results:
            assert not isinstance(result, Exception), result
            assert result.status_code in (200, 302)

        agreement = Agreement.objects.get(pk=agreement.pk)
        transitions = list(agreement.transitions.order_by("at", "pk"))
        # The move holds, whatever the edits did.
        assert agreement.stage == Stage.DIBATALKAN, f"trial {trial}: the move was undone"
        assert [t.to_stage for t in transitions] == [Stage.PERSIAPAN, Stage.DIBATALKAN]
        # Exactly one edit of the title was saved; the two others were refused, not lost silently.
        saved = [n for n, result in enumerate(results[1:]) if result.status_code == 302]
        refused = [n for n, result in enumerate(results[1:]) if STALE in result.content.decode()]
        assert len(saved) == 1 and len(refused) == 2, f"trial {trial}: saved {saved}, refused {refused}"
        assert agreement.title == f"Judul dari penyunting {saved[0]}"
        # Every historical record shows the stage the timeline gives for its moment.
        history = list(agreement.history.order_by("history_date", "history_id"))
        for record in history:
            assert record.stage == stage_at(transitions, record.history_date), f"trial {trial}"
        assert history[-1].stage == agreement.stage
        assert history[-1].title == agreement.title


@pytest.mark.django_db(transaction=True)
def test_many_edits_read_from_one_version_save_one_and_refuse_the_rest(tkksd):
    agreement = make_agreement(tkksd, title="Judul awal")
    edit_url = reverse("registry:agreement_edit", args=[agreement.pk])
    clients = [logged_in(tkksd) for _ in range(12)]
    form = clients[0].get(edit_url).context["form"]

    results = run_together(
        [lambda c=c, n=n: c.post(edit_url, post_data(form, title=f"Judul {n}")) for n, c in enumerate(clients)]
    )
    for result in results:
        assert not isinstance(result, Exception), result
    saved = [n for n, result in enumerate(results) if result.status_code == 302]
    refused = [n for n, result in enumerate(results) if result.status_code == 200 and STALE in result.content.decode()]
    assert len(saved) == 1
    assert len(refused) == len(clients) - 1
    agreement.refresh_from_db()
    assert agreement.title == f"Judul {saved[0]}"
    assert agreement.version == 2


@pytest.mark.django_db(transaction=True)
def test_two_ppksd_revising_one_returned_report_keep_one_text_and_tell_the_other(tkksd, ppksd, make_user, opd):
    import datetime as dt

    from monitoring import services
    from monitoring.tests.helpers import report_data, running
    from registry.roles import Role

    colleague = make_user(Role.PPKSD, username="ppksd.rekan", opd=opd)
    agreement = running(tkksd, opd=opd)
    report = services.file_report(
        agreement, actor=ppksd, period=dt.date(2025, 3, 1), data=report_data(), today=dt.date(2025, 4, 2)
    )
    services.review_report(report, actor=tkksd, decision="return", note="Lengkapi angka realisasi.")
    url = reverse("monitoring:report_edit", args=[report.pk])
    clients = [logged_in(ppksd), logged_in(colleague)]
    forms = [client.get(url).context["form"] for client in clients]

    results = run_together(
        [
            lambda c=c, f=f, n=n: c.post(url, post_data(f, activities=f"Kegiatan menurut PPKSD {n}."))
            for n, (c, f) in enumerate(zip(clients, forms, strict=True))
        ]
    )
    codes = sorted(result.status_code for result in results)
    assert codes == [200, 302]
    loser = next(result for result in results if result.status_code == 200)
    assert STALE in loser.content.decode()
    winner = next(n for n, result in enumerate(results) if result.status_code == 302)
    report.refresh_from_db()
    assert report.activities == f"Kegiatan menurut PPKSD {winner}."
