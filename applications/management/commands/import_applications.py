"""`manage.py import_applications FILE --user USERNAME`: add a hearback/v1 file's
applications to a user's data (`-` reads standard input). All or nothing."""

import dataclasses
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from applications import interchange, services


class Command(BaseCommand):
    help = (
        "Import a hearback/v1 JSON file into a user's applications (added to what they "
        "have). The whole file is checked first: on any error nothing is saved and every "
        "error is listed with its place in the file."
    )
    # Tests hand in their own standard input: call_command(..., stdin=io.BytesIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "file", metavar="FILE", help='The JSON file, or "-" for standard input.'
        )
        parser.add_argument("--user", required=True, metavar="USERNAME", help="Whose data.")

    def handle(self, *args, file, user, **options):
        # Every problem is reported at once, so one run tells the whole story.
        problems = []
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            problems.append(_('--user: there is no user named "%(user)s".') % {"user": user})
        raw = self._read(file, options.get("stdin"), problems)
        if raw is not None:
            document, errors = interchange.load_document(raw)
            problems.extend(errors)
        if problems:
            raise CommandError(
                _("Nothing was imported. Fix these problems and run the command again:")
                + "\n"
                + "\n".join(problems)
            )
        result = services.applications_import(user=owner, document=document)
        self.stdout.write(
            _(
                "Imported %(applications)d applications (%(contacts)d contacts, "
                '%(interviews)d interviews, %(follow_ups)d follow-ups) for "%(user)s".'
            )
            % {**dataclasses.asdict(result), "user": owner.get_username()}
        )
        if result.already_there:
            self.stdout.write(
                _(
                    "Left %(count)d already there (the same posting, or the same company, "
                    "role and applied date)."
                )
                % {"count": result.already_there}
            )

    def _read(self, file, stdin, problems) -> bytes | None:
        """The file's bytes, at most one past the size limit (parse_json refuses it)."""
        limit = settings.HEARBACK_MAX_IMPORT_BYTES + 1
        if file == "-":
            stream = stdin if stdin is not None else sys.stdin
            raw = getattr(stream, "buffer", stream).read(limit)
            return raw.encode("utf-8") if isinstance(raw, str) else raw
        try:
            with open(file, "rb") as handle:
                return handle.read(limit)
        except OSError as error:
            problems.append(
                _("%(file)s: cannot read the file (%(reason)s).")
                % {"file": file, "reason": error.strerror}
            )
            return None
