"""Small helpers shared by the tests."""

import datetime
import threading
from dataclasses import dataclass
from html.parser import HTMLParser

from django.contrib.messages import get_messages
from django.db import connections

from applications import status as engine
from applications.models import Application, Contact


def days(today, n):
    return today + datetime.timedelta(days=n)


def short(day, as_of):
    """A date as reason sentences write it: "Dec 3", with the year outside as_of's."""
    text = f"{day:%b} {day.day}"
    return text if day.year == as_of.year else f"{text}, {day.year}"


def messages_of(response):
    """The messages the request flashed, as text."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def people_data(*rows, prefix="people"):
    """A people formset as a page posts it: the management form, then each row's fields
    as given (a field left out of a row is not posted)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def at_once(action, *, times=2):
    """Run `action` in `times` threads released together, as simultaneous requests or
    runs on several hosts would; return (what each returned, what each raised).

    For races, so against a server database: each thread closes its own connections when
    done, or the test database could not be dropped at the end of the run.
    """
    start = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(action())
        except Exception as error:  # noqa: BLE001 - the caller asserts there were none
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def facts_of(application) -> engine.ApplicationFacts:
    """The engine's facts of a saved application, read here from its model instances: a
    second path, independent of selectors.application_rows, for tests to compare with."""
    application = (
        type(application)
        .objects.prefetch_related("interviews__contacts", "follow_ups")
        .get(pk=application.pk)
    )
    return engine.ApplicationFacts(
        applied_on=application.applied_on,
        interviews=tuple(
            engine.InterviewFacts(
                date=interview.date,
                decision_from=interview.decision_from,
                decision_by=interview.decision_by,
                contacts=tuple(contact.pk for contact in interview.contacts.all()),
                timing=interview.timing,
                recorded=interview.pk,
            )
            for interview in application.interviews.all()
        ),
        follow_ups=tuple(
            engine.FollowUpFacts(
                date=follow_up.date,
                kind=follow_up.kind,
                contact=follow_up.contact_id,
                new_decision_by=follow_up.new_decision_by,
                outcome=follow_up.outcome,
                recorded=follow_up.pk,
            )
            for follow_up in application.follow_ups.all()
        ),
        outcome=application.outcome,
        snoozed_until=application.snoozed_until,
    )


@dataclass
class Ctx:
    """The starting data: the owner's application with its people, and a stranger's
    (what the `ctx` fixture of tests/conftest.py makes)."""

    owner: object
    today: datetime.date
    application: Application
    contact: Contact
    other_application: Application
    stranger_contact: Contact
    stranger_application: Application

    def day(self, offset: int) -> str:
        return (self.today + datetime.timedelta(days=offset)).isoformat()


class _Buttons(HTMLParser):
    """The POST forms of a page (their action and hidden fields, by id) and its submit
    buttons (their form, own action, name and value), as a browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.buttons, self._open = {}, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            key = attrs.get("id") or f"form-{len(self.forms)}"
            self.forms[key] = {"action": attrs.get("action", ""), "fields": {}}
            self._open = key
        elif tag == "input" and attrs.get("type") == "hidden":
            owner = attrs.get("form") or self._open
            if owner in self.forms:
                self.forms[owner]["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.buttons.append({**attrs, "form": attrs.get("form") or self._open})

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def submissions(page_html: str) -> dict[str, dict]:
    """{address: fields} of what each submit button of a POST form in `page_html` sends,
    as a browser would: its form's hidden fields (its own `form` attribute or the form
    around it), its own name and value, to its `formaction` or else the form's action."""
    parser = _Buttons()
    parser.feed(page_html)
    sent = {}
    for button in parser.buttons:
        form = parser.forms.get(button["form"])
        if form is None:
            continue
        fields = dict(form["fields"])
        if button.get("name"):
            fields[button["name"]] = button.get("value", "")
        sent[button.get("formaction") or form["action"]] = fields
    return sent
