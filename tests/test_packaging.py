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
def source(tmp_path_factory):
    """A copy of the source tree, as a git checkout has it (the checkout stays free of build/ and egg-info)."""
    tree = tmp_path_factory.mktemp("source") / "openedx-course-credits"
    shutil.copytree(REPO, tree, ignore=NOT_SOURCE)
    return tree


def build(source, kind, out):
    result = subprocess.run([sys.executable, "-m", "build", f"--{kind}", "--no-isolation", "--outdir", str(out),
                             str(source)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    build(source, "wheel", out)
    (path,) = out.glob("openedx_course_credits-*-py3-none-any.whl")
    return path


@pytest.fixture(scope="module")
def sdist(source, tmp_path_factory):
    out = tmp_path_factory.mktemp("sdist")
    build(source, "sdist", out)
    (path,) = out.glob("openedx_course_credits-*.tar.gz")
    return path


@pytest.fixture(scope="module")
def wheel_names(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def fresh_venv(tmp_path_factory):
    """A fresh virtualenv that sees the test environment's dependencies (not this checkout's editable install)."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "test_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return SimpleVenv(venv, python, Path(purelib))


# What an operator installs today: the wheel, the sdist, or the source tree itself (what pip does
# with a git URL or a local path: it builds a wheel from the checkout).
INSTALL_KINDS = ["wheel", "sdist", "source"]


@pytest.fixture(scope="module", params=INSTALL_KINDS)
def installed(request, tmp_path_factory):
    """A fresh virtualenv with only the plugin installed, from a wheel, an sdist or a source checkout."""
    target = request.getfixturevalue(request.param)
    venv = fresh_venv(tmp_path_factory)
    subprocess.run(
        # --ignore-installed: the test environment (seen through the .pth line) may hold an installed copy
        # of the plugin (tox installs its wheel there); it must be neither reused nor uninstalled.
        [sys.executable, "-m", "pip", "--python", str(venv.python), "install", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--ignore-installed", str(target)],
        check=True,
    )
    return venv


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


# --- the MFE widget package, from source ------------------------------------------------------

FRONTEND = REPO / "frontend"
PEERS = ["react", "react-dom", "react/*", "prop-types", "@edx/*", "@openedx/paragon", "@openedx/paragon/*",
         "@openedx/frontend-plugin-framework"]


@pytest.fixture(scope="module")
def frontend_tarball(tmp_path_factory):
    """``npm pack`` of frontend/ (its prepack script builds dist/), as an operator makes one from a checkout."""
    if shutil.which("npm") is None:
        pytest.skip("npm is absent: the frontend package is checked where Node is installed (.ci/run installs it)")
    if not (FRONTEND / "node_modules" / ".bin" / "vite").exists():
        pytest.skip("frontend/node_modules is absent: run `cd frontend && npm ci` (.ci/run does)")
    out = tmp_path_factory.mktemp("npm-pack")
    result = subprocess.run(["npm", "pack", "--pack-destination", str(out), "--loglevel=error"], cwd=FRONTEND,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    (tarball,) = out.glob("openedx-course-credits-frontend-*.tgz")
    return tarball


def test_the_widget_package_is_plain_javascript_for_webpack():
    """
    The MFEs build with webpack, which resolves the imports of a "type": "module" package (or of
    .mjs files) strictly, refusing @edx/frontend-platform's directory imports
    ("@edx/frontend-platform/i18n"): the real learner dashboard failed to compile so. The package
    ships ES module syntax in plain .js files instead.
    """
    package = json.loads((FRONTEND / "package.json").read_text())
    assert package.get("type", "commonjs") == "commonjs"
    assert package["main"] == "./dist/index.js" and package["exports"]["."] == "./dist/index.js"
    config = (FRONTEND / "vite.config.mjs").read_text()
    assert "fileName: (format, entryName) => `${entryName}.js`" in config


@pytest.mark.slow
def test_npm_pack_ships_the_built_widgets(frontend_tarball):
    import tarfile  # pylint: disable=import-outside-toplevel

    with tarfile.open(frontend_tarball) as archive:
        names = set(archive.getnames())
    assert {"package/package.json", "package/dist/index.js", "package/dist/settings.js",
            "package/Settings.jsx"} <= names
    assert not any(name.startswith(("package/test/", "package/harness/", "package/node_modules/")) for name in names)


@pytest.mark.slow
def test_npm_pack_installs_into_a_fresh_project_and_its_entry_points_resolve(frontend_tarball, tmp_path):
    """
    Installed as a tarball into a fresh project. In an MFE the peers (React, Paragon...) are already
    there and the install is a plain one; this project has none, so --legacy-peer-deps keeps npm
    from fetching them: the MFE's own libraries are left outside the bundle below.
    """
    project = tmp_path / "mfe"
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "fresh-mfe", "version": "1.0.0", "private": True}))
    result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--legacy-peer-deps", "--loglevel=error",
                             str(frontend_tarball)], cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    (project / "entry.js").write_text(
        "export * from '@openedx-course-credits/frontend';\n"
        "export { default as Settings } from '@openedx-course-credits/frontend/Settings.jsx';\n")
    # Bundle it as an MFE's build would, the MFE's own libraries left outside: every import of the
    # package resolves, and its exports are there.
    esbuild = FRONTEND / "node_modules" / ".bin" / "esbuild"
    result = subprocess.run([str(esbuild), "entry.js", "--bundle", "--format=esm", "--outfile=out.js",
                             "--metafile=meta.json", "--log-level=error", "--loader:.jsx=jsx",
                             *[f"--external:{peer}" for peer in PEERS]],
                            cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    exports = json.loads((project / "meta.json").read_text())["outputs"]["out.js"]["exports"]
    assert {"CourseCardCredits", "CreditsSidebarWidget", "CourseAboutCredits", "learnerDashboardSlots",
            "Settings"} <= set(exports)
