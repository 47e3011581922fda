"""
What the ``course_credits`` XBlock shows, as one plain dict ready for a template or JSON.

Everything is read through ``credits_plugin.api``, which the block hands in as a loader
(``load_api``) so that it is imported only when needed: outside a course (the xblock-sdk
workbench, XBlock's test runtimes) the plugin is never imported, and the block works
where the plugin's Django app is not installed.
"""
import logging

from django.utils import formats, timezone
from opaque_keys.edx.keys import CourseKey
from opaque_keys.edx.locator import LibraryLocator

logger = logging.getLogger(__name__)

AWARDED = "awarded"
REVOKED = "revoked"

# A learner's status in the course, as a code a script can read; the templates word it.
STATUS_ANONYMOUS = "anonymous"
STATUS_EARNED = "earned"
STATUS_PARTLY_EARNED = "partly_earned"
STATUS_NOT_EARNED = "not_earned"
STATUS_REVOKED = "revoked"
STATUS_UNKNOWN = "unknown"


def _(text):
    """Mark a string for translation; it is translated when shown, through the i18n service."""
    return text


# How a learner earns the credits, per award trigger of the course.
HOW_TO_EARN = {
    "passing": _("You earn these credits when you pass this course."),
    "certificate": _("You earn these credits when your certificate for this course is issued."),
    "manual": _("Course staff award these credits by hand. Ask them what you need to do to receive them."),
}


def course_key_of(usage_id):
    """
    The course a block's usage id belongs to, or None.

    None for a plain string usage id (workbench, test runtimes), a content library, or any
    other learning context that is not a course. Branch and version are dropped, so Studio's
    draft keys compare equal to the LMS's.
    """
    key = getattr(usage_id, "context_key", None)
    if not isinstance(key, CourseKey) or isinstance(key, LibraryLocator):
        return None
    if hasattr(key, "for_branch"):
        key = key.for_branch(None)
    return key


class Learner:
    """
    Who is looking at the block, as far as the runtime's user service says.

    ``known`` is False when the runtime offers no user service: nobody can be told their status.
    """

    def __init__(self, user_id=None, signed_in=False, role=None, known=True):
        self.user_id = user_id
        self.signed_in = signed_in
        self.role = role
        self.known = known

    @classmethod
    def from_user_service(cls, service):
        """Read the current user from an XBlock ``user`` service; anonymous when there is none."""
        if service is None:
            return cls(known=False)
        try:
            user = service.get_current_user()
        except NotImplementedError:
            return cls(known=False)
        attrs = getattr(user, "opt_attrs", None) or {}
        user_id = attrs.get("edx-platform.user_id")
        try:
            user_id = int(user_id) if user_id is not None and not isinstance(user_id, bool) else None
        except (TypeError, ValueError):
            user_id = None
        signed_in = user_id is not None and attrs.get("edx-platform.is_authenticated", True) is not False
        return cls(user_id=user_id if signed_in else None, signed_in=signed_in,
                   role=attrs.get("edx-platform.user_role"))


def amount_text(amount):
    """An amount as the API's JSON writes it: a string with two decimals."""
    return f"{amount:.2f}"


def date_text(moment):
    """A date shown to the learner, in the active language's format."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATE_FORMAT")


def designation_dict(designation):
    """One credit the course awards."""
    credit = designation.credit
    return {
        "credit_id": credit.id,
        "name": credit.display_name,
        "credit_type": credit.credit_type.display_name,
        "amount": amount_text(designation.amount),
        "unit": credit.credit_type.display_unit,
        "reference_number": designation.effective_reference_number,
    }


def award_dict(award):
    """One of the learner's awards, as recorded when it was earned."""
    return {
        "uuid": str(award.uuid),
        "credit_id": award.credit_id,
        "name": award.display_credit_name,
        "credit_type": award.display_credit_type_name,
        "amount": amount_text(award.amount),
        "unit": award.display_unit,
        "reference_number": award.reference_number,
        "status": award.status,
        "awarded_at": award.awarded_at.isoformat() if award.awarded_at else None,
        "awarded_on": date_text(award.awarded_at),
        "revoked_at": award.revoked_at.isoformat() if award.revoked_at else None,
        "revoked_on": date_text(award.revoked_at),
    }


def learner_course_awards(api, user_id, course_key):
    """The learner's awards in this course, every status, oldest first (one query)."""
    try:
        return list(api.get_learner_course_awards(user_id, course_key))
    except api.CreditsNotFound:
        return []


def learner_state(awards, designations, enabled):
    """The learner's part: what they earned, what was revoked, and what they can still earn."""
    earned = [award_dict(a) for a in awards if a.status == AWARDED]
    revoked = [award_dict(a) for a in awards if a.status == REVOKED]
    decided = {a.credit_id for a in awards}
    pending = [d for d in designations if d["credit_id"] not in decided] if enabled else []
    if earned:
        status = STATUS_PARTLY_EARNED if pending else STATUS_EARNED
    else:
        # Revoked awards are not given back automatically: no "how to earn" for those credits.
        status = STATUS_REVOKED if revoked and not pending else STATUS_NOT_EARNED
    return {"signed_in": True, "status": status, "earned": earned, "revoked": revoked, "pending": pending}


def build_state(usage_id, learner, *, load_api, show_learner_status, gettext):
    """
    Everything the block shows, JSON-ready.

    ``learner`` is a :class:`Learner`; ``load_api`` returns ``credits_plugin.api``;
    ``gettext`` translates this module's strings.
    """
    course_key = course_key_of(usage_id)
    state = {
        "in_course": course_key is not None,
        "course_id": str(course_key) if course_key is not None else None,
        "available": True,
        "enabled": False,
        "award_trigger": None,
        "how_to_earn": "",
        "credits": [],
        "learner": None,
    }
    if course_key is None:
        return state
    try:
        api = load_api()
        settings = api.get_course_settings(course_key, awarding_today=True)  # what learners may be shown
        credits = [designation_dict(d) for d in settings.credits] if settings.enabled else []
        state.update(enabled=settings.enabled, award_trigger=settings.award_trigger, credits=credits,
                     how_to_earn=gettext(HOW_TO_EARN[settings.award_trigger])
                     if settings.award_trigger in HOW_TO_EARN else "")
        if show_learner_status and learner.known:
            if learner.signed_in:
                awards = learner_course_awards(api, learner.user_id, course_key)
                state["learner"] = learner_state(awards, credits, settings.enabled)
            else:
                state["learner"] = {"signed_in": False, "status": STATUS_ANONYMOUS,
                                    "earned": [], "revoked": [], "pending": []}
    except Exception:  # pylint: disable=broad-except
        # A block never breaks the unit it sits in: it says it cannot show the credits.
        logger.exception("The course_credits block could not read the credits of course %s", course_key)
        state.update(available=False, enabled=False, credits=[], how_to_earn="",
                     learner={"signed_in": learner.signed_in, "status": STATUS_UNKNOWN, "earned": [], "revoked": [],
                              "pending": []} if show_learner_status and learner.known else None)
    return state
