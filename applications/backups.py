"""Backups of the whole database, and restoring one: what `manage.py backup_database` and
`manage.py restore_database` run.

SQLite
    `backup()` copies the live file with SQLite's online backup API
    (`sqlite3.Connection.backup`, in one step): a consistent snapshot taken inside one read
    transaction, so in WAL mode the app's writers carry on meanwhile. The copy is switched
    to the rollback journal (a single standalone `.sqlite3` file, no `-wal` beside it) and
    must pass `PRAGMA integrity_check` before it takes its final name.
    `restore()` runs the same API the other way, from the backup into the configured
    database, through SQLite's own locking: it waits for the write lock (up to
    `SQLITE_LOCK_TIMEOUT`), replaces every page in one go, and other connections see the
    restored database on their next read. Replacing the file on disk instead would leave
    running workers writing into the old file's `-wal`, so that is never done.

PostgreSQL
    `backup()` runs `pg_dump --format=custom` (compressed; read with `pg_restore`).
    pg_dump takes one snapshot, so the dump is consistent while the app writes.
    `restore()` runs `pg_restore --clean --if-exists --no-owner --no-privileges
    --single-transaction --exit-on-error`: each object in the dump is dropped (when it
    exists) and recreated with its rows, all in one transaction, so a failed restore
    changes nothing. Objects the dump does not know (a table made by a migration newer
    than the backup) are left alone and reported; restore into a new, empty database to
    go back across migrations. Both tools come from the PostgreSQL client package whose
    major version matches the server, found on PATH. The connection comes from
    `settings.DATABASES`; host, port, user, password and TLS options travel in the
    environment (PGHOST, PGPASSWORD, ...), never on the command line, where `ps` shows
    them to every user.

Backups hold everything, password hashes included: files are created readable by their
owner only (mode 0600), written under a temporary name in the destination folder and
renamed into place once complete, so a half-written backup never has the final name.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# How long a SQLite restore waits for the app's writers to let go of the write lock.
SQLITE_LOCK_TIMEOUT = 30
# pg_dump/pg_restore of a small app takes seconds; an hour means something is stuck.
PG_TOOL_TIMEOUT = 3600

# The libpq variables for the connection options Django passes through OPTIONS.
_PG_OPTION_ENV = {
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslpassword": "PGSSLPASSWORD",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Result:
    path: Path
    engine: str  # "sqlite" or "postgresql"
    size: int  # bytes
    notes: tuple[str, ...] = ()


def engine_of(settings_dict) -> str:
    engine = settings_dict.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine or 'this database'}.")


def default_filename(engine: str, now: datetime.datetime | None = None) -> str:
    """`hearback-20261210-031500.sqlite3` or `.pgdump`: sorts by time, says what it is."""
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"hearback-{stamp}.{'sqlite3' if engine == 'sqlite' else 'pgdump'}"


# ----------------------------------------------------------------------------------------
# Backup


def backup(settings_dict, output, *, force: bool = False) -> Result:
    """A consistent backup of the database `settings_dict` describes, written to `output`
    (a file name, or an existing folder to get a `default_filename()` in it)."""
    engine = engine_of(settings_dict)
    output = Path(output)
    if output.is_dir():
        output = output / default_filename(engine)
    if output.exists() and not force:
        raise BackupError(
            f"{output} already exists; choose another name, or pass --force to overwrite it."
        )
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a folder; create it first.")
    if engine == "sqlite":
        _check_sqlite_source(settings_dict)
        live = Path(settings_dict["NAME"]).resolve()
        if output.resolve() in {
            live,
            live.with_name(live.name + "-wal"),
            live.with_name(live.name + "-shm"),
        }:
            raise BackupError(f"{output} is the live database; write the backup somewhere else.")
    else:
        _need_tool("pg_dump")
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{output.name}.", suffix=".part", dir=output.parent
    )
    temp = Path(temp_name)
    try:
        if engine == "sqlite":
            os.close(handle)
            _sqlite_backup(Path(settings_dict["NAME"]), temp)
        else:
            with os.fdopen(handle, "wb") as stream:
                _pg_run(
                    ["pg_dump", "--format=custom", "--no-password"],
                    settings_dict,
                    stdout=stream,
                    what="pg_dump",
                )
                stream.flush()
                os.fsync(stream.fileno())
            # A dump pg_restore cannot list is no backup.
            _pg_run(["pg_restore", "--list", str(temp)], {}, what="pg_restore --list")
        os.replace(temp, output)
        _fsync_dir(output.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Result(path=output, engine=engine, size=output.stat().st_size)


def _check_sqlite_source(settings_dict):
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name or name.startswith("file:"):
        raise BackupError(
            f"The SQLite database {name or '(no name)'} is not a file; nothing to back up."
        )
    if not Path(name).is_file():
        raise BackupError(f"The SQLite database {name} does not exist.")


def _sqlite_backup(source: Path, target: Path):
    src = sqlite3.connect(source, timeout=SQLITE_LOCK_TIMEOUT)
    try:
        dst = sqlite3.connect(target)
        try:
            # pages=-1: everything in one step, inside one read transaction. In WAL mode
            # that does not block writers; copied in several steps, a write by another
            # connection would restart the copy.
            src.backup(dst, pages=-1)
            # The copy keeps the live database's WAL flag; a backup is one standalone file.
            dst.execute("PRAGMA journal_mode=DELETE")
            _sqlite_integrity(dst, target)
        finally:
            dst.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not back up {source}: {error}") from error
    finally:
        src.close()
    with open(target, "rb+") as stream:
        os.fsync(stream.fileno())


def _sqlite_integrity(conn, path):
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        raise BackupError(f"{path} failed SQLite's integrity check: {'; '.join(rows[:5])}")


def _fsync_dir(folder: Path):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ----------------------------------------------------------------------------------------
# Restore


def restore(settings_dict, source) -> Result:
    """Replace everything in the database `settings_dict` describes with the backup
    `source`. The caller closes its own connections first."""
    engine = engine_of(settings_dict)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file.")
    with open(source, "rb") as stream:
        magic = stream.read(len(SQLITE_MAGIC))
    kind = (
        "sqlite"
        if magic == SQLITE_MAGIC
        else "postgresql"
        if magic.startswith(PGDUMP_MAGIC)
        else None
    )
    if kind is None:
        raise BackupError(
            f"{source} is neither a SQLite backup nor a pg_dump custom-format dump "
            "(the two kinds backup_database writes)."
        )
    if kind != engine:
        described = {"sqlite": "a SQLite backup", "postgresql": "a PostgreSQL dump"}
        raise BackupError(
            f"{source} is {described[kind]}, but the configured database is "
            f"{'SQLite' if engine == 'sqlite' else 'PostgreSQL'}. A backup restores into the "
            "kind of database it came from; to move data between them, use "
            "export_applications and import_applications."
        )
    if engine == "sqlite":
        return _sqlite_restore(source, settings_dict)
    return _pg_restore(source, settings_dict)


def _sqlite_restore(source: Path, settings_dict) -> Result:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name or name.startswith("file:"):
        raise BackupError(
            f"The SQLite database {name or '(no name)'} is not a file; cannot restore into it."
        )
    target = Path(name)
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder; create it first.")
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"Cannot open {source}: {error}") from error
    try:
        try:
            _sqlite_integrity(src, source)
            has_migrations = src.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        except sqlite3.Error as error:
            raise BackupError(f"Cannot read {source}: {error}") from error
        if not has_migrations:
            raise BackupError(
                f"{source} is a SQLite database but not a Hearback backup "
                "(no django_migrations table)."
            )
        try:
            dst = sqlite3.connect(target, timeout=SQLITE_LOCK_TIMEOUT)
            try:
                # Fails (SQLITE_READONLY) rather than corrupts when the page sizes of a
                # WAL-mode target and the backup differ; both are SQLite's default 4096.
                src.backup(dst, pages=-1)
                _sqlite_integrity(dst, target)
            finally:
                dst.close()
        except sqlite3.Error as error:
            raise BackupError(f"SQLite could not restore into {target}: {error}") from error
    finally:
        src.close()
    return Result(path=target, engine="sqlite", size=target.stat().st_size)


def _pg_restore(source: Path, settings_dict) -> Result:
    _need_tool("pg_restore")
    listing = _pg_run(["pg_restore", "--list", str(source)], {}, what="pg_restore --list")
    in_dump = set(re.findall(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", listing, flags=re.MULTILINE))
    present = _pg_tables(settings_dict)
    _pg_run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={_pg_dbname(settings_dict)}",
            str(source),
        ],
        settings_dict,
        what="pg_restore",
    )
    left = sorted(f"{schema}.{table}" for schema, table in present - in_dump)
    notes = ()
    if left:
        notes = (
            "These tables are not in the backup and were left as they are: "
            + ", ".join(left)
            + ". They come from something newer than the backup (a migration?); restore "
            "into a new, empty database to go back to exactly the backup.",
        )
    return Result(path=source, engine="postgresql", size=source.stat().st_size, notes=notes)


def _pg_tables(settings_dict) -> set[tuple[str, str]]:
    """(schema, table) of the tables in the database's search path, before the restore."""
    import psycopg

    params = {
        "dbname": settings_dict.get("NAME") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    for option in _PG_OPTION_ENV:
        params[option] = (settings_dict.get("OPTIONS") or {}).get(option)
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v not in (None, "")}) as conn:
            rows = conn.execute(
                "SELECT schemaname, tablename FROM pg_tables "
                "WHERE schemaname = ANY (current_schemas(false))"
            ).fetchall()
    except psycopg.Error as error:
        raise BackupError(
            f"Cannot connect to the configured PostgreSQL database: {error}"
        ) from error
    return {(schema, table) for schema, table in rows}


