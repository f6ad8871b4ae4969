"""Every page a role reaches has an outline a screen reader can walk: one h1 first, levels that
never skip (an h2 before any h3), and each card's title a real heading, not a styled div."""

import pytest
from django.core.management import call_command

from kerjasama.tests.crawl import crawl

ROLES = ("tkksd", "bupati", "dprd", "ppksd.dishub", "admin")
PAGES_PER_ROLE = 60
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def outline_problems(tree) -> list[str]:
    problems = []
    for title in tree.xpath(f"//*[{has_class('card-header')} or {has_class('card-title')}]"):
        inner = title.xpath(" | ".join(f".//{tag}" for tag in HEADINGS))
        if title.tag not in HEADINGS and not inner:
            problems.append("card title not a heading: " + " ".join(title.text_content().split())[:60])
    previous = 0
    for heading in tree.xpath("//body//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"):
        level = int(heading.tag[1])
        if level > previous + 1:
            problems.append(f"h{level} after h{previous}: " + " ".join(heading.text_content().split())[:60])
        previous = level
    return problems


@pytest.mark.django_db
def test_every_page_each_role_reaches_has_headings_in_order_and_card_titles_as_headings(client):
    from registry.models import User

    call_command("seed_demo", verbosity=0)
    problems, visited = set(), 0
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        for page in crawl(client, "/", limit=PAGES_PER_ROLE):
            if page.html and page.status == 200:
                visited += 1
                problems |= {(page.path.split("?")[0], problem) for problem in outline_problems(page.tree())}
        client.logout()
    assert visited >= 150
    assert sorted(problems) == []


def test_the_check_finds_a_div_card_title_and_a_skipped_level():
    import lxml.html

    tree = lxml.html.fromstring(
        "<html><body><h1>Halaman</h1><section class='card'><div class='card-header'>Judul</div></section>"
        "<h3>Terlalu dalam</h3></body></html>"
    )
    assert outline_problems(tree) == ["card title not a heading: Judul", "h3 after h1: Terlalu dalam"]
