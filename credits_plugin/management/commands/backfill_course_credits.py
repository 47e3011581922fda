"""
Award a course's credits to learners who already pass it.

    python manage.py lms backfill_course_credits course-v1:Org+Course+Run [--dry-run] [--batch-size N]

Safe to interrupt and run again: learners who hold an award are skipped.
"""
import sys

from django.core.management.base import BaseCommand, CommandError

from credits_plugin import api


def progress_bar(done, total, width=30):
    """``[#######.......]  45%``; full when more learners passed during the run than at its start."""
    share = 1.0 if not total else min(done / total, 1.0)
    filled = int(round(share * width))
    return f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%}"


class Command(BaseCommand):
    help = "Award a course's designated credits to every learner passing it now who does not hold them yet."

    def add_arguments(self, parser):
        parser.add_argument("course_id", help="the course, e.g. course-v1:Org+Course+Run")
        parser.add_argument("--dry-run", action="store_true", help="count what would be awarded; write nothing")
        parser.add_argument("--batch-size", type=int, default=None,
                            help="learners per batch (default: CREDITS_BACKFILL_BATCH_SIZE, 1000)")

    def handle(self, *args, **options):
        course_id, dry_run = options["course_id"], options["dry_run"]
        show_progress = self.stderr.isatty() if hasattr(self.stderr, "isatty") else sys.stderr.isatty()

        def progress(counts):
            line = (f"{progress_bar(counts.learners, counts.expected_learners)} {counts.learners}/"
                    f"{counts.expected_learners} learners, {counts.awarded} credit(s) "
                    f"{'to award' if dry_run else 'awarded'}, {counts.already_awarded} already held")
            if show_progress:
                self.stderr.write("\r" + line, ending="")
            elif counts.batches % 10 == 0:
                self.stderr.write(line)

        try:
            counts = api.backfill_course_credits(course_id, batch_size=options["batch_size"], dry_run=dry_run,
                                                 progress=progress)
        except api.CreditsError as exc:
            raise CommandError(exc.message) from exc
        if show_progress:
            self.stderr.write("")
        verb = "would award" if dry_run else "awarded"
        self.stdout.write(self.style.SUCCESS(
            f"{course_id}: {counts.learners} passing learner(s) read in {counts.batches} batch(es); "
            f"{verb} {counts.awarded} credit(s); {counts.already_awarded} already held; "
            f"{counts.skipped_revoked} revoked and left alone."
        ))