def _pg_dbname(settings_dict) -> str:
    # pg_restore restores only with --dbname (without it, it prints SQL). The name alone
    # is no secret; everything else about the connection is in the environment.
    name = settings_dict.get("NAME")
    if name:
        return str(name)
    service = (settings_dict.get("OPTIONS") or {}).get("service")
    if service:
        return f"service={service}"
    return "postgres"


# ----------------------------------------------------------------------------------------
# Running the PostgreSQL client tools


def _need_tool(name):
    if shutil.which(name) is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools whose major "
            "version matches the server (Debian/Ubuntu: apt-get install postgresql-client-15 "
            "for a 15 server) and try again."
        )


def pg_environment(settings_dict) -> dict[str, str]:
    """The libpq environment variables for a connection described by `settings_dict`."""
    env = {}
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = settings_dict.get(key)
        if value not in (None, ""):
            env[var] = str(value)
    for option, var in _PG_OPTION_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            env[var] = str(value)
    return env


def _pg_run(args, settings_dict, *, what, stdout=None) -> str:
    """Run a PostgreSQL client tool with the connection in its environment; its standard
    output as text (unless `stdout` takes it), or BackupError with its own message."""
    _need_tool(args[0])
    # As for the app's own connection: what the settings say wins over PG* variables
    # already in the environment, which fill in the rest (PGSSLMODE, say).
    env = {**os.environ, **(pg_environment(settings_dict) if settings_dict else {})}
    try:
        done = subprocess.run(
            args,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout if stdout is not None else subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=PG_TOOL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BackupError(
            f"{what} did not finish within {PG_TOOL_TIMEOUT} s; stopped it."
        ) from error
    except OSError as error:
        raise BackupError(f"Could not run {args[0]}: {error}") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        hint = ""
        if "server version mismatch" in message or "unsupported version" in message:
            hint = (
                "\nUse the PostgreSQL client tools of the server's major version "
                "(pg_dump cannot dump a newer server)."
            )
        raise BackupError(f"{what} failed: {message}{hint}")
    if stdout is None:
        return done.stdout.decode("utf-8", "replace")
    return ""
