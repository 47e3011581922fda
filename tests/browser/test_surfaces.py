"""
Every surface of the plugin on the demo site, in a real browser, as the person who uses it.

The demo's stand-in LMS pages run the real openedx-filters pipelines (the plugin's
steps, registered by its settings) and the real openedx-events event; the XBlock
runs in a real XBlock runtime with the block's own JavaScript. Each page is checked
for what a person sees, for axe-core's serious and critical violations, and
screenshotted under test-artifacts/screenshots/.
"""
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.wait import WebDriverWait

import credits_xblock
from credits_plugin import api
from credits_plugin.models import ExternalCredit
from demo.demo_site import sample_data
from tests.browser.conftest import describe

LEADERSHIP, ETHICS = sample_data.LEADERSHIP_COURSE, sample_data.ETHICS_COURSE
LEADERSHIP_CREDITS = {"Leadership", "Team Communication", "Leadership and Management CPD", "General Studies"}
# The demo learner's CPA Ontario total holds 6.00 CPD hours earned elsewhere (approved in the demo data).
LEARNER_TOTALS = ["Continuing Education Units: 0.90 CEU", "CPA Ontario: 37.00 CPD hours", "Management: 10.50 hours"]
FRENCH_XBLOCK_CATALOG = Path(credits_xblock.__file__).parent / "translations" / "fr" / "LC_MESSAGES" / "text.mo"
SCRIPT_NAME = '<script>window.__xss = 1; alert(1)</script><img src="x" onerror="window.__xss = 1">'


def check_page(demo, screenshot):
    """No serious or critical axe-core violation on the page; then a screenshot."""
    violations = demo.axe()
    assert not violations, describe(violations)
    demo.screenshot(screenshot)


def texts(driver, selector):
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, selector)]


def user(username):
    return get_user_model().objects.get(username=username)


def wait_for_text(driver, selector, text, timeout=10):
    WebDriverWait(driver, timeout).until(
        lambda d: text in d.find_element(By.CSS_SELECTOR, selector).text,
        f"{text!r} never appeared in {selector}")


