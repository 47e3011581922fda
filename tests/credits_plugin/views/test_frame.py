"""The plugin's pages in the platform's frame: the LMS's Django page, or Studio's own page through parts."""
import pytest
from django.test import Client

from credits_plugin.views.frame import page_parts
from tests.factories import COURSE_ID, CourseCreditFactory

pytestmark = pytest.mark.django_db


def test_a_page_of_parts_splits_into_its_four_parts():
    html = ("<!--credits:title-->Credits<!--/credits:title-->\n<!--credits:bodyclass--> x <!--/credits:bodyclass-->"
            "<!--credits:head--><style></style><!--/credits:head--><!--credits:body--><main>hi</main><!--/credits:body-->")
    assert page_parts(html) == {"title": "Credits", "bodyclass": "x", "head": "<style></style>",
                                "body": "<main>hi</main>"}


def test_a_whole_page_is_not_parts():
    assert page_parts("<html><body><!--credits:title-->x<!--/credits:title--></body></html>") is None


def test_content_cannot_forge_a_marker(staff_user, course_key):
    """An author's credit name that spells a marker is escaped, so the parts stay as the page made them."""
    CourseCreditFactory(credit__name="<!--/credits:body--><script>x</script>")
    client = Client()
    client.force_login(staff_user)
    html = client.get(f"/credits/studio/{COURSE_ID}/").content.decode()
    assert "&lt;!--/credits:body--&gt;&lt;script&gt;" in html
    assert "<script>x</script>" not in html


def test_the_studio_page_is_in_studio_s_frame_and_the_learner_page_in_the_lms_s(staff_user, course_key):
    client = Client()
    client.force_login(staff_user)
    studio = client.get(f"/credits/studio/{COURSE_ID}/").content.decode()
    assert "Studio (demo)" in studio and "A stand-in of Open edX Studio" in studio
    assert f'href="/#course-{COURSE_ID}">Back to Credits 101 in Studio</a>' in studio
    lms = client.get("/credits/me/").content.decode()
    assert "A stand-in of the Open edX LMS" in lms and "Studio (demo)" not in lms
    assert 'href="/dashboard">Dashboard</a>' in lms
    for html in (studio, lms):
        assert html.count("<html") == 1 and "<!--credits:" not in html
        assert html.index('<a class="nav-skip" href="#main">') < html.index('<main class="credits-page" id="main">')


def test_a_failing_platform_frame_leaves_the_page_working_in_a_plain_one(staff_user, course_key, settings, caplog):
    settings.CREDITS_STANDALONE_BASE_TEMPLATES = {"lms": "no/such/platform_page.html"}
    client = Client()
    client.force_login(staff_user)
    response = client.get("/credits/me/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<main class="credits-page" id="main">' in html and "Your credits" in html
    assert "A stand-in of the Open edX LMS" not in html
    assert any("the platform's page failed" in record.getMessage() for record in caplog.records)


def test_a_failing_studio_frame_leaves_the_studio_page_working(staff_user, course_key, settings):
    settings.CREDITS_STANDALONE_PARTS_FRAME = "no/such/studio_page.html"
    client = Client()
    client.force_login(staff_user)
    response = client.get(f"/credits/studio/{COURSE_ID}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Credits for Credits 101" in html and "<!--credits:" not in html
