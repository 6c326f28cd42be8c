"""SLOW INTEGRATION TEST (about 30 s): concurrency without loss, through gunicorn on SQLite.

Issue #5, item 4. Unlike the rest of the suite this module runs the real server: it
migrates a throwaway SQLite file (with the project's own SQLite settings, from
config/settings.py: WAL, IMMEDIATE transactions, the busy timeout), starts gunicorn on a
free loopback port with 4 workers x 2 threads (8 requests inside Django at once, as many
as there are clients), and drives it over HTTP like browsers do (a session cookie, the
CSRF token read from each page's form, POSTs that answer with a redirect). Then it reads
the database file back with the sqlite3 module and checks that:

- 8 clients writing for a sustained run (new applications with an interview and a
  person met, thank-yous, check-ins, responses, snoozes, closes), while all 8 upload a
  hearback/v1 file through the import page at the same moment, see no 5xx answer and no
  connection error, and every write the server accepted (answered with its redirect) is
  stored, exactly as sent: no lost write, no write stored twice;
- 8 `import_applications` commands started at once, in 8 processes, all succeed and
  every row is there;
- a double click (two identical POSTs of a check-in, a thank-you or a response, sent at
  the same instant) records one follow-up, and both clicks get the normal redirect;
  the same for the record forms: one new application (with its interview and people),
  one later round, and both clicks land on the application's page.

Nowhere may "database is locked" reach a user or the server's log. The test in
tests/test_services.py checks the double click at the service level on PostgreSQL.

Set HEARBACK_SKIP_SLOW=1 to leave this module out of a quick run.
"""

import datetime
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("HEARBACK_SKIP_SLOW")),
    reason="slow integration test (gunicorn on SQLite), left out by HEARBACK_SKIP_SLOW",
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

CLIENTS = 8
WORKERS, THREADS = 4, 2
SUSTAINED_SECONDS = 10
UPLOAD_AFTER_SECONDS = 3  # into the sustained run, every client uploads a file at once
UPLOAD_APPLICATIONS = 150  # per file: a real job search's export (3,300 rows)
COMMAND_IMPORTS = 8
COMMAND_APPLICATIONS = 300  # per command (6,600 rows)
DOUBLE_CLICKS = 8  # per kind of follow-up
RECORD_DOUBLE_CLICKS = 4  # per record form
TIMEOUT = 30  # seconds, for any one HTTP request

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DETAIL = re.compile(r"^/applications/(\d+)/$")
SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')


# ----------------------------------------------------------------------------------------
# The server


# Run in a subprocess against the test's database: migrate it, then users with their
# preferences and applications, and a signed-in session for each, made directly in the session store
# (faster than the login form, and untouched by login throttling). Prints JSON.
SEED = r"""
import json, sys
from importlib import import_module

import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.models import User

from applications import selectors, services
from applications.models import Preferences

call_command("migrate", verbosity=0)
spec = json.loads(sys.argv[1])
backend = next(
    path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
)
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
users = {}
for name, applications in spec.items():
    user = User.objects.create_user(name, password=None)
    prefs = Preferences.objects.create(user=user)
    if applications:
        services.applications_import(user=user, document=applications)
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    users[name] = {
        "id": user.pk,
        "session": session.session_key,
        "today": selectors.local_today(prefs=prefs).isoformat(),
        "applications": list(user.applications.order_by("id").values_list("id", flat=True)),
    }
print(json.dumps({"session_cookie": settings.SESSION_COOKIE_NAME, "users": users}))
"""