def test_home_page_links_every_surface_of_each_course(demo):
    driver = demo.open("/")
    pages = driver.find_elements(By.CSS_SELECTOR, ".course-pages")
    assert len(pages) == len(sample_data.COURSE_IDS)
    for course_id, links in zip(sample_data.COURSE_IDS, pages, strict=True):
        hrefs = [a.get_attribute("href").replace(demo.url, "") for a in links.find_elements(By.TAG_NAME, "a")]
        assert hrefs[:7] == [
            f"/courses/{course_id}/about", f"/courses/{course_id}/unit/", f"/courses/{course_id}/certificate",
            f"/certificates/course/{course_id}?preview=honor", f"/credits/studio/{course_id}/",
            f"/courses/{course_id}/instructor", f"/credits/instructor/{course_id}/",
        ]
        assert "/admin/credits_plugin/awardedcredit/?q=" in hrefs[7]
    for path in ("/dashboard", "/api/learner_home/init", "/credits/me/"):
        assert driver.find_elements(By.CSS_SELECTOR, f"a[href='{path}']"), path
    check_page(demo, "surfaces-home")
    demo.click_and_wait(pages[0].find_element(By.PARTIAL_LINK_TEXT, "Course about page"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Leading Teams"


def test_about_page_shows_the_course_credits_to_anyone(demo):
    driver = demo.open(f"/courses/{LEADERSHIP}/about")
    card = driver.find_element(By.CSS_SELECTOR, ".course-sidebar .course-credits-card")
    assert set(texts(card, ".course-credits-name")) == LEADERSHIP_CREDITS
    assert "Leadership and Management CPD (CPA Ontario): 6.00 CPD hours" in card.text
    assert "Reference number: CPAO-2026-0412" in card.text, "CPA Ontario requires reference numbers"
    assert "General Studies (Continuing Education Units): 0.60 CEU" in card.text
    assert "Important dates" in demo.text(), "the platform's page is still there around the card"
    assert not driver.find_elements(By.CSS_SELECTOR, "button.simulate-passing"), "nothing personal when signed out"
    check_page(demo, "surface-about")


def test_certificate_shows_the_learner_s_standing_credits(demo):
    demo.sign_in("learner")
    driver = demo.open("/dashboard")
    demo.click_and_wait(driver.find_element(By.LINK_TEXT, "View certificate of Leading Teams"))
    assert driver.current_url.endswith(f"/certificates/user/{user('learner').pk}/course/{LEADERSHIP}")
    description = driver.find_element(By.CSS_SELECTOR, ".accomplishment-course-description").text
    assert description.startswith("a course of study offered by DemoX")
    # In the about card's order: by type (CPA Ontario, ..., Management), then by name.
    assert "Credits earned: " in description
    assert "6.00 hours of Leadership (Management); 2.50 hours of Team Communication (Management)." in description
    assert description.index("(CPA Ontario)") < description.index("(Management)")
    assert "6.00 CPD hours of Leadership and Management CPD (CPA Ontario), reference number CPAO-2026-0412" \
        in description
    check_page(demo, "surface-certificate")

    # Ben's CPA Ontario credit was revoked: his certificate (public, as in the LMS) leaves it out.
    demo.open(f"/certificates/user/{user('ben').pk}/course/{LEADERSHIP}")
    description = driver.find_element(By.CSS_SELECTOR, ".accomplishment-course-description").text
    assert "Team Communication" in description and "Leadership and Management CPD" not in description

    # Chloé did not pass the Ethics course: she has no certificate there.
    demo.open(f"/certificates/user/{user('chloe').pk}/course/{ETHICS}")
    assert not driver.find_elements(By.CSS_SELECTOR, ".certificate")


def test_certificate_preview_shows_course_staff_what_the_course_awards(demo):
    demo.sign_in("author")
    driver = demo.open(f"/certificates/course/{ETHICS}?preview=honor")
    assert "Preview of the honor certificate" in demo.text()
    description = driver.find_element(By.CSS_SELECTOR, ".accomplishment-course-description").text
    assert "Credits this course awards: " in description
    assert "2.00 hours of Ethical Leadership (Management)" in description
    assert "reference number CPAO-2026-0388-PE" in description, "the course's own number"
    check_page(demo, "surface-certificate-preview")
    demo.sign_in("learner")
    demo.open(f"/certificates/course/{ETHICS}?preview=honor")
    assert not driver.find_elements(By.CSS_SELECTOR, ".certificate"), "only course staff preview"


def test_dashboard_shows_the_learner_s_totals_and_links_to_their_credits(demo):
    demo.sign_in("learner")
    driver = demo.open("/dashboard")
    assert texts(driver, ".listing-courses h2") == ["Leading Teams", "Professional Ethics"]
    summary = driver.find_element(By.CSS_SELECTOR, ".course-credits-summary")
    assert texts(summary, ".course-credits-total") == LEARNER_TOTALS
    check_page(demo, "surface-dashboard")
    demo.click_and_wait(summary.find_element(By.LINK_TEXT, "See all your credits"))
    assert driver.current_url.endswith("/credits/me/")
    assert texts(driver, ".credits-total") == [t.replace(":", "") for t in LEARNER_TOTALS]
    assert len(driver.find_elements(By.CSS_SELECTOR, ".credits-award-awarded")) == 9  # 7 courses' + 2 external
    assert "Earned elsewhere" in driver.find_element(By.CSS_SELECTOR, ".credits-award .credits-external-tag").text
    check_page(demo, "surface-my-credits")


def test_revoked_credits_are_not_counted_on_the_dashboard_or_the_learner_s_page(demo):
    demo.sign_in("ben")
    driver = demo.open("/dashboard")
    totals = texts(driver, ".course-credits-total")
    assert totals == ["Continuing Education Units: 0.60 CEU", "Management: 8.50 hours"]
    demo.open("/credits/me/")
    revoked = driver.find_element(By.CSS_SELECTOR, ".credits-award-revoked")
    assert "Leadership and Management CPD" in revoked.text and "Revoked" in revoked.text
    assert not [t for t in texts(driver, ".credits-total") if "CPA Ontario" in t]


def test_learner_home_api_carries_each_course_s_credits_and_what_the_learner_earned(demo):
    """A JSON API: the browser shows the text; what a person sees is the MFE's widget, outside this package."""
    demo.sign_in("ben")
    demo.open("/api/learner_home/init")
    courses = {c["courseRun"]["courseId"]: c for c in json.loads(demo.text())["courses"]}
    assert set(courses) == set(sample_data.COURSE_IDS)
    leadership = courses[LEADERSHIP]
    assert {c["creditName"] for c in leadership["courseRun"]["offeredCredits"]} == LEADERSHIP_CREDITS
    assert not {"offeredCredits", "earnedCredits"} & set(leadership["enrollment"]), "the enrollment keeps its keys"
    earned = {c["creditName"]: c for c in leadership["courseRun"]["earnedCredits"]}
    assert set(earned) == LEADERSHIP_CREDITS - {"Leadership and Management CPD"}, "the revoked one is left out"
    assert (earned["Team Communication"]["amount"], earned["Team Communication"]["unit"]) == ("2.50", "hours")
    assert courses[ETHICS]["courseRun"]["earnedCredits"] == [], "Ben has not passed Professional Ethics"


def test_instructor_dashboard_has_a_credits_section_and_tab_for_course_staff(demo):
    demo.sign_in("author")
    driver = demo.open(f"/courses/{LEADERSHIP}/instructor")
    assert texts(driver, ".instructor-nav a") == ["Course Info", "Credits"]
    section = driver.find_element(By.CSS_SELECTOR, "section#course_credits")
    assert "Credits this course awards" in section.text and "Awarded credits" in section.text
    assert {"amira", "ben", "chloe", "learner"} <= set(texts(section, ".credits-panel-award th"))
    check_page(demo, "surface-instructor-dashboard")

    # The report is searchable by username, inside the instructor dashboard.
    section.find_element(By.ID, "credits-panel-search").send_keys("ben")
    demo.click_and_wait(section.find_element(By.CSS_SELECTOR, "form[role=search] button"))
    section = driver.find_element(By.CSS_SELECTOR, "section#course_credits")
    assert set(texts(section, ".credits-panel-award th")) == {"ben"}
    assert "/courses/" in driver.current_url and "credits_search=ben" in driver.current_url

    # The instructor dashboard app's tab, from InstructorDashboardTabsRequested, opens the plugin's page.
    tab = driver.find_element(By.CSS_SELECTOR, ".instructor-app-tabs a[data-tab-id=course_credits]")
    demo.click_and_wait(tab)
    assert driver.current_url.endswith(f"/credits/instructor/{LEADERSHIP}/")
    assert "Awarded credits" in demo.text()
    check_page(demo, "surface-instructor-app-page")


def test_learners_get_no_instructor_dashboard(demo):
    demo.sign_in("learner")
    driver = demo.open(f"/courses/{LEADERSHIP}/instructor")
    assert not driver.find_elements(By.CSS_SELECTOR, "#course_credits")
    assert "Awarded credits" not in demo.text()


def test_the_xblock_shows_the_learner_s_status_and_refreshes_it_through_its_handler(demo):
    demo.sign_in("learner")
    driver = demo.open(f"/courses/{LEADERSHIP}/unit/")
    block = driver.find_element(By.CSS_SELECTOR, "#unit-xblock .course-credits-xblock")
    assert "Earned" in block.text
    assert set(texts(block, ".course-credits-earned .course-credits-name")) == LEADERSHIP_CREDITS
    # The block's own script, through the page's JS runtime, the handler URL and Django's CSRF check.
    block.find_element(By.CSS_SELECTOR, "button.course-credits-refresh").click()
    wait_for_text(driver, ".course-credits-message", "Your credit status is up to date.")
    assert set(texts(block, ".course-credits-earned .course-credits-name")) == LEADERSHIP_CREDITS
    check_page(demo, "surface-xblock")
    # The handler URL is CSRF-protected, as in the LMS: a post without the token is refused.
    status = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {method: 'POST', credentials: 'same-origin', body: '{}'}).then(r => done(r.status));",
        f"/courses/{LEADERSHIP}/unit/handler/learner_status/")
    assert status == 403


