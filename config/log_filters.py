"""Keep secrets that travel in URLs out of the logs."""

import logging
import re

# The calendar feed's token, a password-reset link's token and an address-confirmation
# link's token are the key to the door: a log line must never carry them.
_SECRET_PATHS = (
    (re.compile(r"(/calendar/)[^/\s?]+(\.ics)"), r"\1[hidden]\2"),
    (re.compile(r"(/accounts/reset/)[^/\s?]+/[^/\s?]+/"), r"\1[hidden]/"),
    (re.compile(r"(/accounts/email/confirm/)[^/\s?]+/"), r"\1[hidden]/"),
)


def hide_secrets(text: str) -> str:
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class HideSecretURLs(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = hide_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(hide_secrets(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: hide_secrets(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
