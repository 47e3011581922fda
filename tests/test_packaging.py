"""
The wheel is what operators install: build it, look inside, install it in a fresh
virtualenv and render a template from where it was installed.

The fresh virtualenv sees the test environment's site-packages (for Django and the
other dependencies) through a ``.pth`` line, but not the editable install of this
repository: that one is hooked in by an import line of a ``.pth`` file, and ``.pth``
files of a folder added by a path line are not read.
"""
import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

import credits_plugin
from credits_plugin.settings.common import DEFAULTS

REPO = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", ".venv-tutor*", ".tox", "build", "dist", "*.egg-info",
                                    "__pycache__",
                                    "*.py[co]", "node_modules", "*.sqlite3", ".ruff_cache", ".pytest_cache",
                                    "test-artifacts", "htmlcov", ".coverage")

RENDER_SCRIPT = textwrap.dedent("""
    import json
    import sys
    from types import SimpleNamespace

    import django
    from django.conf import settings

    import credits_plugin
    from credits_plugin.settings import common

    # The platform's settings module, as far as the plugin's settings touch it: the plugin is an
    # installed app, and the Django engine finds app templates through its loaders (the platform's
    # MakoAppDirectoriesLoader is Django's app-directories loader underneath).
    platform = SimpleNamespace(
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": ["/platform/templates"],
                    "APP_DIRS": False, "OPTIONS": {"loaders": ["django.template.loaders.filesystem.Loader",
                                                               "django.template.loaders.app_directories.Loader"]}}],
        OPEN_EDX_FILTERS_CONFIG={},
    )
    common.plugin_settings(platform)
    settings.configure(INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "simple_history",
                                       "credits_plugin"], USE_I18N=True, LANGUAGE_CODE="en", **vars(platform))
    django.setup()

    from django.template.loader import get_template, render_to_string

    item = {"credit_name": "Ethics <CPE>", "credit_type_name": "CPA Ontario", "amount": "2.50",
            "unit": "hours", "reference_number": "ON-123"}
    print(json.dumps({
        "package": credits_plugin.__file__,
        "templates_dir": str(credits_plugin.templates_dir()),
        "template_origin": get_template("credits_plugin/_credit_list.html").origin.name,
        "html": render_to_string("credits_plugin/_credit_list.html", {"credits": [item]}),
        "sys_path": sys.path,
        "credits_settings": sorted(name for name in vars(platform) if name.startswith("CREDITS_")),
        "template_dirs": [str(d) for d in platform.TEMPLATES[0]["DIRS"]],
    }))
""")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build the wheel from a copy of the source tree (the checkout stays free of build/ and egg-info)."""
    source = tmp_path_factory.mktemp("source") / "openedx-course-credits"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (path,) = out.glob("openedx_course_credits-*-py3-none-any.whl")
    return path


@pytest.fixture(scope="module")
def wheel_names(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh virtualenv with only the wheel installed, seeing the test environment's dependencies."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel)],
        check=True,
    )
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    (Path(purelib) / "test_environment.pth").write_text(ours + "\n")
    return SimpleVenv(venv, python, Path(purelib))


class SimpleVenv:
    def __init__(self, root, python, purelib):
        self.root, self.python, self.purelib = root, python, purelib

    def run(self, code, cwd):
        script = Path(cwd) / "script.py"
        script.write_text(code)
        env = {key: value for key, value in os.environ.items()
               if key not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "PYTHONHOME", "PYTHONSTARTUP"}}
        result = subprocess.run([str(self.python), str(script)], cwd=cwd, env=env,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout


@pytest.mark.slow
def test_wheel_ships_every_template_inside_the_package(wheel_names):
    templates = [path.relative_to(REPO / "templates").as_posix() for path in (REPO / "templates").rglob("*")
                 if path.is_file()]
    assert "credits_plugin/_credit_list.html" in templates
    assert "credits_xblock/student_view.html" in templates
    for template in templates:
        assert f"credits_plugin/templates/{template}" in wheel_names
    assert not any(name.startswith("templates/") for name in wheel_names)


@pytest.mark.slow
def test_wheel_ships_migrations_and_the_xblock(wheel_names):
    migrations = [path.name for path in (REPO / "credits_plugin" / "migrations").glob("*.py")]
    assert "0001_initial.py" in migrations
    for migration in migrations:
        assert f"credits_plugin/migrations/{migration}" in wheel_names
    assert "credits_plugin/platform/standalone/migrations/0001_initial.py" in wheel_names
    assert {"credits_xblock/__init__.py", "credits_xblock/block.py"} <= wheel_names
    static = {f"credits_xblock/{path.relative_to(REPO / 'credits_xblock').as_posix()}"
              for path in (REPO / "credits_xblock" / "static").rglob("*") if path.is_file()}
    assert static and static <= wheel_names
    assert not any(name.split("/")[0] in {"tests", "demo", "bench"} for name in wheel_names)


@pytest.mark.slow
def test_wheel_declares_the_entry_points(wheel, wheel_names):
    (entry_points_file,) = [name for name in wheel_names if name.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        parser = configparser.ConfigParser()
        parser.optionxform = str
        parser.read_string(archive.read(entry_points_file).decode())
    assert dict(parser["lms.djangoapp"]) == {"credits_plugin": "credits_plugin.apps:CreditsPluginConfig"}
    assert dict(parser["cms.djangoapp"]) == {"credits_plugin": "credits_plugin.apps:CreditsPluginConfig"}
    assert dict(parser["xblock.v1"]) == {"course_credits": "credits_xblock.block:CourseCreditsXBlock"}


@pytest.mark.slow
def test_installed_wheel_renders_its_templates_from_the_installed_package(installed, tmp_path):
    report = json.loads(installed.run(RENDER_SCRIPT, cwd=tmp_path))

    package_dir = installed.purelib / "credits_plugin"
    assert Path(report["package"]).parent == package_dir, "the wheel, not the checkout, must be imported"
    assert str(REPO) not in report["sys_path"] and "" not in report["sys_path"]
    assert str(installed.purelib) in report["sys_path"]
    assert report["templates_dir"] == str(package_dir / "templates")
    assert report["template_origin"] == str(package_dir / "templates" / "credits_plugin" / "_credit_list.html")

    html = report["html"]
    assert "Ethics &lt;CPE&gt;" in html, "autoescape must stay on"
    assert "CPA Ontario" in html and "2.50 hours" in html and "ON-123" in html
    assert "Reference number:" in html
    assert report["credits_settings"] == sorted(DEFAULTS)
    assert report["template_dirs"] == ["/platform/templates"], "an installed plugin leaves the platform's DIRS alone"


def test_editable_checkout_finds_the_top_level_templates_folder():
    assert Path(credits_plugin.__file__).resolve().parent == REPO / "credits_plugin"
    assert credits_plugin.templates_dir() == REPO / "templates"


def requirement_names(lines):
    names = set()
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith(("-", "{")):
            names.add(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def tox_section(name):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / "tox.ini")
    return parser[name]["deps"].splitlines()


def test_tox_min_environment_pins_a_floor_for_every_base_requirement():
    base = requirement_names((REPO / "requirements" / "base.in").read_text().splitlines())
    floors = [line.strip() for line in tox_section("floors") if line.strip() and not line.strip().startswith("#")]
    assert requirement_names(floors) == base
    assert all("==" in line for line in floors)


def test_tox_latest_environment_installs_what_test_in_adds():
    test_in = requirement_names((REPO / "requirements" / "test.in").read_text().splitlines())
    assert requirement_names(tox_section("test-tools")) == test_in
