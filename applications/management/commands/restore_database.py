"""`manage.py restore_database INPUT --yes-replace-everything`: put a backup made by
`backup_database` back in place of everything in the configured database.

SQLite: SQLite's backup API from INPUT into the live file (waits for the write lock; the
running app sees the restored data on its next query). PostgreSQL: `pg_restore --clean
--if-exists --no-owner --no-privileges --single-transaction --exit-on-error` (all or
nothing). Nothing runs afterwards: the backup holds the schema and the migration record.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from applications import backups


class Command(BaseCommand):
    help = (
        "Replace EVERYTHING in the configured database with the backup INPUT (a file "
        "written by backup_database). Changes made since that backup are lost. Requires "
        "--yes-replace-everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", metavar="INPUT", help="The backup file.")
        parser.add_argument(
            "--yes-replace-everything",
            action="store_true",
            dest="confirmed",
            help="Confirm that every row in the database may be replaced by the backup's.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias (default: default)."
        )

    def handle(self, *args, input, confirmed, database, **options):
        connection = connections[database]
        if not confirmed:
            raise CommandError(
                _(
                    "Nothing was restored. Restoring replaces everything in the database "
                    "%(name)s with the backup; changes since the backup are lost. Take a "
                    "backup of the current state first (backup_database), then run again "
                    "with --yes-replace-everything."
                )
                % {"name": connection.settings_dict.get("NAME")}
            )
        # Our own connection must hold no lock or open transaction while the backup goes in.
        connections.close_all()
        try:
            result = backups.restore(connection.settings_dict, input)
        except backups.BackupError as error:
            raise CommandError(_("Restore failed. %(reason)s") % {"reason": error}) from error
        for note in result.notes:
            self.stderr.write(note)
        self.stdout.write(
            _("Restored %(input)s into the %(engine)s database %(name)s.")
            % {
                "input": input,
                "engine": "SQLite" if result.engine == "sqlite" else "PostgreSQL",
                "name": connection.settings_dict.get("NAME"),
            }
        )
