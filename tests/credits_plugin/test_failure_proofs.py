"""
No award lost when the broker, a worker or the database fails: proofs with a real Celery worker,
a real Redis broker and MariaDB, each in processes of their own, as on a site.

- the broker stopped during a burst of 500 passing events, then started: after a reconciliation
  (run by the worker, as the periodic task is) every learner holds exactly their credits;
- a worker killed (SIGKILL) in the middle of a backfill: the next run finishes with exact counts;
- MariaDB restarted in the middle of a backfill: the same.

The broker is a ``redis-server`` of the test's own, on a free port, so that stopping it stops
nothing else. The database is a MariaDB database of the module's own (``credits_proofs``).
Run by ``make test-mysql`` (CI); skipped, saying why, where MariaDB or Redis is absent.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.mysql, pytest.mark.redis, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
DATABASE = "credits_proofs"
COURSE_ID = "course-v1:Proofs+Credits+2026"
MYSQL = ["--protocol=tcp", "-h127.0.0.1", "-uroot"]

SETUP_COURSE = textwrap.dedent("""
    import sys
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from opaque_keys.edx.keys import CourseKey
    from credits_plugin import api
    from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings, Credit, CreditType
    from credits_plugin.models import ReconciliationWatermark
    from credits_plugin.platform.standalone.models import StandaloneCourseGrade

    learners, graded = int(sys.argv[1]), sys.argv[2] == "graded"
    AwardedCredit.objects.all().delete()
    CourseCredit.objects.all().delete()
    CourseCreditSettings.objects.all().delete()
    Credit.objects.all().delete()
    CreditType.objects.all().delete()
    ReconciliationWatermark.objects.all().delete()
    StandaloneCourseGrade.objects.all().delete()
    User = get_user_model()
    User.objects.filter(username__startswith="proof").delete()
    course = CourseKey.from_string("{course}")
    kind = api.create_credit_type(name="Proof type", unit="hours")
    credits = [api.create_credit(credit_type_id=kind.id, name=f"Proof credit {{n}}") for n in (1, 2)]
    api.set_course_settings(course, enabled=True, credits=[{{"credit": c.id, "amount": "1.5"}} for c in credits])
    User.objects.bulk_create([User(username=f"proof{{n:05d}}", email=f"proof{{n}}@example.com")
                              for n in range(learners)])
    users = User.objects.filter(username__startswith="proof")
    if graded:  # learners who passed before credits were switched on: a backfill's work
        StandaloneCourseGrade.objects.bulk_create([
            StandaloneCourseGrade(user=u, course_key=course, percent=0.9, passed=True) for u in users])
    print("ready", users.count())
""").format(course=COURSE_ID)

SEND_EVENTS = textwrap.dedent("""
    import sys
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from opaque_keys.edx.keys import CourseKey
    from openedx_events.learning.data import CourseData, CoursePassingStatusData, UserData, UserPersonalData
    from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED
    from credits_plugin.platform.standalone.models import StandaloneCourseGrade

    start, stop = int(sys.argv[1]), int(sys.argv[2])
    course = CourseKey.from_string("{course}")
    users = get_user_model().objects.filter(username__startswith="proof").order_by("username")[start:stop]
    for user in users:
        # As the platform does: the passing grade is saved, then the event is sent.
        StandaloneCourseGrade.objects.update_or_create(user=user, course_key=course,
                                                       defaults={{"percent": 0.9, "passed": True}})
        COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=CoursePassingStatusData(
            is_passing=True, course=CourseData(course_key=course),
            user=UserData(id=user.pk, is_active=True,
                          pii=UserPersonalData(username=user.username, email=user.email, name=""))))
    print("sent", len(users))
""").format(course=COURSE_ID)

QUEUE_TASK = textwrap.dedent("""
    import sys
    import django
    django.setup()
    from credits_plugin import tasks

    name = sys.argv[1]
    if name == "backfill":
        tasks.backfill_course_credits_task.delay("{course}", batch_size=100)
    else:
        tasks.reconcile_course_credits_task.delay()
    print("queued", name)
""").format(course=COURSE_ID)

COUNT = textwrap.dedent("""
    import django
    django.setup()
    from django.db.models import Count
    from credits_plugin.models import AwardedCredit

    awards = AwardedCredit.objects.filter(course_key="{course}", status="awarded")
    per_learner = awards.values("user_id").annotate(n=Count("id"))
    holding = {{}}
    for row in per_learner:
        holding[row["n"]] = holding.get(row["n"], 0) + 1
    print(awards.count(), sorted(holding.items()))
