"""
The block's workbench scenarios: parsed in XBlock's test runtime, and served by the xblock-sdk
workbench (a Django site of its own, so it runs in a child process with its own settings).
"""
import gettext
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from xblock.field_data import DictFieldData
from xblock.test.tools import TestRuntime

from credits_xblock.block import CourseCreditsXBlock

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("description, xml", CourseCreditsXBlock.workbench_scenarios())
def test_scenario_parses_and_renders_without_a_course(description, xml):
    runtime = TestRuntime(services={"field-data": DictFieldData({}), "i18n": gettext.NullTranslations()})
    block = runtime.get_block(runtime.parse_xml_string(xml))
    assert isinstance(block, CourseCreditsXBlock) and description
    html = block.student_view().content
    assert "Credits appear here when this block is part of a course." in html
    assert "part of a course" in block.author_view().content
    assert 'name="heading"' in block.studio_view().content


def test_scenario_attributes_set_the_fields():
    runtime = TestRuntime(services={"field-data": DictFieldData({})})
    xml = CourseCreditsXBlock.workbench_scenarios()[1][1]
    block = runtime.get_block(runtime.parse_xml_string(xml))
    assert block.display_name == "Credits you can earn" and block.show_learner_status is False


WORKBENCH_SCRIPT = textwrap.dedent("""
    import json, django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment
    django.setup()
    setup_test_environment()
    call_command("migrate", run_syncdb=True, verbosity=0)
    from django.test import Client
    from workbench.scenarios import get_scenarios
    scenarios = {key: value for key, value in get_scenarios().items() if key.startswith("course_credits.")}
    client, out = Client(), {"scenarios": sorted(scenarios)}
    usage_id = scenarios["course_credits.0"].usage_id
    for view in ("student_view", "author_view", "studio_view"):
        response = client.get(f"/scenario/course_credits.0/{view}/")
        out[view] = [response.status_code, response.content.decode()]
    for handler, body in (("update_settings", {"heading": "From the workbench"}), ("learner_status", {})):
        response = client.post(f"/handler/{usage_id}/{handler}/", json.dumps(body), content_type="application/json")
        out[handler] = [response.status_code, response.content.decode()]
    out["after"] = client.get("/scenario/course_credits.0/student_view/").content.decode()
    print("RESULT" + json.dumps(out))
""")


def test_the_xblock_sdk_workbench_serves_the_block(tmp_path):
    pytest.importorskip("workbench", reason="xblock-sdk is not installed")
    (tmp_path / "var").mkdir()  # the workbench logs to var/workbench.log
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="workbench.settings", PYTHONPATH=str(REPO),
               WORKBENCH_DATABASES=json.dumps({"default": {"ENGINE": "django.db.backends.sqlite3",
                                                           "NAME": str(tmp_path / "workbench.db")}}))
    done = subprocess.run([sys.executable, "-c", WORKBENCH_SCRIPT], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.split("RESULT", 1)[1])
    assert out["scenarios"] == ["course_credits.0", "course_credits.1"]
    for view in ("student_view", "author_view", "studio_view"):
        assert out[view][0] == 200
    assert "Credits appear here when this block is part of a course." in out["student_view"][1]
    assert "CourseCreditsStudentView" in out["student_view"][1]
    assert 'name="show_learner_status"' in out["studio_view"][1]
    # The workbench's user has no course role: outside a course only a runtime's course staff may save.
    assert out["update_settings"][0] == 403
    assert json.loads(out["learner_status"][1])["in_course"] is False
    assert ">From the workbench</h3>" not in out["after"]
