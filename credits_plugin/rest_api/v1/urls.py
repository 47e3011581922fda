"""Routes of the REST API v1 (mounted at /api/credits/v1/)."""
from django.urls import path, re_path

from credits_plugin.rest_api.v1 import credentials, views

# Any text, slashes included (old Org/Course/Run keys): the view says clearly when it is not a course id.
COURSE_ID = r"(?P<course_id>.+?)"
UUID = r"(?P<award_uuid>[^/]+)"

urlpatterns = [
    path("credit-types/", views.CreditTypeListView.as_view(), name="credit-types"),
    re_path(r"^credit-types/(?P<type_id>[^/]+)/$", views.CreditTypeDetailView.as_view(), name="credit-type"),
    path("credits/", views.CreditListView.as_view(), name="credits"),
    re_path(r"^credits/(?P<credit_id>[^/]+)/$", views.CreditDetailView.as_view(), name="credit"),
    re_path(rf"^courses/{COURSE_ID}/awards/$", views.CourseAwardsView.as_view(), name="course-awards"),
    re_path(rf"^courses/{COURSE_ID}/$", views.CourseCreditsView.as_view(), name="course"),
    path("designations/", views.DesignationListView.as_view(), name="designations"),
    re_path(r"^designations/(?P<designation_id>[^/]+)/approve/$",
            views.DesignationDecisionView.as_view(decision="approve"), name="designation-approve"),
    re_path(r"^designations/(?P<designation_id>[^/]+)/reject/$", views.RejectDesignationView.as_view(),
            name="designation-reject"),
    path("external-credits/", views.ExternalCreditListView.as_view(), name="external-credits"),
    re_path(r"^external-credits/(?P<external_id>[^/]+)/$", views.ExternalCreditDetailView.as_view(),
            name="external-credit"),
    re_path(r"^external-credits/(?P<external_id>[^/]+)/evidence/$", views.ExternalCreditEvidenceView.as_view(),
            name="external-credit-evidence"),
    re_path(r"^external-credits/(?P<external_id>[^/]+)/approve/$",
            views.ExternalCreditDecisionView.as_view(decision="approve"), name="external-credit-approve"),
    re_path(r"^external-credits/(?P<external_id>[^/]+)/reject/$", views.RejectExternalCreditView.as_view(),
            name="external-credit-reject"),
    re_path(rf"^awards/{UUID}/revoke/$", views.RevokeAwardView.as_view(), name="award-revoke"),
    re_path(rf"^awards/{UUID}/$", views.PublicAwardView.as_view(), name="award"),
    re_path(rf"^awards/{UUID}/credential/$", credentials.AwardCredentialView.as_view(), name="award-credential"),
    re_path(r"^learners/(?P<username>[^/]+)/record/$", credentials.LearnerRecordView.as_view(),
            name="learner-record"),
    path("issuer/", credentials.IssuerView.as_view(), name="issuer"),
    path("issuer/jwks/", credentials.IssuerKeysView.as_view(), name="issuer-jwks"),
    re_path(r"^status-lists/(?P<list_id>[^/]+)/$", credentials.StatusListView.as_view(), name="status-list"),
    path("credentials/verify/", credentials.VerifyCredentialView.as_view(), name="credentials-verify"),
    path("requirements/", views.RequirementListView.as_view(), name="requirements"),
    re_path(r"^requirements/(?P<requirement_id>[^/]+)/$", views.RequirementDetailView.as_view(),
            name="requirement"),
    re_path(r"^requirements/(?P<requirement_id>[^/]+)/assignments/$", views.RequirementAssignmentsView.as_view(),
            name="requirement-assignments"),
    re_path(r"^requirements/(?P<requirement_id>[^/]+)/compliance/$", views.RequirementComplianceView.as_view(),
            name="requirement-compliance"),
    re_path(r"^learners/(?P<username>[^/]+)/requirements/$", views.LearnerRequirementsView.as_view(),
            name="learner-requirements"),
    re_path(r"^learners/(?P<username>[^/]+)/summary/$", views.LearnerSummaryView.as_view(), name="learner-summary"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    re_path(r"^", views.UnknownPathView.as_view()),  # a JSON 404, in the API's error shape
]
