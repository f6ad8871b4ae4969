"""Links between records and the official documents that decide on them."""

from django import template
from django.utils.html import format_html

from kerjasama import subjects

register = template.Library()


@register.simple_tag
def document_subjects(document):
    """{% document_subjects document as found %}: what the document decides on, as links."""
    return subjects.subjects_of(document)


@register.simple_tag(takes_context=True)
def document_link(context, document, text=""):
    """The document's number (or `text`) as a link to its page for those who may open it, as plain
    text for the others."""
    if document is None:
        return ""
    label = text or document.number or document.title
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and subjects.reads_documents(user):
        return format_html('<a href="{}">{}</a>', document.get_absolute_url(), label)
    return label
