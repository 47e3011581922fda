"""
Defaults of every ``CREDITS_`` setting, and the plugin's openedx-filters steps.

Applied to the LMS and Studio settings by edx-django-utils (``add_plugins(...,
"common")``). Each default is set only where the operator has not set the
setting already.
"""
from credits_plugin import templates_dir

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
    "org.openedx.learning.home.enrollment.api.rendered.v1": [
        "credits_plugin.filters.learner_home.EnrollmentCredits",
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
    # How long (seconds) a course's "does it award credits?" answer is cached.
    "CREDITS_COURSE_CACHE_TIMEOUT": 3600,
    # Whether automatic awards read a course's credits from the cache (checked against version
    # numbers every change bumps). None: yes for Redis and Memcached, which every process shares.
    "CREDITS_AWARD_FROM_CACHE": None,
    # Seconds a process reuses what it just read from the cache of a course (does it award
    # credits? which, with what amounts?) before asking the cache again; 0 asks every time.
    "CREDITS_LOCAL_CACHE_SECONDS": 2,
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


def add_templates_dir(settings):
    """Let Django template engines find the plugin's templates (wheel and editable checkout)."""
    folder = str(templates_dir())
    for engine in getattr(settings, "TEMPLATES", []):
        if engine.get("BACKEND") != "django.template.backends.django.DjangoTemplates":
            continue
        dirs = list(engine.get("DIRS") or [])
        if folder not in [str(d) for d in dirs]:
            dirs.append(folder)
        engine["DIRS"] = dirs


def add_mako_templates_dir(settings):
    """Let the platform's Mako lookup find the plugin's page templates (only where Mako is configured)."""
    dirs = getattr(settings, "MAKO_TEMPLATE_DIRS_BASE", None)
    folder = str(templates_dir() / "credits_plugin" / "mako")
    if dirs is not None and folder not in [str(d) for d in dirs]:
        dirs.append(folder)


def plugin_settings(settings):
    """Set the defaults and register the plugin's filter steps and templates."""
    for name, value in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    settings.OPEN_EDX_FILTERS_CONFIG = merge_filter_steps(getattr(settings, "OPEN_EDX_FILTERS_CONFIG", None),
                                                          FILTER_STEPS)
    add_templates_dir(settings)
    add_mako_templates_dir(settings)
