"""Edits that never overwrite each other: optimistic concurrency for every edit form.

Every edited record carries a `version`, raised by one each time an edit form's content is
saved. The form carries an *edition* of what it was read from: the version and a short digest
of each field the form shows, signed so that a client cannot forge it. The service that saves
the edit locks the row and compares:

- same version: nobody saved an edit meanwhile; the edit is written;
- another version, but none of the form's fields changed (someone saved another form of the
  same record, e.g. the PKS contents beside the agreement's details): the edit is written;
- a field of the form changed meanwhile: the edit is refused with `StaleEdit`, which names
  those fields. The form keeps the user's input, shows what changed and takes the current
  edition, so that saving again applies the input knowingly over the newer data.

Each form writes only its own fields (`save_edit` saves with `update_fields`); lifecycle fields
(stages, statuses, numbers, issued content) are written by their own services only.
"""

import hashlib
import json
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.errors import ServiceError

VERSION_FIELD = "version"
_SALT = "kerjasama.concurrency.edition"
# A signed edition is a few hundred characters; anything much longer was not made here.
MAX_TOKEN = 4000


@dataclass(frozen=True)
class Edition:
    """What an edit form was read from: the record's version and a digest per field it shows."""

    version: int
    digests: dict[str, str] | None = None


class StaleEdit(ServiceError):
    """The record changed in a field the edit shows since the edit was read."""

    def __init__(self, current: models.Model, changed: list[str]):
        self.current = current
        self.changed = changed
        super().__init__(
            _(
                "Someone else saved changes to this record while you were editing it. Your input has not been "
                "saved; it is still in the form. Check what changed, then save again to apply your input."
            )
        )


def _normalise(value) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, models.QuerySet | list | tuple | set):
        items = [_normalise(item) for item in value]
        return json.dumps(sorted(items) if isinstance(value, set | models.QuerySet) else items)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return "" if value is None else str(value)


def field_value(instance: models.Model, name: str):
    """The value of a concrete or many-to-many field, comparable across readings."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        if instance.pk is None:
            return set()
        return {str(pk) for pk in getattr(instance, name).values_list("pk", flat=True)}
    if field.is_relation:
        return getattr(instance, field.attname)
    return field.value_from_object(instance)


def digest(instance: models.Model, name: str) -> str:
    return hashlib.blake2b(_normalise(field_value(instance, name)).encode(), digest_size=8).hexdigest()


def edition_of(instance: models.Model, fields) -> Edition:
    return Edition(getattr(instance, VERSION_FIELD), {name: digest(instance, name) for name in fields})


def sign(edition: Edition) -> str:
    return signing.dumps({"v": edition.version, "d": edition.digests}, salt=_SALT, compress=True)


def unsign(token: str) -> Edition | None:
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("v"), int):
        return None
    digests = data.get("d")
    return Edition(data["v"], digests if isinstance(digests, dict) else None)


def check_edition(current: models.Model, edition: Edition | None, fields) -> None:
    """Refuse an edit read from an older version whose fields changed since (see the module).

    `current` is the row as locked by the caller; `edition` None skips the check (the system,
    imports and the demo write without a form).
    """
    if edition is None or edition.version == getattr(current, VERSION_FIELD):
        return
    if edition.digests is None:
        raise StaleEdit(current, list(fields))
    changed = [name for name in fields if edition.digests.get(name) != digest(current, name)]
    if changed:
        raise StaleEdit(current, changed)


def lock(model: type[models.Model], pk) -> models.Model:
    """The row, locked until the end of the caller's transaction."""
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


def apply(instance: models.Model, changes: dict) -> list[str]:
    """Set a form's cleaned values on `instance` as a ModelForm would; returns the concrete fields set.

    A file field without a new upload keeps its file; many-to-many fields are the caller's.
    """
    written = []
    for name, value in changes.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            continue
        if isinstance(field, models.FileField) and value is None:
            continue
        field.save_form_data(instance, value)
        written.append(name)
    return written


def save_edit(instance: models.Model, fields, *, actor=None) -> None:
    """Save `fields` of an existing row as an edit: its version goes up by one, nothing else is written."""
    setattr(instance, VERSION_FIELD, getattr(instance, VERSION_FIELD) + 1)
    update_fields = [*fields, VERSION_FIELD]
    if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    if actor is not None:
        instance._history_user = actor
    instance.save(update_fields=list(dict.fromkeys(update_fields)))


def edit(
    model: type[models.Model],
    pk,
    changes: dict,
    *,
    edition: Edition | None,
    actor=None,
    compared=None,
    check=None,
    validate=None,
    also=(),
) -> models.Model:
    """Lock the row, let `check(locked)` refuse the edit, refuse a stale edition, apply `changes`,
    let `validate(locked)` refuse the result, and write the changed fields (and `also`, fields
    the service derives from them).

    `compared` names the fields whose change meanwhile makes the edit stale (default: the
    changed fields). Must run inside a transaction.
    """
    locked = lock(model, pk)
    if check is not None:
        check(locked)
    check_edition(locked, edition, compared if compared is not None else list(changes))
    written = apply(locked, changes)
    if validate is not None:
        validate(locked)
    save_edit(locked, [*written, *also], actor=actor)
    return locked


