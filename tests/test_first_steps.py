"""What a newcomer meets first: the sign-up page says what Hearback is, the browser's
/favicon.ico answers, and the admin account for development is one documented command
that works without a SECRET_KEY."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_the_sign_up_page_says_what_hearback_is_in_one_line():
    html = Client().get("/accounts/signup/").content.decode()

    assert (
        '<p class="lead">Hearback tells you, for every job you applied to, when to follow up '
        "after an interview and when to move on.</p>"
    ) in html


@pytest.mark.django_db
def test_favicon_ico_answers_signed_out_with_the_icon():
    response = Client().get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("/img/favicon.svg")
    assert (ROOT / "static" / "img" / "favicon.svg").read_text().lstrip().startswith("<svg")


def test_make_admin_creates_a_staff_account_on_the_development_settings(tmp_path):
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile[makefile.index("\nadmin:") : makefile.index("\nrun:")]
    assert "DEBUG=$${DEBUG:-on} $(BIN)/python manage.py createsuperuser" in recipe
    assert "make admin" in (ROOT / "README.md").read_text()

    # The same command, answered from the environment, with no SECRET_KEY anywhere.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        DEBUG="on",
        DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        DJANGO_SUPERUSER_USERNAME="admin",
        DJANGO_SUPERUSER_PASSWORD="a long enough password 7",
        DJANGO_SUPERUSER_EMAIL="admin@example.com",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["createsuperuser", "--noinput"]):
        done = subprocess.run(
            manage + command, env=environment, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    assert re.search(r"Superuser created successfully", done.stdout)
