"""The calendar feed as iCalendar (RFC 5545), written by the `icalendar` library.

`calendar_ical()` turns what `selectors.calendar_events` read into the `.ics` body: one
all-day event per follow-up date and per upcoming interview, except that an interview
with a time is a timed event (an hour, in the user's time zone, with its VTIMEZONE), and
one with a place carries it as its LOCATION. It decides wording only; which events exist
and on which day is the selector's (and so the engine's) answer.

Every event's UID names the thing it stands for (`application-17-next@host`,
`interview-42@host`), never the date: when a date moves, calendar apps move the event
they already have instead of adding a second one. Escaping of the user's own text
(commas, semicolons, new lines in a company name) is the library's job, never ours.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from applications import status as engine
from applications.humanize import date_in_words
from applications.models import InterviewFormat
from applications.selectors import CalendarEvents, CalendarFollowUp, CalendarInterview

PRODID = "-//Hearback//Follow-up calendar//EN"
# How often calendar apps that honour it (Apple, Outlook, Thunderbird) should refetch:
# often enough that a follow-up logged this morning leaves the calendar today.
REFRESH_EVERY = timedelta(hours=1)
_ONE_DAY = timedelta(days=1)
# A timed interview's event lasts this long: the feed knows when it starts, not its end.
INTERVIEW_LENGTH = timedelta(hours=1)
# The VTIMEZONE written for timed interviews covers the years they can fall in.
_ZONE_YEARS = timedelta(days=3 * 366)


def calendar_ical(
    *,
    events: CalendarEvents,
    uid_host: str,
    absolute_url: Callable[[str], str],
    calendar_uid: str,
    now: datetime,
    time_zone: str = "UTC",
) -> bytes:
    """The feed's body. `uid_host` is the right-hand side of every UID; `absolute_url`
    makes a path absolute (the view passes `request.build_absolute_uri`); `now` is the
    DTSTAMP of every event (an aware datetime); `time_zone` is the user's, in which a
    timed interview starts."""
    calendar = Calendar.new(
        prodid=PRODID,
        name="Hearback",
        description=_("Your follow-up dates and interviews, from Hearback."),
        method="PUBLISH",
        uid=calendar_uid,
    )
    # RFC 7986 requires VALUE=DURATION here, which `Calendar.new(refresh_interval=)`
    # leaves out; X-PUBLISHED-TTL is the older name Outlook reads.
    calendar.add("REFRESH-INTERVAL", REFRESH_EVERY, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_EVERY))

    for follow_up in events.follow_ups:
        calendar.add_component(
            _follow_up_event(follow_up, events.as_of, uid_host, absolute_url, now)
        )
    zone = ZoneInfo(time_zone)
    for interview in events.interviews:
        calendar.add_component(_interview_event(interview, zone, uid_host, absolute_url, now))
    if any(interview.time is not None for interview in events.interviews):
        as_of = datetime.combine(events.as_of, datetime.min.time())
        calendar.add_missing_timezones(first_date=as_of, last_date=as_of + _ZONE_YEARS)
    return calendar.to_ical()


def _all_day(*, uid: str, day: date, summary: str, description: str, url: str, now) -> Event:
    # An all-day event ends (exclusively) the next day; TRANSPARENT: a reminder to
    # follow up does not make the user look busy to people booking their time.
    return Event.new(
        uid=uid,
        start=day,
        end=day + _ONE_DAY,
        stamp=now,
        summary=summary,
        description=description,
        url=url,
        transparency="TRANSPARENT",
    )


def _application_url(absolute_url, application_id: int) -> str:
    return absolute_url(reverse("application_detail", args=[application_id]))


def _follow_up_event(follow_up: CalendarFollowUp, as_of: date, uid_host, absolute_url, now):
    row = follow_up.row
    names = {"company": row.company, "role": row.role}
    if follow_up.then.code == engine.FOLLOW_UP_NOW:
        summary = _("Follow up: %(company)s, %(role)s") % names
    elif follow_up.then.code == engine.LIKELY_CLOSED:
        summary = _("Likely closed: %(company)s, %(role)s") % names
    else:
        summary = _("%(status)s: %(company)s, %(role)s") % {
            "status": follow_up.then.label,
            **names,
        }
    url = _application_url(absolute_url, row.id)
    lines = []
    if follow_up.on != follow_up.due_on:
        lines.append(
            _("Due since %(date)s: it moves to each new day until you follow up.")
            % {"date": _long_date(follow_up.due_on, as_of)}
        )
    lines += [row.status.reason, "", _("Open it in Hearback: %(url)s") % {"url": url}]
    return _all_day(
        uid=f"application-{row.id}-next@{uid_host}",
        day=follow_up.on,
        summary=summary,
        description="\n".join(lines),
        url=url,
        now=now,
    )


_FORMAT_SENTENCES = {
    InterviewFormat.PHONE: lambda: _("A phone interview."),
    InterviewFormat.VIDEO: lambda: _("A video interview."),
    InterviewFormat.ONSITE: lambda: _("An on-site interview."),
}


def _interview_event(interview: CalendarInterview, zone, uid_host, absolute_url, now):
    url = _application_url(absolute_url, interview.application_id)
    lines = []
    sentence = _FORMAT_SENTENCES.get(interview.format)
    if sentence is not None:
        lines.append(sentence())
    if interview.place:
        lines.append(_("Where: %(place)s") % {"place": interview.place})
    if interview.people:
        lines.append(_("You'll meet: %(people)s.") % {"people": ", ".join(interview.people)})
    lines += [
        _(
            "Before it ends, ask about the next steps and when they expect to decide: "
            "that date tells you when to follow up."
        ),
        "",
        _("Open it in Hearback: %(url)s") % {"url": url},
    ]
    fields = {
        "uid": f"interview-{interview.id}@{uid_host}",
        "summary": _("Interview: %(company)s, %(role)s")
        % {"company": interview.company, "role": interview.role},
        "description": "\n".join(lines),
        "url": url,
        "now": now,
    }
    if interview.time is None:
        event = _all_day(day=interview.date, **fields)
    else:
        start = datetime.combine(interview.date, interview.time, tzinfo=zone)
        event = Event.new(
            uid=fields["uid"],
            start=start,
            end=start + INTERVIEW_LENGTH,
            stamp=now,
            summary=fields["summary"],
            description=fields["description"],
            url=url,
        )
    if interview.place:
        event.add("LOCATION", interview.place)
    return event


def _long_date(day: date, as_of: date) -> str:
    """ "Mon, Dec 7", with the year outside as_of's. No "3 days ago": calendar apps keep
    a fetched description for hours, so relative words would go stale."""
    return date_in_words(day, today=as_of)
