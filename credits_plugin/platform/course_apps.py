"""
The base class of Studio course apps (Pages & Resources).

Inside Open edX it is the platform's ``CourseApp``; elsewhere (tests, the demo) a
plain ``object``: the platform's plugin manager and REST view only call the
class's attributes and classmethods, never ``isinstance``.
"""


def course_app_base():
    try:
        from openedx.core.djangoapps.course_apps.plugins import CourseApp  # pylint: disable=import-outside-toplevel
    except ImportError:
        return object
    return CourseApp
