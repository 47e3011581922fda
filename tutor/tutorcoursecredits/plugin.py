"""
Tutor plugin for Course Credits (``tutor plugins enable course-credits``).

It adds to a Tutor 21 (Ulmo) or 22 (Verawood) install:

- the Python package ``openedx-course-credits`` in the openedx image (LMS, Studio
  and their Celery workers), installed with the image's own installer (``uv pip``);
- the operator's ``CREDITS_*`` values in the LMS and Studio settings (the plugin
  registers itself, its URLs and its filter steps through its entry points);
- the npm package ``@openedx-course-credits/frontend`` in the learner dashboard,
  catalog and authoring micro-frontends, its widgets in their plugin slots
  (tutor-mfe's ``PLUGIN_SLOTS``) and the settings of the ``course_credits`` course
  app in Studio's Pages & Resources;
- its database migrations to the init tasks (``tutor local launch``, or
  ``tutor local do init --limit course-credits`` after an upgrade).

Slot ids and props are documented, with the MFE source files they come from, in
``docs/mfe-slots.md``.
"""
from __future__ import annotations

import json
import typing as t

from tutor import __about__ as tutor_about
from tutor import exceptions, hooks

from .__about__ import __version__

PIP_PACKAGE = "openedx-course-credits"
NPM_PACKAGE = "@openedx-course-credits/frontend"
COURSE_APP_ID = "course_credits"
# Local name under which each MFE's env.config.jsx holds the package's exports.
JS_MODULE = "CourseCreditsFrontend"

CONFIG_DEFAULTS: dict[str, t.Any] = {
    "VERSION": __version__,
    # Anything pip/uv accepts: a requirement, a git URL, a path to a wheel.
    "PIP_REQUIREMENT": f"{PIP_PACKAGE}~={__version__}",
    # Anything npm accepts after "name@": a version range, a tarball URL, a git URL.
    "NPM_VERSION": f"~{__version__}",
    # Values of the plugin's CREDITS_* settings (defaults: credits_plugin/settings/common.py).
    "BACKFILL_BATCH_SIZE": 1000,
    "COURSE_CACHE_TIMEOUT": 3600,
    "RECONCILE_BATCH_SIZE": 1000,
    "RECONCILE_OVERLAP_SECONDS": 900,
    # The keys that sign Open Badges credentials: {key id: PEM text, or a PEM file's path in the
    # containers} (the plugin's credential_keys command makes one; docs/operator-guide.md).
    "CREDENTIAL_SIGNING_KEYS": {},
    "STATUS_LIST_CACHE_TIMEOUT": 3600,
    # The languages the admin offers for credit type, credit and unit names, e.g. ["fr"]
    # (empty: the admin asks for them, the platform's LANGUAGES listing 79).
    "TRANSLATION_LANGUAGES": [],
}

hooks.Filters.CONFIG_DEFAULTS.add_items([(f"COURSE_CREDITS_{key}", value) for key, value in CONFIG_DEFAULTS.items()])


