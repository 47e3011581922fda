"""
The plugin's pages inside the platform's own page.

Every page template extends ``credits_plugin/_page.html``, which extends the page the platform
backend names: the LMS's ``main_django.html`` (or the demo's stand-ins), whose blocks it fills
(title, headextra, bodyclass, body). Studio's page is a Mako template a Django template cannot
extend: there the backend names ``credits_plugin/frames/parts.html``, which writes the blocks
between markers, and ``frame_page`` hands each part to Studio's own page. Either way the site's
header, navigation, theme and footer surround the plugin's content, with links back.
"""
import contextlib
import logging
import re

from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string

from credits_plugin import api

logger = logging.getLogger(__name__)
# Where the platform's page fails around a plugin page, the page is shown in this plain one.
BARE_FRAME = "credits_plugin/frames/bare.html"
PART = re.compile(r"<!--credits:(?P<name>[a-z]+)-->(?P<value>.*?)<!--/credits:(?P=name)-->", re.S)


@contextlib.contextmanager
def clashes_as_conflicts():
    """
    Around a page's write: one that met another on the same rows at the same moment, and that the
    service's own retries did not get through, is raised as the ``CreditsConflict`` the page shows
    ("nothing was saved, try again") instead of a 500. The pages that write open no request
    transaction (``non_atomic_requests``): the services own theirs, so their retries work and the
    page can still read to show the error.
    """
    try:
        yield
    except DatabaseError as exc:
        conflict = api.write_clash_conflict(exc)
        if conflict is None:
            raise
        logger.warning("A page's write met a concurrent one (%s); shown as a conflict.", exc)
        raise conflict from exc


def page_parts(html):
    """``{"title", "bodyclass", "head", "body"}`` of a page rendered with ``frames/parts.html``; None otherwise."""
    parts = {match.group("name"): match.group("value").strip() for match in PART.finditer(html)}
    return parts if {"title", "bodyclass", "head", "body"} <= set(parts) else None


def render_page(request, template_name, context, *, surface="lms", back_links=(), status=200, course_key=None):
    """
    Render a plugin page in the platform's frame; ``back_links`` are (label, URL) pairs. Should the
    platform's page fail around it (a theme's template, missing assets), the page is logged and
    shown in a plain frame instead: the plugin's page keeps working.
    """
    context = {**context, "back_links": [(label, url) for label, url in back_links if url]}
    try:
        html = _render(request, template_name, context, api.get_page_base_template(surface), course_key)
    except Exception:  # pylint: disable=broad-except
        logger.exception("Course Credits: the platform's page failed around %s; shown in a plain page.",
                         template_name)
        html = _render(request, template_name, context, BARE_FRAME, course_key)
    return HttpResponse(html, status=status)


def _render(request, template_name, context, base_template, course_key):
    html = render_to_string(template_name, {**context, "credits_base_template": base_template}, request=request)
    parts = page_parts(html)
    if parts is not None:
        html = api.frame_page(request, parts, course_key=course_key)
    return html
