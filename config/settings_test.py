"""Settings for the test suite: the real settings, with a throwaway key and a fast hasher.

The environment set here is also what any `manage.py` a test starts inherits."""

import os

# Strong by the production rule (50+ characters), so the suite runs the DEBUG-off code.
os.environ.setdefault("SECRET_KEY", "hearback-tests-only-not-a-secret-0123456789-abcdefghijklmnop")
# The test client and the live server speak plain HTTP, like a LAN install: no redirect
# to HTTPS, no Secure cookies. tests/test_security.py checks the HTTPS-only defaults.
os.environ["HEARBACK_PLAIN_HTTP"] = "on"

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No collectstatic before tests: serve the files as they are.
STORAGES = {
    **STORAGES,  # noqa: F405 - from the star import of config.settings
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders, as `make run` does; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# django-axes refuses authenticate() calls without a request, which the test client's
# login() makes; the throttling tests (tests/test_security.py) switch it back on.
AXES_ENABLED = False
