"""
The operator's admin at 1280 px wide, in a real browser: every column and every error of the
pages an operator edits is on screen without scrolling sideways.
"""
import pytest
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from credits_plugin import api
from credits_plugin.models import CourseCredit, CreditType
from demo.demo_site import sample_data
from tests.browser.conftest import describe

WIDTH = 1280

# The largest right edge of the page's cells, fields and error messages, and the window's width.
OVERFLOW = """
const width = document.documentElement.clientWidth;
const out = [];
document.querySelectorAll(arguments[0]).forEach((el) => {
  const box = el.getBoundingClientRect();
  if (box.width && box.right > width + 1) {
    out.push(`${el.tagName}.${el.className} ${el.textContent.trim().slice(0, 40)} right=${Math.round(box.right)}`);
  }
});
return [width, out];
"""
CELLS = ", ".join(f"#content {part}" for part in ("th", "td", "input", "select", "textarea", ".errorlist",
                                                  ".errornote"))


def overflowing(driver):
    width, out = driver.execute_script(OVERFLOW, CELLS)
    assert width <= WIDTH
    return out


@pytest.fixture
def operator(demo):
    demo.driver.set_window_size(WIDTH, 1000)
    demo.sign_in(sample_data.OPERATOR)
    yield demo
    demo.driver.set_window_size(1280, 1600)


def test_a_credit_type_with_its_credits_fits_1280_px_errors_included(operator):
    cpa = CreditType.objects.get(name=sample_data.CPA_ONTARIO)
    driver = operator.open(f"/admin/credits_plugin/credittype/{cpa.pk}/change/")
    assert not overflowing(driver)
    operator.screenshot("admin-credit-type-1280")
    # Clear the first credit's reference number (the type requires one) and save: the error must show.
    field = driver.find_element(By.ID, "id_credits-0-reference_number")
    field.clear()
    operator.click_and_wait(driver.find_element(By.NAME, "_continue"))
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#content .errorlist li") if e.is_displayed()]
    assert errors, "no field error is shown"
    assert not overflowing(driver)
    operator.screenshot("admin-credit-type-error-1280")


@pytest.mark.parametrize("path", ["coursecreditsettings/", "coursecredit/", "awardedcredit/", "credit/",
                                  "credittype/", "creditrequirement/"])
def test_the_lists_fit_1280_px(operator, path):
    driver = operator.open(f"/admin/credits_plugin/{path}")
    assert not overflowing(driver), path


def test_an_approver_approves_a_changed_accredited_credit_for_dates(operator):
    """The author changes an accredited credit's amount: it waits; the operator approves it in the admin."""
    course = sample_data.ETHICS_COURSE
    settings = api.get_course_settings(course)
    credits = [{"credit": c.credit.id, "amount": "4.00" if c.credit.credit_type.requires_approval else c.amount,
                "reference_number": c.reference_number} for c in settings.credits]
    api.set_course_settings(course, enabled=True, award_trigger=settings.award_trigger,
                            revoke_on_certificate_revoked=settings.revoke_on_certificate_revoked, credits=credits,
                            user=get_user_model().objects.get(username=sample_data.AUTHOR))
    waiting = CourseCredit.objects.get(course_key=settings.course_key, approval_status="pending")
    driver = operator.open("/admin/credits_plugin/coursecredit/?approval_status__exact=pending")
    driver.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{waiting.pk}']").click()
    Select(driver.find_element(By.NAME, "action")).select_by_value("approve_designations")
    operator.click_and_wait(driver.find_element(By.NAME, "index"))
    assert "Approved for learners who pass from (optional)" in driver.page_source
    assert not overflowing(driver)
    driver.find_element(By.NAME, "valid_from").send_keys("01012026")
    driver.find_element(By.NAME, "valid_until").send_keys("12312027")
    operator.screenshot("admin-approve")
    operator.click_and_wait(driver.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    assert "1 course credit was decided." in driver.page_source
    waiting.refresh_from_db()
    assert waiting.approval_status == "approved" and str(waiting.valid_until) == "2027-12-31"
    # The author sees it on the course's Studio page, with the approval's dates.
    operator.sign_in(sample_data.AUTHOR)
    driver = operator.open(f"/credits/studio/{course}/")
    status = driver.find_element(By.CSS_SELECTOR, ".approval-approved").text
    assert "Approved for learners who pass from Jan. 1, 2026 to Dec. 31, 2027." in status
    driver.execute_script("document.querySelector('.approval-approved').scrollIntoView({block: 'center'});")
    operator.screenshot("studio-approval")


def test_the_operator_sees_who_is_behind_on_a_requirement(operator):
    """From the requirement's page to its compliance report: the learners behind, then the CSV link."""
    driver = operator.open("/admin/credits_plugin/creditrequirement/")
    assert not overflowing(driver)
    operator.click_and_wait(driver.find_element(By.LINK_TEXT, "Triennial CPD (CPA Ontario)"))
    assert not overflowing(driver)
    operator.click_and_wait(driver.find_element(By.PARTIAL_LINK_TEXT, "the compliance report"))
    rows = driver.find_elements(By.CSS_SELECTOR, "#credits-compliance tbody tr")
    assert [row.find_element(By.TAG_NAME, "td").text for row in rows] == ["learner", "amira"]
    assert all("credits-compliance-behind" in row.get_attribute("class") for row in rows)
    assert "37.00" in rows[0].text and "83.00" in rows[0].text
    violations = operator.axe(driver.find_element(By.ID, "content-main"))  # ours; the breadcrumbs are Django's
    assert not violations, describe(violations)
    assert not overflowing(driver)
    operator.screenshot("admin-compliance")
    Select(driver.find_element(By.ID, "credits-status")).select_by_value("met")
    operator.click_and_wait(driver.find_element(By.CSS_SELECTOR, "#credits-compliance-filters [type=submit]"))
    assert "No learner to show." in driver.find_element(By.ID, "content-main").text
    csv_link = driver.find_element(By.LINK_TEXT, "Download the whole report as CSV").get_attribute("href")
    assert "format=csv" in csv_link and "status=met" in csv_link


def test_an_operator_names_a_credit_in_french(operator):
    """The credit's page has a field per other language, checked as the name is (ADR 0011)."""
    credit = api.list_credits(credit_type_id=CreditType.objects.get(name=sample_data.MANAGEMENT).id)[0]
    driver = operator.open(f"/admin/credits_plugin/credit/{credit.id}/change/")
    assert "In other languages" in operator.text()
    field = driver.find_element(By.ID, "id_tr_fr_name")
    assert field.get_attribute("value") == sample_data.TRANSLATIONS[credit.name]["fr"]["name"]
    field.clear()
    field.send_keys("Nom trop long " * 20)  # 280 characters: refused, with the reason beside the field
    operator.click_and_wait(driver.find_element(By.NAME, "_continue"))
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".field-tr_fr_name .errorlist li")]
    assert errors == ["Use at most 255 characters (this has 279)."], errors
    assert not overflowing(driver)
    field = driver.find_element(By.ID, "id_tr_fr_name")
    field.clear()
    field.send_keys("Leadership éthique et responsable")
    operator.click_and_wait(driver.find_element(By.NAME, "_continue"))
    try:
        assert api.get_credit(credit.id).translations["fr"]["name"] == "Leadership éthique et responsable"
        driver.execute_script("document.getElementById('id_tr_fr_name').scrollIntoView({block: 'center'})")
        operator.screenshot("admin-credit-translations")
    finally:  # the demo's data as the other tests expect it
        api.update_credit(credit.id, translations=sample_data.TRANSLATIONS[credit.name])
