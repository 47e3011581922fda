"""
The operator's admin at 1280 px wide, in a real browser: every column and every error of the
pages an operator edits is on screen without scrolling sideways.
"""
import pytest
from selenium.webdriver.common.by import By

from credits_plugin.models import CreditType
from demo.demo_site import sample_data

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
                                  "credittype/"])
def test_the_lists_fit_1280_px(operator, path):
    driver = operator.open(f"/admin/credits_plugin/{path}")
    assert not overflowing(driver), path
