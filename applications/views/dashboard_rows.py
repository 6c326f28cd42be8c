"""The dashboard's application rows, rendered in Python.

Why not the template: a busy job search has hundreds of active applications, each row
with four small forms. Through Django's template engine that page cost ~45x the login
page (200+ ms, measured by `make bench`); the same markup built here from strings that
are translated, reversed and escaped once per request costs a few milliseconds. The
markup mirrors what a template would produce, and every user-supplied value goes
through `escape`.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from applications import status as engine

_PLACEHOLDER = 987654321

# Where the template puts a section's rows. An HTML comment: user text on the page is
# escaped, so it can only come from the template.
ROWS_SLOT = mark_safe("<!--dashboard-rows-->")


def _url_pattern(name: str) -> str:
    """The URL of `name` with `{id}` where the application's id goes."""
    return reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{id}")


def dashboard_rows_html(rows, *, as_of, csrf_token: str, next_path: str) -> SafeString:
    """One `<li>` per row, in the order given."""
    # Each URL split where the application's id goes.
    detail_url = _url_pattern("application_detail").split("{id}")
    response_url = _url_pattern("response").split("{id}")
    close_url = _url_pattern("close").split("{id}")
    hidden = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
    )
    today = as_of.isoformat()
    check_in_form = (
        f'<form method="post" action="{_url_pattern("check_in")}">{hidden}'
        f'<input type="hidden" name="date" value="{today}">'
        '<input type="hidden" name="channel" value="email">'
        f'<button type="submit">{escape(_("I checked in"))}</button></form>'
        f'<form method="post" action="{_url_pattern("snooze")}">{hidden}'
        '<input type="hidden" name="week" value="1">'
        f'<button type="submit" class="secondary">{escape(_("Snooze a week"))}</button></form>'
    ).split("{id}")
    responded = escape(_("They responded"))
    close_options = "".join(
        f'<option value="{value}">{escape(str(engine.LABELS[value]))}</option>'
        for value in (engine.REJECTED, engine.WITHDRAWN, engine.OFFER)
    )
    close_label = escape(_("Close"))
    # The same status line, date and reason recur over many rows: each is built once.
    status_lines = {
        status: (
            f'<p class="status-line"><span class="badge badge-{status}">'
            f"{escape(str(label))}</span>"
        )
        for status, label in engine.LABELS.items()
    }
    dates, reasons = {}, {}
    # Escaping the sentence and then the names inserted gives the same text as escaping
    # the whole sentence: `escape` replaces characters one by one, and leaves `%(...)s`.
    select_text = escape(_("Select %(company)s, %(role)s"))
    ended_text = escape(_("How did %(company)s end?"))
    parts = []
    append = parts.append
    for row in rows:
        status = row.status
        row_id = str(row.id)
        company, role = escape(row.company), escape(row.role)
        next_date = status.next_action_date
        if next_date is None:
            when = ""
        else:
            when = dates.get((next_date, row.next_label))
            if when is None:
                when = dates[(next_date, row.next_label)] = (
                    f' <time datetime="{next_date.isoformat()}">{escape(row.next_label)}</time>'
                )
        reason = reasons.get(status.reason)
        if reason is None:
            reason = reasons[status.reason] = escape(status.reason)
        quick = row_id.join(check_in_form) if status.code == engine.FOLLOW_UP_NOW else ""
        append(
            f'<li class="row status-{status.code}">'
            f'<input type="checkbox" name="selected" value="{row_id}" form="bulk" '
            f'id="select-{row_id}" aria-label="{select_text % {"company": company, "role": role}}">'
            '<div class="row-main">'
            f'<h3><a href="{detail_url[0]}{row_id}{detail_url[1]}">{company}</a> '
            f'<span class="role">{role}</span></h3>'
            f"{status_lines[status.code]}{when}</p>"
            f'<p class="reason">{reason}</p>'
            "</div>"
            '<div class="row-actions">'
            f"{quick}"
            f'<a class="button secondary" href="{response_url[0]}{row_id}{response_url[1]}">'
            f"{responded}</a>"
            f'<form method="post" action="{close_url[0]}{row_id}{close_url[1]}" class="close-form">'
            f'{hidden}<label class="visually-hidden" for="outcome-{row_id}">'
            f'{ended_text % {"company": company}}</label>'
            f'<select name="outcome" id="outcome-{row_id}">{close_options}</select>'
            f'<button type="submit" class="secondary">{close_label}</button></form>'
            "</div></li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def fill_rows_slots(html: str, sections_rows_html: list) -> str:
    """`html` with its `ROWS_SLOT`s replaced, in order, by `sections_rows_html`.

    Why not pass the rows to the template: at 300 rows they are ~0.5 MB, and the
    template engine copies a value once for each node around it (the loop, the ifs, the
    block, the base template): ~2 ms of the dashboard's ~20 (`make bench`). Filled in
    here, the rows are copied once.
    """
    parts = html.split(ROWS_SLOT)
    if len(parts) != len(sections_rows_html) + 1:
        raise ValueError(f"{len(parts) - 1} row slots for {len(sections_rows_html)} sections")
    filled = [parts[0]]
    for rows_html, after in zip(sections_rows_html, parts[1:], strict=True):
        filled.append(rows_html)
        filled.append(after)
    return "".join(filled)
