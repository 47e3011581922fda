"""
The MFE widgets (frontend/) in a real browser, one state at a time.

frontend/harness renders each widget with the frontend tests' fixtures, the platform's mock app
and Paragon's own CSS; ``npm run build:harness`` builds it into frontend/dist-harness, served here
by a static HTTP server. Each state is checked for what it says and for axe-core's serious and
critical violations, and the widget alone is screenshotted under
test-artifacts/screenshots/widgets/; with CREDITS_DOCS_SCREENSHOTS=1 (make screenshots) also under
docs/images/widgets/, where docs/frontend.md shows them.
"""
import functools
import http.server
import os
import shutil
import threading

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.conftest import REPO, SCREENSHOTS, Site, describe

HARNESS = REPO / "frontend" / "dist-harness"
DOCS_IMAGES = REPO / "docs" / "images" / "widgets"
DIALOG = ".pgn__modal"
# Paragon's dialog is at most 80% of the window high, and scrolls beyond: a window tall enough for all of it.
DIALOG_WINDOW = {"width": 1280, "height": 2000}

pytestmark = pytest.mark.skipif(
    not (HARNESS / "index.html").exists(),
    reason="the widget harness is not built (run: cd frontend && npm ci && npm run build:harness)")

SETTINGS_ERRORS = [
    "The settings were not saved. Correct the fields marked below.",
    "Error: The amount must be greater than zero.",
]

# screenshot name, harness query, the widget's element, what it says
STATES = [
    ("sidebar", "widget=sidebar&state=data", "#widget",
     ["My credits", "CPA Ontario\n7.50 hours", "Management\n3.00 points", "See all my credits", "My requirements",
      "Annual CPD\n17.00 of 20.00 CPD hours\n3.00 CPD hours to go by December 31, 2026",
      "Continuing education\n0.90 of 0.50 CEU\nMet for this period"]),
    ("sidebar-empty", "widget=sidebar&state=empty", "#widget", ["You have not earned any credits yet"]),
    ("sidebar-error", "widget=sidebar&state=error", "#widget",
     ["Your credits could not be loaded. Try again later.", "See all my credits"]),
    ("sidebar-loading", "widget=sidebar&state=loading", "#widget", ["My credits", "See all my credits"]),
    ("sidebar-fr", "widget=sidebar&state=data&locale=fr", "#widget",
     ["Mes crédits", "CPA Ontario\n7,50 hours", "Voir tous mes crédits", "Mes exigences",
      "17,00 sur 20,00 CPD hours"]),
    ("course-card", "widget=card&state=data", "#widget",
     ["Credits this course awards", "Ethics CPE · CPA Ontario · 2.50 hours Earned on March 14, 2025",
      "Leadership · Management · 1.00 points Not earned yet"]),
    ("course-card-not-earned", "widget=card&state=not-earned", "#widget",
     ["Ethics CPE · CPA Ontario · 2.50 hours Not earned yet", "Leadership · Management · 1.00 points Not earned yet"]),
    ("course-about", "widget=about&state=data", "#widget",
     ["Credits", "Ethics CPE · CPA Ontario · 2.50 hours", "Reference number: CPA-2025-17"]),
    ("course-about-fr", "widget=about&state=data&locale=fr", "#widget",
     ["Crédits", "Terminez ce cours pour obtenir", "2,50 hours", "Numéro de référence"]),
    ("course-app-settings", "widget=settings&state=data", DIALOG,
     ["Configure course credits", "Award credits in this course", "when they pass the course", "Save"]),
    ("course-app-settings-errors", "widget=settings&state=errors", DIALOG, SETTINGS_ERRORS),
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def harness(browser):
    """frontend/dist-harness on a static HTTP server of its own, and the browser."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(HARNESS)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Site(f"http://127.0.0.1:{server.server_port}/index.html", browser)
    server.shutdown()
    server.server_close()


def save_screenshot(element, name):
    path = SCREENSHOTS / "widgets" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    element.screenshot(str(path))
    if os.environ.get("CREDITS_DOCS_SCREENSHOTS") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_IMAGES / path.name)
    return path


@pytest.mark.parametrize(("name", "query", "selector", "says"), STATES, ids=[state[0] for state in STATES])
def test_widget_state(harness, name, query, selector, says):
    driver = harness.driver
    window = driver.get_window_size()
    if selector == DIALOG:
        driver.set_window_size(DIALOG_WINDOW["width"], DIALOG_WINDOW["height"])
    try:
        harness.open(f"?{query}")
        WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("return document.body.dataset.ready === '1';"),
            f"the harness never showed {query}")
        widget = driver.find_element(By.CSS_SELECTOR, selector)
        for text in says:
            assert text in widget.text, f"{text!r} not in {widget.text!r}"
        violations = harness.axe()
        assert not violations, describe(violations)
        save_screenshot(widget, name)
    finally:
        driver.set_window_size(window["width"], window["height"])


def test_loading_state_says_so_to_screen_readers(harness):
    harness.open("?widget=sidebar&state=loading")
    WebDriverWait(harness.driver, 15).until(lambda d: d.execute_script("return document.body.dataset.ready === '1';"))
    status = harness.driver.find_element(By.CSS_SELECTOR, "#widget [role=status]")
    assert status.get_attribute("textContent") == "Loading credits…"
