"""
The two platform backends: the same functions in each, and the Open edX one calling the
platform as the platform's own code expects (the platform's modules are played by stand-ins
in ``sys.modules``, shaped after openedx-platform's ``lms/djangoapps/certificates/api.py``,
``site_configuration/helpers.py`` and edx-organizations' ``organizations/api.py``).
"""
import inspect
import sys
import types
from types import SimpleNamespace

import pytest
from opaque_keys.edx.keys import CourseKey

from credits_plugin.platform import openedx, standalone

COURSE = CourseKey.from_string("course-v1:Acme+CPA101+2026")
OTHER = CourseKey.from_string("course-v1:Acme+CPA102+2026")


def public_functions(module):
    return {name: inspect.signature(value) for name, value in vars(module).items()
            if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == module.__name__}


def test_both_backends_define_the_same_functions_with_the_same_parameters():
    ours, twin = public_functions(openedx), public_functions(standalone)
    assert set(ours) == set(twin)
    for name, signature in ours.items():
        assert list(signature.parameters) == list(twin[name].parameters), name


@pytest.fixture
def platform_modules(monkeypatch):
    """Install stand-ins of the platform modules the backend imports; return their recorders."""
    calls = []
    installed = {}

    def module(name, **attributes):
        mod = types.ModuleType(name)
        for key, value in attributes.items():
            setattr(mod, key, value)
        installed[name] = mod
        return mod

    def certificates_by_course_keys(user, course_keys):
        calls.append(("certificates", user, set(course_keys)))
        # As the platform serializes: download_url only for a downloadable certificate, with its uuid.
        return {
            COURSE: {"status": "downloadable", "uuid": "abc123", "download_url": "/certificates/abc123"},
            OTHER: {"status": "notpassing", "uuid": "def456", "download_url": None},
        }

    for name in ("lms", "lms.djangoapps", "lms.djangoapps.certificates", "openedx", "openedx.core",
                 "openedx.core.djangoapps", "openedx.core.djangoapps.site_configuration"):
        module(name)
    module("lms.djangoapps.certificates.api", get_certificates_for_user_by_course_keys=certificates_by_course_keys)
    site_values = {"PLATFORM_NAME": "Acme Learning", "LMS_ROOT_URL": "https://learn.acme.test"}
    module("openedx.core.djangoapps.site_configuration.helpers",
           get_value=lambda name, default=None: site_values.get(name, default))
    module("organizations")
    module("organizations.api", get_course_organizations=lambda key: [{"name": "Acme Institute", "short_name": "Acme"}])
    installed["openedx.core.djangoapps.site_configuration"].helpers = \
        installed["openedx.core.djangoapps.site_configuration.helpers"]
    for name, mod in installed.items():
        monkeypatch.setitem(sys.modules, name, mod)
    return SimpleNamespace(calls=calls, site_values=site_values, modules=installed)


def test_certificate_urls_come_from_the_platform_s_serialization_with_their_uuid(platform_modules):
    user = SimpleNamespace(pk=7, username="lee")
    urls = openedx.get_certificate_urls(user, [COURSE, OTHER])
    assert urls == {str(COURSE): "/certificates/abc123"}, "only a downloadable certificate is linked"
    assert platform_modules.calls == [("certificates", user, {COURSE, OTHER})]


def test_studio_links_no_certificate_and_imports_no_lms_code(platform_modules, monkeypatch, settings):
    """In Studio the lms package imports, but importing the certificates API fails (its app is not installed)."""
    settings.SERVICE_VARIANT = "cms"

    def not_installed(name):
        raise RuntimeError("Model class ... isn't in an application in INSTALLED_APPS.")

    monkeypatch.setattr(platform_modules.modules["lms.djangoapps.certificates.api"], "__getattr__", not_installed,
                        raising=False)
    monkeypatch.delattr(platform_modules.modules["lms.djangoapps.certificates.api"],
                        "get_certificates_for_user_by_course_keys")
    assert openedx.get_certificate_urls(SimpleNamespace(pk=7), [COURSE]) == {}
    assert platform_modules.calls == []


def test_the_issuer_is_the_configured_site_and_the_course_s_organization(platform_modules):
    assert openedx.get_issuer(COURSE) == {"name": "Acme Learning", "url": "https://learn.acme.test",
                                          "organization": "Acme Institute"}


def test_without_an_organization_record_the_issuer_names_the_key_s_org(platform_modules, monkeypatch):
    monkeypatch.setattr(platform_modules.modules["organizations.api"], "get_course_organizations", lambda key: [])
    assert openedx.get_issuer(COURSE)["organization"] == "Acme"


@pytest.mark.parametrize("variant, expected", [("lms", "main_django.html"),
                                               ("cms", "credits_plugin/frames/parts.html")])