def document(prefix: str, count: int, today: datetime.date) -> dict:
    """A hearback/v1 document of `count` applications, each with 2 contacts, 2 interviews
    and 3 follow-ups, named `<prefix>-<n>`."""
    applications = []
    for n in range(count):
        applied = today - datetime.timedelta(days=30 + n % 60)

        def day(offset, applied=applied):
            return (applied + datetime.timedelta(days=offset)).isoformat()

        applications.append(
            {
                "company": f"{prefix}-{n}",
                "role": "Backend Engineer",
                "applied_on": applied.isoformat(),
                "contacts": [
                    {"ref": "a", "name": f"Dana {n}", "email": f"dana{n}@example.com"},
                    {"ref": "b", "name": f"Lee {n}"},
                ],
                "interviews": [
                    {"date": day(5), "format": "phone", "contacts": ["a"]},
                    {"date": day(12), "format": "video", "contacts": ["a", "b"],
                     "decision_by": day(19)},
                ],
                "follow_ups": [
                    {"date": day(12), "kind": "thank_you", "contact": "a"},
                    {"date": day(13), "kind": "thank_you", "contact": "b"},
                    {"date": day(22), "kind": "check_in"},
                ],
            }
        )  # fmt: skip
    return {"format": "hearback/v1", "applications": applications}


class Server:
    def __init__(self, folder: Path):
        self.folder = folder
        self.database = folder / "hearback.sqlite3"
        self.log = folder / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",  # static files without collectstatic
            "DATABASE_URL": f"sqlite:///{self.database}",
            "DEBUG": "off",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HEARBACK_PLAIN_HTTP": "on",
            "PYTHONUNBUFFERED": "1",
        }
        self.process = None
        self.base = None

    def seed(self, spec: dict) -> dict:
        done = subprocess.run(
            [PYTHON, "-c", SEED, json.dumps(spec)], cwd=ROOT, env=self.env,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.splitlines()[-1])

    def start(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.log_handle = open(self.log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS),
             "--timeout", "60", "--graceful-timeout", "5",
             # Not the shared ~/.gunicorn/gunicorn.ctl of every other gunicorn here.
             "--no-control-socket"],
            cwd=ROOT, env=self.env, stdout=self.log_handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if requests.get(self.base + "/accounts/login/", timeout=10).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or still booting
                pass
            time.sleep(0.2)
        raise AssertionError("gunicorn did not answer within 30 s:\n" + self.log.read_text())

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_handle.close()

    def query(self, sql, *params):
        with sqlite3.connect(self.database, timeout=30) as db:
            return db.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("concurrency"))
    today = datetime.date.today()
    spec = {f"writer{i}": document(f"seed{i}", 10, today) for i in range(CLIENTS)}
    spec |= {f"importer{i}": None for i in range(COMMAND_IMPORTS)}
    spec["clicker"] = document("click", 3 * DOUBLE_CLICKS, today)
    spec["recorder"] = document("record", RECORD_DOUBLE_CLICKS, today)
    server.seeded = server.seed(spec)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def assert_server_log_clean(server):
    log = server.log.read_text()
    assert "database is locked" not in log, log
    assert "Traceback" not in log, log
    assert "Internal Server Error" not in log, log


# ----------------------------------------------------------------------------------------
# A browser


class Browser:
    """One signed-in tab: its cookies, and the CSRF token of the last page it read."""

    def __init__(self, server, user: dict):
        self.base = server.base
        self.http = requests.Session()
        self.http.cookies.set(server.seeded["session_cookie"], user["session"], path="/")
        # Browsers send Origin with a form POST; CSRF checks it against the host.
        self.http.headers["Origin"] = self.base
        self.token = None

    def get(self, path):
        response = self.http.get(self.base + path, allow_redirects=False, timeout=TIMEOUT)
        found = TOKEN.search(response.text) if response.status_code == 200 else None
        if found:
            self.token = found.group(1)
        return response

    def post(self, path, data, files=None):
        data = {**(data or {}), "csrfmiddlewaretoken": self.token}
        return self.http.post(
            self.base + path, data=data, files=files, allow_redirects=False,
            headers={"Referer": self.base + path}, timeout=TIMEOUT,
        )  # fmt: skip


def redirected(response) -> bool:
    """The answer of an action that was carried out: a redirect within the site (a
    refused form answers 200/400 with the page, a crash 500)."""
    return response.status_code == 302 and response.headers["Location"].startswith("/")


