"""
The plugin as openedx-platform loads it: entry points, edx-django-utils' loader, URL
prefix, and the settings modules (``credits_plugin.settings.common`` / ``production``).

Settings modules are played by ``types.SimpleNamespace``: the loader only sets and
reads attributes of the platform's settings module, which is what a namespace is.
"""
import copy
import itertools
from importlib.metadata import distribution
from types import SimpleNamespace

import pytest
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse
from django.urls.resolvers import URLResolver
from edx_django_utils.plugins import get_plugin_apps, get_plugin_url_patterns
from stevedore.extension import ExtensionManager

import credits_plugin
from credits_plugin.apps import URL_PREFIX, CreditsPluginConfig
from credits_plugin.settings import common, production

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
APP_CONFIG = "credits_plugin.apps.CreditsPluginConfig"

CERT = "org.openedx.learning.certificate.render.started.v1"
ABOUT = "org.openedx.learning.course_about.render.started.v1"
OURS = {
    CERT: ["credits_plugin.filters.CertificateCredits"],
    ABOUT: ["credits_plugin.filters.AboutCredits", "credits_plugin.filters.AboutCard"],
}
OTHER_CERT = ["other_plugin.steps.Watermark", "other_plugin.steps.Signature"]


# --- discovery through entry points -----------------------------------------------------------


@pytest.mark.parametrize("project_type", [LMS, CMS])
def test_the_distribution_declares_the_plugin_entry_point(project_type):
    entry_points = distribution("openedx-course-credits").entry_points.select(group=project_type)
    declared = [(ep.name, ep.value) for ep in entry_points]
    assert declared == [("credits_plugin", "credits_plugin.apps:CreditsPluginConfig")]


@pytest.mark.parametrize("project_type", [LMS, CMS])
def test_stevedore_loads_the_app_config_from_the_entry_point(project_type):
    """What the loader does under the hood, without its per-process cache."""
    manager = ExtensionManager(namespace=project_type)
    assert manager["credits_plugin"].plugin is CreditsPluginConfig


@pytest.mark.parametrize("project_type", [LMS, CMS])
def test_get_plugin_apps_includes_the_plugin(project_type):
    assert APP_CONFIG in get_plugin_apps(project_type)


def test_the_test_site_installed_the_app_through_the_loader(settings):
    assert APP_CONFIG in settings.INSTALLED_APPS


# --- URLs -------------------------------------------------------------------------------------


def plugin_resolver(project_type):
    patterns = get_plugin_url_patterns(project_type)
    assert len(patterns) == 1
    resolver = patterns[0]
    assert isinstance(resolver, URLResolver)
    return resolver


@pytest.mark.parametrize("project_type", [LMS, CMS])
def test_plugin_urls_mount_under_the_explicit_prefix(project_type):
    resolver = plugin_resolver(project_type)
    assert resolver.pattern.regex.pattern == URL_PREFIX
    assert resolver.namespace == resolver.app_name == "credits_plugin"
    assert resolver.urlconf_name.__name__ == "credits_plugin.urls"


@pytest.mark.parametrize("path", ["/credits/", "/credits/me/", "/credits/studio/course-v1:Org+C+R/",
                                  "/api/credits/v1/", "/api/credits/v1/awards/0d5c/"])
@pytest.mark.parametrize("project_type", [LMS, CMS])
def test_plugin_paths_reach_the_plugin_with_the_whole_path(project_type, path):
    # The platform's root resolver strips the leading "/" before trying the plugin's pattern.
    match = plugin_resolver(project_type).pattern.match(path[1:])
    assert match is not None
    remaining, _, _ = match
    assert remaining == path[1:], "the look-ahead leaves the whole path to credits_plugin.urls"


@pytest.mark.parametrize("path", ["/", "/other/", "/creditsx/", "/api/", "/api/v1/credits/", "/admin/credits/",
                                  "/courses/credits/", "/api/credit/v1/"])
