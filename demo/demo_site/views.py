"""The demo's stand-in pages."""
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credits_plugin import api
from credits_plugin.constants import AwardStatus, AwardTrigger
from credits_plugin.platform.standalone.models import StandaloneCourse
from demo.demo_site import sample_data

DEMO_COURSES = sample_data.COURSE_IDS

# The admin pages of the plugin, relative to the admin's root.
ADMIN_PAGES = (
    (_("Credit types"), "credits_plugin/credittype/"),
    (_("Credits"), "credits_plugin/credit/"),
    (_("Course credit settings"), "credits_plugin/coursecreditsettings/"),
    (_("Course credits (which credits each course awards, and their approval)"), "credits_plugin/coursecredit/"),
    (_("Awarded credits"), "credits_plugin/awardedcredit/"),
)
# The per-learner obtained-credits summary, relative to the admin's root.
ADMIN_SUMMARY_PAGE = "credits_plugin/awardedcredit/summary/{user_id}/"

ROLE_LABELS = {
    sample_data.ROLE_OPERATOR: _("Operator: global staff, manages the credit structure"),
    sample_data.ROLE_AUTHOR: _("Course author: staff of both demo courses"),
    sample_data.ROLE_LEARNER: _("Learner"),
}


def _admin_root():
    return reverse("admin:index")


def _accounts():
    return [{"username": u.username, "password": u.password, "role": ROLE_LABELS[u.role]}
            for u in sample_data.USERS]


def _learners(admin_root):
    """The demo learners who exist, each with their totals and a link to their summary page."""
    users = get_user_model().objects.in_bulk(sample_data.LEARNERS, field_name="username")
    learners = []
    for username in sample_data.LEARNERS:
        user = users.get(username)
        if user is None:
            continue
        summary = api.get_learner_summary(user)
        learners.append({
            "username": username,
            "name": user.get_full_name() or username,
            "totals": summary.totals,
            "awards": len(summary.awards),
            "summary_url": admin_root + ADMIN_SUMMARY_PAGE.format(user_id=user.pk),
        })
    return learners


def _credit_structure():
    """The credit types, each with its credits."""
    by_type = {}
    for credit in api.list_credits():
        by_type.setdefault(credit.credit_type.id, []).append(credit)
    return [{"type": credit_type, "credits": by_type.get(credit_type.id, [])}
            for credit_type in api.list_credit_types()]


def _courses():
    names = {str(key): name for key, name in StandaloneCourse.objects.filter(
        course_key__in=DEMO_COURSES).values_list("course_key", "display_name")}
    courses = []
    for course_id in DEMO_COURSES:
        settings = api.get_course_settings(course_id)
        courses.append({
            "course_id": course_id,
            "name": names.get(course_id, course_id),
            "settings": settings,
            "trigger": AwardTrigger(settings.award_trigger).label,
            "awarded": api.count_course_awards(course_id),
            "revoked": api.count_course_awards(course_id, status=AwardStatus.REVOKED),
        })
    return courses


def home(request):
    """The landing page: the sign-in accounts, every surface of the plugin, and what the sample data holds."""
    admin_root = _admin_root()
    context = {
        "accounts": _accounts(),
        "admin_root": admin_root,
        "admin_pages": [{"label": label, "url": admin_root + path} for label, path in ADMIN_PAGES],
        "learners": _learners(admin_root),
        "credit_structure": _credit_structure(),
        "courses": _courses(),
    }
    return render(request, "demo/home.html", context)