# ----------------------------------------------------------------------------------------
# (a) 8 clients writing for a sustained run, with 8 simultaneous uploads in the middle


class Writer(threading.Thread):
    """A client recording a job search as fast as the server answers, one cycle after
    another: the dashboard, a new application (with its interview and the person met),
    its page, a thank-you, a check-in, a response, then a snooze or a close. Every
    accepted write is remembered in `expected`, every failure in `errors`."""

    def __init__(self, server, number, user, deadline, upload_barrier, upload_at):
        super().__init__(name=f"writer{number}")
        self.server, self.number, self.user = server, number, user
        self.deadline, self.upload_barrier, self.upload_at = deadline, upload_barrier, upload_at
        self.today = datetime.date.fromisoformat(user["today"])
        self.browser = Browser(server, user)
        self.expected = {}  # company -> {"follow_ups": Counter(kind), "outcome", "snoozed_until"}
        self.ids = {}  # company -> id
        self.uploaded = self.upload_accepted = False
        self.requests = 0
        self.timings = []  # seconds, of every answered request
        self.errors = []

    def day(self, offset):
        return (self.today + datetime.timedelta(days=offset)).isoformat()

    def send(self, method, path, data=None, files=None, expect="redirect"):
        self.requests += 1
        started = time.perf_counter()
        try:
            if method == "GET":
                response = self.browser.get(path)
            else:
                response = self.browser.post(path, data, files)
            self.timings.append(time.perf_counter() - started)
        except requests.RequestException as error:
            self.errors.append(f"{method} {path}: {error!r}")
            return None
        ok = response.status_code == 200 if expect == "page" else redirected(response)
        if not ok:
            self.errors.append(f"{method} {path}: {response.status_code} {response.text[:300]!r}")
            return None
        return response

    def run(self):
        try:
            cycle = 0
            while time.monotonic() < self.deadline:
                if not self.uploaded and time.monotonic() >= self.upload_at:
                    self.upload()
                self.cycle(cycle)
                cycle += 1
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.errors.append(f"crashed: {error!r}\n{traceback.format_exc()}")

    def upload(self):
        self.uploaded = True
        if self.send("GET", "/import/", expect="page") is None:
            return
        body = json.dumps(document(f"upload{self.number}", UPLOAD_APPLICATIONS, self.today))
        self.upload_barrier.wait(timeout=60)  # all 8 files go at the same instant
        response = self.send(
            "POST", "/import/", files={"file": ("export.json", body, "application/json")}
        )
        self.upload_accepted = response is not None

    def cycle(self, n):
        if self.send("GET", "/", expect="page") is None:
            return
        company = f"w{self.number}-{n}"
        response = self.send(
            "POST",
            "/applications/new/",
            {
                "application-company": company,
                "application-role": "Backend Engineer",
                "application-applied_on": self.day(-60),
                "application-posting_url": f"jobs.example.com/{self.number}/{n}",
                "interview-date": self.day(-30),
                "interview-format": "video",
                "interview-timeline": "date",
                "interview-decision_by": self.day(-20),
                "people-TOTAL_FORMS": "3",
                "people-INITIAL_FORMS": "0",
                "people-MIN_NUM_FORMS": "0",
                "people-MAX_NUM_FORMS": "20",
                "people-0-name": f"Dana Reyes {n}",
                "people-0-title": "Hiring manager",
                "people-0-email": f"dana{n}@example.com",
            },
        )
        if response is None:
            return
        found = DETAIL.match(response.headers["Location"])
        if found is None:
            self.errors.append(f"new application: redirected to {response.headers['Location']}")
            return
        pk = found.group(1)
        self.ids[company] = int(pk)
        record = self.expected[company] = {
            "follow_ups": Counter(), "outcome": "", "snoozed_until": None,
        }  # fmt: skip
        page = f"/applications/{pk}/"
        if self.send("GET", page, expect="page") is None:
            return
        for kind, path, data in (
            ("thank_you", "thank-you/", {"date": self.day(-29), "contact": "", "next": page}),
            ("check_in", "check-in/",
             {"date": self.day(-10), "channel": "email", "note": f"n{n}", "confirm_early": "on"}),
            ("response", "response/",
             {"date": self.day(-8), "channel": "phone", "note": "Next week", "outcome": "",
              "new_decision_by": self.day(-1)}),
        ):  # fmt: skip
            if time.monotonic() >= self.deadline or self.send("POST", page + path, data) is None:
                return
            record["follow_ups"][kind] += 1
        if n % 2:
            if self.send("POST", page + "close/", {"outcome": "rejected"}) is not None:
                record["outcome"], record["snoozed_until"] = "rejected", None
        else:
            until = self.day(1 + n % 300)
            if self.send("POST", page + "snooze/", {"until": until}) is not None:
                record["snoozed_until"] = until


