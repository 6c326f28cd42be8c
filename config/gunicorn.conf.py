"""gunicorn settings for `make serve`: `gunicorn --config config/gunicorn.conf.py config.wsgi`.

Meant to sit behind a TLS proxy (nginx, Caddy) on the same host; see README, "Production".
Everything that differs between servers comes from the environment (or the .env file):

- GUNICORN_BIND: where to listen (default 127.0.0.1:8000: the proxy's upstream, not the
  world). A unix socket works too: unix:/run/hearback/gunicorn.sock.
- WEB_CONCURRENCY: worker processes (default 2). Sync workers, one request each: 2-4 per
  CPU core is plenty for Hearback, whose requests take milliseconds.
- FORWARDED_ALLOW_IPS: the proxies whose X-Forwarded-Proto is believed (default: this
  host, 127.0.0.1 and ::1). From those, `X-Forwarded-Proto: https` makes the request
  secure for Django (secure cookies, no HTTPS redirect loop); from anyone else it is
  ignored, so a client cannot claim HTTPS on a plain connection. Hearback's settings
  read the same variable, with the same default, for the same headers and for
  X-Forwarded-For (applications/middleware.py): one setting rules both.
"""

import os
import re
from pathlib import Path

from environ import Env
from gunicorn.glogging import Logger

# The same .env beside manage.py that the settings read, read the same way (the real
# environment wins), so GUNICORN_BIND and WEB_CONCURRENCY may live there too.
Env.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)

bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# A worker busy this long with one request is stuck: it is killed and replaced. On a
# restart (SIGHUP, or systemd's reload), workers get this long to finish their requests.
timeout = 30
graceful_timeout = 30
# Idle keep-alive connections from the proxy on the same host.
keepalive = 5
# Replace each worker now and then, so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# No control socket (gunicornc): it would live in $HOME/.gunicorn/, shared by every gunicorn
# of that user. Signals still work: HUP reloads, TERM stops, TTIN/TTOU add/remove a worker.
control_socket_disable = True
# Worker heartbeats in memory, not on a disk that may stall.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Both logs to the standard streams: systemd's journal (or docker) keeps them.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Peer (the proxy), the client's address as the proxy saw it, time, request, status,
# size, duration in ms, user agent.
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# URLs that are secrets in themselves: the calendar feed (anyone holding it reads the
# calendar) and password-reset links. They never reach the log in full.
_SECRET_PATHS = (
    (re.compile(r"(/calendar/)[^/?#\s\"]+(\.ics)"), r"\1[hidden]\2"),
    (re.compile(r"(/accounts/reset/)[^/?#\s\"]+/[^/?#\s\"]+/"), r"\1[hidden]/"),
)


def _hide_secrets(text):
    if not isinstance(text, str):
        return text
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class SecretHidingLogger(Logger):
    """gunicorn's logger, with the secret part of feed and password-reset URLs hidden."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f", "{referer}i", "{raw_uri}e", "{path_info}e"):
            if key in atoms:
                atoms[key] = _hide_secrets(atoms[key])
        return atoms


logger_class = SecretHidingLogger
