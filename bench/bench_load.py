"""Load: 20 job seekers at once on gunicorn, on SQLite and on PostgreSQL.

Run it as a script (`make bench`, or `python bench/bench_load.py [--seconds S]
[--users N] [--wait LOW,HIGH] [--databases sqlite,postgresql]`). For each database it

- makes a throwaway one (a SQLite file in a temporary folder; a PostgreSQL database
  `hearback_bench_<random>` on HEARBACK_BENCH_POSTGRES, default
  postgres://postgres@127.0.0.1:5432/postgres, dropped afterwards; skipped with a
  message when that server does not answer), migrates it, and collects the static files
  into a temporary STATIC_ROOT (the project's settings, config.settings);
- seeds N users (default 20) with 50 applications each, a busy job search's worth
  (2 contacts, 2 interviews, 3 follow-ups each: 1,100 rows per user), and a signed-in
  session for each, made directly in the session store;
- starts gunicorn as `make serve` does (config/gunicorn.conf.py: sync workers, access
  log on) on a free loopback port, with WEB_CONCURRENCY workers, or 2 x cores + 1 when
  it is not set; DEBUG off, a fresh SECRET_KEY, HEARBACK_PLAIN_HTTP=on (no TLS proxy
  here);
- warms it up with 20 requests (not counted), then runs locust headless for S seconds
  (default 60) with N users started at once
  (bench/locustfile.py: dashboards, application pages, check-ins, thank-yous and
  responses, a think time of 0.5-1.5 s between clicks);
- prints the requests per second, the median and 95th percentile latency, the errors,
  per kind of request and in all, and checks gunicorn's log for tracebacks.

Goal: zero errors and a p95 under 100 ms on a 2-core machine. Locust runs on the same
machine and takes its share of the CPU. With --wait 0,0 the users click without
pause: the server's capacity, at the price of queueing (latency then grows with N).
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
APPLICATIONS_PER_USER = 50
POSTGRES = os.environ.get("HEARBACK_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")

# ----------------------------------------------------------------------------------------
# Seeding (run in a subprocess, against the database being measured)


def seed(users: int, out: Path):
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from importlib import import_module

    import django

    django.setup()
    from bench_dashboard import active_document
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        load_backend,
    )
    from django.contrib.auth.models import User

    from applications import selectors, services
    from applications.models import Preferences

    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    accounts = []
    for n in range(users):
        user = User.objects.create_user(f"seeker{n}", password=None)
        prefs = Preferences.objects.create(user=user, time_zone_confirmed=True)  # no banner
        today = selectors.local_today(prefs=prefs)
        services.applications_import(
            user=user, document=active_document(APPLICATIONS_PER_USER, today)
        )
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        accounts.append(
            {
                "session": session.session_key,
                "today": today.isoformat(),
                "applications": list(user.applications.values_list("id", flat=True)),
            }
        )
    out.write_text(
        json.dumps({"session_cookie": settings.SESSION_COOKIE_NAME, "accounts": accounts})
    )


# ----------------------------------------------------------------------------------------
# The databases


def postgres_available() -> tuple[bool, str]:
    try:
        import psycopg

        with psycopg.connect(POSTGRES, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means: skip PostgreSQL
        return False, str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    return True, ""


class PostgresDatabase:
    def __init__(self):
        self.name = f"hearback_bench_{secrets.token_hex(4)}"
        self.url = POSTGRES.rsplit("/", 1)[0] + "/" + self.name

    def __enter__(self):
        import psycopg

        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def __exit__(self, *exc):
        import psycopg

        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# ----------------------------------------------------------------------------------------
# One run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def workers() -> tuple[int, str]:
    if os.environ.get("WEB_CONCURRENCY"):
        return int(os.environ["WEB_CONCURRENCY"]), "WEB_CONCURRENCY"
    cores = os.cpu_count() or 1
    return 2 * cores + 1, f"2 x {cores} cores + 1"


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def run(label, database_url, folder: Path, args) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # collectstatic (needed with DEBUG off: hashed, compressed names) into the
        # temporary folder, never into the tree.
        "STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": database_url,
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HEARBACK_PLAIN_HTTP": "on",
        "PYTHONUNBUFFERED": "1",
    }

    def manage(*command):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    manage("migrate", "--noinput", "-v0")
    if not (folder / "static").exists():
        manage("collectstatic", "--noinput", "-v0")
    accounts = folder / f"accounts-{label}.json"
    subprocess.run(
        [sys.executable, __file__, "--seed", str(accounts), "--users", str(args.users)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    before = follow_ups(database_url)

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    count, _why = workers()
    config = ROOT / "config" / "gunicorn.conf.py"
    command = [str(BIN / "gunicorn"), "config.wsgi"]
    if config.exists():  # the production settings (sync workers, access log, timeouts)
        command += ["--config", str(config)]
    # --no-control-socket: not the ~/.gunicorn/gunicorn.ctl every other gunicorn here uses.
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(count), "--no-control-socket"]
    log_path = folder / f"gunicorn-{label}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(host, server, log_path)
            warm_up(host, json.loads(accounts.read_text()))
            load = load_average()
            stats = folder / f"locust-{label}"
            locust = subprocess.run(
                [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
                 "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
                 "--host", host, "--csv", str(stats), "--only-summary",
                 "--loglevel", "WARNING", "--stop-timeout", "10"],
                cwd=ROOT,
                env={**env, "HEARBACK_LOAD_ACCOUNTS": str(accounts),
                     "HEARBACK_LOAD_WAIT": args.wait},
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
            )  # fmt: skip
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    # Locust's own warnings (e.g. its CPU usage too high to trust the figures).
    for line in locust.stderr.splitlines():
        if "WARNING" in line or "ERROR" in line or "Traceback" in line:
            print(f"  locust: {line.strip()}")
    if not Path(f"{stats}_stats.csv").exists():
        raise SystemExit(f"locust wrote no statistics:\n{locust.stderr}")
    rows = read_stats(Path(f"{stats}_stats.csv"))
    failures = read_failures(Path(f"{stats}_failures.csv"))
    log_text = log_path.read_text(errors="replace")
    return {
        "rows": rows,
        "failures": failures,
        "tracebacks": log_text.count("Traceback"),
        "locked": log_text.count("database is locked"),
        "recorded": follow_ups(database_url) - before,
        "load": load,
    }


def follow_ups(database_url) -> int:
    """The number of follow-ups stored, read straight from the database."""
    sql = "SELECT count(*) FROM applications_followup"
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return connection.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(sql).fetchone()[0]


def wait_until_serving(host, server, log_path):
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped:\n" + log_path.read_text())
        try:
            with urllib.request.urlopen(host + "/accounts/login/", timeout=10) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s:\n" + log_path.read_text())


def warm_up(host, fixture):
    """A few requests of each kind first, so that the figures are those of a server that
    has been running (templates compiled, connections open), not of its first seconds."""
    import urllib.request

    for account in fixture["accounts"][:10]:
        cookie = f"{fixture['session_cookie']}={account['session']}"
        for path in ("/", f"/applications/{account['applications'][0]}/"):
            request = urllib.request.Request(host + path, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()


def read_stats(path: Path) -> dict:
    with open(path, newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def read_failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return [
            f"{row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error']}"
            for row in csv.DictReader(handle)
        ]


def report(label, result, seconds):
    rows = result["rows"]
    total = rows.pop("Aggregated")
    print(
        f"{label} (machine load average before the run: {result['load']}, {os.cpu_count()} cores):"
    )
    print(f"  {'request':<26}{'count':>7}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}")
    for name in sorted(rows):
        row = rows[name]
        print(
            f"  {name:<26}{row['Request Count']:>7}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}"
        )
    errors = int(total["Failure Count"])
    print(
        f"  {'all':<26}{total['Request Count']:>7}{errors:>8}{float(total['Requests/s']):>8.1f}"
        f"{total['50%']:>8}{total['95%']:>8}"
    )
    p95 = float(total["95%"])
    verdict = "met" if errors == 0 and p95 < 100 else "NOT met"
    print(
        f"  => {float(total['Requests/s']):.1f} requests/s, p50 {total['50%']} ms, "
        f"p95 {total['95%']} ms, {errors} errors over {seconds} s "
        f"(goal: 0 errors, p95 < 100 ms: {verdict}); {result['recorded']} follow-ups recorded"
    )
    for failure in result["failures"][:5]:
        print(f"  failure: {failure}")
    if result["tracebacks"] or result["locked"]:
        print(
            f"  gunicorn log: {result['tracebacks']} tracebacks, "
            f"{result['locked']} 'database is locked'"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="of load per database")
    parser.add_argument("--users", type=int, default=20, help="simulated users at once")
    parser.add_argument("--wait", default="0.5,1.5", help="think time between clicks, s")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        return seed(args.users, args.seed)

    count, why = workers()
    print(
        f"{args.users} users for {args.seconds} s each, "
        f"think time {args.wait.replace(',', '-')} s; "
        f"gunicorn with {count} sync workers ({why}); {APPLICATIONS_PER_USER} applications "
        "per user",
        flush=True,
    )
    folder = Path(tempfile.mkdtemp(prefix="hearback-load-"))
    try:
        for database in args.databases.split(","):
            if database == "sqlite":
                result = run("sqlite", f"sqlite:///{folder / 'load.sqlite3'}", folder, args)
                report("SQLite", result, args.seconds)
            elif database == "postgresql":
                available, why_not = postgres_available()
                if not available:
                    print(f"PostgreSQL: skipped, no server at {POSTGRES} ({why_not})")
                    continue
                with PostgresDatabase() as url:
                    result = run("postgresql", url, folder, args)
                report("PostgreSQL", result, args.seconds)
            else:
                parser.error(f"unknown database {database!r}")
            sys.stdout.flush()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
