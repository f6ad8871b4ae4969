"""Planning tests read messages in English, the source language, so that they keep passing
whether or not the Indonesian catalogue already holds their translation."""

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(request):
    if "browser" in request.keywords:
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
