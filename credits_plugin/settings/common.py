"""
Defaults of every ``CREDITS_`` setting, and the plugin's openedx-filters steps.

Applied to the LMS and Studio settings by edx-django-utils (``add_plugins(...,
"common")``). Each default is set only where the operator has not set the
setting already.
"""
import logging
from pathlib import Path

import credits_plugin
from credits_plugin import templates_dir

logger = logging.getLogger(__name__)
DJANGO_ENGINE = "django.template.backends.django.DjangoTemplates"

FILTER_STEPS = {
    # filter type -> the plugin's steps, added after any steps of other plugins.
    # Every filter below exists in openedx-filters 2.1 except the instructor dashboard
    # tabs one (3.x); an entry for a filter the installed library lacks is never read.
    "org.openedx.learning.certificate.render.started.v1": [
        "credits_plugin.filters.certificate.CertificateCredits",
    ],
    "org.openedx.learning.course_about.render.started.v1": [
        "credits_plugin.filters.course_about.CourseAboutCredits",
    ],
    "org.openedx.learning.dashboard.render.started.v1": [
        "credits_plugin.filters.dashboard.DashboardCredits",
    ],
    "org.openedx.learning.home.courserun.api.rendered.started.v1": [
        "credits_plugin.filters.learner_home.CourseRunCredits",
    ],
    "org.openedx.learning.instructor.dashboard.render.started.v1": [
        "credits_plugin.filters.instructor.InstructorDashboardCredits",
    ],
    "org.openedx.learning.instructor.dashboard.tabs.requested.v1": [
        "credits_plugin.filters.instructor.InstructorDashboardCreditsTab",
    ],
}

DEFAULTS = {
    # Which module plays openedx-platform (see credits_plugin.platform).
    "CREDITS_PLATFORM_BACKEND": "credits_plugin.platform.openedx",
    # How many learners a backfill reads and awards per batch.
    "CREDITS_BACKFILL_BATCH_SIZE": 1000,
    # How long (seconds) a course's "does it award credits?" answer and the about cards are cached.
    "CREDITS_COURSE_CACHE_TIMEOUT": 3600,
    # The private keys that sign Open Badges credentials: {key id: PEM text, or the path of a PEM
    # file}. The command credential_keys generates one and says which key signs (see the operator guide).
    "CREDITS_CREDENTIAL_SIGNING_KEYS": {},
    # How long (seconds) a signed status list is cached; a revocation clears it at once.
    "CREDITS_STATUS_LIST_CACHE_TIMEOUT": 3600,
    # The languages (codes of LANGUAGES) credit type, credit and unit names may be translated into,
    # beside the default language (LANGUAGE_CODE) the names themselves are in. Empty: every
    # language of LANGUAGES but the default where it lists at most six others (Open edX lists 79).
    "CREDITS_TRANSLATION_LANGUAGES": [],
    # How many changed learner records reconciliation reads and awards per batch.
    "CREDITS_RECONCILE_BATCH_SIZE": 1000,
    # Reconciliation looks again at records changed this many seconds before its watermark: they are
    # stamped by the clocks of the processes that wrote them and commit a moment after.
    "CREDITS_RECONCILE_OVERLAP_SECONDS": 900,
    # The stand-in platform's (tests and the demo; credits_plugin.platform.standalone): where a
    # certificate is, and the templates that play the LMS's and Studio's pages.
    "CREDITS_STANDALONE_CERTIFICATE_URL": "/certificates/user/{user_id}/course/{course_id}",
    "CREDITS_STANDALONE_BASE_TEMPLATES": {"lms": "main_django.html", "studio": "credits_plugin/frames/parts.html"},
    "CREDITS_STANDALONE_PARTS_FRAME": "studio_parts_frame.html",
}

# Settings earlier releases read and this one ignores: left in a site's configuration, each
# gets one warning (system check credits_plugin.W001), never an error.
REMOVED_SETTINGS = {
    "CREDITS_AWARD_FROM_CACHE": "awards always read the course's credits from the database",
    "CREDITS_LOCAL_CACHE_SECONDS": "no process keeps its own copy of a course any more",
}