@pytest.mark.skipif(not FRENCH_XBLOCK_CATALOG.exists(), reason="the XBlock's French catalog is not compiled")
def test_the_xblock_speaks_the_learner_s_language(demo):
    demo.sign_in("learner")
    demo.driver.add_cookie({"name": "django_language", "value": "fr"})
    driver = demo.open(f"/courses/{LEADERSHIP}/unit/")
    block = driver.find_element(By.CSS_SELECTOR, "#unit-xblock .course-credits-xblock")
    assert "Obtenu" in block.text and "Earned" not in block.text
    block.find_element(By.CSS_SELECTOR, "button.course-credits-refresh").click()
    wait_for_text(driver, ".course-credits-message", "Le statut de vos crédits est à jour.")
    assert "Obtenu" in block.text, "the handler answers in French too"
    check_page(demo, "surface-xblock-fr")


def test_the_xblock_asks_a_visitor_to_sign_in(demo):
    driver = demo.open(f"/courses/{LEADERSHIP}/unit/")
    block = driver.find_element(By.CSS_SELECTOR, "#unit-xblock .course-credits-xblock")
    assert set(texts(block, ".course-credits-name")) == LEADERSHIP_CREDITS
    assert "Sign in to see whether you have earned these credits." in block.text
    check_page(demo, "surface-xblock-signed-out")


