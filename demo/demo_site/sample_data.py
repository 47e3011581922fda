"""
The demo's sample data: people, a credit structure, two courses, grades and awards.

Plain values only; ``load_demo_data`` turns them into rows (through
``credits_plugin.api`` for everything the plugin owns, and through the
standalone platform tables for what plays openedx-platform). The landing page
reads the course ids and the demo learners from here too.
"""
from collections import namedtuple

DemoUser = namedtuple("DemoUser", "username password first_name last_name is_staff role")
DemoType = namedtuple("DemoType", "name unit description requires_reference_number allow_multiple_per_course")
DemoCredit = namedtuple("DemoCredit", "type_name name reference_number description is_active")
DemoDesignation = namedtuple("DemoDesignation", "credit_name amount reference_number")
DemoCourse = namedtuple("DemoCourse", "course_id display_name award_trigger revoke_on_certificate_revoked credits")
DemoGrade = namedtuple("DemoGrade", "username course_id percent passed")
ManualAward = namedtuple("ManualAward", "username course_id acting_username reason")
Revocation = namedtuple("Revocation", "username course_id credit_name acting_username reason")

OPERATOR = "staff"
AUTHOR = "author"
LEARNER = "learner"

# Roles, as the landing page and the command's summary describe them.
ROLE_OPERATOR = "operator"
ROLE_AUTHOR = "author"
ROLE_LEARNER = "learner"

USERS = (
    DemoUser(OPERATOR, "staff", "Noor", "Haddad", True, ROLE_OPERATOR),
    DemoUser(AUTHOR, "author", "Daniel", "Okafor", False, ROLE_AUTHOR),
    DemoUser(LEARNER, "learner", "Lee", "Morgan", False, ROLE_LEARNER),
    DemoUser("amira", "amira", "Amira", "Benali", False, ROLE_LEARNER),
    DemoUser("ben", "ben", "Ben", "Tremblay", False, ROLE_LEARNER),
    DemoUser("chloe", "chloe", "Chloé", "Martin", False, ROLE_LEARNER),
)
LEARNERS = tuple(user.username for user in USERS if user.role == ROLE_LEARNER)

MANAGEMENT = "Management"
CPA_ONTARIO = "CPA Ontario"
CEU = "Continuing Education Units"

CREDIT_TYPES = (
    DemoType(
        MANAGEMENT, "hours",
        "A theme: courses that build management and leadership skills. Several per course are allowed.",
        False, True,
    ),
    DemoType(
        CPA_ONTARIO, "CPD hours",
        "Verifiable continuing professional development recognised by CPA Ontario. Each credit carries "
        "CPA Ontario's reference number; a course awards at most one.",
        True, False,
    ),
    DemoType(
        CEU, "CEU",
        "Continuing Education Units: one CEU is ten contact hours of an accredited programme.",
        False, True,
    ),
)

CREDITS = (
    DemoCredit(MANAGEMENT, "Leadership", "", "Leading people and teams.", True),
    DemoCredit(MANAGEMENT, "Team Communication", "", "Meetings, feedback and difficult conversations.", True),
    DemoCredit(MANAGEMENT, "Ethical Leadership", "", "Leading with integrity.", True),
    DemoCredit(MANAGEMENT, "Supervisory Skills (2024 syllabus)", "",
               "Replaced by Leadership in 2026; kept for the awards it already has.", False),
    DemoCredit(CPA_ONTARIO, "Leadership and Management CPD", "CPAO-2026-0412",
               "Verifiable CPD in leadership and management.", True),
    DemoCredit(CPA_ONTARIO, "Ethics CPD", "CPAO-2026-0388",
               "Verifiable CPD in professional ethics, counting towards the ethics requirement.", True),
    DemoCredit(CPA_ONTARIO, "Governance and Risk CPD", "CPAO-2026-0457",
               "Verifiable CPD in governance and risk management.", True),
    DemoCredit(CEU, "General Studies", "", "General continuing education.", True),
    DemoCredit(CEU, "Ethics and Compliance", "", "Ethics, compliance and professional conduct.", True),
)

# The same names in French (ADR 0011): a learner, author or staff member whose language is French
# sees these; the names above are the site's default language.
TRANSLATIONS = {
    MANAGEMENT: {"fr": {"name": "Gestion", "unit": "heures",
                        "description": "Un thème : des cours qui développent la gestion et le leadership."}},
    CPA_ONTARIO: {"fr": {"name": "CPA Ontario", "unit": "heures de FPC",
                         "description": "Formation professionnelle continue vérifiable reconnue par CPA Ontario."}},
    CEU: {"fr": {"name": "Unités d'éducation continue", "unit": "UEC",
                 "description": "Une UEC vaut dix heures de contact d'un programme agréé."}},
    "Leadership": {"fr": {"name": "Leadership", "description": "Diriger des personnes et des équipes."}},
    "Team Communication": {"fr": {"name": "Communication d'équipe"}},
    "Ethical Leadership": {"fr": {"name": "Leadership éthique"}},
    "Leadership and Management CPD": {"fr": {"name": "FPC en leadership et gestion"}},
    "Ethics CPD": {"fr": {"name": "FPC en éthique"}},
    "Governance and Risk CPD": {"fr": {"name": "FPC en gouvernance et risques"}},
    "General Studies": {"fr": {"name": "Études générales"}},
    "Ethics and Compliance": {"fr": {"name": "Éthique et conformité"}},
}

