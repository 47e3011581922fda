"""
The Tutor plugin (tutor/), rendered by the real tutor and tutor-mfe from PyPI.

Each supported Tutor release runs from its own virtualenv, built by `make test-tutor`
(tutor pins click, jinja2 and more, so it never goes into the project's .venv):
.venv-tutor21 (Tutor 21, Ulmo) and .venv-tutor22 (Tutor 22, Verawood). A release whose
virtualenv is absent is skipped, saying so. No Docker: the tests enable the plugin in
a temporary TUTOR_ROOT, save the configuration and read the files Tutor renders; the
init task is read from the `docker compose run` command Tutor would send, caught by a
stand-in `docker` on PATH.
"""
import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

import credits_plugin

REPO = Path(__file__).resolve().parents[2]
PLUGIN_VERSION = re.search(r'__version__ = "([^"]+)"',
                           (REPO / "tutor" / "tutorcoursecredits" / "__about__.py").read_text()).group(1)
NPM_PACKAGE = "@openedx-course-credits/frontend"
TUTOR_RELEASES = {21: "Ulmo", 22: "Verawood"}

FAKE_DOCKER = textwrap.dedent("""\
    #!/bin/sh
    # Stand-in for docker: records its arguments (NUL-separated, one call per line).
    printf '%s\\0' "$@" >> "$FAKE_DOCKER_LOG"
    printf '\\n' >> "$FAKE_DOCKER_LOG"
    case " $* " in *" ls --format json "*) echo "[]";; esac
    exit 0
""")


