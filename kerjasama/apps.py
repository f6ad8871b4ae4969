from django.apps import AppConfig


class KerjasamaConfig(AppConfig):
    name = "kerjasama"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