""").format(course=COURSE_ID)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds} s")


def mysql_ping():
    return subprocess.run(["mysqladmin", *MYSQL, "ping"], capture_output=True, check=False).returncode == 0


# A platform whose grade reads take a moment (a big course on a busy database): the backfills
# below last long enough to be interrupted. Only the platform is played, through its backend.
SLOW_PLATFORM = textwrap.dedent("""
    import time
    from credits_plugin.platform.standalone import *  # noqa: F401,F403
    from credits_plugin.platform.standalone import iter_passing_user_ids as _iter_passing_user_ids

    def iter_passing_user_ids(course_key, batch_size, with_pass_dates=False):
        for batch in _iter_passing_user_ids(course_key, batch_size, with_pass_dates):
            time.sleep(0.2)
            yield batch
""")


class Site:
    """A broker, workers and scripts sharing one settings module, one MariaDB database and one queue."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.queue = f"credits-proofs-{uuid.uuid4().hex[:8]}"
        (folder / "proof_platform.py").write_text(SLOW_PLATFORM)
        (folder / "proof_settings.py").write_text(textwrap.dedent(f"""
            import os
            from tests.settings import *
            CREDITS_PLATFORM_BACKEND = "proof_platform"
            CELERY_TASK_ALWAYS_EAGER = False
            CELERY_BROKER_URL = "redis://127.0.0.1:{self.port}/0"
            CELERY_TASK_DEFAULT_QUEUE = "{self.queue}"
            CELERY_RESULT_BACKEND = None
            CELERY_BROKER_CONNECTION_TIMEOUT = 2
            if os.environ.get("PROOF_ROLE") == "producer":
                # A publish to a broker that is down fails after one quick try, as it does after kombu's
                # default tries (about 2 s per event): the same failure, sooner.
                CELERY_TASK_PUBLISH_RETRY = False
                CELERY_BROKER_TRANSPORT_OPTIONS = {{"max_retries": 1, "interval_start": 0, "interval_step": 0.1,
                                                   "interval_max": 0.1}}
            CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
            CELERY_WORKER_PREFETCH_MULTIPLIER = 1
            LOGGING = {{"version": 1, "disable_existing_loggers": False,
                        "handlers": {{"console": {{"class": "logging.StreamHandler"}}}},
                        "loggers": {{"credits_plugin": {{"handlers": ["console"], "level": "INFO"}}}}}}
        """))
        self.env = dict(os.environ, DJANGO_SETTINGS_MODULE="proof_settings", CREDITS_TEST_DB="mysql",
                        CREDITS_MYSQL_DB=DATABASE, PYTHONPATH=os.pathsep.join([str(folder), str(REPO)]))
        self.broker = None
        self.workers = []
        self.name = folder.name

    def start_broker(self):
        self.broker = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.broker_answers, 20, "the broker starts")

    def stop_broker(self):
        self.broker.terminate()
        self.broker.wait(20)
        wait_until(lambda: not self.broker_answers(), 10, "the broker stops")

    def broker_answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def start_worker(self):
        log = open(self.folder / f"worker{len(self.workers)}.log", "w", encoding="utf-8")  # noqa: SIM115
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "demo.demo_site.celery", "worker", "--pool=solo", "-Q",
             self.queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
            env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.workers.append((worker, log))
        return worker

    def worker_log(self):
        return "".join((self.folder / f"worker{n}.log").read_text() for n in range(len(self.workers)))

    def run(self, script, *args, timeout=300):
        done = subprocess.run([sys.executable, "-c", script, *map(str, args)], cwd=REPO, capture_output=True,
                              env=dict(self.env, PROOF_ROLE="producer"), text=True, timeout=timeout, check=False)
        assert done.returncode == 0, done.stderr[-4000:]
        return done.stdout.strip().splitlines()[-1], done.stderr

    def settled_count(self, at_least, seconds=120):
        """The awards' count once it reaches ``at_least`` and stays the same for three seconds."""
        deadline, last, since = time.monotonic() + seconds, None, time.monotonic()
        while time.monotonic() < deadline:
            count = self.counts()[0]
            if count != last:
                last, since = count, time.monotonic()
            elif count >= at_least and time.monotonic() - since >= 3:
                return count
            time.sleep(0.5)
        raise AssertionError(f"the awards did not settle at {at_least} or more within {seconds} s (last {last})")

    def counts(self):
        total, holding = self.run(COUNT)[0].split(" ", 1)
        return int(total), holding

    def close(self):
        keep = os.environ.get("CREDITS_PROOFS_KEEP")  # a folder to keep the workers' logs in, for a report
        for worker, log in self.workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(20)
                except subprocess.TimeoutExpired:
                    worker.kill()
            log.close()
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            (Path(keep) / f"{self.name}.log").write_text(self.worker_log())
        if self.broker is not None and self.broker.poll() is None:
            self.broker.terminate()
            self.broker.wait(20)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    if not shutil.which("redis-server") or not shutil.which("mysqladmin"):
        pytest.skip("needs redis-server and mysqladmin on PATH (.ci/run installs both)")
    folder = tmp_path_factory.mktemp("proofs")
    subprocess.run(["mysql", *MYSQL, "-e", f"DROP DATABASE IF EXISTS {DATABASE}; CREATE DATABASE {DATABASE} "
                    "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"], check=True)
    site = Site(folder)
    subprocess.run([sys.executable, "demo/manage.py", "migrate", "-v0"], env=site.env, cwd=REPO, check=True,
                   timeout=600)
    yield folder
    subprocess.run(["mysql", *MYSQL, "-e", f"DROP DATABASE IF EXISTS {DATABASE}"], check=False)


