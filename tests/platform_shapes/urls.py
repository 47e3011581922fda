"""The platform's URLs, as far as the plugin is concerned: its own, mounted by the loader."""
from django.conf import settings
from edx_django_utils.plugins import get_plugin_url_patterns

urlpatterns = list(get_plugin_url_patterns(settings.PROJECT_TYPE))
