"""Backups and production serving (issue #5, items 6 and 1).

The round trips run the real commands in subprocesses against databases of their own,
never the test database: a SQLite file in tmp_path, and a throwaway PostgreSQL database
created and dropped here. The PostgreSQL tests skip, saying why, when the server or its
client tools are missing; under CI=true (where .ci/run starts PostgreSQL) they fail
instead, so CI never passes by not looking.

`make serve` is checked by running the Makefile's own serve recipe (collectstatic,
migrate, gunicorn with config/gunicorn.conf.py) on a free loopback port.
"""

import contextlib
import gzip
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from applications import backups

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
AS_OF = "2026-12-10"
COMMAND_TIMEOUT = 120  # seconds, for any one manage.py run


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason):
    """Skip locally; under CI a missing PostgreSQL is a failure, never a silent skip."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: PostgreSQL must be there)", pytrace=False)
    pytest.skip(reason)


# ----------------------------------------------------------------------------------------
# Running manage.py as production would


def hearback_env(database_url, **extra):
    """The environment of a production run against `database_url` (the real settings,
    not the test settings pytest-django put in DJANGO_SETTINGS_MODULE)."""
    # Not what the suite set up for itself (config/settings_test.py sets
    # HEARBACK_PLAIN_HTTP=on, for one): Hearback's own variables come from here only.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARBACK_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="off",
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def run(command, env, *, ok=True, timeout=COMMAND_TIMEOUT):
    """Run `command` in the project's folder with `env`; with `ok`, it must succeed."""
    done = subprocess.run(
        command,
        check=False,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if ok:
        assert done.returncode == 0, (
            f"{' '.join(command)} exited {done.returncode}\n"
            f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
    return done


def manage(env, *args, ok=True, timeout=COMMAND_TIMEOUT):
    return run([PYTHON, "manage.py", *args], env, ok=ok, timeout=timeout)


def set_up_dana(env):
    """A migrated database with one user, dana, to import for."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "createsuperuser", "--noinput", "--username", "dana", "--email", "dana@example.com")


def export(env, user="dana"):
    """The user's export, without `exported_at` (the one field that is the clock's)."""
    document = json.loads(
        manage(env, "export_applications", "--user", user, "--as-of", AS_OF).stdout
    )
    document.pop("exported_at", None)
    return document


def application(company, *, with_follow_up=True):
    app = {
        "company": company,
        "role": "Backend Engineer",
        "applied_on": "2026-11-02",
        "posting_url": f"https://example.com/jobs/{company.lower()}",  # one posting per job
        "notes": "Referred by Sam — “great team”",
        "outcome": None,
        "snoozed_until": None,
        "contacts": [
            {
                "ref": "c1",
                "name": "Dana Reyes",
                "email": "dana@example.com",
                "phone": "",
                "title": "Hiring manager",
            },
            {
                "ref": "c2",
                "name": "Lee Park",
                "email": "",
                "phone": "+1 555 0100",
                "title": "Engineer",
            },
        ],
        "interviews": [
            {
                "date": "2026-11-20",
                "format": "video",
                "contacts": ["c1", "c2"],
                "next_steps": "Team decides after the last candidates",
                "decision_from": None,
                "decision_by": "2026-11-27",
            }
        ],
        "follow_ups": [],
    }
    if with_follow_up:
        app["follow_ups"].append(
            {
                "date": "2026-11-20",
                "kind": "thank_you",
                "channel": "email",
                "contact": "c1",
                "note": "",
                "new_decision_by": None,
                "outcome": None,
            }
        )
    return app


def write_document(path, *companies):
    document = {
        "format": "hearback/v1",
        "applications": [
            application(name, with_follow_up=i % 2 == 0) for i, name in enumerate(companies)
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def round_trip(env, tmp_path, backup_name):
    """migrate, data in, export A, back up, change and delete data, restore, export = A."""
    set_up_dana(env)
    first = write_document(tmp_path / "first.json", "Acme", "Globex", "Initech")
    manage(env, "import_applications", str(first), "--user", "dana")
    before = export(env)
    assert [app["company"] for app in before["applications"]] == ["Acme", "Globex", "Initech"]

    backup = tmp_path / backup_name
    done = manage(env, "backup_database", str(backup))
    assert backup.is_file() and backup.stat().st_size > 0, done.stdout
    assert backup.stat().st_mode & 0o077 == 0, "a backup holds password hashes: owner-only"

    # Life goes on after the backup: more applications, one deleted, a user gone.
    more = write_document(tmp_path / "more.json", "Umbrella", "Hooli")
    manage(env, "import_applications", str(more), "--user", "dana")
    manage(
        env,
        "shell",
        "--command",
        "from applications.models import Application; "
        "Application.objects.filter(company='Globex').delete()",
    )
    changed = export(env)
    assert [app["company"] for app in changed["applications"]] == [
        "Acme",
        "Initech",
        "Umbrella",
        "Hooli",
    ]

    refused = manage(env, "restore_database", str(backup), ok=False)
    assert refused.returncode != 0
    assert "--yes-replace-everything" in refused.stderr
    assert export(env) == changed, "without the confirmation, nothing may change"

    manage(env, "restore_database", str(backup), "--yes-replace-everything")
    assert export(env) == before
    # The migration record came back with the schema: nothing to apply, nothing to fake.
    manage(env, "migrate", "--check", "--verbosity", "0")
    return backup


# ----------------------------------------------------------------------------------------
# SQLite


def sqlite_url(path):
    return f"sqlite:///{path}"


def pragma(path, name):
    """A SQLite file's PRAGMA `name` (journal_mode, integrity_check)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_sqlite_backup_and_restore_give_back_the_export_of_before(tmp_path):
    env = hearback_env(sqlite_url(tmp_path / "live.sqlite3"))
    backup = round_trip(env, tmp_path, "hearback.sqlite3")

    # The backup is one standalone file: rollback journal, nothing in a -wal beside it.
    assert pragma(backup, "journal_mode") == "delete"
    assert pragma(backup, "integrity_check") == "ok"
    # The live database stays in WAL mode after the restore.
    assert pragma(tmp_path / "live.sqlite3", "journal_mode") == "wal"

    # Not over an existing file, unless --force.
    again = manage(env, "backup_database", str(backup), ok=False)
    assert again.returncode != 0 and "--force" in again.stderr
    manage(env, "backup_database", str(backup), "--force")
    # Into a folder: a dated name.
    folder = tmp_path / "backups"
    folder.mkdir()
    manage(env, "backup_database", str(folder))
    (made,) = folder.iterdir()
    assert made.name.startswith("hearback-") and made.suffix == ".sqlite3"


# The writer: one transaction per application with its contact, as the app writes, until
# told to stop (a file appears) or 60 s pass. Prints how many it wrote.
WRITER = """
import datetime, pathlib, sys, time
from django.contrib.auth import get_user_model
from django.db import transaction
from applications.models import Application, Contact
stop = pathlib.Path(sys.argv[-1])
owner = get_user_model().objects.get(username="dana")
deadline = time.monotonic() + 60
n = 0
while not stop.exists() and time.monotonic() < deadline:
    with transaction.atomic():
        app = Application.objects.create(
            owner=owner, company=f"Writer {n}", role="Engineer",
            applied_on=datetime.date(2026, 11, 2),
        )
        Contact.objects.create(application=app, name=f"Person {n}")
    n += 1
print(n)
"""


def counts(path):
    conn = sqlite3.connect(path, timeout=10)
    try:
        apps = conn.execute("SELECT count(*) FROM applications_application").fetchone()[0]
        contacts = conn.execute("SELECT count(*) FROM applications_contact").fetchone()[0]
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return apps, contacts, check


def test_sqlite_backup_taken_while_the_app_writes_restores_to_a_consistent_database(tmp_path):
    live = tmp_path / "live.sqlite3"
    env = hearback_env(sqlite_url(live))
    set_up_dana(env)

    stop = tmp_path / "stop-writing"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    writer = subprocess.Popen(
        [
            PYTHON,
            "manage.py",
            "shell",
            "--command",
            f"import sys; sys.argv.append({str(stop)!r}); exec(open({str(script)!r}).read())",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while counts(live)[0] < 50:
            assert writer.poll() is None, f"the writer stopped: {writer.communicate()}"
            assert time.monotonic() < deadline, "the writer wrote nothing in 60 s"
            time.sleep(0.05)

        backup = tmp_path / "during-writes.sqlite3"
        manage(env, "backup_database", str(backup))
        apps, contacts, check = counts(backup)
        assert check == "ok"
        assert apps >= 50
        assert apps == contacts, (
            "every application was written with its contact, in one transaction"
        )

        # The restore too goes in while the writer keeps writing: it waits for the lock.
        time.sleep(0.3)
        manage(env, "restore_database", str(backup), "--yes-replace-everything")
    finally:
        stop.touch()
        try:
            out, err = writer.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            writer.kill()
            out, err = writer.communicate()
    assert writer.returncode == 0, err
    written = int(out.split()[-1])
    assert written > apps, "the writer kept writing during the backup"

    apps_after, contacts_after, check_after = counts(live)
    assert check_after == "ok"
    assert apps_after == contacts_after
    # What the backup held, plus whatever the writer added after the restore; nothing of
    # what it wrote between the backup and the restore.
    assert apps <= apps_after < written
    assert pragma(live, "journal_mode") == "wal"
    export(env)  # the app reads it


def make_sqlite_database(path, *, django=True):
    conn = sqlite3.connect(path)
    try:
        if django:
            conn.execute(
                "CREATE TABLE django_migrations (id integer primary key, app text, name text)"
            )
        conn.execute("CREATE TABLE things (id integer primary key, name text)")
        conn.execute("INSERT INTO things (name) VALUES ('one'), ('two')")
        conn.commit()
    finally:
        conn.close()
    return path


def sqlite_settings(path):
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {}}


def test_backup_refuses_to_overwrite_unless_forced(tmp_path):
    source = make_sqlite_database(tmp_path / "live.sqlite3")
    target = tmp_path / "backup.sqlite3"
    target.write_bytes(b"precious")
    with pytest.raises(backups.BackupError, match="already exists.*--force"):
        backups.backup(sqlite_settings(source), target)
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    result = backups.backup(sqlite_settings(source), target, force=True)
    assert result.path == target and target.read_bytes().startswith(backups.SQLITE_MAGIC)
    with pytest.raises(backups.BackupError, match="is the live database"):
        backups.backup(sqlite_settings(source), source, force=True)
    assert counts_of_things(source) == 2


def test_backup_refuses_a_database_that_is_not_a_file(tmp_path):
    for name in (
        ":memory:",
        "file:memorydb_default?mode=memory&cache=shared",
        str(tmp_path / "missing.sqlite3"),
    ):
        with pytest.raises(backups.BackupError, match="not a file|does not exist"):
            backups.backup(sqlite_settings(name), tmp_path / "out.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_what_is_not_a_backup_of_this_kind_of_database(tmp_path):
    live = make_sqlite_database(tmp_path / "live.sqlite3")
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup")
    with pytest.raises(backups.BackupError, match="neither a SQLite backup nor a pg_dump"):
        backups.restore(sqlite_settings(live), garbage)
    foreign = make_sqlite_database(tmp_path / "other-app.sqlite3", django=False)
    with pytest.raises(backups.BackupError, match="not a Hearback backup"):
        backups.restore(sqlite_settings(live), foreign)
    dump = tmp_path / "hearback.pgdump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
    with pytest.raises(
        backups.BackupError, match="PostgreSQL dump, but the configured database is SQLite"
    ):
        backups.restore(sqlite_settings(live), dump)
    with pytest.raises(backups.BackupError, match="no such file"):
        backups.restore(sqlite_settings(live), tmp_path / "missing.sqlite3")
    assert counts_of_things(live) == 2, "nothing was touched"


def counts_of_things(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM things").fetchone()[0]
    finally:
        conn.close()


def test_restore_database_refuses_without_the_confirmation():
    # Refused before the database is looked at: safe to call against the test database.
    with pytest.raises(CommandError, match="Nothing was restored.*--yes-replace-everything"):
        call_command("restore_database", "any-file.sqlite3")


PG_SETTINGS = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "hearback",
    "USER": "hearback",
    "PASSWORD": "s3cret-Passw0rd",
    "HOST": "db.internal",
    "PORT": 5433,
    "OPTIONS": {"sslmode": "verify-full", "pool": False},
}


def test_pg_dump_gets_the_connection_from_the_environment_never_the_command_line(
    tmp_path, monkeypatch
):
    calls = []

    def fake_run(args, *, env, stdout, **kwargs):
        calls.append((list(args), dict(env)))
        if stdout not in (None, subprocess.PIPE):
            stdout.write(b"PGDMP fake dump")
        return subprocess.CompletedProcess(args, 0, stdout=b"", stderr=b"")

    monkeypatch.setattr(backups.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backups.subprocess, "run", fake_run)
    for name in [name for name in os.environ if name.startswith("PG")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PGPASSWORD", "from-the-callers-environment")  # the settings win
    monkeypatch.setenv("PGAPPNAME", "hearback-backup")  # the environment fills in the rest
    out = tmp_path / "hearback.pgdump"
    backups.backup(PG_SETTINGS, out)
    assert out.read_bytes() == b"PGDMP fake dump"
    (dump_args, dump_env), (list_args, _) = calls
    assert dump_args[:2] == ["pg_dump", "--format=custom"]
    assert not any("s3cret" in arg or "db.internal" in arg for arg in dump_args)
    assert {k: v for k, v in dump_env.items() if k.startswith("PG")} == {
        "PGHOST": "db.internal",
        "PGPORT": "5433",
        "PGUSER": "hearback",
        "PGPASSWORD": "s3cret-Passw0rd",
        "PGDATABASE": "hearback",
        "PGSSLMODE": "verify-full",
        "PGAPPNAME": "hearback-backup",
    }
    assert list_args[:2] == ["pg_restore", "--list"], "the dump is read back before it is kept"


def test_a_missing_pg_dump_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder with no PostgreSQL tools
    with pytest.raises(backups.BackupError, match="pg_dump was not found on PATH"):
        backups.backup(PG_SETTINGS, tmp_path / "out.pgdump")
    assert not (tmp_path / "out.pgdump").exists()
    dump = tmp_path / "in.pgdump"
    dump.write_bytes(b"PGDMP" + bytes(64))
    with pytest.raises(backups.BackupError, match="pg_restore was not found on PATH"):
        backups.restore(PG_SETTINGS, dump)


def test_backup_database_exits_non_zero_with_the_reason(tmp_path):
    env = hearback_env("postgres://hearback@127.0.0.1:5432/hearback", PATH=str(tmp_path))
    done = manage(env, "backup_database", str(tmp_path / "out.pgdump"), ok=False)
    assert done.returncode == 1
    assert "No backup was written. pg_dump was not found on PATH" in done.stderr
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------------------
# PostgreSQL


@pytest.fixture
def pg_database():
    """A throwaway PostgreSQL database (its URL), dropped afterwards."""
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = os.environ.get("PGPORT", "5432")
    user = os.environ.get("PGUSER", "postgres")
    missing = [
        tool
        for tool in ("pg_isready", "createdb", "dropdb", "pg_dump", "pg_restore")
        if shutil.which(tool) is None
    ]
    if missing:
        unavailable(
            f"PostgreSQL client tools not on PATH: {', '.join(missing)} "
            "(apt-get install postgresql-client-15)"
        )
    tools_env = {**os.environ, "PGHOST": host, "PGPORT": port, "PGUSER": user}
    ready = subprocess.run(["pg_isready", "-q"], env=tools_env, timeout=30, check=False)
    if ready.returncode != 0:
        unavailable(f"PostgreSQL is not answering on {host}:{port}")
    name = f"hearback_backup_test_{secrets.token_hex(6)}"
    made = subprocess.run(
        ["createdb", name], env=tools_env, capture_output=True, text=True, timeout=60, check=False
    )
    if made.returncode != 0:
        unavailable(f"cannot create a database on {host}:{port} as {user}: {made.stderr.strip()}")
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "--force", name],
            env=tools_env,
            capture_output=True,
            timeout=60,
            check=False,
        )


def test_postgresql_dump_and_restore_give_back_the_export_of_before(tmp_path, pg_database):
    env = hearback_env(pg_database)
    backup = round_trip(env, tmp_path, "hearback.pgdump")
    assert backup.read_bytes().startswith(backups.PGDUMP_MAGIC)
    listing = subprocess.run(
        ["pg_restore", "--list", str(backup)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert listing.returncode == 0 and "TABLE public applications_application" in listing.stdout

    # A SQLite backup is refused, and says why.
    sqlite_backup = make_sqlite_database(tmp_path / "other.sqlite3")
    done = manage(env, "restore_database", str(sqlite_backup), "--yes-replace-everything", ok=False)
    assert (
        done.returncode == 1
        and "SQLite backup, but the configured database is PostgreSQL" in done.stderr
    )


def test_postgresql_restore_that_fails_half_way_changes_nothing(tmp_path, pg_database):
    env = hearback_env(pg_database)
    set_up_dana(env)
    first = write_document(tmp_path / "a.json", "Acme", "Globex")
    manage(env, "import_applications", str(first), "--user", "dana")
    backup = tmp_path / "hearback.pgdump"
    manage(env, "backup_database", str(backup))
    more = write_document(tmp_path / "b.json", "Umbrella")
    manage(env, "import_applications", str(more), "--user", "dana")
    current = export(env)
    assert len(current["applications"]) == 3

    # Damage the end of the dump, where the last table's rows are: its table of contents
    # still reads (pg_restore --list passes), so the restore starts, drops and recreates
    # the tables, loads the first ones, and fails on the last.
    data = bytearray(backup.read_bytes())
    for i in range(len(data) - 40, len(data) - 8):
        data[i] ^= 0xFF
    broken = tmp_path / "broken.pgdump"
    broken.write_bytes(bytes(data))
    listing = subprocess.run(
        ["pg_restore", "--list", str(broken)], capture_output=True, timeout=60, check=False
    )
    assert listing.returncode == 0, "the damage must be past the table of contents"

    done = manage(env, "restore_database", str(broken), "--yes-replace-everything", ok=False)
    assert done.returncode == 1
    assert "Restore failed. pg_restore failed:" in done.stderr
    # One transaction: not the backup's two applications, nor empty tables, but the three
    # there were before the attempt.
    assert export(env) == current


# ----------------------------------------------------------------------------------------
# make serve


def serve_recipe():
    """The commands of the Makefile's `serve` target, $(BIN) spelled out."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("serve:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        command = line.strip().lstrip("@").removeprefix("exec ")
        recipe.append(command.replace("$(BIN)", str(Path(PYTHON).parent)).split())
    return recipe


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, **headers):
    """GET as the TLS proxy forwards it (X-Forwarded-Proto: https unless told otherwise)."""
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **headers}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={k: v for k, v in headers.items() if v is not None})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_make_serve_runs_gunicorn_with_whitenoise_behind_a_proxy(tmp_path):
    recipe = serve_recipe()
    assert [cmd[1:3] for cmd in recipe[:2]] == [
        ["manage.py", "collectstatic"],
        ["manage.py", "migrate"],
    ]
    gunicorn = recipe[-1]
    assert Path(gunicorn[0]).name == "gunicorn" and "config/gunicorn.conf.py" in gunicorn

    # The real settings, with the collected files under tmp_path instead of staticfiles/.
    static_root = tmp_path / "static"
    (tmp_path / "serve_settings.py").write_text(
        f"from config.settings import *  # noqa\nSTATIC_ROOT = {str(static_root)!r}\n"
    )
    port = free_port()
    env = hearback_env(
        sqlite_url(tmp_path / "serve.sqlite3"),
        DJANGO_SETTINGS_MODULE="serve_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    for command in recipe[:-1]:
        run(command, env)
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    css = manifest["paths"]["css/hearback.css"]
    assert css != "css/hearback.css", "cache-busting names"

    stdout_path, stderr_path = tmp_path / "gunicorn.out", tmp_path / "gunicorn.err"
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        server = subprocess.Popen(
            gunicorn,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (
                f"gunicorn exited {server.returncode}: {stderr_path.read_text()}"
            )
            assert time.monotonic() < deadline, (
                f"gunicorn did not answer in 60 s: {stderr_path.read_text()}"
            )
            try:
                status, headers, body = get(port, "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, (status, headers)
        assert f'/static/{css}"'.encode() in body, "pages link the hashed name"
        # Without the proxy's word, the request came over plain HTTP: off to HTTPS.
        status, headers, _ = get(port, "/accounts/login/", **{"X-Forwarded-Proto": None})
        assert status == 301 and headers["Location"] == "https://127.0.0.1/accounts/login/"

        status, headers, body = get(port, f"/static/{css}", **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers.get("Content-Encoding") == "gzip"
        assert gzip.decompress(body) == (static_root / css).read_bytes()
        assert "immutable" in headers.get("Cache-Control", ""), headers

        status, _, _ = get(port, "/calendar/not-a-real-feed-token.ics")
        assert status == 404
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    access_log = stdout_path.read_text()
    assert '"GET /accounts/login/ HTTP/1.1" 200' in access_log, "the access log goes to stdout"
    assert "/calendar/[hidden].ics" in access_log
    assert "not-a-real-feed-token" not in access_log
    assert "Control socket" not in stderr_path.read_text(), "no gunicorn.ctl in $HOME"
