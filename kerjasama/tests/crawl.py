"""Walk the app as one user from their home page, the way a person clicking through it would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import lxml.html

# Links not followed: leaving the session, downloads and files, Django's own admin.
SKIPPED = re.compile(
    r"/keluar|/logout|/admin/|/media/|/static/|\.(pdf|csv|xlsx|ods|ics|json|zip)$|/unduh|/ekspor|/berkas"
)


@dataclass
class Page:
    path: str
    status: int
    html: str

    def tree(self):
        return lxml.html.fromstring(self.html)


def links_of(page: Page) -> list[str]:
    found = []
    for href in page.tree().xpath("//a/@href"):
        url = urlparse(urljoin("http://testserver" + page.path, href))
        if url.netloc != "testserver" or SKIPPED.search(url.path):
            continue
        # One page of a list is enough; a query other than paging is a different page (a filter).
        query = "" if not url.query or "page=" in url.query or "halaman=" in url.query else "?" + url.query
        found.append(url.path + query)
    return found


def crawl(client, start: str = "/", limit: int = 80) -> Iterator[Page]:
    """Pages reachable by links from `start`, breadth first, at most `limit` of them, each once.

    Pages that differ only by a query string are visited once per path, so a filter form's many
    links do not crowd out the rest of the app.
    """
    seen_paths: set[str] = set()
    queue, queued = [start], {start}
    while queue and len(seen_paths) < limit:
        path = queue.pop(0)
        bare = path.split("?")[0]
        if bare in seen_paths:
            continue
        seen_paths.add(bare)
        response = client.get(path)
        html = response.content.decode() if "text/html" in response.get("Content-Type", "") else ""
        page = Page(path, response.status_code, html)
        yield page
        if html:
            for link in links_of(page):
                if link not in queued:
                    queued.add(link)
                    queue.append(link)
