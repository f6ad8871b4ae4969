"""How forms and their widgets render.

Django's own form and widget templates (``django/forms/…``: inputs, selects and each of their
options, checkbox lists, error lists) render through the Jinja2 versions Django ships beside the
Django-language ones: the same markup (kerjasama/tests/test_bootstrap_fields.py compares them on
every form page), in about a third of the time. Any other template a widget names (the admin's,
for one) renders through the Django template language as before.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.utils.functional import cached_property

JINJA2_PREFIX = "django/forms/"


class FormRenderer(BaseRenderer):
    @cached_property
    def jinja2(self) -> Jinja2:
        return Jinja2()

    @cached_property
    def django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name):
        if template_name.startswith(JINJA2_PREFIX):
            return self.jinja2.get_template(template_name)
        return self.django.get_template(template_name)