# --- forms -------------------------------------------------------------------------------------------


def _display(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(instance, name).all()) or "—"
    value = getattr(instance, name)
    if field.choices and not isinstance(value, list):
        return str(getattr(instance, f"get_{name}_display")()) if value not in (None, "") else "—"
    if value in (None, "") or (isinstance(field, models.FileField) and not value):
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, models.DateTimeField):
        return date_format(value, "j F Y H.i")
    if isinstance(field, models.DateField):
        return date_format(value, "j F Y")
    if isinstance(field, models.DecimalField | models.IntegerField):
        return number_format(value, force_grouping=True)
    if isinstance(value, list | dict):
        return ", ".join(str(item) for item in value) if isinstance(value, list) else json.dumps(value)
    text = str(value)
    return text if len(text) <= 200 else f"{text[:200]}…"


def changes_description(error: StaleEdit, labels: dict[str, str] | None = None):
    """The fields that changed meanwhile with their current values, as HTML for a form error."""
    labels = labels or {}
    current = error.current
    rows = [
        (labels.get(name) or str(current._meta.get_field(name).verbose_name).capitalize(), _display(current, name))
        for name in error.changed
    ]
    return format_html(
        "{}<ul class='mb-0'>{}</ul>",
        error.message,
        format_html_join("", "<li>{}: <strong>{}</strong></li>", rows),
    )


def _is_model_field(instance: models.Model, name: str) -> bool:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return not field.auto_created and (field.concrete or field.many_to_many)


class EditionInput(forms.HiddenInput):
    """The hidden edition without an id: a page with two edit forms would otherwise repeat
    "id_edition", and nothing refers to this input by its id."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("id", None)
        return context


class EditionField(forms.CharField):
    """The signed edition, hidden. Whatever a client sends in it is checked by the form's
    `clean_edition`, whose error is shown above the form (a hidden field's would not be)."""

    widget = EditionInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators = []


class ConcurrentEditMixin:
    """A form that carries the edition of the record it edits (hidden field `edition`).

    ModelForms set it from their instance and their own fields; other forms call
    `carry_edition(record, fields)`. `edition` is None for a new record. After a `StaleEdit`,
    `refuse_stale(error)` keeps the input, shows what changed and takes the current edition.
    """

    edition_fields: list[str] | None = None

    def carry_edition(self, record: models.Model | None, fields) -> None:
        self.edited_record = record
        self.edition_fields = list(fields)
        self.fields["edition"] = EditionField()
        if record is not None and record.pk is not None:
            self.fields["edition"].initial = sign(edition_of(record, self.edition_fields))

    def setup_model_edition(self) -> None:
        """For a ModelForm: the edition of its instance over the model fields it shows and may change."""
        instance = self.instance
        fields = [name for name, field in self.fields.items() if not field.disabled and _is_model_field(instance, name)]
        self.carry_edition(instance if instance.pk else None, fields)

    def clean_edition(self):
        token = self.cleaned_data.get("edition") or ""
        if getattr(self, "edited_record", None) is None:
            return None
        edition = unsign(token) if token and len(token) <= MAX_TOKEN and "\x00" not in token else None
        if edition is None:
            # Shown above the form (the field is hidden); the form is invalid and saves nothing.
            self.add_error(None, _("The form could not be read; reload the page and enter your changes again."))
        return edition

    @property
    def edition(self) -> Edition | None:
        return self.cleaned_data.get("edition") if hasattr(self, "cleaned_data") else None

    def model_changes(self) -> dict:
        """The cleaned values of the model fields this form shows and may change, many-to-many
        relations left out (the service sets those itself)."""
        record = self.edited_record
        return {
            name: self.cleaned_data[name]
            for name in self.edition_fields
            if name in self.cleaned_data and not (record and record._meta.get_field(name).many_to_many)
        }

    def refuse_stale(self, error: StaleEdit) -> None:
        labels = {name: str(field.label) for name, field in self.fields.items() if field.label}
        self.add_error(None, changes_description(error, labels))
        data = self.data.copy()
        data[self.add_prefix("edition")] = sign(edition_of(error.current, self.edition_fields))
        self.data = data


# --- Django admin ------------------------------------------------------------------------------------


class OwnFieldsAdminMixin:
    """Django admin saves an existing row as an edit: only the fields its form changed, with the
    version raised, so that it never writes back a stage, a status or a colleague's edit it
    happened to read before they changed."""

    def fields_to_save(self, obj, form) -> list[str]:
        """The concrete fields the form changed; an admin that derives others adds them."""
        fields = [name for name in form.changed_data if _is_model_field(obj, name)]
        return [name for name in fields if not obj._meta.get_field(name).many_to_many]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        fields = self.fields_to_save(obj, form)
        if not fields:
            return None
        if any(field.name == VERSION_FIELD for field in obj._meta.concrete_fields):
            return save_edit(obj, fields, actor=request.user)
        obj._history_user = request.user
        obj.save(update_fields=fields)
        return None
