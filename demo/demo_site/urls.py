"""The demo's URLs: its stand-in pages, the admin, then the plugin's own URLs as the platform mounts them."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from edx_django_utils.plugins import get_plugin_url_patterns

from demo.demo_site import views
from demo.demo_site.plugin_loading import LMS

urlpatterns = [
    path("", views.home, name="demo-home"),
    path("admin/", admin.site.urls),
    # Everyone signs in here (learners and authors are not admin staff), as in the LMS.
    path("accounts/login/", auth_views.LoginView.as_view(template_name="demo/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
]
urlpatterns.extend(get_plugin_url_patterns(LMS))
