from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KerjasamaConfig(AppConfig):
    name = "kerjasama"

    def ready(self):
        from django.db.models import fields

        from . import accounts, checks  # noqa: F401 - registers the system checks and the login receiver

        # The empty choice of every select, in the words of the interface's language. Django
        # reads this constant when a form is built and lets an app's ready() set it.
        fields.BLANK_CHOICE_LABEL = EMPTY_CHOICE_LABEL


EMPTY_CHOICE_LABEL = _("— Choose —")
