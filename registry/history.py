"""The change history of a record as people read it (django-simple-history underneath).

Each entry names who changed what and when; each change carries the field's label and its values
as the interface shows them: a choice by its label, a date spelled out, an amount in Rupiah, a
related record by its name, a clause list by the clauses' names. A stage move is described as a
move. A save that changed nothing a person sees is left out rather than shown as a bare "changed".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .clauses import CLAUSES

EMPTY = "—"
TEXT_LIMIT = 160


@dataclass
class Change:
    name: str
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: dt.datetime
    who: str
    action: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _clause_names(codes) -> str:
    """The clauses by name, in the order of the checklist."""
    if not codes:
        return EMPTY
    known = [str(clause.label) for clause in CLAUSES if clause.code in codes]
    return "; ".join(known + [code for code in codes if code not in {clause.code for clause in CLAUSES}])


def shown(model_field: models.Field, value, related: dict) -> str:
    """`value` of `model_field` as the interface writes it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return related.get((model_field.related_model, value), f"#{value}")
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.DateTimeField) and isinstance(value, dt.datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(model_field, models.DateField) and isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(model_field, models.DecimalField) and isinstance(value, Decimal):
        return "Rp" + number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    if model_field.name == "pks_clauses":
        return _clause_names(value)
    text = " ".join(str(value).split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _related_names(model, pairs) -> dict:
    """One query per related model for every key the changes mention."""
    wanted: dict = {}
    for model_field, values in pairs:
        if isinstance(model_field, models.ForeignKey):
            wanted.setdefault(model_field.related_model, set()).update(v for v in values if v is not None)
    names = {}
    for related_model, keys in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=keys):
            names[(related_model, obj.pk)] = str(obj)
    return names


def moves(transitions) -> list[Entry]:
    """The agreement's stage moves (its timeline) as history entries."""
    result = []
    for move in transitions:
        change = Change(
            "stage", capfirst(_("stage")), move.get_from_stage_display() or EMPTY, move.get_to_stage_display()
        )
        who = str(move.actor) if move.actor_id else _("the system")
        result.append(Entry(move.at, who, _("moved the stage"), [change], move.note))
    return result


def merged(*lists: list[Entry]) -> list[Entry]:
    """Entries of several sources in one list, newest first."""
    return sorted((entry for entries_ in lists for entry in entries_), key=lambda entry: entry.when, reverse=True)


def _m2m_names(model_field, rows) -> str:
    """The related records of a many-to-many field's recorded rows by name; a role by its label."""
    from simple_history.utils import get_m2m_reverse_field_name

    from .roles import Role

    key = get_m2m_reverse_field_name(model_field)
    keys = [row[key] for row in rows or ()]
    related = model_field.related_model._default_manager.filter(pk__in=keys)
    names = sorted(str(Role(str(obj)).label) if str(obj) in Role.values else str(obj) for obj in related)
    return ", ".join(names) or EMPTY


def entries(records, model) -> list[Entry]:
    """Readable entries for `records` (a model's historical records, newest first)."""
    records = list(records)
    deltas = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        deltas.append((newer, newer.diff_against(older) if older is not None else None))
    fields = {f.name: f for f in model._meta.concrete_fields}
    fields.update({f.attname: f for f in model._meta.concrete_fields})
    many = {f.name: f for f in model._meta.many_to_many}
    related = _related_names(
        model,
        [
            (fields[change.field], (change.old, change.new))
            for _record, delta in deltas
            if delta
            for change in delta.changes
            if change.field in fields
        ],
    )
    result = []
    for record, delta in deltas:
        who = str(record.history_user) if record.history_user_id else _("the system")
        reason = record.history_change_reason or ""
        if record.history_type == "+":
            result.append(Entry(record.history_date, who, _("created the record"), reason=reason))
            continue
        if record.history_type == "-":
            result.append(Entry(record.history_date, who, _("deleted the record"), reason=reason))
            continue
        changes = []
        for change in delta.changes if delta else ():
            model_field = fields.get(change.field) or many.get(change.field)
            if model_field is None:
                continue
            if model_field.many_to_many:
                old, new = _m2m_names(model_field, change.old), _m2m_names(model_field, change.new)
            else:
                old, new = shown(model_field, change.old, related), shown(model_field, change.new, related)
            if old != new:
                # A user's groups are their roles.
                label = _("Roles") if model_field.name == "groups" else capfirst(str(model_field.verbose_name))
                changes.append(Change(model_field.name, label, old, new))
        if not changes:
            continue
        # A stage move leads its entry.
        changes.sort(key=lambda change: change.name != "stage")
        action = _("moved the stage") if changes[0].name == "stage" else _("made changes")
        result.append(Entry(record.history_date, who, action, changes, reason))
    return result
