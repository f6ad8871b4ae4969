"""Every list table of the interface stacks on a phone (`table-stack`, static/css/app.css): a
table with three columns or more that does not would hide columns off-screen or squeeze them."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Print templates are laid out for paper; the benchmark page is not part of the interface.
NOT_SCREEN = ("documents", "bench")
TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)


def wide_tables_not_stacked(text: str) -> list[str]:
    found = []
    for attributes, body in TABLE.findall(text):
        head = re.search(r"<thead>(.*?)</thead>", body, re.S)
        columns = len(re.findall(r"<th\b", head.group(1))) if head else 0
        if columns >= 3 and "table-stack" not in attributes:
            found.append(attributes.strip())
    return found


def test_every_wide_interface_table_stacks_on_a_phone():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] in NOT_SCREEN:
            continue
        problems += [(str(path.relative_to(TEMPLATES)), table) for table in wide_tables_not_stacked(path.read_text())]
    assert problems == []


def test_the_check_finds_a_wide_table_that_does_not_stack():
    wide = "<table class='table'><thead><tr><th>A</th><th>B</th><th>C</th></tr></thead></table>"
    assert wide_tables_not_stacked(wide) == ["class='table'"]
    assert wide_tables_not_stacked(wide.replace("'table'", "'table table-stack'")) == []
