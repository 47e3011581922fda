"""
The plugin inside settings shaped as openedx-platform's LMS and Studio really shape them.

Each case runs ``tests/platform_shapes/check.py`` in a fresh process (settings are read once
per process): the LMS's plain-list template ``DIRS`` or Studio's ``Derived`` one, the Mako
folders list, ``SIMPLE_HISTORY_DATE_INDEX`` as the platform sets it (False) and as
django-simple-history defaults it (True), an ``OPEN_EDX_FILTERS_CONFIG`` replaced by the
YAML configuration before the production settings run, and the ``lms.djangoapp`` or
``cms.djangoapp`` plugin type. Then Django's checks, ``makemigrations --check``, and the
plugin's pages, rendered.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import credits_plugin
from credits_plugin.settings.common import FILTER_STEPS

REPO = Path(__file__).resolve().parent.parent
SHAPES = REPO / "tests" / "platform_shapes"
CERTIFICATE_FILTER = "org.openedx.learning.certificate.render.started.v1"


def run_shape(project, date_index):
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE=f"tests.platform_shapes.{project}",
               CREDITS_SHAPES_DATE_INDEX="true" if date_index else "false")
    result = subprocess.run([sys.executable, "-m", "tests.platform_shapes.check"], cwd=REPO, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=[("lms", False), ("cms", False), ("lms", True), ("cms", True)],
                ids=["lms", "cms", "lms-history-date-index", "cms-history-date-index"])
def shape(request):
    project, date_index = request.param
    report = run_shape(project, date_index)
    report["project"] = project
    return report


def test_the_plugin_is_installed_and_django_checks_pass(shape):
    assert shape["installed"]
    assert shape["check"] == "System check identified no issues (0 silenced)."


def test_migrations_match_the_models_whatever_simple_history_date_index_says(shape):
    assert shape["makemigrations"] == "clean"


def test_template_dirs_keep_the_platform_s_own_and_find_the_plugin_s(shape):
    # An editable checkout (this one): the plugin's folder is added after the platform's. Studio's
    # derived value was wrapped, not read, while the plugin's settings ran.
    assert shape["template_dirs"] == [str(SHAPES / "templates" / shape["project"]), str(credits_plugin.templates_dir())]


def test_the_mako_folders_gain_the_plugin_s_once(shape):
    assert shape["mako_dirs"] == [str(SHAPES / "templates" / "mako"),
                                  str(credits_plugin.templates_dir() / "credits_plugin" / "mako")]


def test_the_yaml_filter_config_keeps_its_steps_and_gains_the_plugin_s(shape):
    filters = shape["filters"]
    assert filters[CERTIFICATE_FILTER] == {
        "fail_silently": False,
        "pipeline": ["other_plugin.steps.Watermark", *FILTER_STEPS[CERTIFICATE_FILTER]],
    }
    for filter_type, steps in FILTER_STEPS.items():
        assert filters[filter_type]["pipeline"][-len(steps):] == steps


@pytest.mark.parametrize("path", ["/credits/me/", "/credits/studio/course-v1:Shapes+C1+2026/",
                                  "/credits/instructor/course-v1:Shapes+C1+2026/"])
def test_the_plugin_s_pages_render_in_the_platform_s_frame(shape, path):
    page = shape["pages"][path]
    assert page["status"] == 200, page["html"][:2000]
    frame = "LMS FRAME" if shape["project"] == "lms" else "STUDIO FRAME"
    html = page["html"]
    assert html.count(f"{frame} HEADER") == 1 and html.count(f"{frame} FOOTER") == 1
    assert html.index(f"{frame} HEADER") < html.index('<main class="credits-page" id="main">') < html.index(
        f"{frame} FOOTER"), "the plugin's content sits inside the frame's content area"
    assert html.count("<html") == 1 and html.count("<body") == 1
    assert " view-course-credits " in html.split("<body", 1)[1].split(">", 1)[0]
    assert "<!--credits:" not in html, "no marker of the parts is left"
