"""Flatness: one user's dashboard costs the same whether they are alone in the database
or share it with 6,000 other users' applications.

Run it as a script (`make bench`, or `python bench/bench_flatness.py [--explain]
[--databases sqlite,postgresql]`). For each database it builds two throwaway ones with
the project's settings (DEBUG off):

- "alone": the measured user, with 300 active applications (2 contacts, 2 interviews
  and 3 follow-ups each, as in bench_dashboard.py), recorded in 30 batches of 10;
- "shared": the same user and the same 300 applications, plus 600 other users with
  10 applications each (6,000 applications of the same shape, 132,000 rows in all),
  recorded interleaved as a real server receives them: after each batch of the user's
  10, a batch of 10 for each of 20 other users. The user's rows are thus spread over
  the whole of each table, not packed at its start.

SQLite gets no ANALYZE (Django never runs one); PostgreSQL gets the ANALYZE its
autovacuum would soon run. Then, in one process, through the whole middleware stack,
it requests the user's dashboard 30 times on each, in turn (one connection open to each
database), after 3 untimed requests, and prints both medians, the SQL queries of each,
and the ratio.

PostgreSQL (HEARBACK_BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432/postgres:
two databases `hearback_flat_<random>_*`, dropped afterwards) is skipped with a message
when that server does not answer. --explain prints each dashboard query's plan on the
shared database (printed anyway when the ratio misses the goal).

Goal: shared / alone <= 1.25.
"""

import argparse
import logging
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