def positive_int(value: t.Any, name: str) -> int:
    """Jinja filter: ``value`` as an int >= 1, or stop ``tutor config save`` with a clear message."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise exceptions.TutorError(f"{name} must be a whole number of at least 1 (got {value!r}).")
    return number


def key_map(value: t.Any, name: str) -> str:
    """Jinja filter: a mapping of key ids to PEM text or paths, as a Python literal; a clear error otherwise."""
    if value in (None, ""):
        value = {}
    if not isinstance(value, dict) or not all(
            isinstance(key, str) and key and isinstance(item, str) and item for key, item in value.items()):
        raise exceptions.TutorError(
            f"{name} must map key ids to a PEM key or a file path, e.g. "
            f"'{{\"eddsa-2026\": \"/openedx/data/credits-key.pem\"}}' (got {value!r}).")
    return json.dumps(value, sort_keys=True)  # a dict of strings: JSON is a Python literal too


def language_list(value: t.Any, name: str) -> str:
    """Jinja filter: a list of language codes, as a Python literal; a clear error otherwise."""
    if value in (None, ""):
        value = []
    if isinstance(value, str):
        value = [code.strip() for code in value.split(",") if code.strip()]
    if not isinstance(value, list) or not all(
            isinstance(code, str) and code and all(c.isalnum() or c == "-" for c in code) for code in value):
        raise exceptions.TutorError(f"{name} must be a list of language codes, e.g. '[\"fr\", \"es-419\"]' "
                                    f"(got {value!r}).")
    return json.dumps([code.lower() for code in value])


hooks.Filters.ENV_TEMPLATE_FILTERS.add_item(("course_credits_positive_int", positive_int))
hooks.Filters.ENV_TEMPLATE_FILTERS.add_item(("course_credits_language_list", language_list))
hooks.Filters.ENV_TEMPLATE_FILTERS.add_item(("course_credits_key_map", key_map))

# --- openedx image --------------------------------------------------------------------
# Tutor 21+ builds the image with uv ($PIP_COMMAND is "uv pip"); this line mirrors the
# one Tutor writes for OPENEDX_EXTRA_PIP_REQUIREMENTS, which comes right after it, so an
# operator can still pin another version there.
DOCKERFILE_PATCH = """# Course Credits: Django plugin and XBlock (tutor-contrib-course-credits)
RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\
    $PIP_COMMAND install '{{ COURSE_CREDITS_PIP_REQUIREMENT }}'"""

# --- LMS and Studio settings ----------------------------------------------------------
# Nothing must be switched on: the plugin's entry points (lms.djangoapp, cms.djangoapp)
# add the app, its URLs, its settings defaults and its openedx-filters steps, and
# tutor-mfe already lets the MFE host call the LMS and Studio APIs (CORS, CSRF).
SETTINGS_PATCH = """# Course Credits (tutor-contrib-course-credits)
CREDITS_BACKFILL_BATCH_SIZE = {{ COURSE_CREDITS_BACKFILL_BATCH_SIZE|course_credits_positive_int("COURSE_CREDITS_BACKFILL_BATCH_SIZE") }}
CREDITS_COURSE_CACHE_TIMEOUT = {{ COURSE_CREDITS_COURSE_CACHE_TIMEOUT|course_credits_positive_int("COURSE_CREDITS_COURSE_CACHE_TIMEOUT") }}
CREDITS_RECONCILE_BATCH_SIZE = {{ COURSE_CREDITS_RECONCILE_BATCH_SIZE|course_credits_positive_int("COURSE_CREDITS_RECONCILE_BATCH_SIZE") }}
CREDITS_RECONCILE_OVERLAP_SECONDS = {{ COURSE_CREDITS_RECONCILE_OVERLAP_SECONDS|course_credits_positive_int("COURSE_CREDITS_RECONCILE_OVERLAP_SECONDS") }}
CREDITS_STATUS_LIST_CACHE_TIMEOUT = {{ COURSE_CREDITS_STATUS_LIST_CACHE_TIMEOUT|course_credits_positive_int("COURSE_CREDITS_STATUS_LIST_CACHE_TIMEOUT") }}
CREDITS_CREDENTIAL_SIGNING_KEYS = {{ COURSE_CREDITS_CREDENTIAL_SIGNING_KEYS|course_credits_key_map("COURSE_CREDITS_CREDENTIAL_SIGNING_KEYS") }}
CREDITS_TRANSLATION_LANGUAGES = {{ COURSE_CREDITS_TRANSLATION_LANGUAGES|course_credits_language_list("COURSE_CREDITS_TRANSLATION_LANGUAGES") }}"""  # noqa: E501

hooks.Filters.ENV_PATCHES.add_items(
    [
        ("openedx-dockerfile-post-python-requirements", DOCKERFILE_PATCH),
        ("openedx-lms-common-settings", SETTINGS_PATCH),
        ("openedx-cms-common-settings", SETTINGS_PATCH),
    ]
)

# --- init: migrations -----------------------------------------------------------------
# Tutor's own LMS init already runs every migration; this task makes
# "tutor local do init --limit course-credits" migrate just this plugin after an upgrade.
MIGRATE_TASK = "./manage.py lms migrate credits_plugin"
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", MIGRATE_TASK))

# --- micro-frontends ------------------------------------------------------------------
# Each MFE imports the package at runtime, inside its own "APP_ID ==" block of
# env.config.jsx, so that only the MFEs that installed it ever resolve it.
RUNTIME_IMPORT = f"""
      const {JS_MODULE} = await import('{NPM_PACKAGE}');"""

# Course card slots pass only a `cardId`; the card's data (with the credits the plugin's
# learner-home filter steps add) is in the learner dashboard's store, which is Redux up
# to Ulmo (Tutor 21) and React Query from Verawood (Tutor 22). The package has an
# adapter for each, given the hook of the MFE's own copy of the library.
TUTOR_MAJOR = int(tutor_about.__version__.split(".")[0])
CARD_STORE = (
    ("@tanstack/react-query", "useQueryClient", "queryCourseCard")
    if TUTOR_MAJOR >= 22
    else ("react-redux", "useSelector", "reduxCourseCard")
)
COURSE_CARD_WIDGET = "CourseCreditsCourseCard"
COURSE_CARD_DEFINITION = f"""
      const {{ {CARD_STORE[1]}: courseCreditsStoreHook }} = await import('{CARD_STORE[0]}');
      const {COURSE_CARD_WIDGET} = {JS_MODULE}.makeCourseCardCredits(
        {JS_MODULE}.{CARD_STORE[2]}(courseCreditsStoreHook),
      );"""

RUNTIME_DEFINITIONS = {
    "learner-dashboard": RUNTIME_IMPORT + COURSE_CARD_DEFINITION,
    "catalog": RUNTIME_IMPORT,
}

# (mfe name, slot id, widget id, JS expression of the component, priority); the slots
# pass their props (cardId, courseAboutData) to the component. Default content stays;
# the sidebar widget comes before the dashboard's own widgets.
MFE_SLOTS = [
    ("learner-dashboard", "org.openedx.frontend.learner_dashboard.widget_sidebar.v1",
     "course_credits_sidebar", f"{JS_MODULE}.CreditsSidebarWidget", 40),
    ("learner-dashboard", "org.openedx.frontend.learner_dashboard.course_card_banner.v1",
     "course_credits_course_card", COURSE_CARD_WIDGET, 60),
    ("catalog", "org.openedx.frontend.catalog.course_about_page.sidebar",
     "course_credits_course_about", f"{JS_MODULE}.CourseAboutCredits", 60),
]


def widget(widget_id: str, component: str, priority: int) -> str:
    """A frontend-plugin-framework Insert operation rendering ``component``."""
    return f"""{{
          op: PLUGIN_OPERATIONS.Insert,
          widget: {{
            id: '{widget_id}',
            type: DIRECT_PLUGIN,
            priority: {priority},
            RenderWidget: {component},
          }},
        }}"""


# Studio's Pages & Resources has no slot for a course app's settings: the authoring MFE
# imports `@openedx-plugins/course-app-<app id>/Settings.jsx` and renders its default
# export with an `onClose` prop. A one-line module there hands it our component.
AUTHORING_SETTINGS_DIR = f"node_modules/@openedx-plugins/course-app-{COURSE_APP_ID}"
AUTHORING_SETTINGS_MODULE = f"export {{ CreditsCourseAppSettings as default }} from '{NPM_PACKAGE}';"

# A plain install: the MFE's lock already holds the peer dependencies (React, Paragon,
# frontend-platform...), and --legacy-peer-deps would prune the packages that lock installed
# as peers (react-redux in the learner dashboard), which breaks the MFE's build.
NPM_INSTALL = f"""# Course Credits widgets (tutor-contrib-course-credits). Peer dependencies are the MFE's own.
RUN --mount=type=cache,target=/root/.npm,sharing=shared \\
    npm install --no-audit --no-fund --registry=$NPM_REGISTRY \\
    '{NPM_PACKAGE}@{{{{ COURSE_CREDITS_NPM_VERSION }}}}'"""

AUTHORING_SETTINGS = f"""RUN mkdir -p {AUTHORING_SETTINGS_DIR} \\
    && echo "{AUTHORING_SETTINGS_MODULE}" > {AUTHORING_SETTINGS_DIR}/Settings.jsx"""

hooks.Filters.ENV_PATCHES.add_items(
    [(f"mfe-dockerfile-post-npm-install-{mfe}", NPM_INSTALL) for mfe in sorted(RUNTIME_DEFINITIONS)]
    + [(f"mfe-env-config-runtime-definitions-{mfe}", js) for mfe, js in sorted(RUNTIME_DEFINITIONS.items())]
    + [
        ("mfe-dockerfile-post-npm-install-authoring", NPM_INSTALL),
        ("mfe-dockerfile-post-npm-install-authoring", AUTHORING_SETTINGS),
    ]
)

try:
    from tutormfe.hooks import PLUGIN_SLOTS
except ImportError:  # tutor-mfe is not installed: no micro-frontends to configure.
    PLUGIN_SLOTS = None

if PLUGIN_SLOTS is not None:
    PLUGIN_SLOTS.add_items(
        [
            (mfe, slot_id, widget(widget_id, component, priority))
            for mfe, slot_id, widget_id, component, priority in MFE_SLOTS
        ]
    )
