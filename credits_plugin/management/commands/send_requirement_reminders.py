"""
Remind learners who are behind on a continuing-education requirement as its period's end nears.

    python manage.py lms send_requirement_reminders [--date YYYY-MM-DD]

Run it once a day (cron), or let the periodic task
``credits_plugin.tasks.send_requirement_reminders_task`` run it (docs/operator-guide.md). Each
learner gets at most one reminder per requirement, period and threshold, however often it runs.
"""
from django.core.management.base import BaseCommand, CommandError

from credits_plugin import api


class Command(BaseCommand):
    help = ("Email learners who are behind on a requirement whose period ends within one of its reminder "
            "thresholds (at most once per learner, requirement, period and threshold).")

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None,
                            help="judge as on this day (YYYY-MM-DD; default today, in the site's time zone)")

    def handle(self, *args, **options):
        try:
            sent = api.send_requirement_reminders(today=api.progress_day(options["date"]))
        except api.CreditsError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} requirement reminder(s)."))
