"""
What the filter steps share.

* ``safe_step``: the wrapper that keeps a failing step from breaking the page it
  decorates: any error is logged and the step changes nothing.
* ``course_card``: a course's public credits (what the about page shows), kept in the
  shared cache, so a warm page costs no query.
* the current user and request (``crum``), and the plugin's Mako folder.
"""
import functools
import logging
import unicodedata
from decimal import Decimal

import crum
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from openedx_filters.exceptions import OpenEdxFilterException

from credits_plugin import api, templates_dir

logger = logging.getLogger(__name__)

# The learner's own summary page (served by the plugin's URLs, mounted at the LMS root).
LEARNER_SUMMARY_PATH = "/credits/me/"


def safe_step(run_filter):
    """
    Wrap a step's ``run_filter`` so that it never breaks the page.

    Any error is logged and the step returns ``{}`` (nothing changed), so the
    pipeline goes on with the page as it was. ``OpenEdxFilterException`` is the
    way steps deliberately stop a page, so it is left to propagate. A step that
    returns something other than a dict would stop the other plugins' steps: it
    is turned into ``{}`` too.
    """

    @functools.wraps(run_filter)
    def wrapper(self, *args, **kwargs):
        try:
            result = run_filter(self, *args, **kwargs)
        except OpenEdxFilterException:
            raise
        except Exception:  # pylint: disable=broad-except
            logger.exception("Course Credits: the %s step failed; the page is shown without credits.",
                             type(self).__name__)
            return {}
        return result if isinstance(result, dict) else {}

    return wrapper


def current_user():
    """The signed-in user of the current request, or None."""
    user = crum.get_current_user()
    return user if user is not None and user.is_authenticated else None


def current_request():
    return crum.get_current_request()


def to_course_key(value):
    """A CourseKey from a key, a string or an object with ``id`` / ``course_key``; None when there is none."""
    for candidate in (value, getattr(value, "id", None), getattr(value, "course_key", None)):
        if isinstance(candidate, CourseKey):
            return candidate
        if isinstance(candidate, str) and candidate:
            try:
                return CourseKey.from_string(candidate)
            except InvalidKeyError:
                return None
    return None


def mako_dir():
    """The plugin's Mako folder (the platform page templates that inherit the platform's)."""
    return templates_dir() / "credits_plugin" / "mako"


def mako_templates_registered():
    """Whether the platform's Mako lookup will find the plugin's Mako templates (see settings.common)."""
    folder = str(mako_dir())
    return folder in [str(d) for d in getattr(settings, "MAKO_TEMPLATE_DIRS_BASE", None) or []]


def lms_url(path):
    """``path`` on the LMS: absolute when ``LMS_ROOT_URL`` is set (MFEs live on other hosts)."""
    root = getattr(settings, "LMS_ROOT_URL", "") or ""
    return root.rstrip("/") + path


def amount_text(amount):
    """An amount (Decimal or "2.50") as the reader's locale writes it ("2.50", "2,50")."""
    return number_format(Decimal(str(amount)), decimal_pos=2)


def credit_line(name, type_name, amount, unit, reference_number=""):
    """One credit as plain text: "2.50 hours of Ethics (CPA Ontario), reference number CPA-1"."""
    text = _("{amount} {unit} of {credit} ({credit_type})").format(
        amount=amount_text(amount), unit=unit, credit=name, credit_type=type_name)
    if reference_number:
        text = _("{credit_line}, reference number {reference_number}").format(
            credit_line=text, reference_number=reference_number)
    return text


# --- the course card: a course's public credits ----------------------------------------------


def in_card_order(items):
    """Credit items (dicts with credit_type_name and credit_name) in the order every surface lists them."""
    return sorted(items, key=lambda item: (sort_key(item["credit_type_name"]), sort_key(item["credit_name"])))


def sort_key(name):
    """A name as people sort it in any language: case and accents aside ("Éthique" before "Tax")."""
    return "".join(char for char in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(char))


def course_card(course_key):
    """
    The credits a course awards, as plain dicts (nothing about any learner), or ``()``.

    ``()`` when credits are off or none are designated. Read in one query and kept in the
    shared cache (``api.course_card``): a warm page costs no query. Each item: credit_id,
    credit_name, credit_type_name, amount ("2.50"), unit, reference_number (only for types
    that require one, else "").
    """
    return api.course_card(course_key)