def test_eight_clients_writing_for_a_sustained_run_lose_nothing(server):
    start = time.monotonic()
    deadline = start + SUSTAINED_SECONDS
    barrier = threading.Barrier(CLIENTS)
    writers = [
        Writer(server, i, server.seeded["users"][f"writer{i}"], deadline, barrier,
               start + UPLOAD_AFTER_SECONDS)
        for i in range(CLIENTS)
    ]  # fmt: skip
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=SUSTAINED_SECONDS + 90)
    assert not any(writer.is_alive() for writer in writers), "a client hung"

    errors = [f"{w.name}: {e}" for w in writers for e in w.errors]
    assert errors == [], f"{len(errors)} failed requests, first ones:\n" + "\n".join(errors[:10])
    assert_server_log_clean(server)
    assert all(writer.uploaded and writer.upload_accepted for writer in writers)

    for writer in writers:
        owner = writer.user["id"]
        # Every accepted new application is there once, with what was sent.
        stored = {
            company: (pk, outcome, snoozed)
            for pk, company, outcome, snoozed in server.query(
                "SELECT id, company, outcome, snoozed_until FROM applications_application"
                " WHERE owner_id = ? AND company LIKE 'w%'",
                owner,
            )
        }
        assert set(stored) == set(writer.expected), writer.name
        follow_ups = {}
        for app_id, kind, count in server.query(
            "SELECT f.application_id, f.kind, count(*) FROM applications_followup f"
            " JOIN applications_application a ON a.id = f.application_id"
            " WHERE a.owner_id = ? AND a.company LIKE 'w%' GROUP BY 1, 2",
            owner,
        ):
            follow_ups.setdefault(app_id, Counter())[kind] = count
        for company, record in writer.expected.items():
            pk, outcome, snoozed = stored[company]
            assert pk == writer.ids[company]
            assert follow_ups.get(pk, Counter()) == record["follow_ups"], (writer.name, company)
            assert (outcome, snoozed) == (record["outcome"], record["snoozed_until"])
        counts = server.query(
            "SELECT count(*), count(DISTINCT company) FROM applications_application"
            " WHERE owner_id = ? AND company LIKE 'upload%'",
            owner,
        )
        assert counts == [(UPLOAD_APPLICATIONS, UPLOAD_APPLICATIONS)], writer.name
        assert server.query(
            "SELECT count(*) FROM applications_followup f JOIN applications_application a"
            " ON a.id = f.application_id WHERE a.owner_id = ? AND a.company LIKE 'upload%'",
            owner,
        ) == [(3 * UPLOAD_APPLICATIONS,)]

    writes = sum(
        1 + sum(r["follow_ups"].values()) + bool(r["outcome"] or r["snoozed_until"])
        for w in writers
        for r in w.expected.values()
    )
    total = sum(w.requests for w in writers)
    # Sustained: every client kept going, cycle after cycle, to the end.
    assert all(len(w.expected) >= 2 for w in writers), [len(w.expected) for w in writers]
    timings = sorted(t for w in writers for t in w.timings)
    print(
        f"\n{total} requests, {writes} accepted writes and {CLIENTS} uploads, 0 errors "
        f"in {SUSTAINED_SECONDS} s; answers in {timings[len(timings) // 2] * 1000:.0f} ms "
        f"(median), {timings[-1] * 1000:.0f} ms at most"
    )


