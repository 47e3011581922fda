"""Templates, translations and static files of the course_credits XBlock."""
import gettext
import importlib.resources

import pytest
from django.utils import translation
from xblock.field_data import DictFieldData

from credits_xblock import rendering
from tests.credits_xblock.runtime import PlatformUserService, make_block, post_json
from tests.factories import CourseCreditFactory, CourseCreditSettingsFactory, CreditFactory, UserFactory

FRENCH = {
    "Course credits": "Crédits du cours",
    "This course awards:": "Ce cours décerne :",
    "Your credits": "Vos crédits",
    "You earn these credits when you pass this course.": "Vous obtenez ces crédits en réussissant ce cours.",
    "Heading": "Titre",
}


class CatalogTranslations(gettext.NullTranslations):
    """An i18n service with its own catalog, as the LMS gives a block the catalog of its package."""

    def __init__(self, catalog):
        super().__init__()
        self._catalog = dict(catalog)
        self.plural = lambda n: int(n != 1)

    def gettext(self, message):
        return self._catalog.get(message, message)


@pytest.fixture
def esperanto():
    """A language no other test uses: XBlock's {% trans %} merges the service's catalog into Django's."""
    with translation.override("eo"):
        yield


@pytest.mark.django_db
def test_python_and_template_strings_go_through_the_i18n_service(esperanto):
    CourseCreditSettingsFactory()
    CourseCreditFactory(credit=CreditFactory(name="Ethics"))
    block = make_block(i18n=CatalogTranslations(FRENCH), user_service=PlatformUserService(UserFactory()))
    html = block.student_view().content
    assert ">Crédits du cours</h3>" in html  # the default heading, translated in Python
    assert "Ce cours décerne :" in html and "Vos crédits" in html  # {% trans %} in the templates
    assert "Vous obtenez ces crédits en réussissant ce cours." in html  # how to earn, from state.py
    assert "Titre" in make_block(usage_id="plain", i18n=CatalogTranslations(FRENCH)).studio_view().content


def test_saving_the_translated_default_heading_keeps_it_translatable(db, esperanto):
    field_data = DictFieldData({})
    block = make_block(usage_id="plain", field_data=field_data, i18n=CatalogTranslations(FRENCH),
                       user_service=PlatformUserService(UserFactory(), role="instructor"))
    status, data = post_json(block, "update_settings", {"heading": "Crédits du cours"})
    assert status == 200 and data["heading"] == "Crédits du cours"
    # Another learner, in English, sees the heading in English.
    english = make_block(usage_id="plain", field_data=field_data)
    assert ">Course credits</h3>" in english.student_view().content


def test_every_template_loads_and_escapes():
    engine = rendering.template_engine()
    assert engine.autoescape is True
    for name in ("student_view.html", "author_view.html", "studio_view.html", "_body.html"):
        engine.get_template(f"credits_xblock/{name}")


def test_static_files_are_package_resources():
    """CSS and JS are read from the installed package, so they ship wherever the package goes."""
    static = importlib.resources.files("credits_xblock") / "static"
    assert (static / "css" / "course_credits.css").is_file()
    scripts = {"student_view.js": "CourseCreditsStudentView", "studio_view.js": "CourseCreditsStudioView"}
    for script, init in scripts.items():
        text = (static / "js" / script).read_text(encoding="utf-8")
        assert f"function {init}(runtime, element)" in text


def test_scripts_call_the_block_s_handlers():
    assert 'runtime.handlerUrl(root, "learner_status")' in rendering.static_text("static/js/student_view.js")
    assert 'runtime.handlerUrl(root, "update_settings")' in rendering.static_text("static/js/studio_view.js")


def test_the_view_says_when_the_credits_cannot_be_read():
    from credits_xblock.state import Learner, build_state
    from tests.credits_xblock.runtime import usage_key

    def missing_plugin():
        raise ImportError("credits_plugin is not installed")

    state = build_state(usage_key(), Learner(user_id=1, signed_in=True), load_api=missing_plugin,
                        show_learner_status=True, gettext=str)
    html = rendering.render("credits_xblock/_body.html", {"state": state, "heading_id": "h"})
    assert "cannot be shown right now" in html
    assert "does not award credits" not in html and "Your credits" not in html