@pytest.mark.parametrize("project_type", [LMS, CMS])
def test_other_paths_never_reach_the_plugin(project_type, path):
    assert plugin_resolver(project_type).pattern.match(path[1:]) is None


def test_in_the_site_other_paths_resolve_elsewhere_or_nowhere():
    assert resolve("/").url_name == "demo-home"
    with pytest.raises(Resolver404):
        resolve("/other/")


def named_urls(resolver, prefix):
    """Yield (qualified name, parameter names) of every named URL under ``resolver``, namespaces included."""
    for name in resolver.reverse_dict:
        if isinstance(name, str):
            for possibilities, *_ in resolver.reverse_dict.getlist(name):
                yield f"{prefix}{name}", tuple(possibilities[0][1])
    for namespace, (_, sub_resolver) in resolver.namespace_dict.items():
        yield from named_urls(sub_resolver, f"{prefix}{namespace}:")


def plugin_urls():
    mounted = get_resolver().namespace_dict.get("credits_plugin")
    return sorted(set(named_urls(mounted[1], "credits_plugin:"))) if mounted else []


SAMPLE_VALUES = ["course-v1:Org+C+R", "1", "0d5c9c5e-8a3b-4b5e-9d6a-2f1c3b4a5d6e", "learner"]


def reverse_with_sample_values(name, params):
    for values in itertools.product(SAMPLE_VALUES, repeat=len(params)):
        try:
            return reverse(name, kwargs=dict(zip(params, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name} does not reverse with any sample values")


@pytest.mark.parametrize(("name", "params"), [pytest.param(name, params, id=name) for name, params in plugin_urls()])
def test_every_named_plugin_url_reverses_under_a_plugin_prefix(name, params):
    """Runs for each named URL of credits_plugin/urls.py (and what it includes)."""
    url = reverse_with_sample_values(name, params)
    assert url.startswith(("/credits/", "/api/credits/"))
    assert resolve(url).namespaces[0] == "credits_plugin"


# --- filter configuration ---------------------------------------------------------------------


def test_merge_into_no_config_creates_entries_that_fail_silently():
    merged = common.merge_filter_steps(None, OURS)
    assert merged == {
        CERT: {"fail_silently": True, "pipeline": OURS[CERT]},
        ABOUT: {"fail_silently": True, "pipeline": OURS[ABOUT]},
    }
    assert merged[CERT]["pipeline"] is not OURS[CERT], "our step list must not be shared with the settings"


def test_merge_keeps_other_plugins_steps_order_and_fail_silently():
    config = {
        CERT: {"fail_silently": False, "pipeline": list(OTHER_CERT)},
        "org.openedx.learning.student.login.requested.v1": {"fail_silently": False, "pipeline": ["x.Step"]},
    }
    merged = common.merge_filter_steps(config, OURS)
    assert merged[CERT] == {"fail_silently": False, "pipeline": [*OTHER_CERT, *OURS[CERT]]}
    assert merged["org.openedx.learning.student.login.requested.v1"] == {"fail_silently": False,
                                                                         "pipeline": ["x.Step"]}
    assert merged[ABOUT]["pipeline"] == OURS[ABOUT]


@pytest.mark.parametrize("bare", [list(OTHER_CERT), tuple(OTHER_CERT)])
def test_merge_turns_a_bare_list_into_the_dict_form_keeping_its_meaning(bare):
    merged = common.merge_filter_steps({CERT: bare}, OURS)
    # A bare list means fail_silently True in openedx-filters: the dict keeps that meaning.
    assert merged[CERT] == {"fail_silently": True, "pipeline": [*OTHER_CERT, *OURS[CERT]]}


def test_merge_keeps_other_keys_of_an_entry_and_does_not_duplicate_a_step_already_there():
    config = {CERT: {"fail_silently": False, "pipeline": [OURS[CERT][0], *OTHER_CERT], "extra": 1}}
    merged = common.merge_filter_steps(config, OURS)
    assert merged[CERT] == {"fail_silently": False, "pipeline": [OURS[CERT][0], *OTHER_CERT], "extra": 1}


@pytest.mark.parametrize("initial", [
    None,
    {},
    {CERT: list(OTHER_CERT)},
    {CERT: {"fail_silently": False, "pipeline": list(OTHER_CERT)}},
])
def test_merge_is_idempotent(initial):
    once = common.merge_filter_steps(copy.deepcopy(initial), OURS)
    twice = common.merge_filter_steps(common.merge_filter_steps(copy.deepcopy(initial), OURS), OURS)
    assert twice == once


@pytest.fixture
def our_steps(monkeypatch):
    """Give the plugin's FILTER_STEPS (shared by common and production) only these steps for the test."""
    for filter_type in list(common.FILTER_STEPS):
        monkeypatch.delitem(common.FILTER_STEPS, filter_type)
    for filter_type, steps in OURS.items():
        monkeypatch.setitem(common.FILTER_STEPS, filter_type, list(steps))
    assert production.FILTER_STEPS is common.FILTER_STEPS


def platform_settings(**values):
    templates = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": ["/platform/templates"]},
        {"BACKEND": "django.template.backends.jinja2.Jinja2", "DIRS": []},
    ]
    return SimpleNamespace(TEMPLATES=templates, **values)


def test_common_then_production_twice_gives_the_same_settings(our_steps):
    settings = platform_settings(OPEN_EDX_FILTERS_CONFIG={CERT: {"fail_silently": False, "pipeline": ["a.B"]}})
    common.plugin_settings(settings)
    production.plugin_settings(settings)
    first = copy.deepcopy(vars(settings))
    common.plugin_settings(settings)
    production.plugin_settings(settings)
    production.plugin_settings(settings)
    assert vars(settings) == first
    assert settings.OPEN_EDX_FILTERS_CONFIG[CERT] == {"fail_silently": False, "pipeline": ["a.B", *OURS[CERT]]}


def test_production_merges_again_after_the_yaml_replaced_the_filter_config(our_steps):
    settings = platform_settings()
    common.plugin_settings(settings)
    assert settings.OPEN_EDX_FILTERS_CONFIG[CERT]["pipeline"] == OURS[CERT]
    # The platform's production.py loads the YAML file, which replaces the dict wholesale.
    settings.OPEN_EDX_FILTERS_CONFIG = {CERT: ["yaml.Step"], "org.openedx.other.v1": {"pipeline": ["y.Z"]}}
    production.plugin_settings(settings)
    merged = settings.OPEN_EDX_FILTERS_CONFIG
    assert merged == {
        CERT: {"fail_silently": True, "pipeline": ["yaml.Step", *OURS[CERT]]},
        "org.openedx.other.v1": {"pipeline": ["y.Z"]},
        ABOUT: {"fail_silently": True, "pipeline": OURS[ABOUT]},
    }


def test_production_with_no_filter_config_at_all(our_steps):
    settings = SimpleNamespace()
    production.plugin_settings(settings)
    assert settings.OPEN_EDX_FILTERS_CONFIG[ABOUT]["pipeline"] == OURS[ABOUT]


# --- defaults and templates -------------------------------------------------------------------


def test_plugin_settings_sets_every_default():
    settings = platform_settings()
    common.plugin_settings(settings)
    for name, value in common.DEFAULTS.items():
        assert getattr(settings, name) == value
    assert all(name.startswith("CREDITS_") for name in common.DEFAULTS)


def test_plugin_settings_never_overwrites_an_operator_value():
    operator_values = {name: f"operator value of {name}" for name in common.DEFAULTS}
    settings = platform_settings(**operator_values)
    common.plugin_settings(settings)
    for name, value in operator_values.items():
        assert getattr(settings, name) == value


def test_plugin_settings_adds_the_templates_folder_once_to_django_engines_only():
    settings = platform_settings()
    common.plugin_settings(settings)
    common.plugin_settings(settings)
    django_engine, jinja_engine = settings.TEMPLATES
    assert django_engine["DIRS"] == ["/platform/templates", str(credits_plugin.templates_dir())]
    assert jinja_engine["DIRS"] == []