class Tutor:
    """Runs one virtualenv's `tutor` against one TUTOR_ROOT."""

    def __init__(self, venv, root, plugins_root):
        self.bin = venv / "bin" / "tutor"
        self.root = root
        self.env = {**os.environ, "TUTOR_ROOT": str(root), "TUTOR_PLUGINS_ROOT": str(plugins_root)}

    def __call__(self, *args, check=True, path_prefix=None):
        env = dict(self.env)
        if path_prefix:
            env["PATH"] = f"{path_prefix}{os.pathsep}{env.get('PATH', '')}"
        result = subprocess.run([str(self.bin), *args], env=env, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            pytest.fail(f"tutor {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def copy(self, tmp_path):
        """The same configuration in a fresh root, for tests that change it."""
        root = tmp_path / "tutor-root"
        shutil.copytree(self.root, root)
        return Tutor(self.bin.parent.parent, root, Path(self.env["TUTOR_PLUGINS_ROOT"]))

    def read(self, relative):
        return (self.root / "env" / relative).read_text()


@pytest.fixture(scope="module", params=sorted(TUTOR_RELEASES), ids=lambda major: f"tutor{major}")
def tutor(request, tmp_path_factory):
    major = request.param
    venv = REPO / f".venv-tutor{major}"
    if not (venv / "bin" / "tutor").exists():
        pytest.skip(f"Tutor {major} ({TUTOR_RELEASES[major]}) virtualenv {venv.name} is absent: run `make test-tutor`")
    base = tmp_path_factory.mktemp(f"tutor{major}")
    (base / "plugins").mkdir()
    runner = Tutor(venv, base / "root", base / "plugins")
    version = runner("--version").stdout
    assert re.search(rf"\b{major}\.\d+\.\d+", version), f"{venv.name} runs {version!r}, not Tutor {major}"
    runner("plugins", "enable", "mfe", "course-credits")
    runner("config", "save")
    runner.major = major
    return runner


def stages(dockerfile):
    """Dockerfile text of each named build stage."""
    found = {}
    for chunk in re.split(r"^(?=FROM )", dockerfile, flags=re.M):
        match = re.match(r"FROM \S+ AS (\S+)", chunk)
        if match:
            found[match.group(1)] = chunk
    return found


def mfe_block(env_config, mfe):
    """The body of env.config.jsx's `if (process.env.APP_ID == '<mfe>')` block that adds plugins."""
    start = env_config.index(f"if (process.env.APP_ID == '{mfe}') {{")
    end = env_config.find("if (process.env.APP_ID ==", start + 1)
    return env_config[start:end]


def test_plugin_installs_the_release_it_ships_with():
    """The image requirement and the npm range derive from the Tutor plugin's version: the three move together."""
    assert credits_plugin.__version__ == PLUGIN_VERSION
    package_json = REPO / "frontend" / "package.json"
    if package_json.exists():
        assert json.loads(package_json.read_text())["version"] == PLUGIN_VERSION


def test_plugin_enabled(tutor):
    listing = tutor("plugins", "list").stdout
    assert re.search(rf"course-credits\s+\S*\s*enabled\s+{re.escape(PLUGIN_VERSION)}", listing), listing


def test_openedx_image_installs_the_package_with_the_image_installer(tutor):
    dockerfile = tutor.read("build/openedx/Dockerfile")
    requirements = stages(dockerfile)["python-requirements"]
    line = f"$PIP_COMMAND install 'openedx-course-credits~={PLUGIN_VERSION}'"
    assert line in requirements
    # After the platform's requirements, before the operator's OPENEDX_EXTRA_PIP_REQUIREMENTS.
    assert requirements.index("requirements/edx/base.txt") < requirements.index(line)
    assert dockerfile.count("openedx-course-credits") == 1
    assert 'ARG PIP_COMMAND="uv pip"' in dockerfile


@pytest.mark.parametrize("service", ["lms", "cms"])
@pytest.mark.parametrize("flavour", ["production", "development"])
def test_settings_carry_the_credits_values(tutor, service, flavour):
    settings = tutor.read(f"apps/openedx/settings/{service}/{flavour}.py")
    compile(settings, f"{service}/{flavour}.py", "exec")
    assert re.search(r"^CREDITS_BACKFILL_BATCH_SIZE = 1000$", settings, re.M)
    assert re.search(r"^CREDITS_RECONCILE_BATCH_SIZE = 1000$", settings, re.M)
    assert re.search(r"^CREDITS_RECONCILE_OVERLAP_SECONDS = 900$", settings, re.M)
    assert re.search(r"^CREDITS_COURSE_CACHE_TIMEOUT = 3600$", settings, re.M)


def test_operator_sets_credits_values_through_tutor_config(tutor, tmp_path):
    tutor = tutor.copy(tmp_path)
    tutor("config", "save", "--set", "COURSE_CREDITS_BACKFILL_BATCH_SIZE=250",
          "--set", "COURSE_CREDITS_COURSE_CACHE_TIMEOUT=600")
    for service in ("lms", "cms"):
        settings = tutor.read(f"apps/openedx/settings/{service}/production.py")
        assert re.search(r"^CREDITS_BACKFILL_BATCH_SIZE = 250$", settings, re.M)
        assert re.search(r"^CREDITS_COURSE_CACHE_TIMEOUT = 600$", settings, re.M)


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_a_batch_size_that_is_not_a_positive_number_stops_config_save(tutor, tmp_path, value):
    tutor = tutor.copy(tmp_path)
    result = tutor("config", "save", "--set", f"COURSE_CREDITS_BACKFILL_BATCH_SIZE={value}", check=False)
    assert result.returncode != 0
    assert "COURSE_CREDITS_BACKFILL_BATCH_SIZE must be a whole number of at least 1" in result.stdout + result.stderr


def test_operator_installs_another_build_of_the_packages(tutor, tmp_path):
    tutor = tutor.copy(tmp_path)
    tutor("config", "save", "--set", "COURSE_CREDITS_PIP_REQUIREMENT=openedx-course-credits==0.1.3",
          "--set", "COURSE_CREDITS_NPM_VERSION=0.1.3")
    assert "$PIP_COMMAND install 'openedx-course-credits==0.1.3'" in tutor.read("build/openedx/Dockerfile")
    assert f"'{NPM_PACKAGE}@0.1.3'" in tutor.read("plugins/mfe/build/mfe/Dockerfile")


def added_widget(block, slot):
    """The plugin operation env.config.jsx adds to ``slot`` in an MFE's block, and where."""
    added = block.index(f"addPlugins(config, '{slot}', [")
    call = block[added:block.index("]);", added)]
    assert "op: PLUGIN_OPERATIONS.Insert" in call
    assert "type: DIRECT_PLUGIN" in call
    return added, call


def test_learner_dashboard_sidebar_slot(tutor):
    block = mfe_block(tutor.read("plugins/mfe/build/mfe/env.config.jsx"), "learner-dashboard")
    imported = block.index(f"const CourseCreditsFrontend = await import('{NPM_PACKAGE}');")
    added, call = added_widget(block, "org.openedx.frontend.learner_dashboard.widget_sidebar.v1")
    assert imported < added
    assert "id: 'course_credits_sidebar'," in call
    assert "RenderWidget: CourseCreditsFrontend.CreditsSidebarWidget," in call
    # Before the dashboard's own widgets, which keep their place.
    assert "priority: 40," in call


def test_learner_dashboard_course_card_slot_reads_the_release_store(tutor):
    """Ulmo's dashboard keeps cards in Redux, Verawood's in React Query: the card widget gets the right hook."""
    block = mfe_block(tutor.read("plugins/mfe/build/mfe/env.config.jsx"), "learner-dashboard")
    library, hook, adapter = (("@tanstack/react-query", "useQueryClient", "queryCourseCard") if tutor.major >= 22
                              else ("react-redux", "useSelector", "reduxCourseCard"))
    store = block.index(f"const {{ {hook}: courseCreditsStoreHook }} = await import('{library}');")
    defined = block.index("const CourseCreditsCourseCard = CourseCreditsFrontend.makeCourseCardCredits(")
    assert f"CourseCreditsFrontend.{adapter}(courseCreditsStoreHook)" in block[defined:]
    other = "reduxCourseCard" if adapter == "queryCourseCard" else "queryCourseCard"
    assert other not in block
    added, call = added_widget(block, "org.openedx.frontend.learner_dashboard.course_card_banner.v1")
    assert block.index("await import('@openedx-course-credits/frontend')") < store < defined < added
    assert "id: 'course_credits_course_card'," in call
    assert "RenderWidget: CourseCreditsCourseCard," in call


def test_catalog_course_about_slot_where_tutor_mfe_has_the_catalog(tutor):
    env_config = tutor.read("plugins/mfe/build/mfe/env.config.jsx")
    if tutor.major < 22:
        # tutor-mfe 21 does not build the catalog MFE: Ulmo's course about page is the
        # LMS page, where the plugin's openedx-filters step shows the credits.
        assert "catalog" not in env_config
        assert "CourseAboutCredits" not in env_config
        return
    block = mfe_block(env_config, "catalog")
    imported = block.index(f"const CourseCreditsFrontend = await import('{NPM_PACKAGE}');")
    added, call = added_widget(block, "org.openedx.frontend.catalog.course_about_page.sidebar")
    assert imported < added
    assert "RenderWidget: CourseCreditsFrontend.CourseAboutCredits," in call


def test_other_mfes_never_import_the_package(tutor):
    env_config = tutor.read("plugins/mfe/build/mfe/env.config.jsx")
    with_widgets = {"learner-dashboard", "catalog"}
    for mfe in re.findall(r"if \(process\.env\.APP_ID == '([^']+)'\) \{", env_config):
        if mfe not in with_widgets:
            assert "CourseCredits" not in mfe_block(env_config, mfe), mfe
    assert env_config.count(NPM_PACKAGE) == (2 if tutor.major >= 22 else 1)


def test_env_config_is_valid_javascript(tutor, tmp_path):
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed: env.config.jsx syntax not checked")
    module = tmp_path / "env.config.mjs"
    module.write_text(tutor.read("plugins/mfe/build/mfe/env.config.jsx"))
    result = subprocess.run([node, "--check", str(module)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_mfe_images_install_the_npm_package(tutor):
    built = stages(tutor.read("plugins/mfe/build/mfe/Dockerfile"))
    install = f"'{NPM_PACKAGE}@~{PLUGIN_VERSION}'"
    expected = {"learner-dashboard", "authoring"} | ({"catalog"} if tutor.major >= 22 else set())
    installed = {name.removesuffix("-common") for name, text in built.items() if install in text}
    assert installed == expected
    for mfe in expected:
        stage = built[f"{mfe}-common"]
        # After the MFE's own dependencies, before its sources and its build.
        sources = stage.index(f"COPY --from={mfe}-src / /openedx/app\n")
        assert stage.index("npm clean-install") < stage.index(install) < sources
        assert "npm install --no-audit --no-fund --registry=$NPM_REGISTRY" in stage
        # --legacy-peer-deps would prune what the MFE's lock installed as peers (react-redux...).
        assert "legacy-peer-deps" not in stage


def test_authoring_loads_the_course_app_settings_from_the_package(tutor):
    built = stages(tutor.read("plugins/mfe/build/mfe/Dockerfile"))
    shim = ("node_modules/@openedx-plugins/course-app-course_credits/Settings.jsx",
            f"export {{ CreditsCourseAppSettings as default }} from '{NPM_PACKAGE}';")
    authoring = built["authoring-common"]
    assert all(part in authoring for part in shim)
    assert authoring.index(f"'{NPM_PACKAGE}@") < authoring.index(shim[0])
    assert [name for name, text in built.items() if shim[0] in text] == ["authoring-common"]


def test_init_runs_the_plugin_migrations(tutor, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(FAKE_DOCKER)
    (bin_dir / "docker").chmod(0o755)
    log = tmp_path / "docker.log"
    tutor.env["FAKE_DOCKER_LOG"] = str(log)
    try:
        tutor("local", "do", "init", "--limit", "course-credits", path_prefix=bin_dir)
    finally:
        del tutor.env["FAKE_DOCKER_LOG"]
    calls = [line.split("\0")[:-1] for line in log.read_text().splitlines()]
    runs = [call for call in calls if "run" in call]
    assert len(runs) == 1, calls
    run = runs[0]
    assert run[run.index("run"):] == ["run", "--rm", "-T", "lms-job", "sh", "-e", "-c",
                                      "./manage.py lms migrate credits_plugin"]


def test_disabling_the_plugin_removes_it_from_the_environment(tutor, tmp_path):
    tutor = tutor.copy(tmp_path)
    tutor("plugins", "disable", "course-credits")
    for relative in ["build/openedx/Dockerfile", "apps/openedx/settings/lms/production.py",
                     "apps/openedx/settings/cms/production.py", "plugins/mfe/build/mfe/Dockerfile",
                     "plugins/mfe/build/mfe/env.config.jsx"]:
        text = tutor.read(relative)
        assert "openedx-course-credits" not in text and "CREDITS_" not in text, relative


def test_operator_gives_the_credential_signing_keys_through_tutor_config(tutor, tmp_path):
    tutor = tutor.copy(tmp_path)
    pem = ("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIB5sdIvIsEwjkpEo3ZdX3oTtJg9yJvdhEelYbYc+oVvm\n"
           "-----END PRIVATE KEY-----\n")
    tutor("config", "save", "--set",
          'COURSE_CREDITS_CREDENTIAL_SIGNING_KEYS={"eddsa-2026": "/openedx/data/credits-key.pem", '
          f'"inline": {json.dumps(pem)}}}',
          "--set", "COURSE_CREDITS_STATUS_LIST_CACHE_TIMEOUT=600")
    for service in ("lms", "cms"):
        settings = tutor.read(f"apps/openedx/settings/{service}/production.py")
        names = ("CREDITS_CREDENTIAL_SIGNING_KEYS = ", "CREDITS_STATUS_LIST_CACHE_TIMEOUT = ")
        ours = "\n".join(line for line in settings.splitlines() if line.startswith(names))
        namespace = {}
        exec(compile(ours, "settings", "exec"), namespace)  # noqa: S102  the rendered lines, as Django reads them
        # (Tutor's YAML parsing of --set drops the PEM's last newline, which PEM readers do not need.)
        assert namespace["CREDITS_CREDENTIAL_SIGNING_KEYS"] == {"eddsa-2026": "/openedx/data/credits-key.pem",
                                                                 "inline": pem.strip()}
        assert namespace["CREDITS_STATUS_LIST_CACHE_TIMEOUT"] == 600


def test_no_signing_key_by_default_and_a_bad_one_stops_config_save(tutor, tmp_path):
    assert re.search(r"^CREDITS_CREDENTIAL_SIGNING_KEYS = \{\}$",
                     tutor.read("apps/openedx/settings/lms/production.py"), re.M)
    tutor = tutor.copy(tmp_path)
    result = tutor("config", "save", "--set", "COURSE_CREDITS_CREDENTIAL_SIGNING_KEYS=/openedx/data/key.pem",
                   check=False)
    assert result.returncode != 0
    assert "COURSE_CREDITS_CREDENTIAL_SIGNING_KEYS must map key ids to a PEM key or a file path" in (
        result.stdout + result.stderr)


def test_operator_names_the_translation_languages_through_tutor_config(tutor, tmp_path):
    assert re.search(r"^CREDITS_TRANSLATION_LANGUAGES = \[\]$",
                     tutor.read("apps/openedx/settings/lms/production.py"), re.M)
    tutor = tutor.copy(tmp_path)
    tutor("config", "save", "--set", 'COURSE_CREDITS_TRANSLATION_LANGUAGES=["fr", "es-419"]')
    for service in ("lms", "cms"):
        line = next(line for line in tutor.read(f"apps/openedx/settings/{service}/production.py").splitlines()
                    if line.startswith("CREDITS_TRANSLATION_LANGUAGES = "))
        namespace = {}
        exec(compile(line, "settings", "exec"), namespace)  # noqa: S102  the rendered line, as Django reads it
        assert namespace["CREDITS_TRANSLATION_LANGUAGES"] == ["fr", "es-419"]
    result = tutor("config", "save", "--set", 'COURSE_CREDITS_TRANSLATION_LANGUAGES=["fr; drop"]', check=False)
    assert result.returncode != 0
    assert "COURSE_CREDITS_TRANSLATION_LANGUAGES must be a list of language codes" in result.stdout + result.stderr
