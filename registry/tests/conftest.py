"""Fixtures shared by the registry's tests."""

import pytest

from registry import official


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a document and run what follows the commit (the render task, eager in tests)."""

    def run(document, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            issued = official.issue_document(document, **kwargs)
        issued.refresh_from_db()
        return issued

    return run
