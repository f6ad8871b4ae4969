"""The main navigation: which role sees which entry. One table, read by the context processor."""

from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from registry.roles import PARTNER_READERS, Role

ALL = tuple(Role.values)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    # Items sharing a group are shown together under one drop-down menu.
    group: str = ""


MONITORING = _("Monitoring")
REFERENCE = _("Reference data")

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Home"), "home", ALL),
    NavItem(
        _("Agreements"),
        "registry:agreement_list",
        (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD, Role.DPRD),
    ),
    NavItem(_("Planning"), "planning:cycle_list", (Role.TKKSD, Role.PPKSD, Role.PIMPINAN, Role.ADMIN)),
    NavItem(_("DPRD approval"), "registry:dprd_queue", (Role.DPRD, Role.TKKSD, Role.PIMPINAN, Role.ADMIN)),
    NavItem(_("Dashboard"), "monitoring:dashboard", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD), MONITORING),
    NavItem(
        _("Reports"),
        "monitoring:report_list",
        (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD, Role.DPRD),
        MONITORING,
    ),
    NavItem(
        _("Evaluations"),
        "monitoring:evaluation_list",
        (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD, Role.DPRD),
        MONITORING,
    ),
    # Less used entries are grouped, so that the bar fits one line of a 1366-pixel office screen.
    NavItem(_("Partners"), "registry:partner_list", PARTNER_READERS, REFERENCE),
    NavItem(_("Import registers"), "registry:import_list", (Role.TKKSD, Role.ADMIN), REFERENCE),
    NavItem(_("Official documents"), "registry:official_list", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN)),
    NavItem(_("TKKSD"), "registry:tkksd_members", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN), REFERENCE),
    NavItem(_("OPD"), "registry:opd_list", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD), REFERENCE),
    NavItem(_("Pemda profile"), "registry:pemda_profile", (Role.ADMIN,), REFERENCE),
    NavItem(_("Delegations"), "registry:delegation_list", (Role.ADMIN, Role.TKKSD, Role.PIMPINAN), REFERENCE),
    NavItem(_("Users"), "registry:user_list", (Role.ADMIN,), REFERENCE),
    NavItem(_("Administration"), "admin:index", (Role.ADMIN,), REFERENCE),
)


@dataclass(frozen=True)
class Menu:
    items: tuple[dict, ...]
    html: str


def menu_for(user, roles: frozenset[str], path: str) -> Menu:
    """The menu of this user on this page, rendered once per process for each combination of
    roles, language and active entry: every page prints it, and it changes only with a deploy."""
    prefix = get_script_prefix()
    # The home entry is active on the home page only; the others on every page below them.
    matching = [url for url in _urls(prefix).values() if path == url or (url != "/" and path.startswith(url))]
    active = max(matching, key=len, default="")
    return _menu(roles, user.is_staff, translation.get_language(), prefix, active)


@lru_cache(maxsize=8)
def _urls(script_prefix: str) -> dict[str, str]:
    return {item.url_name: reverse(item.url_name) for item in NAV_ITEMS}


@lru_cache(maxsize=512)
def _menu(roles: frozenset[str], is_staff: bool, language: str, script_prefix: str, active_url: str) -> Menu:
    items: list[dict] = []
    groups: dict[str, dict] = {}
    for item in NAV_ITEMS:
        if not roles & set(item.roles):
            continue
        if item.url_name == "admin:index" and not is_staff:
            continue
        url = _urls(script_prefix)[item.url_name]
        entry = {"label": item.label, "url": url, "active": url == active_url}
        if not item.group:
            items.append(entry)
            continue
        if item.group not in groups:
            groups[item.group] = {"label": item.group, "children": [], "active": False}
            items.append(groups[item.group])
        groups[item.group]["children"].append(entry)
        groups[item.group]["active"] |= entry["active"]
    return Menu(items=tuple(items), html=render_to_string("includes/nav_menu.html", {"nav_items": items}))


def labels_of(items: list[dict]) -> set[str]:
    """Every label a user can reach, groups opened."""
    return {str(child["label"]) for item in items for child in item.get("children", [item])}
