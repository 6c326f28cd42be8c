"""The Jinja2 environment, for the dashboard's lists and rows (the hot partials).

Why Jinja2 at all: the dashboard lists every active application, hundreds in a busy
search, each row with a few buttons and links. Through Django's template engine those
rows cost 60-135 ms at 300 applications; through Jinja2 about 6.5 ms, plus 2 ms for the
reason sentences they show (`make bench`), and kept once written (docs/architecture.md,
"Speed") well under 1 ms. Every other page and partial is a Django template. The
environment offers what a Django
template has: `url()`, translations (`_`, `gettext`, `ngettext`), `csrf_input`, and the
dates in words of `applications.humanize`.
"""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from applications import humanize


def url(name: str, *args) -> str:
    """`{% url name arg %}` in Jinja2."""
    return reverse(name, args=args)


def environment(**options) -> Environment:
    # Django's backend passes autoescape=True in `options`, as its own templates escape.
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    # Old-style gettext: `_()` returns the translated text as it is, so a sentence with
    # placeholders is translated once and filled in with `|format(...)` (then escaped).
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    env.globals.update(
        url=url,
        day_in_words=humanize.day_in_words,
        date_in_words=humanize.date_in_words,
        time_in_words=humanize.time_in_words,
    )
    return env
