"""The demo's URLs: its stand-in pages, the admin, then the plugin's own URLs as the platform mounts them."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, re_path
from edx_django_utils.plugins import get_plugin_url_patterns

from demo.demo_site import learner_dashboard, platform_pages, views, xblock_runtime
from demo.demo_site.plugin_loading import LMS

urlpatterns = [
    path("", views.home, name="demo-home"),
    path("admin/", admin.site.urls),
    # Everyone signs in here (learners and authors are not admin staff), as in the LMS.
    path("accounts/login/", auth_views.LoginView.as_view(template_name="demo/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
]
# Stand-ins of the LMS pages the plugin's filter steps decorate, at the platform's paths.
COURSE_ID = r"(?P<course_id>[^/]+)"
urlpatterns += [
    re_path(rf"^certificates/user/(?P<user_id>\d+)/course/{COURSE_ID}$", platform_pages.certificate,
            name="demo-certificate"),
    re_path(rf"^certificates/course/{COURSE_ID}$", platform_pages.certificate_preview,
            name="demo-certificate-preview"),
    re_path(rf"^courses/{COURSE_ID}/about$", platform_pages.course_about, name="demo-course-about"),
    re_path(rf"^courses/{COURSE_ID}/certificate$", platform_pages.my_certificate, name="demo-my-certificate"),
    re_path(rf"^courses/{COURSE_ID}/instructor$", platform_pages.instructor_dashboard,
            name="demo-instructor-dashboard"),
    re_path(rf"^courses/{COURSE_ID}/simulate-passing/$", platform_pages.simulate_passing,
            name="demo-simulate-passing"),
    re_path(rf"^courses/{COURSE_ID}/issue-certificate/$", platform_pages.issue_certificate,
            name="demo-issue-certificate"),
    re_path(rf"^courses/{COURSE_ID}/unit/$", xblock_runtime.unit, name="demo-course-unit"),
    re_path(rf"^courses/{COURSE_ID}/unit/handler/(?P<handler_name>[\w-]+)/(?P<suffix>.*)$", xblock_runtime.handler,
            name="demo-unit-handler"),
    path("dashboard", platform_pages.dashboard, name="demo-dashboard"),
    path("api/learner_home/init", platform_pages.learner_home_init, name="demo-learner-home"),
    # The learner dashboard micro-frontend's widgets (the built harness, live against this site).
    path("learner-dashboard/", learner_dashboard.page, name="demo-learner-dashboard"),
    re_path(r"^learner-dashboard/assets/(?P<name>[\w.-]+)$", learner_dashboard.asset,
            name="demo-learner-dashboard-asset"),
]
urlpatterns.extend(get_plugin_url_patterns(LMS))