@pytest.fixture
def newcomer(demo):
    """A learner with no grade and no award yet."""
    return get_user_model().objects.create_user("dana", "dana@example.com", "dana", first_name="Dana",
                                                 last_name="Ito")


def test_simulate_passing_awards_the_credits_seen_in_the_xblock_and_on_my_credits(demo, newcomer):
    demo.sign_in("dana")
    driver = demo.open(f"/courses/{LEADERSHIP}/unit/")
    assert "You have not earned the credits of this course yet." in demo.text()
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, "button.simulate-passing"))
    assert driver.current_url.endswith(f"/courses/{LEADERSHIP}/unit/")
    assert "You now pass Leading Teams: 4 credit(s) awarded." in demo.text()
    block = driver.find_element(By.CSS_SELECTOR, "#unit-xblock .course-credits-xblock")
    assert set(texts(block, ".course-credits-earned .course-credits-name")) == LEADERSHIP_CREDITS
    check_page(demo, "flow-simulate-passing-unit")

    demo.open("/credits/me/")
    assert texts(driver, ".credits-total") == [
        "Continuing Education Units 0.60 CEU", "CPA Ontario 6.00 CPD hours", "Management 8.50 hours"]
    assert len(driver.find_elements(By.CSS_SELECTOR, ".credits-award-awarded")) == 4


def test_simulate_passing_on_the_about_page_of_a_course_awarding_on_certificate(demo, newcomer):
    demo.sign_in("dana")
    driver = demo.open(f"/courses/{ETHICS}/about")
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, "button.simulate-passing"))
    assert driver.current_url.endswith(f"/courses/{ETHICS}/about")
    assert "No new credit was awarded" in demo.text(), "Professional Ethics awards on certificate, not passing"
    assert api.get_learner_summary(newcomer).awards == ()
    check_page(demo, "flow-simulate-passing-about")


