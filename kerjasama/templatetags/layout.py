"""``{% load layout %}``: parts of the page layout rendered once per process.

``{% include_once "includes/head_assets.html" %}`` renders an include the first time a process
needs it in a language, then prints the same text: the layout's asset links and language switcher
are on every page and change only with a deploy. Such an include sees no context: it may use
``{% static %}``, ``{% url %}`` and ``{% translate %}``, nothing of the request or the user.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def include_once(template_name: str) -> SafeString:
    if settings.DEBUG:  # templates being edited show at once
        return mark_safe(render_to_string(template_name))  # noqa: S308 (a template's own output)
    return _rendered(template_name, translation.get_language(), get_script_prefix())


@lru_cache(maxsize=64)
def _rendered(template_name: str, language: str, script_prefix: str) -> SafeString:
    return mark_safe(render_to_string(template_name))  # noqa: S308 (a template's own output)
