"""The change history reads as people write: labels, human values, stage moves described."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from registry import history, lifecycle, services
from registry.clauses import CLAUSES
from registry.models import Agreement, DocumentType, Stage, Urusan

from .factories import make_agreement, upload


def edit(agreement, actor, **changes):
    agreement.refresh_from_db()
    return services.update_agreement(agreement, actor=actor, changes=changes, partners=list(agreement.partners.all()))


def latest(agreement):
    agreement.refresh_from_db()
    return history.entries(agreement.history.order_by("-history_date"), Agreement)


def changes_of(entry):
    return {change.label: (change.old, change.new) for change in entry.changes}


@pytest.mark.django_db
def test_each_kind_of_change_reads_with_its_label_and_human_values(tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd)
    edit(
        agreement,
        tkksd,
        start_date=date(2026, 12, 1),
        value=Decimal("1500000000"),
        burdens_community=True,
        urusan=Urusan.objects.get(code="1.03"),
    )
    entry = latest(agreement)[0]
    changes = changes_of(entry)
    assert entry.who == str(tkksd) and entry.action == "mengubah"
    assert changes["Tanggal mulai"] == ("—", "1 Desember 2026")
    assert changes["Nilai (Rp)"][1] == "Rp1.500.000.000"
    assert changes["Membebani masyarakat dan daerah"] == ("tidak", "ya")
    old_urusan, new_urusan = changes["Urusan pemerintahan"]
    assert new_urusan == str(Urusan.objects.get(code="1.03")) and not old_urusan.startswith("#")
    assert latest(agreement)[-1].action == "membuat catatan ini"


@pytest.mark.django_db
def test_a_stage_move_leads_its_entry_by_the_stages_labels(client, tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS)
    services.set_pks_contents(agreement, actor=tkksd, clauses=["parties", "object"], legal_analysis="Sesuai.")
    assert changes_of(latest(agreement)[0])["Klausul PKS yang ada"] == ("—", "subjek dan para pihak; objek")

    services.set_pks_contents(
        agreement, actor=tkksd, clauses=[c.code for c in CLAUSES], legal_analysis="Sesuai peraturan."
    )
    upload(agreement, tkksd, DocumentType.DRAF_PKS)
    lifecycle.advance(agreement, Stage.PENANDATANGANAN_PKS, actor=tkksd)
    agreement.refresh_from_db()
    entry = history.merged(latest(agreement), history.moves(agreement.transitions.all()))[0]
    assert entry.who == str(tkksd)
    assert entry.action == "memindahkan tahap"
    assert (entry.changes[0].label, entry.changes[0].old, entry.changes[0].new) == (
        "Tahap",
        "Penyusunan Perjanjian Kerja Sama (PKS)",
        "Penandatanganan Perjanjian Kerja Sama (PKS)",
    )
    client.force_login(tkksd)
    html = client.get(reverse("registry:agreement_history", args=[agreement.pk])).content.decode()
    assert "memindahkan tahap" in html
    assert "Penyusunan Perjanjian Kerja Sama (PKS) → Penandatanganan Perjanjian Kerja Sama (PKS)" in html


@pytest.mark.django_db
def test_a_save_that_changes_nothing_visible_is_left_out_and_the_page_shows_labels(client, tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd)
    count = len(latest(agreement))
    agreement.refresh_from_db()
    agreement.save()  # e.g. a recomputed search document: no field a person reads changed
    assert len(latest(agreement)) == count
    edit(agreement, tkksd, title="Pengelolaan Sampah Regional Terpadu")
    client.force_login(tkksd)
    html = client.get(reverse("registry:agreement_history", args=[agreement.pk])).content.decode()
    assert "<strong>Judul</strong>: Pengelolaan Sampah Regional → Pengelolaan Sampah Regional Terpadu" in html
    assert "<strong>title</strong>" not in html
