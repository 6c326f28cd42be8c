"""An application's story in date order: as a list, and as a picture (SVG geometry).

The template draws the picture from these numbers; the list beside it is its text
alternative. Nothing here decides a status: the engine's result is passed in.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications import status as engine
from applications.humanize import date_in_words, time_in_words
from applications.models import Application, FollowUpKind, ResponseOutcome
from applications.timing import WORDS, Timing

# The top 20 px hold the word "today" alone: the highest labels start below it.
WIDTH, HEIGHT = 1000, 166
MARGIN = 60
AXIS_Y = 86

# The upright picture a phone shows instead: time runs down a line at TALL_AXIS_X, each
# event a row with its date and kind beside its mark. Rows are spaced by the days
# between them, but never closer than TALL_MIN_GAP (so no label covers another) nor
# further than TALL_MAX_GAP (so a quiet month does not push the rest off the screen).
TALL_WIDTH = 340
TALL_AXIS_X = 28
TALL_TOP = 34
TALL_MIN_GAP, TALL_MAX_GAP, TALL_PX_PER_DAY = 30, 90, 6

# The kinds of event in a word or two, as the picture's legend names them.
KIND_WORDS = {
    "applied": gettext_lazy("Applied"),
    "interview": gettext_lazy("Interview"),
    "decision": gettext_lazy("Their date"),
    "thank_you": gettext_lazy("Thank-you"),
    "check_in": gettext_lazy("Check-in"),
    "response": gettext_lazy("Response"),
    "next": gettext_lazy("Next step"),
}

# Events of one day are listed in this order (the others after them), then as recorded.
ORDER = {"applied": 0, "interview": 1, "thank_you": 2, "check_in": 3, "response": 4}


@dataclass(slots=True)
class Event:
    date: datetime.date
    kind: str  # applied, interview, decision, thank_you, check_in, response, next, today
    title: str
    detail: str = ""
    people: list = field(default_factory=list)
    early: bool = False
    object_id: int | None = None
    date_label: str = ""  # "Mon, Dec 7, 2026"
    said: str = ""  # an interview's: what they said about timing, in their words
    place: str = ""  # an interview's: where, or the video call's link


@dataclass(slots=True)
class Mark:
    x: int
    label_y: int
    kind: str
    label: str
    date_label: str


@dataclass(slots=True)
class TallMark:
    """A mark of the upright picture: its height, and "Nov 22 · Applied" beside it."""

    y: int
    kind: str
    label: str


@dataclass(slots=True)
class Timeline:
    events: list
    marks: list
    today_x: int | None
    tall_marks: list = field(default_factory=list)
    tall_today_y: int = 0
    tall_height: int = 0
    tall_width: int = TALL_WIDTH
    tall_axis_x: int = TALL_AXIS_X
    width: int = WIDTH
    height: int = HEIGHT
    axis_y: int = AXIS_Y
    start_x: int = MARGIN
    end_x: int = WIDTH - MARGIN
    summary: str = ""


def _day_month(day: datetime.date) -> str:
    return date_in_words(day, style="day_month")


# An interview's answer to "what did they say about timing?" when it gave no date.
SAID_NO_DATE = {
    Timing.NONE: gettext_lazy("They didn't say when they would decide."),
    Timing.NOT_ASKED: gettext_lazy("You haven't asked about their timing yet."),
}


def _interview_title(interview) -> str:
    """ "Interview (video)", or "Interview (video, 2:30 PM)" when its time is known."""
    kind = interview.get_format_display().lower()
    if interview.time is None:
        return _("Interview (%(format)s)") % {"format": kind}
    return _("Interview (%(format)s, %(time)s)") % {
        "format": kind,
        "time": time_in_words(interview.time),
    }


def _said(interview) -> str:
    """What they said about timing at `interview`, as its event shows it ("" when their
    words were not kept, or were a plain date or range: the decision event shows it)."""
    if interview.timing in WORDS:
        return _("They said “%(words)s”.") % {"words": WORDS[interview.timing]}
    return str(SAID_NO_DATE.get(interview.timing, ""))


def _decision_title(interview) -> str:
    """The title of the event on the date they said they would decide by."""
    start, end = interview.decision_from, interview.decision_by
    ranged = start is not None and start != end
    if interview.timing in WORDS:
        words = WORDS[interview.timing]
        if ranged:
            return _("They said “%(words)s”: between %(start)s and %(end)s") % {
                "words": words,
                "start": _day_month(start),
                "end": _day_month(end),
            }
        return _("They said “%(words)s”: by this date") % {"words": words}
    if ranged:
        return _("They expect to decide between %(start)s and %(end)s") % {
            "start": _day_month(start),
            "end": _day_month(end),
        }
    return _("They expect to decide by this date")


# A response's title by what they said; the others read "They responded: <outcome>".
RESPONSE_TITLES = {
    "": gettext_lazy("They responded"),
    ResponseOutcome.OFFER_COMING: gettext_lazy("They said an offer is on its way"),
    ResponseOutcome.COURTESY: gettext_lazy("A courtesy reply (no news)"),
}
# The event on the date a response gave, by what they said.
NEW_DATE_TITLES = {
    ResponseOutcome.OFFER_COMING: gettext_lazy("The written offer is expected"),
}


def _response_title(follow_up) -> str:
    if follow_up.outcome in RESPONSE_TITLES:
        return str(RESPONSE_TITLES[follow_up.outcome])
    return _("They responded: %(outcome)s") % {"outcome": follow_up.get_outcome_display().lower()}


def application_timeline(
    *, application: Application, status: engine.Status, as_of: datetime.date
) -> Timeline:
    """Every dated thing about `application`, oldest first, with the picture's layout.

    Reads its interviews with their people and its follow-ups with their person: load
    them first (`selectors.application_page_get`), or each is a query."""
    events = [Event(application.applied_on, "applied", _("Applied"))]
    early = set(status.early_check_ins)
    for interview in application.interviews.all():
        people = [contact.name for contact in interview.contacts.all()]
        events.append(
            Event(
                interview.date,
                "interview",
                _interview_title(interview),
                interview.next_steps,
                people,
                object_id=interview.pk,
                said=_said(interview),
                place=interview.place,
            )
        )
        if interview.decision_by:
            events.append(Event(interview.decision_by, "decision", _decision_title(interview)))
    for follow_up in application.follow_ups.all():
        people = [follow_up.contact.name] if follow_up.contact else []
        if follow_up.kind == FollowUpKind.RESPONSE:
            title = _response_title(follow_up)
            if follow_up.new_decision_by:
                new_date_title = NEW_DATE_TITLES.get(follow_up.outcome, _("New date they gave"))
                events.append(Event(follow_up.new_decision_by, "decision", str(new_date_title)))
        elif follow_up.kind == FollowUpKind.CHECK_IN:
            title = _("You checked in (%(channel)s)") % {
                "channel": follow_up.get_channel_display().lower()
            }
        else:
            title = _("Thank-you note sent")
        events.append(
            Event(
                follow_up.date,
                follow_up.kind,
                title,
                follow_up.note,
                people,
                early=follow_up.kind == FollowUpKind.CHECK_IN and follow_up.date in early,
                object_id=follow_up.pk,
            )
        )
    if status.next_action_date is not None:
        label = (
            _("Follow up from here") if status.code == engine.FOLLOW_UP_NOW else _("Next change")
        )
        events.append(Event(status.next_action_date, "next", label))
    events.sort(key=lambda event: (event.date, ORDER.get(event.kind, 9)))
    for event in events:
        event.date_label = date_in_words(event.date)
    # Never empty: the application date is always there.
    first = min(events[0].date, as_of)
    last = max(events[-1].date, as_of)
    tall_marks, tall_today_y, tall_height = _tall_marks(events, as_of)
    return Timeline(
        events=events,
        marks=_marks(events, first, last),
        today_x=_x(as_of, first, last),
        tall_marks=tall_marks,
        tall_today_y=tall_today_y,
        tall_height=tall_height,
        summary=_summary(events, as_of),
    )


def _x(day, first, last) -> int:
    span = max((last - first).days, 1)
    return MARGIN + round((day - first).days / span * (WIDTH - 2 * MARGIN))


def _marks(events, first, last) -> list:
    marks = []
    # Labels alternate above and below the axis, and step further out when two marks
    # sit close together, so short dates never print over each other.
    last_x_by_row = {}
    previous_date, same_day = None, 0
    for index, event in enumerate(events):
        # Events of one day sit side by side rather than on top of each other.
        same_day = same_day + 1 if event.date == previous_date else 0
        previous_date = event.date
        x = _x(event.date, first, last) + 16 * same_day
        row = index % 2
        level = 0
        while x - last_x_by_row.get((row, level), -1000) < 70 and level < 2:
            level += 1
        last_x_by_row[(row, level)] = x
        label_y = AXIS_Y - 22 - 16 * level if row == 0 else AXIS_Y + 32 + 16 * level
        marks.append(
            Mark(x, label_y, event.kind, event.title, date_in_words(event.date, style="day_month"))
        )
    return marks


def _tall_marks(events, as_of) -> tuple[list, int, int]:
    """The upright picture: a row per event, oldest at the top, and where today falls
    (between the rows of the days around it). Returns (marks, today's y, height)."""
    marks, y, previous = [], TALL_TOP, None
    today_y = None
    for event in events:
        if previous is not None:
            days = (event.date - previous).days
            step = min(max(days * TALL_PX_PER_DAY, TALL_MIN_GAP), TALL_MAX_GAP)
            if today_y is None and previous <= as_of < event.date:
                # Today sits between the two rows, by its share of the days between
                # them, and never on either row's label.
                share = round(step * (as_of - previous).days / days)
                half = TALL_MIN_GAP // 2
                today_y = y + min(max(share, half), step - half)
            y += step
        elif as_of < event.date:
            today_y = y - TALL_MIN_GAP // 2
        previous = event.date
        label = f"{date_in_words(event.date, style='day_month')} · {KIND_WORDS.get(event.kind, '')}"
        marks.append(TallMark(y, event.kind, label))
    if today_y is None:  # today is on or after the last event
        today_y = y + (0 if as_of == previous else TALL_MIN_GAP // 2 + 6)
    height = max(y, today_y) + TALL_MIN_GAP
    return marks, today_y, height


def _summary(events, as_of) -> str:
    first, last = events[0].date, events[-1].date
    return ngettext(
        "%(count)d event from %(first)s to %(last)s; today is %(today)s.",
        "%(count)d events from %(first)s to %(last)s; today is %(today)s.",
        len(events),
    ) % {
        "count": len(events),
        "first": date_in_words(first, style="short"),
        "last": date_in_words(last, style="short"),
        "today": date_in_words(as_of, style="short"),
    }


def history_events(timeline: Timeline, *, first: bool, last: bool) -> list:
    """The events of one page of an application's whole history (`timeline` made from
    that page's interviews and follow-ups): the application date only on the first
    page, the next step only on the last."""
    return [
        event
        for event in timeline.events
        if (event.kind != "applied" or first) and (event.kind != "next" or last)
    ]
