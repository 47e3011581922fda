"""
Browser tests: Debian's headless Chromium (selenium + chromium-driver) against the
demo site served by pytest-django's live server, with axe-core for accessibility.

They skip, saying why, where Chromium, its driver or axe-core is missing; .ci/run
installs all three (apt-get install chromium chromium-driver; npm ci in tests/browser).
Screenshots are saved under test-artifacts/screenshots/.
"""
import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
# The page screenshots the author and learner guides (docs/) show, copied there by `make screenshots`.
DOCS_PAGE_IMAGES = REPO / "docs" / "images" / "pages"
DOCS_PAGES = {"studio-before-save", "studio-error", "surface-about", "surface-certificate", "surface-dashboard",
              "surface-my-credits", "surface-xblock", "surface-instructor-app-page", "admin-approve",
              "studio-approval", "learner-external-report", "admin-external-approve",
              "learner-requirements", "admin-compliance", "award-credential-check",
              "surface-learner-dashboard-mfe", "surface-learner-dashboard-mfe-fr", "surface-about-fr",
              "surface-certificate-fr", "surface-my-credits-fr", "award-page-fr", "admin-credit-translations"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def pytest_collection_modifyitems(config, items):
    reasons = []
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        reasons.append("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    if not AXE.exists():
        reasons.append("needs axe-core (cd tests/browser && npm ci)")
    try:
        import selenium  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        reasons.append("needs selenium (requirements/test.txt)")
    if reasons:
        for item in items:
            if str(HERE) in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason="; ".join(reasons)))


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver  # pylint: disable=import-outside-toplevel
    from selenium.webdriver.chrome.service import Service  # pylint: disable=import-outside-toplevel

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", "--window-size=1280,1600", "--lang=en"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def demo(transactional_db, live_server, browser, monkeypatch):
    """The demo site with its sample data, served live; a signed-out browser."""
    from django.db import connections  # pylint: disable=import-outside-toplevel

    if connections["default"].vendor == "sqlite":
        # The live server shares the in-memory database's one connection among its threads, so two
        # requests' transactions would nest ("cannot start a transaction within a transaction").
        # On MariaDB each thread has its own connection and requests keep ATOMIC_REQUESTS.
        monkeypatch.setitem(connections.settings["default"], "ATOMIC_REQUESTS", False)
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    browser.delete_all_cookies()
    return Site(live_server.url, browser)


class Site:
    """What a person does on the demo site: open pages, sign in, fill forms; plus axe and screenshots."""

    def __init__(self, url, driver):
        self.url, self.driver = url, driver

    def open(self, path):
        self.driver.get(self.url + path)
        return self.driver

    def sign_in(self, username, password=None):
        from selenium.webdriver.common.by import By  # pylint: disable=import-outside-toplevel

        self.driver.delete_all_cookies()
        self.open("/accounts/login/?next=/")
        self.driver.find_element(By.NAME, "username").send_keys(username)
        self.driver.find_element(By.NAME, "password").send_keys(password or username)
        self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "[type=submit]"))
        assert "/accounts/login/" not in self.driver.current_url, f"could not sign in as {username}"

    def click_and_wait(self, element, timeout=15):
        """
        Click something that loads a new page, and wait until a complete new page is there.

        The old page is marked with a script variable: Chromium may answer a staleness check
        of the old page's elements with a plain WebDriverException while the new one loads.
        """
        from selenium.common.exceptions import WebDriverException  # pylint: disable=import-outside-toplevel
        from selenium.webdriver.support.wait import WebDriverWait  # pylint: disable=import-outside-toplevel

        self.driver.execute_script("window.__creditsOldPage = true;")
        element.click()
        WebDriverWait(self.driver, timeout, ignored_exceptions=(WebDriverException,)).until(
            lambda driver: driver.execute_script(
                "return window.__creditsOldPage === undefined && document.readyState === 'complete';"),
            "the next page never finished loading")

    def pick_credits(self, amounts):
        """On the Studio page, tick the first credits and type ``amounts``; their (id, label) in order."""
        from selenium.webdriver.common.by import By  # pylint: disable=import-outside-toplevel

        picked = []
        boxes = self.driver.find_elements(By.CSS_SELECTOR, "input[name=credit]")[:len(amounts)]
        for checkbox, amount in zip(boxes, amounts, strict=True):
            checkbox.click()
            field = self.driver.find_element(By.ID, f"amount-{checkbox.get_attribute('value')}")
            field.clear()
            field.send_keys(amount)
            label = self.driver.find_element(By.CSS_SELECTOR, f"label[for={checkbox.get_attribute('id')}]").text
            picked.append((int(checkbox.get_attribute("value")), label))
        return picked

    def text(self):
        from selenium.webdriver.common.by import By  # pylint: disable=import-outside-toplevel

        return self.driver.find_element(By.TAG_NAME, "body").text

    def axe(self, context=None):
        """axe-core's serious and critical violations on the current page (or inside ``context``)."""
        self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(arguments[0] || document, {resultTypes: ['violations']})"
            ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error',"
            " impact: 'critical', help: String(e), nodes: []}])));", context)
        violations = json.loads(result)
        return [v for v in violations if v.get("impact") in ("serious", "critical")]

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        if name in DOCS_PAGES and os.environ.get("CREDITS_DOCS_SCREENSHOTS") == "1":  # make screenshots
            DOCS_PAGE_IMAGES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_PAGE_IMAGES / path.name)
        return path


def describe(violations):
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} -> "
                     f"{[n.get('target') for n in v.get('nodes', [])][:3]}" for v in violations)
