"""Fixtures shared by the registry's tests."""

import pytest

from registry import official
from registry.models import DocumentKind
from registry.tests.factories import PemdaProfileFactory
from registry.tests.official_data import keputusan_data, surat_data


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a document and run what follows the commit (the render task, eager in tests)."""

    def run(document, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            issued = official.issue_document(document, **kwargs)
        issued.refresh_from_db()
        return issued

    return run


@pytest.fixture
def profile(db):
    return PemdaProfileFactory()


@pytest.fixture
def letter_series(db):
    return official.series_for("surat-kerja-sama")


@pytest.fixture
def letter(profile, tkksd, letter_series):
    return official.create_draft(
        actor=tkksd, kind=DocumentKind.SURAT, series=letter_series, title="Permohonan persetujuan", data=surat_data()
    )


@pytest.fixture
def decree(profile, tkksd):
    return official.create_draft(
        actor=tkksd,
        kind=DocumentKind.KEPUTUSAN,
        series=official.series_for("keputusan-bupati"),
        title="Rencana Program Kerja Sama Daerah Tahun 2027",
        data=keputusan_data(),
        paper="F4",
    )
