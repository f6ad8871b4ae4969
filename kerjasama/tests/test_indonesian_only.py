"""Every page a role reaches from its home reads in Indonesian: no string of an English catalogue.

The English catalogue is every message of the project and of Django and django-filter whose
Indonesian translation differs from it; a text or a placeholder, title or label on a page equal to
one of them is English left in the Indonesian interface (an untranslated string, a widget's default).
"""

import re
from pathlib import Path

import django
import django_filters
import polib
import pytest
from django.core.management import call_command

from kerjasama.tests.crawl import crawl

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("tkksd", "bupati", "dprd", "ppksd.dishub", "admin")
PAGES_PER_ROLE = 70


def catalogue(path: Path) -> list[polib.POEntry]:
    return list(polib.pofile(str(path))) if path.exists() else []


def english_only_strings() -> set[str]:
    indonesian = {
        entry.msgid: entry.msgstr for entry in catalogue(ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po")
    }
    sources = [ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    for package in (django, django_filters):
        sources += Path(package.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po")
    strings = set()
    for source in sources:
        for entry in catalogue(source):
            text = " ".join(entry.msgid.split())
            # Single words ("Status", "Total") are Indonesian too; a phrase is not.
            if len(text.split()) >= 2 and "%" not in text and "{" not in text and indonesian.get(entry.msgid) != text:
                strings.add(text)
    return strings


def texts_of(page) -> list[str]:
    tree = page.tree()
    for element in tree.xpath("//script|//style"):
        element.drop_tree()
    texts = tree.xpath("//text()") + tree.xpath("//@placeholder|//@title|//@aria-label|//@alt")
    return [" ".join(text.split()) for text in texts if text.strip()]


@pytest.mark.django_db
def test_every_page_each_role_reaches_is_indonesian_and_open_to_it(client):
    """One seeding of the demo Pemda, then each role walks from its home page.

    A link leads only to a page its reader may open: no link answers 403 or 404.
    """
    from registry.models import User

    call_command("seed_demo", verbosity=0)
    english = english_only_strings()
    problems, refused, visited = [], [], {}
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        visited[username] = 0
        for page in crawl(client, "/", limit=PAGES_PER_ROLE):
            visited[username] += 1
            assert page.status < 500, (username, page.path)
            if page.status >= 400:
                refused.append((username, page.status, page.path))
            if not page.html:
                continue
            for text in texts_of(page):
                if text in english or re.sub(r"[:.]$", "", text) in english:
                    problems.append((username, page.path, text))
        client.logout()
    assert all(count >= 15 for count in visited.values()), visited
    assert problems == []
    assert refused == []


def test_the_empty_choice_of_a_select_is_indonesian(db):
    from django import forms

    from registry.models import Agreement

    field = Agreement._meta.get_field("kind").formfield()
    assert isinstance(field, forms.TypedChoiceField)
    assert field.choices[0] == ("", "— Pilih —")
