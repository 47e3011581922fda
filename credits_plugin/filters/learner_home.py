"""
Credits in the learner dashboard micro-frontend's API (learner home).

The platform serializes each enrollment card in parts and runs a filter on two of them:
``CourseRunAPIRenderStarted`` (``serialized_courserun``, keys such as ``courseId``) and
``CourseEnrollmentAPIRenderStarted`` (``course_key``, ``serialized_enrollment``). The
plugin adds its keys to the course run only:

* ``courseRun.offeredCredits``: the credits the course awards (from the cached course
  card: no query when warm);
* ``courseRun.earnedCredits``: what the learner earned in the course (awards that stand).

Never to the enrollment: the platform serves an unfulfilled entitlement's enrollment as a
fixed dict that must have the same keys as every serialized enrollment (its own tests
compare them), while an entitlement's course run is null, so keys on the course run break
no shape. The learner's awards are read once per request, for all their courses together,
and kept in the request cache (edx-django-utils ``RequestCache``, cleared by the platform's
middleware at each request); so are the cached cards of all courses, read from the shared
cache once per request, not once per card: a dashboard of any number of enrollments costs at most two queries,
even with cold caches. The MFE shows these keys only through a widget (plugin slot).
"""
from edx_django_utils.cache import RequestCache
from openedx_filters import PipelineStep

from credits_plugin import api
from credits_plugin.constants import AwardStatus
from credits_plugin.filters.common import current_user, safe_step, to_course_key

REQUEST_CACHE_NAMESPACE = "credits_plugin.filters.learner_home"


def _offered(course_key):
    """The course's credits in the MFE's camelCase, from every course's cards read once per request."""
    cache = RequestCache(REQUEST_CACHE_NAMESPACE)
    cached = cache.get_cached_response("offered")
    if cached.is_found:
        offered = cached.value
    else:
        offered = {
            course_id: [{"creditName": item["credit_name"], "creditType": item["credit_type_name"],
                         "amount": item["amount"], "unit": item["unit"], "referenceNumber": item["reference_number"]}
                        for item in items]
            for course_id, items in api.course_cards().items()
        }
        cache.set("offered", offered)
    return offered.get(str(course_key), [])


def _earned_by_course(user):
    """``{course id: [earned credit, ...]}`` for all the learner's courses: read once per request."""
    cache = RequestCache(REQUEST_CACHE_NAMESPACE)
    key = f"earned.{user.pk}"
    cached = cache.get_cached_response(key)
    if cached.is_found:
        return cached.value
    earned = {}
    for award in api.list_learner_awards(user, status=AwardStatus.AWARDED):
        earned.setdefault(str(award.course_key), []).append({
            "uuid": str(award.uuid), "creditName": award.display_credit_name,
            "creditType": award.display_credit_type_name, "amount": str(award.amount), "unit": award.display_unit,
            "referenceNumber": award.reference_number, "awardedAt": award.awarded_at.isoformat(),
        })
    cache.set(key, earned)
    return earned


class CourseRunCredits(PipelineStep):
    """Add the course's credits, and what the signed-in learner earned in it, to a learner-home course run."""

    @safe_step
    def run_filter(self, serialized_courserun, **kwargs):  # pylint: disable=arguments-differ,unused-argument
        course_key = to_course_key((serialized_courserun or {}).get("courseId"))
        if course_key is None:
            return {}
        user = current_user()
        earned = _earned_by_course(user).get(str(course_key), []) if user is not None else []
        return {"serialized_courserun": {**serialized_courserun, "offeredCredits": _offered(course_key),
                                         "earnedCredits": earned}}
