"""The demo's stand-in pages."""
from django.shortcuts import render

from credits_plugin import api

DEMO_COURSES = ("course-v1:DemoX+Leadership+2026", "course-v1:DemoX+Ethics+2026")


def home(request):
    """The landing page: every surface of the plugin that exists so far."""
    courses = [api.get_course_settings(course_id) for course_id in DEMO_COURSES]
    return render(request, "demo/home.html", {"courses": courses, "credit_types": api.list_credit_types()})
