"""
The learner's credits on their web certificate (``CertificateRenderStarted``).

Adds ``context["course_credits"]`` (a list of dicts, for themes) and appends a
plain-text sentence to ``accomplishment_copy_course_description``: the default
certificate template prints that key on the certificate itself, right after the
course name ("... a course of study offered by X, an online learning initiative
of Y."), and escapes it, so the sentence is plain text. The other candidate keys
sit in the "about this certificate" part below the certificate
(``certificate_info_description``, ``accomplishment_copy_more_about``) or are
the lead-in before the course name (``accomplishment_copy_description_full``).

Only awards that stand (not revoked) show. In preview mode (Studio's "Preview
certificate", ``?preview=<mode>``) there is no learner: the course's credits show.
Costs one query (two in preview with a cold course cache) whatever the number of
credits or awards.
"""
from django.utils.translation import gettext as _
from openedx_filters import PipelineStep

from credits_plugin import api
from credits_plugin.constants import AwardStatus
from credits_plugin.filters.common import (
    course_card,
    credit_line,
    current_request,
    in_card_order,
    safe_step,
    to_course_key,
)

DESCRIPTION_KEY = "accomplishment_copy_course_description"


def _is_preview(context):
    if context.get("preview") or context.get("preview_mode"):
        return True
    request = current_request()
    return bool(request is not None and getattr(request, "GET", {}).get("preview"))


def _learner_awards(course_key, user_id):
    """The learner's standing awards in the course: one query."""
    return [award for award in api.get_learner_course_awards(user_id, course_key)
            if award.status == AwardStatus.AWARDED]


def _award_item(award):
    return {
        "uuid": str(award.uuid),
        "credit_name": award.display_credit_name,
        "credit_type_name": award.display_credit_type_name,
        "amount": str(award.amount),
        "unit": award.display_unit,
        "reference_number": award.reference_number,
        "awarded_at": award.awarded_at.isoformat(),
        "verification_url": f"/credits/awards/{award.uuid}/",
    }


def _sentence(items, preview):
    lines = "; ".join(
        credit_line(item["credit_name"], item["credit_type_name"], item["amount"], item["unit"],
                    item["reference_number"])
        for item in items
    )
    if preview:
        return _("Credits this course awards: {credits}.").format(credits=lines)
    return _("Credits earned: {credits}.").format(credits=lines)


class CertificateCredits(PipelineStep):
    """Add the learner's credits for the course to their certificate."""

    @safe_step
    def run_filter(self, context, custom_template, **kwargs):  # pylint: disable=arguments-differ,unused-argument
        course_key = to_course_key(context.get("course_id"))
        if course_key is None:
            return {}
        preview = _is_preview(context)
        if preview:
            items = [dict(item) for item in course_card(course_key)]
        else:
            user_id = context.get("accomplishment_user_id")
            if not user_id:
                return {}
            items = [_award_item(award) for award in _learner_awards(course_key, int(user_id))]
        items = in_card_order(items)  # as the about card lists them
        if not items:
            return {}
        description = str(context.get(DESCRIPTION_KEY) or "")
        sentence = _sentence(items, preview)
        new_context = dict(context)
        new_context["course_credits"] = items
        new_context[DESCRIPTION_KEY] = f"{description} {sentence}" if description else sentence
        return {"context": new_context}
