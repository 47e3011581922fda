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


def test_studio_without_the_certificates_app_links_no_certificate(platform_modules, monkeypatch):
    monkeypatch.setitem(sys.modules, "lms.djangoapps.certificates.api", None)  # import fails, as in Studio
    assert openedx.get_certificate_urls(SimpleNamespace(pk=7), [COURSE]) == {}


def test_the_issuer_is_the_configured_site_and_the_course_s_organization(platform_modules):
    assert openedx.get_issuer(COURSE) == {"name": "Acme Learning", "url": "https://learn.acme.test",
                                          "organization": "Acme Institute"}


def test_without_an_organization_record_the_issuer_names_the_key_s_org(platform_modules, monkeypatch):
    monkeypatch.setattr(platform_modules.modules["organizations.api"], "get_course_organizations", lambda key: [])
    assert openedx.get_issuer(COURSE)["organization"] == "Acme"
