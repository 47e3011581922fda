"""
The keys that sign learners' Open Badges credentials (docs/operator-guide.md, "Portable credentials").

    python manage.py lms credential_keys generate [--algorithm EdDSA|RS256] [--key-id ID]
                                                  [--expires YYYY-MM-DD] [--output FILE]
    python manage.py lms credential_keys activate KEY_ID
    python manage.py lms credential_keys revoke KEY_ID
    python manage.py lms credential_keys list

``generate`` publishes a new key's public half and writes its private half (PEM) to ``--output``
(readable by its owner only) or prints it; put it in ``CREDITS_CREDENTIAL_SIGNING_KEYS`` on every
LMS and Studio process, then ``activate`` it: it signs from then on, and the key before it retires
(still published, so what it signed keeps verifying). ``revoke`` a key that leaked: what it signed
no longer verifies.
"""
import os
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from credits_plugin import api


class Command(BaseCommand):
    help = "Generate, activate, revoke or list the keys that sign learners' Open Badges credentials."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="generate|activate|revoke|list")
        generate = actions.add_parser("generate", help="make a new key pair and publish its public half")
        generate.add_argument("--algorithm", default="EdDSA", choices=["EdDSA", "RS256"],
                              help="EdDSA (Ed25519, the default) or RS256 (RSA 3072)")
        generate.add_argument("--key-id", default=None, help="letters, digits, - and _ (default: made up)")
        generate.add_argument("--expires", default=None, help="YYYY-MM-DD: the key's signatures expire that day")
        generate.add_argument("--output", default=None,
                              help="write the private key (PEM) to this new file instead of printing it")
        activate = actions.add_parser("activate", help="sign with this key from now on (the one before retires)")
        activate.add_argument("key_id")
        revoke = actions.add_parser("revoke", help="stop publishing this key: what it signed stops verifying")
        revoke.add_argument("key_id")
        actions.add_parser("list", help="every key this site has published")

    def handle(self, *args, **options):
        try:
            getattr(self, "_" + options["action"])(options)
        except api.CreditsError as exc:
            raise CommandError(exc.message) from exc

    def _generate(self, options):
        expires = _day(options["expires"]) if options["expires"] else None
        output = options["output"]
        if output and os.path.exists(output):
            raise CommandError(f"{output} already exists: choose a new file, a key is never overwritten.")
        key, pem = api.generate_signing_key(options["algorithm"], options["key_id"], expires)
        if output:
            try:
                descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(pem)
            except OSError as exc:
                api.revoke_signing_key(key.key_id)
                raise CommandError(f"Cannot write {output} ({exc.strerror}); the new key was revoked.") from exc
            where = os.path.abspath(output)
        else:
            self.stdout.write(pem)
            where = "<the PEM text above>"
        self.stdout.write(self.style.SUCCESS(f"Generated and published the key {key.key_id} ({key.algorithm})."))
        self.stdout.write(
            "Next: add it to the settings of every LMS and Studio process, e.g.\n"
            f'    CREDITS_CREDENTIAL_SIGNING_KEYS = {{"{key.key_id}": "{where}"}}\n'
            f"then run: credential_keys activate {key.key_id}")

    def _activate(self, options):
        key = api.activate_signing_key(options["key_id"])
        self.stdout.write(self.style.SUCCESS(
            f"The key {key.key_id} signs credentials from now on; the key before it is retired and stays published."))

    def _revoke(self, options):
        key = api.revoke_signing_key(options["key_id"])
        self.stdout.write(self.style.SUCCESS(
            f"Revoked the key {key.key_id}: it is no longer published, and what it signed no longer verifies."))
        if not any(k.status == "active" for k in api.list_signing_keys()):
            self.stdout.write(self.style.WARNING(
                "No key signs credentials now: generate and activate another one."))

    def _list(self, options):  # pylint: disable=unused-argument
        keys = api.list_signing_keys()
        if not keys:
            self.stdout.write("No key yet: run credential_keys generate.")
        for key in keys:
            private = "private key configured" if key.private_key_configured else "no private key here"
            expires = f", expires {key.expires_at.date().isoformat()}" if key.expires_at else ""
            self.stdout.write(f"{key.key_id}  {key.algorithm}  {key.status}  ({private}{expires})")


def _day(text):
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as exc:
        raise CommandError(f"'{text}' is not a date: use YYYY-MM-DD.") from exc
    return timezone.make_aware(datetime.combine(day, time.min))
