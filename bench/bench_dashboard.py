"""What the dashboard of a busy job search costs, against the login page.

Run it as a script (`make bench`, or `python bench/bench_dashboard.py`). It migrates a
throwaway SQLite file database with the project's own settings (DEBUG off, so templates
are cached as in production), gives one user 300 active applications (2 contacts,
2 interviews and 3 follow-ups each), then requests, in one process through the whole
middleware stack, the login page (signed out) and the dashboard (signed in) 30 times
each, alternating, and compares the medians. Then the same, with every row of the
dashboard written afresh each time (its kept rows forgotten: the first view of a day,
docs/architecture.md "Speed"), for the record.

Goal: the dashboard within 8x the login page, with the same
number of SQL queries at 3 and at 300 applications (a test pins that).
"""

import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 30
APPLICATIONS = 300


def setup_django(database_path: Path):
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "off"
    # A throwaway key strong enough for the production checks; plain HTTP on loopback.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("HEARBACK_PLAIN_HTTP", "on")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # No collectstatic here: plain static URLs instead of the manifest's hashed names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)


def active_document(count: int, today: date) -> dict:
    """`count` applications still in play today: interviews in the last weeks, some
    with a date given, some without, check-ins and responses, none closed."""
    applications = []
    for n in range(count):
        applied = today - timedelta(days=20 + n % 40)

        def day(offset, applied=applied):
            return (applied + timedelta(days=offset)).isoformat()

        applications.append(
            {
                "company": f"Company {n:04d}",
                "role": "Backend Engineer",
                "applied_on": applied.isoformat(),
                "contacts": [
                    {
                        "ref": "a",
                        "name": f"Dana Reyes {n}",
                        "title": "Hiring manager",
                        "email": f"dana{n}@example.com",
                    },
                    {"ref": "b", "name": f"Lee Park {n}", "title": "Engineer"},
                ],
                "interviews": [
                    {"date": day(5), "format": "phone", "contacts": ["a"]},
                    {
                        "date": day(12),
                        "format": "video",
                        "contacts": ["a", "b"],
                        "decision_by": day(19 + n % 9) if n % 3 else None,
                    },
                ],
                "follow_ups": [
                    {"date": day(12), "kind": "thank_you", "contact": "a"},
                    {"date": day(14), "kind": "thank_you", "contact": "b"},
                    {"date": day(16 + n % 4), "kind": "response" if n % 5 == 0 else "check_in"},
                ],
            }
        )
    return {"format": "hearback/v1", "applications": applications}


def median_ms(client, path, rounds, before=None):
    timings = []
    for _ in range(rounds):
        if before is not None:
            before()
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings)


def main():
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.contrib.auth.models import User
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from applications import selectors, services
        from applications.models import Preferences
        from applications.views.pages import row_markup

        user = User.objects.create_user("busy", password="not-used-here")
        # A user past the first day: their time zone confirmed, so no one-time question.
        prefs = Preferences.objects.create(user=user, time_zone_confirmed=True)
        today = selectors.local_today(prefs=prefs)
        services.applications_import(user=user, document=active_document(APPLICATIONS, today))

        visitor, seeker = Client(), Client()
        seeker.force_login(user)
        # Warm both (template compilation, first queries), then time them alternately
        # so that a slower moment of the machine weighs on both alike.
        for _ in range(3):
            visitor.get("/accounts/login/"), seeker.get("/")
        login, dashboard = [], []
        for _ in range(ROUNDS):
            login.append(median_ms(visitor, "/accounts/login/", 1))
            dashboard.append(median_ms(seeker, "/", 1))
        # Every row written afresh: the kept ones forgotten before each request.
        login_again, afresh = [], []
        for _ in range(ROUNDS):
            login_again.append(median_ms(visitor, "/accounts/login/", 1))
            afresh.append(median_ms(seeker, "/", 1, before=row_markup.cache_clear))
        with CaptureQueriesContext(connection) as queries:
            html = seeker.get("/").content.decode()
        shown = html.count('class="row status-')
        login_ms, dashboard_ms = statistics.median(login), statistics.median(dashboard)
        print(f"login page: {login_ms:.2f} ms (median of {ROUNDS})")
        print(
            f"dashboard, {APPLICATIONS} active applications ({shown} rows shown): "
            f"{dashboard_ms:.2f} ms (median of {ROUNDS}), {len(queries)} SQL queries"
        )
        print(f"dashboard / login: {dashboard_ms / login_ms:.1f}x (goal: at most 8x)")
        afresh_ms = statistics.median(afresh)
        print(
            f"dashboard with every row written afresh (the first view of a day): "
            f"{afresh_ms:.2f} ms, {afresh_ms / statistics.median(login_again):.1f}x the login page"
        )


if __name__ == "__main__":
    main()