def test_issuing_the_certificate_awards_a_course_that_awards_with_the_certificate(demo, newcomer):
    demo.sign_in("dana")
    driver = demo.open(f"/courses/{ETHICS}/about")
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, "button.issue-certificate"))
    assert driver.current_url.endswith(f"/courses/{ETHICS}/about")
    assert "Your certificate for Professional Ethics is issued:" in demo.text()
    assert driver.find_elements(By.CSS_SELECTOR, "form.sign-out button"), "every demo page can sign out"
    awards = api.get_learner_summary(newcomer).awards
    assert awards and {a.source for a in awards} == {"certificate"}
    check_page(demo, "flow-issue-certificate-about")
    demo.open(f"/courses/{LEADERSHIP}/unit/")  # Leading Teams awards on passing: the certificate adds nothing
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, "button.issue-certificate"))
    assert "does not award its credits with the certificate" in demo.text()


def test_the_credits_an_author_picks_in_studio_are_the_ones_on_the_about_page(demo):
    api.set_course_settings(LEADERSHIP, enabled=False, credits=[])
    demo.sign_in("author")
    driver = demo.open(f"/credits/studio/{LEADERSHIP}/")
    driver.find_element(By.ID, "enabled").click()
    amounts = ("1.5", "2")
    picked = {label: f"{float(amount):.2f}" for (_id, label), amount in zip(demo.pick_credits(amounts), amounts,
                                                                             strict=True)}
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, "button[value=save]"))
    assert "Credit settings saved." in demo.text()

    demo.sign_in("learner")  # any visitor sees the same card
    demo.open(f"/courses/{LEADERSHIP}/about")
    card = driver.find_element(By.CSS_SELECTOR, ".course-credits-card")
    shown = {item.find_element(By.CSS_SELECTOR, ".course-credits-name").text: item.text.rsplit(": ", 1)[1].split()[0]
             for item in card.find_elements(By.CSS_SELECTOR, ".course-credits-item")}
    assert shown == picked, "exactly the two credits the author picked, with their amounts"
    check_page(demo, "flow-studio-to-about")


@pytest.fixture
def script_credit(demo):
    """A credit named with markup, designated by Leading Teams and awarded to the learner."""
    management = next(t for t in api.list_credit_types() if t.name == sample_data.MANAGEMENT)
    credit = api.create_credit(credit_type_id=management.id, name=SCRIPT_NAME)
    settings = api.get_course_settings(LEADERSHIP)
    api.set_course_settings(LEADERSHIP, enabled=True, award_trigger=settings.award_trigger, credits=[
        *({"credit": d.credit.id, "amount": str(d.amount), "reference_number": d.reference_number}
          for d in settings.credits),
        {"credit": credit.id, "amount": "1.00"},
    ])
    api.award_course_credits(user("learner"), LEADERSHIP)
    return credit


@pytest.mark.parametrize("path", [
    f"/courses/{LEADERSHIP}/about", f"/courses/{LEADERSHIP}/certificate", "/credits/me/",
    f"/courses/{LEADERSHIP}/unit/",
])
def test_markup_in_a_credit_name_is_shown_as_text(demo, script_credit, path):
    demo.sign_in("learner")
    driver = demo.open(path)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert driver.execute_script("return window.__xss === undefined;")
    assert SCRIPT_NAME in demo.text(), "the name is shown, as text"
    assert not driver.find_elements(By.CSS_SELECTOR, "img[src=x]")
    assert not [s for s in driver.find_elements(By.TAG_NAME, "script") if "__xss" in s.get_attribute("innerHTML")]


