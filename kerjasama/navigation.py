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


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Home"), "home", ALL),
    NavItem(
        _("Agreements"),
        "registry:agreement_list",
        (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD, Role.DPRD),
    ),
    NavItem(_("Partners"), "registry:partner_list", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD)),
    NavItem(_("Official documents"), "registry:official_list", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN)),
    NavItem(_("TKKSD"), "registry:tkksd_members", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN)),
    NavItem(_("OPD"), "registry:opd_list", (Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD)),
    NavItem(_("Pemda profile"), "registry:pemda_profile", (Role.ADMIN,)),
    NavItem(_("Administration"), "admin:index", (Role.ADMIN,)),
)


def items_for(user, roles: frozenset[str], path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if not roles & set(item.roles):
            continue
        if item.url_name == "admin:index" and not user.is_staff:
            continue
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
