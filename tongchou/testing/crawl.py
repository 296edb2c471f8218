"""A bounded, same-origin crawler for browser tests: every page reachable by links from a start page.

It is what the accessibility test walks (axe on every page, both modes, two widths) and what a
dead-link test needs: each visited URL keeps its HTTP status, so ``crawl(...).broken`` lists the
links that answered 404 or 5xx together with the page that linked to them.

Rules of the walk:
- breadth first from ``start``, only same-origin ``<a href>`` links found in the rendered page
  (after scripts and htmx ran), fragments dropped;
- never follows logout, the Django admin (its own UI), the API and its docs, static and media files;
- every link is first fetched with the browser context's request API (same cookies), so downloads
  (a response that is not HTML, or sent as an attachment) are status-checked but never opened;
- links are grouped by *route* (the Django URL name plus the names of the query parameters):
  at most ``per_route`` instances of each (``/appeals/ZB…-000001/`` and ``-000002`` are one route),
  at most ``max_pages`` fetches in all.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

SKIP_PREFIXES: tuple[str, ...] = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/", "/open311/")

_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.href)"""


@dataclass
class Visit:
    """One fetched URL: ``url`` is path + query; ``html`` tells whether it was opened in the page."""

    url: str
    status: int
    route: str
    referrer: str
    content_type: str = ""
    html: bool = False


@dataclass
class CrawlResult:
    visits: list[Visit] = field(default_factory=list)

    @property
    def statuses(self) -> dict[str, int]:
        return {v.url: v.status for v in self.visits}

    @property
    def pages(self) -> list[Visit]:
        """The HTML pages that were opened (and checked by ``on_page``)."""
        return [v for v in self.visits if v.html]

    @property
    def broken(self) -> list[Visit]:
        """Links that answered 404 or a server error: dead links."""
        return [v for v in self.visits if v.status == 404 or v.status >= 500]

    def describe(self, visits: Iterable[Visit] | None = None) -> str:
        rows = self.visits if visits is None else visits
        return "\n".join(f"{v.status} {v.url}  (linked from {v.referrer or 'start'})" for v in rows)


def settle(page) -> None:
    """Wait until htmx has no request in flight (parts loaded on page load are in place)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def route_of(path_and_query: str) -> str:
    """The route a URL belongs to: Django's URL name (or the path with digits folded) + query names.

    >>> route_of("/policies/?topic=tax&page=2")
    'policies:list?page&topic'
    """
    parts = urlsplit(path_and_query)
    names = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    try:
        from django.urls import Resolver404, resolve

        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            name = "404:" + parts.path
    except Exception:  # without Django: fold digit runs
        import re

        name = re.sub(r"\d+", "<n>", parts.path)
    return name + ("?" + "&".join(names) if names else "")


def _normalise(href: str, origin: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(
    page,
    base_url: str,
    *,
    start: str = "/",
    max_pages: int = 200,
    per_route: int = 2,
    skip: tuple[str, ...] = SKIP_PREFIXES,
    on_page: Callable[[object, Visit], None] | None = None,
    route: Callable[[str], str] = route_of,
    budget: dict[str, int] | None = None,
    per_known_route: int = 1,
) -> CrawlResult:
    """Walk the site from ``start`` as the user logged in to ``page``'s context.

    ``on_page(page, visit)`` runs on every HTML page after it loaded (the axe check); it may
    reload or resize the page, the crawler reads the links before calling it.
    ``budget``, shared between the crawls of several roles, caps the instances of a route (routes
    not in it get ``per_route``); the crawl lowers it to ``per_known_route`` for the routes it
    visited and to 0 for downloads, so the next role checks a shared page once more (its header
    differs) and does not fetch the same export again. Set a route's budget to 0 to skip it (the
    start page is always visited).
    """
    budget = {} if budget is None else budget
    downloads: set[str] = set()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    result = CrawlResult()
    seen: set[str] = set()
    per: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque([(start, "")])
    while queue and len(result.visits) < max_pages:
        url, referrer = queue.popleft()
        if url in seen or url.startswith(skip):
            continue
        key = route(url)
        if url != start and per.get(key, 0) >= budget.get(key, per_route):
            continue
        seen.add(url)
        per[key] = per.get(key, 0) + 1
        response = page.context.request.get(origin + url, max_redirects=5)
        content_type = response.headers.get("content-type", "")
        disposition = response.headers.get("content-disposition", "")
        final = _normalise(response.url, origin) or url
        is_html = content_type.startswith("text/html") and "attachment" not in disposition
        visit = Visit(url, response.status, key, referrer, content_type, False)
        response.dispose()
        result.visits.append(visit)
        if not is_html:
            downloads.add(key)
        if not is_html or response.status >= 400 or final.startswith(skip):
            continue
        page.goto(origin + url, wait_until="load")
        settle(page)
        visit.html = True
        for href in page.evaluate(_LINKS_JS):
            link = _normalise(href, origin)
            if link is not None and link not in seen:
                queue.append((link, url))
        if on_page is not None:
            on_page(page, visit)
    for key in per:
        budget[key] = 0 if key in downloads else min(budget.get(key, per_known_route), per_known_route)
    return result
