"""`manage.py backup_database OUTPUT [--force]`: a consistent backup of the configured
database, taken while the app runs (see `applications.backups`).

SQLite: a standalone copy made with SQLite's online backup API (`.sqlite3`).
PostgreSQL: `pg_dump --format=custom` (`.pgdump`; pg_dump must be on PATH).
OUTPUT may be an existing folder: the file is then named `hearback-YYYYmmdd-HHMMSS.<ext>`.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from applications import backups


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the configured database to OUTPUT while the app keeps "
        "running: SQLite's online backup (a standalone .sqlite3 file) or pg_dump's custom "
        "format on PostgreSQL. OUTPUT may be a folder (a dated name is chosen). Refuses to "
        "overwrite a file unless --force. Restore with restore_database."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", metavar="OUTPUT", help="The backup file, or a folder for it.")
        parser.add_argument("--force", action="store_true", help="Overwrite OUTPUT if it exists.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias (default: default)."
        )

    def handle(self, *args, output, force, database, **options):
        try:
            result = backups.backup(connections[database].settings_dict, output, force=force)
        except backups.BackupError as error:
            raise CommandError(
                _("No backup was written. %(reason)s") % {"reason": error}
            ) from error
        self.stdout.write(
            _("Backed up the %(engine)s database to %(path)s (%(size)s).")
            % {
                "engine": "SQLite" if result.engine == "sqlite" else "PostgreSQL",
                "path": result.path,
                "size": filesizeformat(result.size),
            }
        )
