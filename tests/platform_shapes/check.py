"""
Run in a fresh process with ``DJANGO_SETTINGS_MODULE`` set to ``tests.platform_shapes.lms`` or
``.cms``: loads the settings, runs Django's checks, ``makemigrations credits_plugin --check``,
migrates, renders the plugin's pages as a signed-in staff member, and prints a JSON report.
"""
import io
import json
import sys

import django


def main():
    django.setup()
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.test import Client  # pylint: disable=import-outside-toplevel
    from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel

    from credits_plugin.platform.standalone.models import StandaloneCourse  # pylint: disable=import-outside-toplevel

    report = {
        "template_dirs": [str(d) for d in settings.TEMPLATES[0]["DIRS"]],
        "mako_dirs": [str(d) for d in settings.MAKO_TEMPLATE_DIRS_BASE],
        "filters": settings.OPEN_EDX_FILTERS_CONFIG,
        "installed": "credits_plugin.apps.CreditsPluginConfig" in settings.INSTALLED_APPS,
    }
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    report["check"] = out.getvalue().strip()
    out = io.StringIO()
    try:
        call_command("makemigrations", "credits_plugin", "--check", "--dry-run", stdout=out, stderr=out)
        report["makemigrations"] = "clean"
    except SystemExit:
        report["makemigrations"] = out.getvalue()
    call_command("migrate", verbosity=0)

    course_key = CourseKey.from_string("course-v1:Shapes+C1+2026")
    StandaloneCourse.objects.create(course_key=course_key, display_name="Shapes 101")
    staff = get_user_model().objects.create_user("staff", "staff@example.com", "x", is_staff=True)
    client = Client()
    client.force_login(staff)
    pages = {}
    for path in ("/credits/me/", f"/credits/studio/{course_key}/", f"/credits/instructor/{course_key}/"):
        response = client.get(path)
        pages[path] = {"status": response.status_code, "html": response.content.decode()}
    report["pages"] = pages
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