def test_a_learner_reports_a_credit_earned_elsewhere_and_sees_it_approved(demo, tmp_path):
    """Amira reports a seminar with her certificate (a PDF); the operator approves it; it counts, marked external."""
    evidence = tmp_path / "certificate.pdf"
    evidence.write_bytes(sample_data.EVIDENCE_PDF)
    demo.sign_in("amira")
    driver = demo.open("/credits/me/")
    driver.find_element(By.ID, "external-title").send_keys("Ethics in audit seminar")
    driver.find_element(By.ID, "external-provider").send_keys("Audit Institute")
    Select(driver.find_element(By.ID, "external-credit_type")).select_by_visible_text("Management (hours)")
    driver.find_element(By.ID, "external-amount").send_keys("3")
    driver.find_element(By.ID, "external-earned_on").send_keys("03022026")
    driver.find_element(By.ID, "external-evidence").send_keys(str(evidence))
    driver.execute_script("document.querySelector('.credits-external-form').scrollIntoView({block: 'start'});")
    demo.screenshot("learner-external-report")
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, ".credits-external-form button[type=submit]"))
    assert "your credit was sent for review" in demo.text()
    row = driver.find_element(By.CSS_SELECTOR, ".credits-external-pending")
    assert "Ethics in audit seminar" in row.text and "Waiting for review" in row.text
    check_page(demo, "flow-external-waiting")

    demo.sign_in(sample_data.OPERATOR)
    driver = demo.open("/admin/credits_plugin/externalcredit/?status__exact=pending")
    waiting = ExternalCredit.objects.get(title="Ethics in audit seminar")
    driver.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{waiting.pk}']").click()
    Select(driver.find_element(By.NAME, "action")).select_by_value("approve_external_credits")
    demo.click_and_wait(driver.find_element(By.NAME, "index"))
    amount = driver.find_element(By.ID, f"amount_{waiting.pk}")
    amount.clear()
    amount.send_keys("2.5")
    demo.screenshot("admin-external-approve")
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    assert "1 credit was decided." in driver.page_source

    demo.sign_in("amira")
    driver = demo.open("/credits/me/")
    assert "Approved" in driver.find_element(By.CSS_SELECTOR, ".credits-external-approved").text
    management = [t for t in texts(driver, ".credits-total") if t.startswith("Management")]
    assert management == ["Management 13.00 hours"]  # 10.50 from her two courses + 2.50 approved
    check_page(demo, "flow-external-approved")


def test_the_learner_sees_where_they_stand_on_each_requirement(demo):
    demo.sign_in("learner")
    driver = demo.open("/credits/me/")
    sections = driver.find_elements(By.CSS_SELECTOR, ".credits-requirement")
    assert [section.find_element(By.TAG_NAME, "h3").text for section in sections] == [
        "Annual CPD (CPA Ontario)", "Continuing education (CEU)", "Triennial CPD (CPA Ontario)"]
    annual, ceu, _triennial = sections
    assert "17.00 of 20.00 CPD hours" in annual.text  # 15 this year and 2 carried over from last year's 22
    assert "2.00 carried over from the period before" in annual.text
    assert "3.00 CPD hours to go by" in annual.text
    assert "Ethics CPD: 3.00 of 4.00 CPD hours" in annual.text
    assert "Met for this period" in ceu.text
    progress = annual.find_element(By.TAG_NAME, "progress")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("17", "20")
    annual.find_element(By.TAG_NAME, "summary").click()  # the past periods open
    (past,) = annual.find_elements(By.CSS_SELECTOR, ".credits-past-period")
    assert "22.00 CPD hours" in past.text and past.text.endswith("No")  # no ethics last year
    driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.ID, "credits-requirements-title"))
    check_page(demo, "learner-requirements")


