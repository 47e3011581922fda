"""What the admin tests share: reading a page, counting rows, and the admin forms' POST data."""
import html

from django.contrib.messages import get_messages

from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings, Credit, CreditType
from tests.factories import COURSE_ID

ADMIN = "/admin/credits_plugin"
OTHER_COURSE = "course-v1:TestX+Other+2026"


def text(response):
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


def counts():
    return (CreditType.objects.count(), Credit.objects.count(), CourseCredit.objects.count(),
            CourseCreditSettings.objects.count(), AwardedCredit.objects.count())


def type_post(*, name, unit="hours", description="", requires=False, multiple=True, active=True,
              existing=(), new=()):
    """The POST of a credit type page: its fields and the credits inline (existing rows, then new ones)."""
    data = {"name": name, "unit": unit, "description": description}
    for field, value in (("requires_reference_number", requires), ("allow_multiple_per_course", multiple),
                         ("is_active", active)):
        if value:
            data[field] = "on"
    rows = list(existing) + list(new)
    data.update({"credits-TOTAL_FORMS": str(len(rows)), "credits-INITIAL_FORMS": str(len(existing)),
                 "credits-MIN_NUM_FORMS": "0", "credits-MAX_NUM_FORMS": "1000"})
    for index, row in enumerate(rows):
        prefix = f"credits-{index}-"
        row = {"is_active": True, "description": "", "reference_number": "", **row}
        for key, value in row.items():
            if key in ("is_active", "DELETE"):
                if value:
                    data[prefix + key] = "on"
            elif value is not None:
                data[prefix + key] = value
    return data


def existing_row(credit, **changes):
    row = {"id": str(credit.pk), "credit_type": str(credit.credit_type_id), "name": credit.name,
           "description": credit.description, "reference_number": credit.reference_number,
           "is_active": credit.is_active}
    row.update(changes)
    return row



def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]



def designation_post(credit=None, amount="2.50", reference_number="", course_key=COURSE_ID):
    data = {"amount": amount, "reference_number": reference_number}
    if credit is not None:
        data.update({"course_key": course_key, "credit": credit.pk})
    return data

