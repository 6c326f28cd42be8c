"""`manage.py export_applications --user USERNAME [--as-of DATE]`: hearback/v1 to stdout."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from applications import interchange


class Command(BaseCommand):
    help = (
        "Write a user's applications to standard output as a hearback/v1 JSON document, "
        "with each application's status as of --as-of (default: the user's today)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, metavar="USERNAME", help="Whose data.")
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date the status of each application is worked out for.",
        )

    def handle(self, *args, user, as_of, **options):
        problems = []
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            problems.append(_('--user: there is no user named "%(user)s".') % {"user": user})
        if as_of is not None:
            as_of_text, as_of = as_of, interchange.parse_date(as_of)
            if as_of is None:
                problems.append(
                    _('--as-of: "%(value)s" is not a date; write it YYYY-MM-DD, like 2026-12-10.')
                    % {"value": as_of_text}
                )
        if problems:
            raise CommandError("\n".join(problems))
        document = interchange.export_document(user=owner, as_of=as_of)
        self.stdout.write(interchange.dumps(document), ending="")