def merge_filter_steps(config, steps):
    """
    Add ``steps`` to an ``OPEN_EDX_FILTERS_CONFIG`` dict in place and return it.

    Idempotent, and never removes or reorders another plugin's steps: a filter
    with no entry gets one (fail silently); a bare list becomes the dict form
    (whose default is to fail silently, as the list form means); our steps that
    are missing are appended.
    """
    config = {} if config is None else config
    for filter_type, our_steps in steps.items():
        entry = config.get(filter_type)
        if entry is None:
            entry = {"fail_silently": True, "pipeline": []}
        elif isinstance(entry, (list, tuple)):
            entry = {"fail_silently": True, "pipeline": list(entry)}
        else:
            entry = dict(entry)
            entry["pipeline"] = list(entry.get("pipeline") or [])
        for step in our_steps:
            if step not in entry["pipeline"]:
                entry["pipeline"].append(step)
        config[filter_type] = entry
    return config


def templates_are_packaged():
    """
    Whether the templates ship inside the ``credits_plugin`` package (a wheel or sdist install).

    There the platform's app-directories loaders (Django's, and the platform's
    ``MakoAppDirectoriesLoader`` in the LMS and Studio) find them: no setting needs them.
    """
    return templates_dir().parent == Path(credits_plugin.__file__).resolve().parent


def with_folder(dirs, folder):
    """
    ``dirs`` (a template engine's ``DIRS``) with ``folder`` added, or None when its shape is unknown.

    A list or tuple gets the folder appended (once). A value the platform derives later
    (openedx-platform's ``Derived``, resolved by ``derive_settings`` after every plugin's
    settings ran) is wrapped in a value of the same kind that resolves to the platform's
    list plus the folder: it is never resolved or iterated here.
    """
    if dirs is None:
        return [folder]
    if isinstance(dirs, (list, tuple)):
        if folder in [str(d) for d in dirs]:
            return dirs
        return [*dirs, folder] if isinstance(dirs, list) else (*dirs, folder)
    calculate = getattr(dirs, "calculate_value", None)
    if callable(calculate):  # openedx.core.lib.derived.Derived
        return type(dirs)(lambda settings: with_folder(calculate(settings), folder))
    return None


def add_templates_dir(settings):
    """
    Let Django template engines find the plugin's templates when app-directory loaders cannot.

    Installed from a wheel, nothing is changed: the templates sit inside the app. From an
    editable checkout they sit beside the package, so each Django engine's ``DIRS`` gets the
    folder (see ``with_folder``); a shape the plugin does not understand is left alone.
    """
    if templates_are_packaged():
        return
    folder = str(templates_dir())
    for engine in getattr(settings, "TEMPLATES", None) or []:
        if not isinstance(engine, dict) or engine.get("BACKEND") != DJANGO_ENGINE:
            continue
        dirs = with_folder(engine.get("DIRS"), folder)
        if dirs is None:
            logger.warning("Course Credits: a template engine's DIRS has a shape the plugin does not know "
                           "(%s); it is left alone.", type(engine.get("DIRS")).__name__)
        else:
            engine["DIRS"] = dirs


def add_mako_templates_dir(settings):
    """Let the platform's Mako lookup find the plugin's page templates (only where Mako is configured)."""
    dirs = getattr(settings, "MAKO_TEMPLATE_DIRS_BASE", None)
    if dirs is None:
        return
    updated = with_folder(dirs, str(templates_dir() / "credits_plugin" / "mako"))
    if isinstance(dirs, list) and updated is not dirs:
        dirs[:] = updated  # the platform derives other settings from this very list: extend it in place
    elif updated is not None:
        settings.MAKO_TEMPLATE_DIRS_BASE = updated


def plugin_settings(settings):
    """Set the defaults and register the plugin's filter steps and templates."""
    for name, value in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    settings.OPEN_EDX_FILTERS_CONFIG = merge_filter_steps(getattr(settings, "OPEN_EDX_FILTERS_CONFIG", None),
                                                          FILTER_STEPS)
    add_templates_dir(settings)
    add_mako_templates_dir(settings)
