"""Full-text search over agreements: PostgreSQL's `indonesian` configuration on each agreement's
stored vector with its GIN index (migration 0028), a plain word-by-word match on SQLite."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Expression, Q

# Document numbers ("100.3.3/012/KS/2026") are matched literally as well: the text parser
# splits them differently from what a user types.
_NUMBER_LIKE = re.compile(r"\d.*[./-]|[./-].*\d")


class StoredVector(Expression):
    """The agreement's ``search_vector``: the database's generated column (migration 0028), which
    the model does not declare as the ORM never writes it."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.{compiler.quote_name('search_vector')}", []


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
        return queryset.alias(_search=StoredVector()).filter(matches)
    condition = Q()
    for word in text.split():
        condition &= Q(search_document__icontains=word)
    return queryset.filter(condition)
