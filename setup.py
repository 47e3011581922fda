"""Packaging for openedx-course-credits.

The top-level ``templates/`` folder is the one home of every HTML template. It
is shipped inside the wheel as ``credits_plugin/templates`` (see
``package_dir``), and found in an editable checkout too by
``credits_plugin.templates_dir()``.
"""
import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent


def load_requirements(path):
    """Read loose requirement ranges from a requirements .in file."""
    requirements = []
    for line in (HERE / path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirements.append(line)
    return requirements


def get_version():
    text = (HERE / "credits_plugin" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


setup(
    name="openedx-course-credits",
    version=get_version(),
    description="Course credits for Open edX: credit types, course designations and awarded credits.",
    long_description=(HERE / "README.md").read_text(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=find_packages(include=["credits_plugin", "credits_plugin.*", "credits_xblock", "credits_xblock.*"])
    + ["credits_plugin.templates"],
    package_dir={"credits_plugin.templates": "templates"},
    package_data={
        "credits_plugin": ["locale/*/LC_MESSAGES/*.mo", "locale/*/LC_MESSAGES/*.po", "static/**/*"],
        "credits_plugin.templates": ["**/*.html", "**/*.txt", "**/*.css", "**/*.js"],
        "credits_xblock": ["static/**/*", "translations/*/LC_MESSAGES/*.mo", "translations/*/LC_MESSAGES/*.po"],
    },
    include_package_data=False,
    install_requires=load_requirements("requirements/base.in"),
    entry_points={
        "lms.djangoapp": ["credits_plugin = credits_plugin.apps:CreditsPluginConfig"],
        "cms.djangoapp": ["credits_plugin = credits_plugin.apps:CreditsPluginConfig"],
        "xblock.v1": ["course_credits = credits_xblock.block:CourseCreditsXBlock"],
        "openedx.course_app": ["course_credits = credits_plugin.course_app:CreditsCourseApp"],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 4.2",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
