"""Every form each role reaches answers hostile input with a form error or a message, never a 5xx.

The demo Pemda is seeded once; each role walks the app from its home page and from every page of
the URL resolver that takes no argument, following links (kerjasama.tests.crawl) to a few pages of
each route (an agreement at another stage shows other forms). Every <form method="post"> found on
the way is filled as a browser would (hidden fields and the CSRF token kept, a select's chosen or
first choice, checked boxes), then posted once per hostile value in all its typed fields at once,
and once per field with that field alone hostile. A form that appears on many pages (the same
route and fields) is tried once per role.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from kerjasama.tests.crawl import SKIPPED, Page, links_of

# The Admin goes last: their forms deactivate users and change roles.
ROLES = ("tkksd", "sekda", "bupati", "dprd", "ppksd.dishub", "admin")
PAGES_PER_ROLE = 160
# Pages visited of one route (one agreement per stage seen is not needed; a few are).
PAGES_PER_ROUTE = 3

HOSTILE = {
    "markup": "<script>alert(1)</script>",
    "nul": "Nama\x00tamu",
    "bidi": "\u202eevil\u200b\u200d\ufeff",
    "long": "x" * 100_000,
    "huge-float": "1e308",
    "negative": "-1",
    "huge-int": "99999999999999999999999",
    "first-day": "0001-01-01",
    "last-day": "9999-12-31",
    "no-such-day": "2026-02-30",
}
# Posted into each field alone, by the kind of input: the values that reach its own parsing.
ONE_AT_A_TIME = {
    "date": ("first-day", "last-day", "no-such-day"),
    "number": ("huge-int", "huge-float", "negative"),
    "text": ("nul", "long", "huge-int"),
}

# Forms not posted: leaving the session ends the walk.
SKIPPED_ACTIONS = re.compile(r"/keluar|/logout")
# Inputs whose value is not typed by a person.
FIXED_TYPES = {"hidden", "submit", "button", "image", "reset", "file"}


@dataclass
class Form:
    page: str
    action: str
    base: dict[str, list[str]]
    # The fields a person fills, each with its kind ("date", "number" or "text").
    typed: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (_route(self.action), tuple(sorted(self.base)))


def _route(path: str) -> str:
    try:
        return resolve(path.split("?")[0]).route
    except Resolver404:
        return path


def _plain_routes(resolver=None, prefix: str = "") -> list[str]:
    """The paths of every URL pattern that takes no argument, from the URL resolver."""
    paths = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = str(pattern.pattern)
        if "<" in route or route.startswith("^") or "(" in route:
            continue
        if isinstance(pattern, URLResolver):
            paths += _plain_routes(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            paths.append("/" + prefix + route)
    return [path for path in paths if not SKIPPED.search(path) and not SKIPPED_ACTIONS.search(path)]


def walk(client) -> list[Page]:
    """The pages a role reaches: from "/" and each argument-free route, by links, breadth first."""
    queue = ["/", *_plain_routes()]
    queued, per_route, pages = set(queue), {}, []
    while queue and len(pages) < PAGES_PER_ROLE:
        path = queue.pop(0)
        route = _route(path)
        if per_route.get(route, 0) >= PAGES_PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path)
        html = response.content.decode() if "text/html" in response.get("Content-Type", "") else ""
        page = Page(path, response.status_code, html)
        pages.append(page)
        if html:
            for link in links_of(page):
                if link not in queued:
                    queued.add(link)
                    queue.append(link)
    return pages


def forms_of(page_path: str, html: str) -> list[Form]:
    """The POST forms of a page, filled as a browser would submit them untouched."""
    found = []
    for element in lxml.html.fromstring(html).xpath("//form"):
        if (element.get("method") or "get").lower() != "post":
            continue
        action = urlparse(urljoin("http://testserver" + page_path, element.get("action") or page_path))
        if action.netloc != "testserver" or SKIPPED_ACTIONS.search(action.path):
            continue
        base: dict[str, list[str]] = {}
        typed: dict[str, str] = {}
        # Inputs may belong to the form through form="id" as well.
        form_id = element.get("id")
        controls = element.xpath(".//input|.//select|.//textarea")
        if form_id:
            controls += element.getroottree().xpath(f"//*[@form='{form_id}']")
        for control in controls:
            name = control.get("name")
            if not name or control.get("disabled") is not None:
                continue
            kind = (control.get("type") or "text").lower() if control.tag == "input" else control.tag
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if control.get("checked") is not None:
                    base.setdefault(name, []).append(control.get("value") or "on")
                elif kind == "radio":
                    base.setdefault(name, [])
                typed.setdefault(name, "text")
                continue
            if control.tag == "select":
                options = control.xpath(".//option")
                chosen = [o.get("value", o.text or "") for o in options if o.get("selected") is not None]
                if not chosen:
                    chosen = [next((o.get("value", "") for o in options if o.get("value")), "")]
                base[name] = chosen
            elif control.tag == "textarea":
                base[name] = [control.text or ""]
            else:
                base[name] = [control.get("value") or ""]
            if kind not in FIXED_TYPES:
                typed.setdefault(name, kind if kind in ("date", "number") else "text")
        # A radio group with none checked: its first choice.
        for name, values in base.items():
            if not values:
                first = element.xpath(f".//input[@type='radio'][@name='{name}']/@value")
                base[name] = first[:1]
        found.append(Form(page_path, action.path + (f"?{action.query}" if action.query else ""), base, typed))
    return found


def _post(client, form: Form, data: dict, problems: list, label: str) -> None:
    response = client.post(form.action, data)
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        problems.append((form.page, form.action, label, response.status_code, repr(error[1])[:300] if error else ""))


def attack(client, form: Form, problems: list, *, each_field: bool = True) -> int:
    """Post the corpus into `form`, all fields at once and, with `each_field`, one field at a
    time; returns the number of posts."""
    posts = 0
    for name, value in HOSTILE.items():
        data = {**form.base, **{field_name: [value] for field_name in form.typed}}
        _post(client, form, data, problems, f"all fields: {name}")
        posts += 1
    for field_name, kind in form.typed.items() if each_field else ():
        for name in ONE_AT_A_TIME[kind]:
            _post(client, form, {**form.base, field_name: [HOSTILE[name]]}, problems, f"{field_name}: {name}")
            posts += 1
    return posts


@pytest.mark.django_db
def test_no_form_of_any_role_answers_hostile_input_with_a_server_error(client):
    from registry.models import User

    call_command("seed_demo", verbosity=0)
    client.raise_request_exception = False
    problems: list = []
    tried: dict[str, int] = {}
    # A form another role already had field by field gets the corpus all at once only.
    done: set[tuple] = set()
    started = time.monotonic()
    for username in ROLES:
        user = User.objects.get(username=username)
        client.force_login(user)
        seen: set[tuple] = set()
        forms = []
        for page in walk(client):
            assert page.status < 500, (username, page.path)
            if page.html:
                for form in forms_of(page.path, page.html):
                    if form.key not in seen:
                        seen.add(form.key)
                        forms.append(form)
        tried[username] = len(forms)
        for form in forms:
            attack(client, form, problems, each_field=form.key not in done)
            done.add(form.key)
            # A form may have ended the session (a password change); the walk goes on logged in.
            client.force_login(User.objects.get(pk=user.pk))
        client.logout()
    assert problems == [], "Server errors:\n" + "\n".join(" · ".join(map(str, problem)) for problem in problems)
    # The walk reaches the forms that matter: the Admin's and TKKSD's editing work.
    assert tried["admin"] >= 10 and tried["tkksd"] >= 10 and tried["ppksd.dishub"] >= 3, tried
    assert time.monotonic() - started < 600
