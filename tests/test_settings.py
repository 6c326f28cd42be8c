"""The database the suite runs on, and SQLite's tuning for a web server."""

import os
import re

import environ
import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper


def test_suite_runs_on_the_database_that_database_url_names():
    url = os.environ.get("DATABASE_URL", "sqlite:///default")
    expected = (
        "sqlite" if environ.Env.db_url_config(url)["ENGINE"].endswith("sqlite3") else "postgresql"
    )
    assert connection.vendor == expected
    # .ci/run says which database its PostgreSQL leg must really be on.
    assert connection.vendor == os.environ.get("HEARBACK_EXPECT_DATABASE", connection.vendor)


@pytest.mark.django_db  # lets the test open its own connection
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    # The test database lives in memory, where WAL does not apply; open a file database
    # with the very options the settings give the real one, and read them back.
    wrapper = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "tuned.sqlite3"),
            "OPTIONS": settings.SQLITE_OPTIONS,
        },
        alias="tuning-check",
    )
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_env_example_lists_every_variable_the_settings_read():
    root = settings.BASE_DIR
    source = (root / "config" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))
    example = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (root / ".env.example").read_text().splitlines()
        if re.match(r"^#? ?[A-Z_]+=", line)
    }
    assert read, "the settings read nothing from the environment?"
    assert read <= example, f"missing from .env.example: {sorted(read - example)}"


def test_log_lines_never_carry_the_calendar_or_password_reset_secrets(caplog):
    import logging

    from config.log_filters import HideSecretURLs

    logger = logging.getLogger("hearback.test.secrets")
    logger.addFilter(HideSecretURLs())
    with caplog.at_level(logging.WARNING, logger="hearback.test.secrets"):
        logger.warning("Not Found: %s", "/calendar/s3cr3t-T0ken_x.ics")
        logger.warning("GET /accounts/reset/MQ/set-password-abc123/ 200")
    assert caplog.messages == [
        "Not Found: /calendar/[hidden].ics",
        "GET /accounts/reset/[hidden]/ 200",
    ]
    assert "s3cr3t" not in caplog.text and "abc123" not in caplog.text
