"""The demo's URLs: its stand-in pages, the admin, then the plugin's own URLs as the platform mounts them."""
from django.contrib import admin
from django.urls import path
from edx_django_utils.plugins import get_plugin_url_patterns

from demo.demo_site import views
from demo.demo_site.plugin_loading import LMS

urlpatterns = [
    path("", views.home, name="demo-home"),
    path("admin/", admin.site.urls),
]
urlpatterns.extend(get_plugin_url_patterns(LMS))
