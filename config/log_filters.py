"""Keep secrets that travel in URLs out of the logs."""

import logging
import re

# The calendar feed's token and a password-reset link's token are the key to the door:
# a log line must never carry them.
_SECRET_PATHS = re.compile(r"(/calendar/)[^/\s?]+(\.ics)|(/accounts/reset/)[^/\s?]+/[^/\s?]+/")


def hide_secrets(text: str) -> str:
    return _SECRET_PATHS.sub(
        lambda m: f"{m.group(1)}[hidden]{m.group(2)}" if m.group(1) else f"{m.group(3)}[hidden]/",
        text,
    )


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
