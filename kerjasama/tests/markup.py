"""Markup compared as a browser shows it, for the tests that check rows printed from Python
against the template markup they replace."""

import re


def flat(html) -> str:
    """The markup with whitespace next to a tag dropped, runs of it collapsed, and each form's CSRF
    token (a new mask on every render) replaced by one placeholder."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="TOKEN"', str(html))
    return re.sub(r"\s+", " ", re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html))).strip()
