"""
A real Celery worker, a real Redis broker: an event sent in one process lands as an
award written by the worker in another. Skipped, saying why, where Redis is absent.
"""
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.redis, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]

PRODUCER = textwrap.dedent("""
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from opaque_keys.edx.keys import CourseKey
    from openedx_events.learning.data import CourseData, CoursePassingStatusData, UserData, UserPersonalData
    from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED
    from credits_plugin import api

    course = CourseKey.from_string("course-v1:TestX+Worker+2026")
    credit_type = api.create_credit_type(name="Worker type")
    credit = api.create_credit(credit_type_id=credit_type.id, name="Worker credit")
    api.set_course_settings(course, enabled=True, credits=[{"credit": credit.id, "amount": "3"}])
    user = get_user_model().objects.create(username="worker-learner")
    COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=CoursePassingStatusData(
        is_passing=True, course=CourseData(course_key=course),
        user=UserData(id=user.pk, is_active=True, pii=UserPersonalData(username="worker-learner", email="", name=""))))
    print("sent")
""")

CHECK = textwrap.dedent("""
    import django
    django.setup()
    from credits_plugin.models import AwardedCredit
    print(AwardedCredit.objects.filter(user__username="worker-learner").count())
""")


def test_an_event_is_awarded_by_a_real_worker_through_redis(tmp_path):
    queue = f"credits-test-{uuid.uuid4().hex[:8]}"
    (tmp_path / "worker_settings.py").write_text(textwrap.dedent(f"""
        from tests.settings import *
        DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": r"{tmp_path / 'db.sqlite3'}"}}}}
        CELERY_TASK_ALWAYS_EAGER = False
        CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
        CELERY_TASK_DEFAULT_QUEUE = "{queue}"
        CELERY_RESULT_BACKEND = None
    """))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="worker_settings",
               PYTHONPATH=os.pathsep.join([str(tmp_path), str(REPO)]))

    def run(code):
        done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    subprocess.run([sys.executable, "demo/manage.py", "migrate", "-v0"], env=env, cwd=REPO, check=True, timeout=300)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "demo.demo_site.celery", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert run(PRODUCER).endswith("sent")
        deadline = time.monotonic() + 60
        count = "0"
        while time.monotonic() < deadline and count != "1":
            time.sleep(0.5)
            count = run(CHECK)
        assert count == "1", "the worker did not write the award in 60 s"
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "award_credits_task" in output
