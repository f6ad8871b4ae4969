from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry")

    def ready(self):
        from . import dprd
        from .signals import document_issued

        # An issued request letter opens the DPRD request and starts the legal clock.
        document_issued.connect(dprd.on_document_issued, dispatch_uid="registry.dprd.on_document_issued")