ROUNDS = 30
SQL_ROUNDS = 10
APPLICATIONS = 300
BATCH = 10
OTHER_USERS = 600
OTHER_APPLICATIONS = 10  # each
GOAL = 1.25
POSTGRES = os.environ.get("HEARBACK_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


# ----------------------------------------------------------------------------------------
# The measurement (one subprocess per database engine)


def measure(alone_url: str, shared_url: str, label: str, explain: bool):
    os.environ["DATABASE_URL"] = alone_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "off"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["HEARBACK_PLAIN_HTTP"] = "on"
    import django
    import environ
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # Quiet: django-axes logs every force_login; whitenoise misses the uncollected folder.
    logging.getLogger("axes").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    # No collectstatic here: plain static URLs instead of the manifest's hashed names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from bench_dashboard import active_document
    from django.contrib.auth.models import User
    from django.db import connection, connections, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from applications import selectors, services
    from applications.models import Application, Preferences

    # One connection to each database, kept open; `use` makes one of them the default
    # connection (which `connection` and the views reach through `connections`), so the
    # two can be timed request by request in turn without reconnecting.
    wrappers = {
        which: type(connections["default"])(
            {
                **connections["default"].settings_dict,
                "NAME": environ.Env.db_url_config(url)["NAME"],
            },
            "default",
        )
        for which, url in (("alone", alone_url), ("shared", shared_url))
    }

    def use(which):
        connections["default"] = wrappers[which]

    def new_user(username):
        user = User.objects.create_user(username, password=None)
        Preferences.objects.create(user=user, time_zone_confirmed=True)  # no banner
        return user

    def import_batch(user, document, start):
        part = {**document, "applications": document["applications"][start : start + BATCH]}
        services.applications_import(user=user, document=part)

    clients = {}
    started = time.perf_counter()
    for which in ("alone", "shared"):
        use(which)
        call_command("migrate", verbosity=0)
        seeker = new_user("seeker")
        today = selectors.local_today(prefs=selectors.preferences_get(user=seeker))
        mine = active_document(APPLICATIONS, today)
        others = iter(range(OTHER_USERS))
        with transaction.atomic():  # one commit: the rows' order is the same, only faster
            for start in range(0, APPLICATIONS, BATCH):
                import_batch(seeker, mine, start)
                if which == "shared":
                    for _ in range(OTHER_USERS * BATCH // APPLICATIONS):
                        n = next(others)
                        document = active_document(
                            OTHER_APPLICATIONS, today - timedelta(days=n % 90)
                        )
                        for app in document["applications"]:
                            app["company"] = f"Other {n:03d} {app['company']}"
                        services.applications_import(
                            user=new_user(f"other{n:03d}"), document=document
                        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        assert Application.objects.filter(owner=seeker).count() == APPLICATIONS
        clients[which] = Client()
        clients[which].force_login(seeker)
    use("shared")
    total = Application.objects.count()
    print(
        f"{label}: seeded in {time.perf_counter() - started:.0f} s; shared database: "
        f"{total - APPLICATIONS:,} other applications of {User.objects.count() - 1} users "
        f"around the user's {APPLICATIONS}",
        flush=True,
    )

    def dashboard(which):
        start = time.perf_counter()
        response = clients[which].get("/")
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (which, response.status_code)
        return elapsed, response

    timings = {"alone": [], "shared": []}
    shown = {}
    for which in ("alone", "shared"):  # warm: templates, connections, caches
        use(which)
        for _ in range(3):
            _elapsed, response = dashboard(which)
        shown[which] = response.content.decode().count('class="row status-')
    # In turn, so that a slower moment of the machine weighs on both alike.
    for _round in range(ROUNDS):
        for which in ("alone", "shared"):
            use(which)
            timings[which].append(dashboard(which)[0])

    # The dashboard's queries, then each run on its own (executed and every row fetched,
    # as the view does), again in turn: how much of the page the database's part is.
    queries = {}
    for which in ("alone", "shared"):
        use(which)
        with CaptureQueriesContext(connection) as captured:
            dashboard(which)
        queries[which] = [query["sql"] for query in captured.captured_queries]
    sql_ms = {"alone": [], "shared": []}
    for _round in range(SQL_ROUNDS):
        for which in ("alone", "shared"):
            use(which)
            with connection.cursor() as cursor:
                start = time.perf_counter()
                for sql in queries[which]:
                    cursor.execute(sql)
                    cursor.fetchall()
                sql_ms[which].append((time.perf_counter() - start) * 1000)
    alone, shared = (statistics.median(timings[w]) for w in ("alone", "shared"))
    ratio = shared / alone
    for which, median in (("alone", alone), ("shared", shared)):
        print(
            f"  {which + ':':<8}{median:6.2f} ms (median of {ROUNDS}); its "
            f"{len(queries[which])} SQL queries on their own: "
            f"{statistics.median(sql_ms[which]):.2f} ms; {shown[which]} rows shown"
        )
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"  shared / alone: {ratio:.2f}x (goal <= {GOAL}x: {verdict})", flush=True)
    if explain or ratio > GOAL:
        use("shared")
        print_plans(connection, queries["shared"])


def print_plans(connection, queries):
    """Each dashboard query and the plan the database chose for it on the shared data."""
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    for sql in queries:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        print(f"  -- {sql[:300]}{'...' if len(sql) > 300 else ''}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("     " + " ".join(str(part) for part in row if part is not None))


# ----------------------------------------------------------------------------------------
# The databases


def postgres_available() -> tuple[bool, str]:
    try:
        import psycopg

        with psycopg.connect(POSTGRES, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means: skip PostgreSQL
        text = str(error).strip()
        return False, text.splitlines()[0] if text else repr(error)
    return True, ""


def run(alone_url, shared_url, label, explain):
    command = [sys.executable, __file__, "--measure", label, alone_url, shared_url]
    if explain:
        command.append("--explain")
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--explain", action="store_true", help="print the queries' plans")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        label, alone_url, shared_url = args.measure
        return measure(alone_url, shared_url, label, args.explain)

    failed = 0
    for database in args.databases.split(","):
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                failed |= run(
                    f"sqlite:///{folder}/alone.sqlite3",
                    f"sqlite:///{folder}/shared.sqlite3",
                    "SQLite",
                    args.explain,
                )
        elif database == "postgresql":
            available, why_not = postgres_available()
            if not available:
                print(f"PostgreSQL: skipped, no server at {POSTGRES} ({why_not})")
                continue
            import psycopg

            base = f"hearback_flat_{secrets.token_hex(4)}"
            names = [f"{base}_alone", f"{base}_shared"]
            server = POSTGRES.rsplit("/", 1)[0]
            with psycopg.connect(POSTGRES, autocommit=True) as connection:
                for name in names:
                    connection.execute(f'CREATE DATABASE "{name}"')
            try:
                failed |= run(
                    f"{server}/{names[0]}", f"{server}/{names[1]}", "PostgreSQL", args.explain
                )
            finally:
                with psycopg.connect(POSTGRES, autocommit=True) as connection:
                    for name in names:
                        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            parser.error(f"unknown database {database!r}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
