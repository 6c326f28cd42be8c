"""`manage.py send_digests`: today's digest to each user who asked for one.

Safe to run from cron as often as you like and on several hosts at once: each user gets
at most one digest per local day (see `applications.digest`). There is no option to
pretend another moment: the clock decides which day's digest goes out, so nobody can send
tomorrow's today by mistake (tests pass `now` to `digests_send` instead).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.digest import digests_send


class Command(BaseCommand):
    help = (
        "Email each user who turned on the daily digest what needs action today in their "
        "own time zone (follow-ups due, thank-you notes owed), at most once per user per "
        "day. Prints one summary line; exits non-zero when any digest could not be sent."
    )

    def handle(self, *args, **options):
        report = digests_send()
        for username, error in report.failed:
            self.stderr.write(
                _("Could not send the digest of %(user)s: %(error)s")
                % {"user": username, "error": error}
            )
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(
                ngettext(
                    "%(count)d digest could not be sent; a later run will retry it.",
                    "%(count)d digests could not be sent; a later run will retry them.",
                    len(report.failed),
                )
                % {"count": len(report.failed)}
            )
