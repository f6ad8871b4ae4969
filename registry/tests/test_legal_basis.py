"""Mengingat from the legal-basis catalogue, with Lembaran Negara numbers and amendments."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from registry import official
from registry.models import DocumentKind, LegalBasis, PemdaProfile, RegulationKind
from registry.official import legal


def flat_text(content: bytes) -> str:
    text = "\n".join(page.extract_text().replace("\u2010\n", "") for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(re.sub(r"-\n", "", text).split())


UU_23 = (
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Republik Indonesia Tahun 2014 "
    "Nomor 244, Tambahan Lembaran Negara Republik Indonesia Nomor 5587) sebagaimana telah diubah beberapa kali "
    "terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti "
    "Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang (Lembaran Negara Republik "
    "Indonesia Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia Nomor 6856);"
)
PP_28 = (
    "Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah (Lembaran Negara Republik Indonesia Tahun "
    "2018 Nomor 97, Tambahan Lembaran Negara Republik Indonesia Nomor 6219);"
)


@pytest.mark.django_db
def test_the_seeded_catalogue_cites_laws_with_their_promulgation():
    citations = [legal.citation(basis) for basis in legal.catalogue()]
    assert "Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;" in citations
    assert UU_23 in citations and PP_28 in citations


@pytest.mark.django_db
def test_a_regional_regulation_names_its_lembaran_daerah():
    perda = LegalBasis(
        kind=RegulationKind.PERDA,
        number="5",
        year=2021,
        title="Kerja Sama Daerah",
        region="Kabupaten Sleman",
        gazette_number="5",
        supplement_number="172",
    )
    assert legal.citation(perda) == (
        "Peraturan Daerah Kabupaten Sleman Nomor 5 Tahun 2021 tentang Kerja Sama Daerah (Lembaran Daerah Kabupaten "
        "Sleman Tahun 2021 Nomor 5, Tambahan Lembaran Daerah Kabupaten Sleman Nomor 172);"
    )


@pytest.mark.django_db
def test_the_default_list_puts_the_constitution_then_the_regencys_formation_law(profile):
    PemdaProfile.objects.filter(pk=1).update(
        formation_law="Undang-Undang Nomor 15 Tahun 1950 tentang Pembentukan Daerah-daerah Kabupaten dalam "
        "Lingkungan Daerah Istimewa Jogjakarta"
    )
    lines = legal.default_mengingat(DocumentKind.KEPUTUSAN)
    assert lines[0].startswith("Pasal 18 ayat (6)")
    assert lines[1].startswith("Undang-Undang Nomor 15 Tahun 1950") and lines[1].endswith(";")
    assert lines[2] == UU_23
    assert legal.default_mengingat(DocumentKind.SURAT) == [lines[1]]


@pytest.mark.django_db
def test_an_inactive_entry_is_not_cited(profile):
    LegalBasis.objects.filter(kind=RegulationKind.PP).update(is_active=False)
    assert PP_28 not in legal.default_mengingat(DocumentKind.KEPUTUSAN)


@pytest.mark.django_db
def test_the_tkksd_decree_prints_mengingat_from_the_catalogue(profile, tkksd, pimpinan, issue):
    from registry.models import TkksdMember

    TkksdMember.objects.create(name="Bambang", position="Sekretaris Daerah", team_role="ketua")
    draft = official.draft_tkksd_decree(actor=tkksd, year=2026)
    assert UU_23 in draft.draft_data["mengingat"]
    issued = issue(draft, actor=pimpinan, issue_date=date(2026, 11, 23))
    text = flat_text(official.read_issued(issued))
    assert "Lembaran Negara Republik Indonesia Tahun 2014 Nomor 244" in text
    assert "Tambahan Lembaran Negara Republik Indonesia Nomor 6219" in text
    # In the order of the catalogue: the constitution, the law, the regulation.
    assert text.index("Pasal 18 ayat (6)") < text.index("Nomor 23 Tahun 2014") < text.index("Nomor 28 Tahun 2018")


@pytest.mark.django_db
def test_the_drafter_adds_and_removes_entries(client, tkksd, decree):
    client.force_login(tkksd)
    url = reverse("registry:official_edit", args=[decree.pk])
    form = client.get(url).context["form"]
    pp = LegalBasis.objects.get(kind=RegulationKind.PP)
    data = {
        "title": decree.title,
        "paper": "F4",
        "menimbang": "bahwa perlu;",
        "mengingat": "Undang-Undang yang lain;",  # the draft's own line; the rest removed
        "diktum": "Kesatu.",
        "tembusan": "",
        "mengingat_add": [str(pp.pk)],
        "edition": form["edition"].value(),
    }
    assert client.post(url, data).status_code == 302
    decree.refresh_from_db()
    assert decree.draft_data["mengingat"] == ["Undang-Undang yang lain;", PP_28]


@pytest.mark.django_db
def test_admin_edits_the_catalogue(client, admin_user):
    client.force_login(admin_user)
    basis = LegalBasis.objects.get(kind=RegulationKind.PERMENDAGRI, number="22")
    page = client.get(reverse("admin:registry_legalbasis_change", args=[basis.pk]))
    assert page.status_code == 200
    assert "Peraturan Menteri Dalam Negeri Nomor 22 Tahun 2020" in page.content.decode()
