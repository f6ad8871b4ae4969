from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry")

    def ready(self):
        from . import dprd
        from .signals import document_issued, document_voided

        # An issued request letter opens the DPRD request and starts the legal clock; voiding it
        # withdraws a request still waiting.
        document_issued.connect(dprd.on_document_issued, dispatch_uid="registry.dprd.on_document_issued")
        document_voided.connect(dprd.on_document_voided, dispatch_uid="registry.dprd.on_document_voided")