LEADERSHIP_COURSE = "course-v1:DemoX+Leadership+2026"
ETHICS_COURSE = "course-v1:DemoX+Ethics+2026"

COURSES = (
    DemoCourse(
        LEADERSHIP_COURSE, "Leading Teams", "passing", False, (
            DemoDesignation("Leadership", "6.00", ""),
            DemoDesignation("Team Communication", "2.50", ""),
            DemoDesignation("Leadership and Management CPD", "6.00", ""),
            DemoDesignation("General Studies", "0.60", ""),
        ),
    ),
    DemoCourse(
        ETHICS_COURSE, "Professional Ethics", "certificate", True, (
            DemoDesignation("Ethical Leadership", "2.00", ""),
            # A course-specific number replaces the credit's own on this course's awards.
            DemoDesignation("Ethics CPD", "3.00", "CPAO-2026-0388-PE"),
            DemoDesignation("Ethics and Compliance", "0.30", ""),
        ),
    ),
)
COURSE_IDS = tuple(course.course_id for course in COURSES)

# Course staff of both courses (plays CourseAccessRole).
COURSE_STAFF = ((AUTHOR, LEADERSHIP_COURSE), (AUTHOR, ETHICS_COURSE))

GRADES = (
    DemoGrade(LEARNER, LEADERSHIP_COURSE, 0.86, True),
    DemoGrade("amira", LEADERSHIP_COURSE, 0.93, True),
    DemoGrade("ben", LEADERSHIP_COURSE, 0.74, True),
    DemoGrade("chloe", LEADERSHIP_COURSE, 0.52, False),
    DemoGrade(LEARNER, ETHICS_COURSE, 0.81, True),
    DemoGrade("amira", ETHICS_COURSE, 0.97, True),
    DemoGrade("chloe", ETHICS_COURSE, 0.44, False),
)

MANUAL_AWARDS = (
    ManualAward(
        "chloe", LEADERSHIP_COURSE, AUTHOR,
        "Completed the in-person Leading Teams workshop in Toronto instead of the online assessment.",
    ),
)

REVOCATIONS = (
    Revocation(
        "ben", LEADERSHIP_COURSE, "Leadership and Management CPD", OPERATOR,
        "CPA Ontario audit: these CPD hours were already claimed through another provider.",
    ),
)

# CPA Ontario requires reference numbers, so its courses' credits wait for approval (the default
# for such a type): the operator approves them when the data is loaded, from the first day of
# last year to the last day of next year (so the demo never runs out of its approval).
APPROVAL_YEARS = (-1, 1)


# Credits the demo learner earned elsewhere: two the operator approved (one last year, more than the
# annual CPD requirement: up to 5 hours of it carry into this year), one waiting for review.
# The evidence is a one-page PDF the loader writes (a real upload goes through the same checks).
ExternalReport = namedtuple("ExternalReport", "username title provider credit_type amount days_ago decide")
EXTERNAL_CREDITS = (
    ExternalReport(LEARNER, "Tax update conference 2026", "Ontario Tax Forum", CPA_ONTARIO, "6.00", 60, "approve"),
    ExternalReport(LEARNER, "Audit and assurance week", "Chartered Professional Accountants of Canada", CPA_ONTARIO,
                   "22.00", 400, "approve"),
    ExternalReport(LEARNER, "Leading remote teams (webinar)", "Open Management Institute", MANAGEMENT, "1.50", 10,
                   None),
)
EVIDENCE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
                b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


# Continuing-education requirements: CPA Ontario's shape (20 CPD hours each calendar year, 4 of
# them in ethics, up to 5 hours above it carried into the next year; and 120 over each three-year
# cycle from the learner's licence date, for the learners assigned to it), and half a CEU a year.
# With the sample awards, the demo learner meets the CEU one; on the annual CPD, last year's 22 hours
# missed the ethics part, and this year they are behind (with 2 hours carried over).
DemoRequirement = namedtuple(
    "DemoRequirement", "name amount type_name credit_names period_kind period_length parent carry_over_max "
                       "applies_to_all reminder_days")
REQUIREMENTS = (
    DemoRequirement("Annual CPD (CPA Ontario)", "20.00", CPA_ONTARIO, (), "calendar_year", None, None, "5.00",
                    True, "60, 14"),
    DemoRequirement("Ethics CPD", "4.00", None, ("Ethics CPD",), "calendar_year", None,
                    "Annual CPD (CPA Ontario)", "0", True, ""),
    DemoRequirement("Triennial CPD (CPA Ontario)", "120.00", CPA_ONTARIO, (), "fixed_cycle", 3, None, "0", False,
                    "90"),
    DemoRequirement("Continuing education (CEU)", "0.50", CEU, (), "calendar_year", None, None, "0", True, ""),
)
# Who the triennial cycle applies to, from their licence date (years and days before today).
ASSIGNMENTS = (("Triennial CPD (CPA Ontario)", LEARNER, 400), ("Triennial CPD (CPA Ontario)", "amira", 900))
