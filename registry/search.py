"""Full-text search over agreements: PostgreSQL's `indonesian` configuration with a GIN index
(migration 0004), a plain word-by-word match on SQLite."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q

# Document numbers ("100.3.3/012/KS/2026") are matched literally as well: the text parser
# splits them differently from what a user types.
_NUMBER_LIKE = re.compile(r"\d.*[./-]|[./-].*\d")


def search_text(agreement, partner_names) -> str:
    """The text an agreement is found by: title, object, numbers and its partners' names."""
    parts = [
        agreement.title,
        agreement.object,
        agreement.register_number,
        agreement.own_number,
        agreement.partner_number,
        *partner_names,
    ]
    return " ".join(part for part in parts if part)


def search(queryset, text: str):
    text = " ".join(text.split())[:200]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        matches = Q(_search=SearchQuery(text, config="indonesian", search_type="websearch"))
        if _NUMBER_LIKE.search(text):
            matches |= Q(search_document__icontains=text)
        return queryset.annotate(_search=SearchVector("search_document", config="indonesian")).filter(matches)
    condition = Q()
    for word in text.split():
        condition &= Q(search_document__icontains=word)
    return queryset.filter(condition)