# ----------------------------------------------------------------------------------------
# (b) 8 imports started at once, in 8 processes


def test_eight_simultaneous_imports_all_succeed(server, tmp_path):
    today = datetime.date.today()
    commands = []
    for i in range(COMMAND_IMPORTS):
        path = tmp_path / f"import{i}.json"
        path.write_text(json.dumps(document(f"import{i}", COMMAND_APPLICATIONS, today)))
        commands.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "import_applications", str(path), "--user", f"importer{i}"],
                cwd=ROOT,
                env=server.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
        )
    results = [(command.wait(timeout=120), *command.communicate()) for command in commands]

    for code, out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "locked" not in err, err
        assert f"Imported {COMMAND_APPLICATIONS} applications" in out
    for i in range(COMMAND_IMPORTS):
        owner = server.seeded["users"][f"importer{i}"]["id"]
        assert server.query(
            "SELECT count(*), count(DISTINCT company) FROM applications_application"
            " WHERE owner_id = ? AND company LIKE ?",
            owner,
            f"import{i}-%",
        ) == [(COMMAND_APPLICATIONS, COMMAND_APPLICATIONS)]
        for table, per_application in (
            ("applications_contact", 2),
            ("applications_interview", 2),
            ("applications_followup", 3),
        ):
            assert server.query(
                f"SELECT count(*) FROM {table} t JOIN applications_application a"  # noqa: S608
                " ON a.id = t.application_id WHERE a.owner_id = ?",
                owner,
            ) == [(per_application * COMMAND_APPLICATIONS,)], table


# ----------------------------------------------------------------------------------------
# (c) a double click