def test_the_page_frame_is_the_service_s_own(settings, variant, expected):
    settings.SERVICE_VARIANT = variant
    assert openedx.get_page_base_template("studio") == expected


def test_in_the_lms_the_links_back_never_import_studio_code(settings, monkeypatch):
    """In the LMS the cms package is importable, but its models are not installed: importing them fails."""
    settings.SERVICE_VARIANT, settings.LMS_ROOT_URL, settings.CMS_ROOT_URL = "lms", "https://lms.test", "https://cms.test"
    for name in ("cms", "cms.djangoapps", "cms.djangoapps.contentstore"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    utils = types.ModuleType("cms.djangoapps.contentstore.utils")

    def not_installed(name):
        raise RuntimeError("Model class ... isn't in an application in INSTALLED_APPS.")

    utils.__getattr__ = not_installed  # as in the LMS: importing from it fails, and not with an ImportError
    monkeypatch.setitem(sys.modules, "cms.djangoapps.contentstore.utils", utils)
    assert openedx.get_page_links(COURSE) == {
        "dashboard": "https://lms.test/dashboard",
        "instructor_dashboard": f"https://lms.test/courses/{COURSE}/instructor",
        "studio_course": f"https://cms.test/course/{COURSE}",
    }


@pytest.mark.parametrize("outline, expected", [(None, f"/course/{COURSE}"),
                                               ("https://apps.test/authoring/course/x", "https://apps.test/authoring/course/x")])
def test_in_studio_the_course_link_is_studio_s_outline(settings, monkeypatch, outline, expected):
    settings.SERVICE_VARIANT = "cms"
    for name in ("cms", "cms.djangoapps", "cms.djangoapps.contentstore"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    utils = types.ModuleType("cms.djangoapps.contentstore.utils")
    utils.get_course_outline_url = lambda course_key: outline
    monkeypatch.setitem(sys.modules, "cms.djangoapps.contentstore.utils", utils)
    assert openedx.get_page_links(COURSE)["studio_course"] == expected


def test_studio_s_frame_gets_the_parts_and_the_course(monkeypatch):
    rendered = {}
    modules = {"common": None, "common.djangoapps": None, "common.djangoapps.edxmako": None,
               "xmodule": None, "xmodule.modulestore": None}
    for name in modules:
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    shortcuts = types.ModuleType("common.djangoapps.edxmako.shortcuts")

    def render_to_string(template_name, dictionary, namespace="main", request=None):
        rendered.update(template=template_name, context=dictionary, request=request)
        return "<html>studio</html>"

    shortcuts.render_to_string = render_to_string
    store = types.ModuleType("xmodule.modulestore.django")
    store.modulestore = lambda: SimpleNamespace(get_course=lambda key: f"course {key}")
    monkeypatch.setitem(sys.modules, "common.djangoapps.edxmako.shortcuts", shortcuts)
    monkeypatch.setitem(sys.modules, "xmodule.modulestore.django", store)
    parts = {"title": "Credits", "bodyclass": "x", "head": "<style></style>", "body": "<main>b</main>"}
    assert openedx.frame_page("request", parts, COURSE) == "<html>studio</html>"
    assert rendered["template"] == "credits_plugin/studio_frame.html" and rendered["request"] == "request"
    assert rendered["context"] == {"credits_title": "Credits", "credits_bodyclass": "x",
                                   "credits_head": "<style></style>", "credits_body": "<main>b</main>",
                                   "context_course": f"course {COURSE}"}


@pytest.mark.parametrize("in_a_request, delivered", [(False, True), (True, True), (False, False)])
def test_a_learner_s_email_goes_through_edx_ace_with_the_plugin_s_templates(monkeypatch, in_a_request, delivered):
    """
    As the platform sends its own transactional messages: a BaseMessageType personalized for the
    learner, with the site's base template context, handed to ``ace.send``. edx-ace and the platform
    are stand-ins here; the templates the message names are the plugin's, and render. Outside a
    request (a shell, a command), it is sent inside the platform's ``emulate_http_request``: the
    platform's email layout needs one.
    """
    import contextlib  # pylint: disable=import-outside-toplevel

    import crum  # pylint: disable=import-outside-toplevel
    from django.template.loader import render_to_string  # pylint: disable=import-outside-toplevel

    sent, emulated = [], []

    @contextlib.contextmanager
    def emulate_http_request(site, user):
        emulated.append((site, user.id))
        yield

    class BaseMessageType:  # the platform's ace_common.message.BaseMessageType, as far as the backend uses it
        def __init__(self, *args, **kwargs):
            self.options = {}

        def personalize(self, recipient, language, user_context):
            return SimpleNamespace(app_label=self.APP_LABEL, name=self.NAME, recipient=recipient, language=language,
                                   context=user_context, options=self.options, uuid="5f0c3d1e")

    from django.dispatch import Signal  # pylint: disable=import-outside-toplevel

    message_sent = Signal()  # edx-ace's ACE_MESSAGE_SENT: sent only once a channel delivered the message

    def send(message):
        sent.append(message)
        if delivered:  # a channel's failure is logged by edx-ace, which then returns as after a delivery
            message_sent.send(sender=None, message={"uuid": str(message.uuid)})

    stand_ins = {
        "edx_ace": types.ModuleType("edx_ace"),
        "edx_ace.signals": types.ModuleType("edx_ace.signals"),
        "edx_ace.recipient": types.ModuleType("edx_ace.recipient"),
        "openedx.core.djangoapps.ace_common.message": types.ModuleType("m"),
        "openedx.core.djangoapps.ace_common.template_context": types.ModuleType("t"),
        "django.contrib.sites.models": types.ModuleType("s"),  # not installed by the test settings
        "openedx.core.lib.celery.task_utils": types.ModuleType("u"),
    }
    stand_ins["openedx.core.lib.celery.task_utils"].emulate_http_request = emulate_http_request
    stand_ins["edx_ace"].ace = SimpleNamespace(send=send)
    stand_ins["edx_ace.signals"].ACE_MESSAGE_SENT = message_sent
    stand_ins["edx_ace.recipient"].Recipient = lambda lms_user_id, email: (lms_user_id, email)
    stand_ins["openedx.core.djangoapps.ace_common.message"].BaseMessageType = BaseMessageType
    stand_ins["openedx.core.djangoapps.ace_common.template_context"].get_base_template_context = \
        lambda site: {"platform_name": "Acme Learning", "site": site}
    stand_ins["django.contrib.sites.models"].Site = SimpleNamespace(
        objects=SimpleNamespace(get_current=lambda: "learn.acme.test"))
    for name in ("openedx", "openedx.core", "openedx.core.djangoapps", "openedx.core.djangoapps.ace_common",
                 "openedx.core.lib", "openedx.core.lib.celery"):
        stand_ins.setdefault(name, types.ModuleType(name))
    for name, module in stand_ins.items():
        monkeypatch.setitem(sys.modules, name, module)
    openedx._credits_message_type.cache_clear()  # built once per process: here, on the stand-in base class
    if in_a_request:
        crum.set_current_request(SimpleNamespace(site="school.acme.test", user=SimpleNamespace(id=1)))
    try:
        answer = openedx.send_learner_email(SimpleNamespace(id=7, email="lee@example.com"), "Approved",
                                            "Tax day: 3.00 hours.", "fr")
    finally:
        openedx._credits_message_type.cache_clear()
        crum.set_current_request(None)
    (message,) = sent
    assert answer is delivered  # so that a reminder whose email failed is sent again by the next run
    assert not message_sent.receivers  # the plugin's listener is gone once it knows
    assert (message.app_label, message.name, message.recipient) == ("credits_plugin", "creditsmessage",
                                                                      (7, "lee@example.com"))
    assert message.options == {"transactional": True}
    assert message.language == "fr"  # the platform's layout around the text follows the learner's language
    assert message.context["platform_name"] == "Acme Learning"
    if in_a_request:  # the request's own site (several sites may share the LMS), and no emulation
        assert (message.context["site"], emulated) == ("school.acme.test", [])
    else:
        assert (message.context["site"], emulated) == ("learn.acme.test", [("learn.acme.test", 7)])
    folder = f"{message.app_label}/edx_ace/{message.name}/email"
    assert render_to_string(f"{folder}/subject.txt", message.context).strip() == "Approved"
    assert render_to_string(f"{folder}/body.txt", message.context).strip() == "Tax day: 3.00 hours."
    assert render_to_string(f"{folder}/from_name.txt", message.context).strip() == "Acme Learning"


def test_the_learner_s_language_is_their_platform_preference(monkeypatch):
    """The ``pref-lang`` user preference, read through the platform's preferences API."""
    asked = []
    lang_pref = types.ModuleType("openedx.core.djangoapps.lang_pref")
    lang_pref.LANGUAGE_KEY = "pref-lang"
    preferences = types.ModuleType("openedx.core.djangoapps.user_api.preferences.api")
    preferences.get_user_preference = lambda user, key: asked.append((user.id, key)) or "fr-ca"
    for name in ("openedx", "openedx.core", "openedx.core.djangoapps", "openedx.core.djangoapps.user_api",
                 "openedx.core.djangoapps.user_api.preferences"):
        monkeypatch.setitem(sys.modules, name, sys.modules.get(name) or types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "openedx.core.djangoapps.lang_pref", lang_pref)
    monkeypatch.setitem(sys.modules, "openedx.core.djangoapps.user_api.preferences.api", preferences)
    assert openedx.get_learner_language(SimpleNamespace(id=7)) == "fr-ca"
    assert asked == [(7, "pref-lang")]
