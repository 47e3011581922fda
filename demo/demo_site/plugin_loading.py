"""How the demo (and the tests) load the plugin: through edx-django-utils, as the platform does."""
from edx_django_utils.plugins.registry import DjangoAppRegistry

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"


def restrict_plugin_registry(project_type, names):
    """
    Keep only ``names`` among the registered plugin apps of ``project_type``.

    Outside the platform, other packages of the virtualenv (edx-completion,
    edx-toggles...) register ``lms.djangoapp`` entry points that cannot load
    there. The registry caches its answer per project type, so removing the
    others from that answer restricts every later call of the real loader.
    """
    plugins = DjangoAppRegistry.get_available_plugins(project_type)
    for name in list(plugins):
        if name not in names:
            del plugins[name]
    return plugins