@pytest.mark.parametrize(
    ("kind", "action", "fields"),
    [
        ("check_in", "check-in/", {"channel": "email", "confirm_early": "on"}),
        ("thank_you", "thank-you/", {"contact": ""}),
        ("response", "response/", {"channel": "email", "outcome": "", "note": "soon"}),
    ],
)
def test_a_double_click_records_one_follow_up(server, kind, action, fields):
    user = server.seeded["users"]["clicker"]
    offset = ["check_in", "thank_you", "response"].index(kind) * DOUBLE_CLICKS
    targets = user["applications"][offset : offset + DOUBLE_CLICKS]
    day = (datetime.date.fromisoformat(user["today"]) - datetime.timedelta(days=2)).isoformat()
    tab = Browser(server, user)
    assert tab.get("/").status_code == 200

    for pk in targets:
        page = f"/applications/{pk}/"
        before = server.query(
            "SELECT count(*) FROM applications_followup WHERE application_id = ? AND kind = ?",
            pk,
            kind,
        )[0][0]
        # Two connections of one browser, one session and one token, released together.
        clicks = [Browser(server, user) for _ in range(2)]
        for click in clicks:
            click.http.cookies.update(tab.http.cookies)
            click.token = tab.token
        barrier, answers = threading.Barrier(2), []

        def click_once(browser, page=page, barrier=barrier, answers=answers):
            barrier.wait(timeout=30)
            try:
                answers.append(browser.post(page + action, {"date": day, "next": page, **fields}))
            except requests.RequestException as error:
                answers.append(error)

        threads = [threading.Thread(target=click_once, args=(c,)) for c in clicks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert [redirected(a) if isinstance(a, requests.Response) else a for a in answers] == [
            True,
            True,
        ]
        # Once per recipient: a thank-you to everyone is one to each person met.
        after, recipients = server.query(
            "SELECT count(*), count(DISTINCT coalesce(contact_id, 0)) FROM applications_followup"
            " WHERE application_id = ? AND kind = ? AND date = ?",
            pk,
            kind,
            day,
        )[0]
        assert after == recipients >= 1, (
            f"{kind} on application {pk}: {after} recorded for {recipients} (had {before} before)"
        )
    assert_server_log_clean(server)


def post_twice_at_once(server, user, tab, path, data):
    """Two connections of `tab`'s browser (one session, one CSRF token) post `data` to
    `path` at the same instant; returns each answer's redirect, or what went wrong."""
    clicks = [Browser(server, user) for _ in range(2)]
    for click in clicks:
        click.http.cookies.update(tab.http.cookies)
        click.token = tab.token
    barrier, answers = threading.Barrier(2), []

    def click_once(browser):
        barrier.wait(timeout=30)
        try:
            answer = browser.post(path, data)
            answers.append(answer.headers["Location"] if redirected(answer) else answer)
        except requests.RequestException as error:
            answers.append(error)

    threads = [threading.Thread(target=click_once, args=(click,)) for click in clicks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def people_met(server, application_id):
    """(interviews, people, people linked to an interview) of one application."""
    return server.query(
        "SELECT (SELECT count(*) FROM applications_interview WHERE application_id = ?),"
        " (SELECT count(*) FROM applications_contact WHERE application_id = ?),"
        " (SELECT count(*) FROM applications_interview_contacts m"
        "  JOIN applications_interview i ON i.id = m.interview_id WHERE i.application_id = ?)",
        application_id,
        application_id,
        application_id,
    )[0]


def test_a_double_click_on_the_new_application_form_saves_one_application(server):
    user = server.seeded["users"]["recorder"]
    today = datetime.date.fromisoformat(user["today"])
    tab = Browser(server, user)

    for n in range(RECORD_DOUBLE_CLICKS):
        company = f"twice-{n}"
        page = tab.get("/applications/new/")
        assert page.status_code == 200
        answers = post_twice_at_once(
            server,
            user,
            tab,
            "/applications/new/",
            {
                "submission": SUBMISSION.search(page.text).group(1),
                "application-company": company,
                "application-role": "Backend Engineer",
                "application-applied_on": (today - datetime.timedelta(days=20)).isoformat(),
                "interview-date": (today - datetime.timedelta(days=2)).isoformat(),
                "interview-format": "video",
                "interview-timeline": "none",
                "people-TOTAL_FORMS": "1",
                "people-INITIAL_FORMS": "0",
                "people-MIN_NUM_FORMS": "0",
                "people-MAX_NUM_FORMS": "20",
                "people-0-name": "Dana Reyes",
                "people-0-email": "dana@example.com",
            },
        )

        saved = server.query(
            "SELECT id FROM applications_application WHERE owner_id = ? AND company = ?",
            user["id"],
            company,
        )
        assert len(saved) == 1, f"{company}: {len(saved)} applications saved"
        ((pk,),) = saved
        assert answers == [f"/applications/{pk}/"] * 2
        assert people_met(server, pk) == (1, 1, 1), company
    assert_server_log_clean(server)


def test_a_double_click_on_the_later_round_form_saves_one_interview(server):
    user = server.seeded["users"]["recorder"]
    day = (datetime.date.fromisoformat(user["today"]) - datetime.timedelta(days=1)).isoformat()
    tab = Browser(server, user)

    for pk in user["applications"]:
        path = f"/applications/{pk}/interviews/new/"
        before = people_met(server, pk)
        page = tab.get(path)
        assert page.status_code == 200
        answers = post_twice_at_once(
            server,
            user,
            tab,
            path,
            {
                "submission": SUBMISSION.search(page.text).group(1),
                "interview-date": day,
                "interview-format": "onsite",
                "interview-timeline": "none",
                "people-TOTAL_FORMS": "1",
                "people-INITIAL_FORMS": "0",
                "people-MIN_NUM_FORMS": "0",
                "people-MAX_NUM_FORMS": "20",
                "people-0-name": "Sam Patel",
            },
        )

        assert answers == [f"/applications/{pk}/"] * 2
        interviews, people, linked = before
        assert people_met(server, pk) == (interviews + 1, people + 1, linked + 1), pk
    assert_server_log_clean(server)