def test_a_learner_downloads_an_open_badge_and_anyone_checks_it_on_the_verification_page(demo):
    demo.sign_in("learner")
    driver = demo.open("/credits/me/")
    badge = driver.find_elements(By.CSS_SELECTOR, ".credits-award a[download$='.jwt']")[0]
    assert badge.get_attribute("download").endswith(".jwt")
    record = driver.find_element(By.PARTIAL_LINK_TEXT, "Download your record (Open Badges)")
    fetch = ("const done = arguments[arguments.length - 1];"
             "fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed: ' + e));")
    token = driver.execute_async_script(fetch, badge.get_attribute("href"))
    assert token.count(".") == 2, token[:200]
    assert len(json.loads(driver.execute_async_script(fetch, record.get_attribute("href")))[
        "verifiableCredential"]) == 9
    page = badge.find_element(By.XPATH, "./preceding-sibling::a[1]").get_attribute("href")
    demo.driver.delete_all_cookies()  # anyone: an employer, signed out
    driver = demo.open(page.replace(demo.url, ""))
    assert "Portable credential" in demo.text()
    driver.find_element(By.ID, "credits-credential").send_keys(token)
    demo.click_and_wait(driver.find_element(By.XPATH, "//button[normalize-space()='Check']"))
    result = driver.find_element(By.ID, "credits-verification-result").text
    assert result.startswith("Valid.") and "the award stands" in result
    check_page(demo, "award-credential-check")
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    field = driver.find_element(By.ID, "credits-credential")
    field.clear()
    field.send_keys(forged)
    demo.click_and_wait(driver.find_element(By.XPATH, "//button[normalize-space()='Check']"))
    assert driver.find_element(By.ID, "credits-verification-result").text.startswith("Not valid.")


@pytest.mark.skipif(not (Path(__file__).resolve().parents[2] / "frontend" / "dist-harness" / "index.html").exists(),
                    reason="the widget harness is not built (run: cd frontend && npm ci && npm run build:harness)")
@pytest.mark.parametrize("locale, heading, total", [
    ("en", "Credits this course awards", "CPA Ontario\n37.00 CPD hours"),
    ("fr", "Crédits attribués par ce cours", "CPA Ontario\n37,00 heures de FPC"),
])
def test_the_learner_dashboard_micro_frontend_shows_the_demo_s_own_credits(demo, locale, heading, total):
    demo.sign_in("learner")
    driver = demo.open(f"/learner-dashboard/?locale={locale}")
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1",
                                    "the live dashboard never finished loading")
    cards = driver.find_elements(By.CSS_SELECTOR, "article[data-course]")
    assert [c.find_element(By.TAG_NAME, "h2").text for c in cards] == ["Leading Teams", "Professional Ethics"]
    assert all(heading in c.text for c in cards), [c.text for c in cards]
    WebDriverWait(driver, 10).until(lambda d: total in d.find_element(By.TAG_NAME, "aside").text,
                                    f"{total!r} never appeared in the sidebar")
    check_page(demo, "surface-learner-dashboard-mfe" + ("-fr" if locale == "fr" else ""))


def test_the_learner_s_pages_in_french(demo):
    """The about card, the certificate, /credits/me/ and a verification page, for a French-speaking learner."""
    demo.sign_in("learner")
    demo.driver.add_cookie({"name": "django_language", "value": "fr"})
    driver = demo.open(f"/courses/{LEADERSHIP}/about")
    card = driver.find_element(By.CSS_SELECTOR, ".course-sidebar .course-credits-card")
    assert "FPC en leadership et gestion (CPA Ontario)\u00a0: 6,00 heures de FPC" in card.text.replace(
        " :", "\u00a0:"), card.text  # the credit's and the unit's French names (ADR 0011)
    assert "Numéro de référence" in card.text
    check_page(demo, "surface-about-fr")
    driver = demo.open(f"/certificates/user/{user('learner').pk}/course/{LEADERSHIP}")
    description = driver.find_element(By.CSS_SELECTOR, ".accomplishment-course-description").text
    assert "Crédits obtenus : " in description and "6,00" in description, description
    check_page(demo, "surface-certificate-fr")
    driver = demo.open("/credits/me/")
    assert texts(driver, ".credits-total") == ["CPA Ontario 37,00 heures de FPC", "Gestion 10,50 heures",
                                                "Unités d'éducation continue 0,90 UEC"]
    assert "Totaux" in demo.text()
    check_page(demo, "surface-my-credits-fr")
    page = driver.find_elements(By.CSS_SELECTOR, ".credits-award-awarded a[href*='/credits/awards/']")[0] \
        .get_attribute("href")
    demo.open(page.replace(demo.url, ""))
    assert "Ce crédit est valide." in demo.text() and "Attestation portable" in demo.text()
    check_page(demo, "award-page-fr")
