"""
Award what events should have awarded and did not (a broker that was down, a worker killed).

    python manage.py lms reconcile_course_credits [--full] [--dry-run] [--batch-size N]

Looks at the passing grades (and, for courses that award on the certificate, the certificates)
changed since its last run, in every course that awards credits. Run it from cron or let the
periodic task ``credits_plugin.tasks.reconcile_course_credits_task`` run it (docs/operator-guide.md).
"""
from django.core.management.base import BaseCommand, CommandError

from credits_plugin import api


class Command(BaseCommand):
    help = ("Award the credits missing to learners who pass (or hold a certificate) in courses that award "
            "credits, looking at records changed since the last run.")

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true",
                            help="look at every qualifying learner, not only records changed since the last run")
        parser.add_argument("--dry-run", action="store_true",
                            help="count what would be awarded; write nothing and leave the watermark alone")
        parser.add_argument("--batch-size", type=int, default=None,
                            help="records per batch (default: CREDITS_RECONCILE_BATCH_SIZE, 1000)")

    def handle(self, *args, **options):
        try:
            counts = api.reconcile_course_credits(batch_size=options["batch_size"], full=options["full"],
                                                  dry_run=options["dry_run"])
        except api.CreditsError as exc:
            raise CommandError(exc.message) from exc
        verb = "would award" if options["dry_run"] else "awarded"
        scope = "every qualifying record" if options["full"] else "records changed since the last run"
        self.stdout.write(self.style.SUCCESS(
            f"Reconciled {counts.courses} course(s) awarding credits: {counts.examined} qualifying learner "
            f"record(s) read ({scope}) in {counts.batches} batch(es); {verb} {counts.awarded} missing credit(s)."
        ))
