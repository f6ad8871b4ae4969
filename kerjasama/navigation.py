"""The main navigation: which role sees which entry. One table, read by the context processor."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registry.roles import Role

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
    NavItem(_("Partners"), "registry:partner_list", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD)),
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
    NavItem(_("Official documents"), "registry:official_list", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN)),
    NavItem(_("TKKSD"), "registry:tkksd_members", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN), REFERENCE),
    NavItem(_("OPD"), "registry:opd_list", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD), REFERENCE),
    NavItem(_("Pemda profile"), "registry:pemda_profile", (Role.ADMIN,), REFERENCE),
    NavItem(_("Administration"), "admin:index", (Role.ADMIN,), REFERENCE),
)


def items_for(user, roles: frozenset[str], path: str) -> list[dict]:
    """The entries this user sees, in order; grouped items become one entry with `children`."""
    items: list[dict] = []
    groups: dict[str, dict] = {}
    for item in NAV_ITEMS:
        if not roles & set(item.roles):
            continue
        if item.url_name == "admin:index" and not user.is_staff:
            continue
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        entry = {"label": item.label, "url": url, "active": active}
        if not item.group:
            items.append(entry)
            continue
        if item.group not in groups:
            groups[item.group] = {"label": item.group, "children": [], "active": False}
            items.append(groups[item.group])
        groups[item.group]["children"].append(entry)
        groups[item.group]["active"] |= active
    return items


def labels_of(items: list[dict]) -> set[str]:
    """Every label a user can reach, groups opened."""
    return {str(child["label"]) for item in items for child in item.get("children", [item])}
