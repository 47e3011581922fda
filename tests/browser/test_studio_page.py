"""The Studio course settings page in a real browser, as a course author uses it."""
import json

from selenium.webdriver.common.by import By

from credits_plugin import api
from tests.browser.conftest import describe

COURSE = "course-v1:DemoX+Leadership+2026"


def test_author_enables_credits_picks_two_and_saves(demo):
    api.set_course_settings(COURSE, enabled=False, credits=[])  # start from a course without credits
    demo.sign_in("author")
    driver = demo.open(f"/credits/studio/{COURSE}/")
    assert "Credits for Leading Teams" in demo.text()
    assert not describe(demo.axe()), describe(demo.axe())

    driver.find_element(By.ID, "enabled").click()
    # The first type on the page (Continuing Education Units) allows several credits per course.
    chosen = [credit_id for credit_id, _label in demo.pick_credits(("1.5", "2"))]
    demo.screenshot("studio-before-save")
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, "button[value=save]"))
    assert "Credit settings saved." in demo.text()
    demo.screenshot("studio-saved")

    settings = api.get_course_settings(COURSE)
    assert settings.enabled and {d.credit.id for d in settings.credits} == set(chosen)
    demo.open(f"/api/credits/v1/courses/{COURSE}/?format=json")
    body = json.loads(demo.text())
    assert sorted(c["amount"] for c in body["credits"]) == ["1.50", "2.00"]


def test_an_error_is_shown_next_to_its_field_and_nothing_is_saved(demo):
    before = api.get_course_settings(COURSE)
    demo.sign_in("author")
    driver = demo.open(f"/credits/studio/{COURSE}/")
    credit_id = driver.find_element(By.CSS_SELECTOR, "input[name=credit]:checked").get_attribute("value")
    amount = driver.find_element(By.ID, f"amount-{credit_id}")
    amount.clear()
    amount.send_keys("0")
    demo.click_and_wait(driver.find_element(By.CSS_SELECTOR, "button[value=save]"))
    assert "Nothing was saved" in demo.text()
    assert "greater than zero" in driver.find_element(By.ID, f"amount-{credit_id}-error").text
    assert driver.find_element(By.ID, f"amount-{credit_id}").get_attribute("aria-invalid") == "true"
    assert not describe(demo.axe()), describe(demo.axe())
    demo.screenshot("studio-error")
    assert api.get_course_settings(COURSE) == before
