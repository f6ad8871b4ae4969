"""Validators shared by every app's models and forms."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No regional government act predates the Republic; nothing is planned a century ahead.
EARLIEST_DATE = date(1945, 1, 1)
YEARS_AHEAD = 100


def latest_date(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


def validate_plausible_date(value: date) -> None:
    """A date the law can mean: from 1945 to a hundred years ahead."""
    if value is None:
        return
    if value < EARLIEST_DATE or value > latest_date():
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST_DATE.year, "latest": latest_date().year},
        )


def cleaned_or_problem(form) -> tuple[dict, str | None]:
    """Validate an action's small form: its cleaned values (an empty required field comes back
    as "", for the service to refuse in its own words), or the first other problem with the input
    (a NUL character, a value too long) as a message. Input never reaches a service unchecked."""
    form.is_valid()
    for field, errors in form.errors.as_data().items():
        for error in errors:
            if error.code != "required":
                label = form.fields[field].label if field in form.fields else ""
                return {}, f"{label}: {' '.join(error.messages)}" if label else " ".join(error.messages)
    values = {name: form.cleaned_data.get(name, "") for name in form.fields}
    return values, None
