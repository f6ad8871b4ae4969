"""PostgreSQL's plan for a queryset, for tests that check which index a query reads."""

from django.db import connection, transaction


def plan_of(queryset, *, disable: tuple[str, ...]) -> str:
    """The plan made with the planner's `disable` methods (enable_sort, enable_seqscan...) turned
    off for this one statement: the test tables are small, so only what the test leaves on offer
    says whether an index serves the query."""
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for method in disable:
            cursor.execute(f"SET LOCAL {method} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
