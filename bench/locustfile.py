"""The load of `bench/bench_load.py`: job seekers browsing and recording follow-ups.

Not run on its own: bench_load.py seeds the database and names the accounts in the JSON
file HEARBACK_LOAD_ACCOUNTS ({"session_cookie": ..., "accounts": [{"session", "today",
"applications"}, ...]}), then runs `locust -f bench/locustfile.py --headless ...`.

Each simulated user is one signed-in browser (one account each, round robin; the
session was made directly in the session store, so sign-in throttling plays no part):
it opens the dashboard and fetches the style sheet once, then, after a think time of
HEARBACK_LOAD_WAIT seconds ("low,high", uniformly; default 0.5,1.5), does one of:

- 4 in 10: the dashboard,
- 3 in 10: the page of one of its applications,
- 1 in 10 each: record a check-in, a thank-you or a response on one of them,

each POST with the CSRF token of the last page read (as a browser's form does), the
Origin and Referer a browser sends, and a date in the last 60 days. A request counts as
a failure unless it answers as it should: pages 200 (a redirect to the sign-in page is
a failure), actions a 302 back to the site (a refused form or a crash is a failure).
Redirects are not followed, so an action's time is the write alone.
"""

import datetime
import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie

from locust import FastHttpUser, between, task

with open(os.environ["HEARBACK_LOAD_ACCOUNTS"]) as handle:
    FIXTURE = json.load(handle)
_accounts = itertools.cycle(FIXTURE["accounts"])

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
_low, _high = (float(x) for x in os.environ.get("HEARBACK_LOAD_WAIT", "0.5,1.5").split(","))


def _cookie(name, value, host):
    return Cookie(
        0, name, value, None, False, host, False, False, "/", True, False, None, False,
        None, None, {},
    )  # fmt: skip


class JobSeeker(FastHttpUser):
    wait_time = between(_low, _high)

    def on_start(self):
        account = next(_accounts)
        host = self.host.split("://", 1)[1].split(":", 1)[0]
        self.client.cookiejar.set_cookie(
            _cookie(FIXTURE["session_cookie"], account["session"], host)
        )
        self.applications = account["applications"]
        self.today = datetime.date.fromisoformat(account["today"])
        self.token = None
        html = self.page("/", "dashboard")
        found = STYLESHEET.search(html or "")
        if found:  # fetched once: its hashed name lets the browser cache it for good
            self.client.get(found.group(1), name="static (once per user)")

    def page(self, path, name):
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}, not the page")
                return None
            found = TOKEN.search(response.text)
            if found:
                self.token = found.group(1)
            return response.text

    def act(self, path, name, data):
        if self.token is None:
            return
        data = {**data, "csrfmiddlewaretoken": self.token}
        headers = {"Origin": self.host, "Referer": self.host + path}
        with self.client.post(
            path, data=data, headers=headers, name=name, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            location = response.headers.get("Location") or ""
            if response.status_code != 302 or not location.startswith("/"):
                response.failure(f"{response.status_code}, not recorded")

    def some_day(self):
        return (self.today - datetime.timedelta(days=random.randrange(60))).isoformat()

    def some_application(self):
        return f"/applications/{random.choice(self.applications)}/"

    @task(4)
    def dashboard(self):
        self.page("/", "dashboard")

    @task(3)
    def application_page(self):
        self.page(self.some_application(), "application page")

    @task(1)
    def check_in(self):
        page = self.some_application()
        self.act(
            page + "check-in/",
            "check-in",
            {"date": self.some_day(), "channel": "email", "confirm_early": "on", "next": page},
        )

    @task(1)
    def thank_you(self):
        page = self.some_application()
        self.act(page + "thank-you/", "thank-you", {"date": self.some_day(), "next": page})

    @task(1)
    def response(self):
        page = self.some_application()
        self.act(
            page + "response/",
            "response",
            {"date": self.some_day(), "channel": "email", "note": "They are still deciding.",
             "next": page},
        )  # fmt: skip
