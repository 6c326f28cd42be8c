"""SLOW (about 20 s): another user's saves during a 10,000-application import.

Issue 10, item 3. On SQLite one transaction for the whole import held the database's
write lock for many seconds; another user's snooze waited for all of it, and failed with
"database is locked" once it passed the 20 s busy timeout. Written in short batches
(services.IMPORT_BATCH_ROWS), the import lets them in between.

On SQLite this runs in a subprocess against a file database with the project's own
settings (WAL, IMMEDIATE transactions, the 20 s busy timeout), as tests/test_concurrency.py
does: the test database of the rest of the suite is one in-memory connection. Another
user's snoozes and check-ins go through the services, in a thread, for as long as the
import runs. On PostgreSQL (`DATABASE_URL=postgres://...`) the same runs in this process.

Set HEARBACK_SKIP_SLOW=1 to leave this module out of a quick run.
"""

import datetime
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from applications import interchange, services
from applications.models import Application, FollowUp
from tests.factories import UserFactory
from tests.test_concurrency import document

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("HEARBACK_SKIP_SLOW")),
    reason="slow integration test, left out by HEARBACK_SKIP_SLOW",
)

ROOT = Path(__file__).resolve().parent.parent
IMPORTED = 10_000  # the most one upload takes
THEIRS = 20  # the other user's applications, which they snooze and check in on


def writes_during_import(importer, other, raw: bytes) -> dict:
    """Import `raw` for `importer` while `other` snoozes and checks in on their
    applications in a thread, from just before the import starts until it ends.

    Returns the figures: seconds the import took, and every save of the other user
    with how long it waited and what it raised."""
    ids = list(Application.objects.filter(owner=other).values_list("pk", flat=True))
    importing, done = threading.Event(), threading.Event()
    saves = []  # (what, seconds, error or "")

    def save(n):
        application = Application.objects.get(pk=ids[n % len(ids)])
        if n % 2:
            until = datetime.date(2027, 1, 1) + datetime.timedelta(days=n)
            services.application_snooze(application=application, until=until)
            return ("snooze", application.pk, until.isoformat())
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
        services.follow_up_log(application=application, kind="check_in", date=day)
        return ("check_in", application.pk, day.isoformat())

    def other_user():
        try:
            n = 0
            importing.wait()
            while not done.is_set():
                n += 1
                started = time.perf_counter()
                try:
                    what, error = save(n), ""
                except Exception as raised:  # noqa: BLE001 - counted, and the test fails
                    what, error = None, repr(raised)
                saves.append((what, time.perf_counter() - started, error))
                time.sleep(0.02)  # a person clicking fast, not a loop hammering
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_user)
    thread.start()
    valid, errors = interchange.load_document(raw)
    assert errors == []
    importing.set()
    started = time.perf_counter()
    try:
        services.applications_import(user=importer, document=valid)
    finally:
        seconds = time.perf_counter() - started
        done.set()
        thread.join(timeout=60)
    return {"import_seconds": seconds, "saves": saves}


def assert_nobody_locked_out(figures, saved_snoozes, saved_check_ins):
    saves = figures["saves"]
    failures = [error for _what, _seconds, error in saves if error]
    assert failures == []
    assert len(saves) >= 10  # the other user kept saving all along
    longest = max(seconds for _what, seconds, _error in saves)
    # One transaction for the whole import: the first save waited for nearly all of it.
    assert longest < figures["import_seconds"] / 4, (longest, figures["import_seconds"])
    # Every save is there, as made.
    snoozes, check_ins = {}, set()
    for (kind, pk, day), _seconds, _error in saves:
        if kind == "snooze":
            snoozes[pk] = day
        else:
            check_ins.add((pk, day))
    assert saved_snoozes() == snoozes
    assert saved_check_ins() >= check_ins


# ----------------------------------------------------------------------------------------
# SQLite: a file database, in a subprocess


SCRIPT = r"""
import json, sys

import django
django.setup()
from django.core.management import call_command
from django.contrib.auth.models import User

from applications import services
from applications.models import Application, FollowUp
from tests.test_import_concurrency import writes_during_import

call_command("migrate", verbosity=0)
importer, other = User.objects.create_user("importer"), User.objects.create_user("other")
with open(sys.argv[1]) as theirs:
    services.applications_import(user=other, document=json.load(theirs))
with open(sys.argv[2], "rb") as upload:
    figures = writes_during_import(importer, other, upload.read())
figures["imported"] = Application.objects.filter(owner=importer).count()
figures["snoozes"] = {
    str(pk): day.isoformat()
    for pk, day in Application.objects.filter(owner=other, snoozed_until__isnull=False)
    .values_list("pk", "snoozed_until")
}
figures["check_ins"] = [
    [pk, day.isoformat()]
    for pk, day in FollowUp.objects.filter(application__owner=other, kind="check_in")
    .values_list("application_id", "date")
]
print(json.dumps(figures))
"""


def test_on_sqlite_another_users_saves_go_through_during_a_big_import(tmp_path):
    today = datetime.date.today()
    theirs, upload = tmp_path / "theirs.json", tmp_path / "upload.json"
    theirs.write_text(json.dumps(document("theirs", THEIRS, today)))
    upload.write_text(json.dumps(document("upload", IMPORTED, today)))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hearback.sqlite3'}",
    }

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(theirs), str(upload)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.splitlines()[-1])
    assert figures["imported"] == IMPORTED
    figures["saves"] = [(tuple(what) if what else None, s, e) for what, s, e in figures["saves"]]
    assert_nobody_locked_out(
        figures,
        lambda: {int(pk): day for pk, day in figures["snoozes"].items()},
        lambda: {tuple(pair) for pair in figures["check_ins"]},
    )
    print(
        f"\n{len(figures['saves'])} saves during a {figures['import_seconds']:.1f} s import, "
        f"the longest {max(s for _w, s, _e in figures['saves']) * 1000:.0f} ms"
    )


# ----------------------------------------------------------------------------------------
# PostgreSQL: in this process


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="run with DATABASE_URL=postgres://...; SQLite runs the subprocess test above",
)
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_another_users_saves_go_through_during_a_big_import():
    today = datetime.date.today()
    importer, other = UserFactory(username="importer"), UserFactory(username="other")
    services.applications_import(user=other, document=document("theirs", THEIRS, today))
    raw = json.dumps(document("upload", IMPORTED, today)).encode()

    figures = writes_during_import(importer, other, raw)

    assert Application.objects.filter(owner=importer).count() == IMPORTED
    assert FollowUp.objects.filter(application__owner=importer).count() == 3 * IMPORTED
    assert_nobody_locked_out(
        figures,
        lambda: {
            pk: day.isoformat()
            for pk, day in Application.objects.filter(
                owner=other, snoozed_until__isnull=False
            ).values_list("pk", "snoozed_until")
        },
        lambda: {
            (pk, day.isoformat())
            for pk, day in FollowUp.objects.filter(
                application__owner=other, kind="check_in"
            ).values_list("application_id", "date")
        },
    )
