"""Pagination without COUNT(*): on a large filtered table the count costs more than the page."""

from dataclasses import dataclass

from django.db import connection


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def page_of(queryset, page_param, per_page: int = 25, max_page: int = 4000) -> Page:
    """Fetch one page plus one row to know whether another page follows."""
    try:
        number = min(max(int(page_param), 1), max_page)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return Page(rows=rows[:per_page], number=number, has_next=len(rows) > per_page)


@dataclass(frozen=True)
class Tally:
    """How many rows match, counted up to `cap` and one more: a backlog of hundreds reads as "more
    than `cap`", and counting it costs the same at any size of the register."""

    count: int
    cap: int

    @property
    def more(self) -> bool:
        return self.count > self.cap


def tally_of(queryset, cap: int = 100) -> Tally:
    return Tally(count=queryset.order_by()[: cap + 1].count(), cap=cap)


def head_and_tally(queryset, shown: int, cap: int = 100) -> tuple[list, Tally]:
    """The first `shown` rows and how many match up to `cap`, in one read of `cap` + 1 rows (a
    panel listing the first few of a backlog and counting the rest)."""
    candidates = list(queryset[: cap + 1])
    return candidates[:shown], Tally(count=len(candidates), cap=cap)


def counts_of(querysets: dict, *, cap: int | None = None, marker: str = "", in_order=()) -> dict:
    """How many rows each queryset matches (each up to `cap` + 1, when given), in one query of
    scalar subqueries instead of one COUNT(*) per queryset. `marker`, an SQL comment, names the
    query in the slow-query log and in query-count tests.

    The querysets named in `in_order` are counted in their own order: where an index gives that
    order, the count reads it and stops at the cap, where without an order the planner may first
    gather every candidate row from several indexes."""
    if not querysets:
        return {}
    parts, params = [], []
    for index, (key, queryset) in enumerate(querysets.items()):
        rows = (queryset if key in in_order else queryset.order_by()).values("pk")
        sql, sql_params = (rows if cap is None else rows[: cap + 1]).query.sql_with_params()
        # The SQL is Django's own compilation of the queryset; the values travel as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS q{index}) AS c{index}")  # noqa: S608
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {marker} " + ", ".join(parts), params)
        values = cursor.fetchone()
    return dict(zip(querysets, values, strict=True))