@pytest.fixture
def site(migrated, tmp_path):
    site = Site(tmp_path)
    site.start_broker()
    yield site
    site.close()


def test_the_broker_stopped_during_500_events_then_a_reconciliation_leaves_exact_awards(site):
    assert site.run(SETUP_COURSE, 500, "ungraded")[0] == "ready 500"
    site.start_worker()
    site.run(QUEUE_TASK, "reconcile")  # the periodic run before the burst: nothing to award, a watermark
    wait_until(lambda: "reconcile_course_credits_task" in site.worker_log() and "succeeded" in site.worker_log(),
               60, "the first reconciliation runs")
    assert site.run(SEND_EVENTS, 0, 150)[0] == "sent 150"
    site.stop_broker()  # events 150-349 find no broker: each receiver logs and goes on
    sent, errors = site.run(SEND_EVENTS, 150, 350)
    assert sent == "sent 200" and errors.count("could not queue credits_plugin.tasks.award_credits_task") == 200
    site.start_broker()  # an empty broker: what it held when it stopped is gone too (it keeps nothing on disk)
    assert site.run(SEND_EVENTS, 350, 500)[0] == "sent 150"
    before = site.settled_count(at_least=2 * 150)
    assert before < 1000, "some events were lost: that is what reconciliation is for"
    site.run(QUEUE_TASK, "reconcile")
    wait_until(lambda: site.counts()[0] == 1000, 120, "the reconciliation awards what was lost")
    time.sleep(2)  # nothing more arrives
    assert site.counts() == (1000, "[(2, 500)]")  # every learner holds exactly their two credits
    assert f"'awarded': {1000 - before}" in site.worker_log()


def test_a_worker_killed_in_the_middle_of_a_backfill_then_the_next_run_finishes_exactly(site):
    assert site.run(SETUP_COURSE, 3000, "graded")[0] == "ready 3000"
    worker = site.start_worker()
    site.run(QUEUE_TASK, "backfill")
    wait_until(lambda: site.counts()[0] >= 600, 120, "the backfill writes its first batches")
    os.killpg(worker.pid, signal.SIGKILL)  # no warm shutdown: the batch in flight is rolled back
    worker.wait(20)
    partial = site.counts()[0]
    assert 0 < partial < 6000 and partial % 2 == 0  # whole learners only: a batch commits or not
    site.start_worker()
    site.run(QUEUE_TASK, "backfill")
    wait_until(lambda: site.counts()[0] == 6000, 180, "the next backfill finishes")
    time.sleep(2)
    assert site.counts() == (6000, "[(2, 3000)]")
    log = site.worker_log()
    assert f"'awarded': {6000 - partial}, 'already_awarded': {partial}" in log or \
        f"'awarded': {6000 - partial}" in log


def test_mariadb_restarted_in_the_middle_of_a_backfill_then_the_run_finishes_exactly(site):
    from django.db import connections  # pylint: disable=import-outside-toplevel

    assert site.run(SETUP_COURSE, 3000, "graded")[0] == "ready 3000"
    site.start_worker()
    site.run(QUEUE_TASK, "backfill")
    wait_until(lambda: site.counts()[0] >= 600, 120, "the backfill writes its first batches")
    try:
        subprocess.run(["mysqladmin", *MYSQL, "shutdown"], check=True, timeout=60)
        # Until its process is gone, start-stop-daemon would take it for running and start nothing.
        wait_until(lambda: subprocess.run(["pgrep", "-x", "mariadbd"], capture_output=True,
                                          check=False).returncode != 0, 60, "MariaDB stops")
        subprocess.run(["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"],
                       check=True, timeout=30)
        wait_until(mysql_ping, 60, "MariaDB starts again")
    finally:
        connections.close_all()  # this process's own connection died with the server
    partial = site.counts()[0]
    # The task failed on the lost connection and Celery runs it again (autoretry on DatabaseError);
    # should its retries run out first, the next run is one queued backfill.
    try:
        wait_until(lambda: site.counts()[0] == 6000, 90, "the retried backfill finishes")
    except AssertionError:
        site.run(QUEUE_TASK, "backfill")
        wait_until(lambda: site.counts()[0] == 6000, 120, "the next backfill finishes")
    time.sleep(2)
    assert site.counts() == (6000, "[(2, 3000)]")
    assert partial < 6000
    assert "Retry in" in site.worker_log() or "OperationalError" in site.worker_log()
