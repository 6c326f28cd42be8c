"""The status engine: should the job seeker follow up now, keep waiting, or move on?

`evaluate()` applies the rules of docs/status-rules.md to one application: a pure
function of its dates, the user's rule settings and the date it is evaluated on. It never
reads the clock and never touches the database: callers build the `*Facts` values (the
one read path, `selectors.application_rows`, does) and pass `as_of`, the user's local
date. Pages, the API, exports, the admin, the digest and the calendar all call it, so no
template or query re-implements a rule.

`evaluate()` reads as the rules do, one named step per rule: the events so far (rule 0),
closed (1), an interview ahead (2), the anchor and expected date (3, 4), the follow-up
window (5, 8), the check-ins and the last try (6, 7), gone quiet (7a), the snooze (9). It
decides; the reason's words are written only when read (`Reason`), so an evaluation
costs no translation.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import holidays
from django.utils.translation import gettext, gettext_lazy, ngettext

from applications.humanize import date_in_words
from applications.timing import WORDS as TIMING_WORDS
from applications.timing import Timing

__all__ = [
    "ACTIVE_STATUSES",
    "LABELS",
    "CHECK_IN",
    "CLOSED_STATUSES",
    "DEFAULT_RULES",
    "FOLLOW_UP_NOW",
    "LIKELY_CLOSED",
    "COURTESY",
    "NEXT_ROUND",
    "OFFER",
    "OFFER_COMING",
    "REJECTED",
    "RESPONSE",
    "THANK_YOU",
    "WAITING",
    "WITHDRAWN",
    "ApplicationFacts",
    "FollowUpFacts",
    "InterviewFacts",
    "Rules",
    "Status",
    "evaluate",
    "is_early_check_in",
    "keep_searching",
    "urgency_key",
]

WAITING, FOLLOW_UP_NOW, LIKELY_CLOSED = "waiting", "follow_up_now", "likely_closed"
OFFER, REJECTED, WITHDRAWN = "offer", "rejected", "withdrawn"
ACTIVE_STATUSES = (FOLLOW_UP_NOW, WAITING, LIKELY_CLOSED)  # in urgency order
CLOSED_STATUSES = (OFFER, REJECTED, WITHDRAWN)
THANK_YOU, CHECK_IN, RESPONSE = "thank_you", "check_in", "response"
# What a response said (FollowUpFacts.outcome); "" is an update: news without a verdict.
NEXT_ROUND, OFFER_COMING, COURTESY = "next_round", "offer_coming", "courtesy"

# Each status in words, for people (the status values above are for scripts).
LABELS = {
    FOLLOW_UP_NOW: gettext_lazy("Follow up now"),
    WAITING: gettext_lazy("Waiting"),
    LIKELY_CLOSED: gettext_lazy("Likely closed"),
    OFFER: gettext_lazy("Offer"),
    REJECTED: gettext_lazy("Rejected"),
    WITHDRAWN: gettext_lazy("Withdrawn"),
}

# The ranges of the rule settings (docs/status-rules.md, "Rule settings").
DAYS_RANGE = (0, 90)
MAX_CHECK_INS_RANGE = (1, 5)
LONG_DAYS_RANGE = (0, 365)  # applied_gives_up_days, last_try_after_days

THANK_YOU_DAYS = 7  # a thank-you is owed for an interview in [as_of - 7, as_of]
KEEP_SEARCHING_MIN_ACTIVE = 3  # fewer active applications than this: keep searching
KEEP_SEARCHING_DAYS = 7  # ... or nothing applied for in [as_of - 7, as_of]


# --- inputs -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rules:
    """One user's rule settings; the defaults are those of docs/status-rules.md.

    Out-of-range values raise ValueError: forms must reject them with a clear error
    (the spec forbids clamping), so reaching the engine with one is a bug.
    """

    grace_days: int = 2
    no_date_wait_days: int = 7
    applied_wait_days: int = 14
    check_in_spacing_days: int = 7
    max_check_ins: int = 2
    weekdays_only: bool = True
    applied_gives_up_days: int = 42  # 0: an application never goes quiet on its own
    last_try_after_days: int = 21  # 0: no check-in is ever the last try
    holiday_country: str = ""  # a country code of the `holidays` library; "": none
    holiday_subdivision: str = ""  # one of that country's subdivision codes, or ""
    _holidays_by_year: dict = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        low, high = DAYS_RANGE
        for name in (
            "grace_days",
            "no_date_wait_days",
            "applied_wait_days",
            "check_in_spacing_days",
        ):
            value = getattr(self, name)
            if type(value) is not int or not low <= value <= high:
                raise ValueError(
                    f"{name} must be a whole number of days from {low} to {high}, not {value!r}"
                )
        low, high = MAX_CHECK_INS_RANGE
        value = self.max_check_ins
        if type(value) is not int or not low <= value <= high:
            raise ValueError(
                f"max_check_ins must be a whole number from {low} to {high}, not {value!r}"
            )
        low, high = LONG_DAYS_RANGE
        for name in ("applied_gives_up_days", "last_try_after_days"):
            value = getattr(self, name)
            if type(value) is not int or not low <= value <= high:
                raise ValueError(
                    f"{name} must be a whole number of days from {low} to {high}, not {value!r}"
                )
        if type(self.weekdays_only) is not bool:
            raise ValueError(f"weekdays_only must be True or False, not {self.weekdays_only!r}")
        country, subdivision = self.holiday_country, self.holiday_subdivision
        if country and country not in supported_holiday_countries():
            raise ValueError(f"holiday_country {country!r} is not a country the holidays know")
        if subdivision and subdivision not in supported_holiday_countries().get(country, ()):
            raise ValueError(f"holiday_subdivision {subdivision!r} is not one of {country!r}")
        # The public holidays of each year, built the first time a date of that year is
        # asked about: once per Rules, that is once per evaluation batch, not per date.
        object.__setattr__(self, "_holidays_by_year", {})

    def is_day_off(self, day: date) -> bool:
        """Rule 8: a Saturday, a Sunday, or a public holiday of the chosen country."""
        if day.weekday() >= 5:
            return True
        if not self.holiday_country:
            return False
        by_year = self._holidays_by_year
        year = by_year.get(day.year)
        if year is None:
            year = by_year[day.year] = frozenset(
                holidays.country_holidays(
                    self.holiday_country, subdiv=self.holiday_subdivision or None, years=day.year
                )
            )
        return day in year


@functools.cache  # the library's own list, the same for the life of the process
def supported_holiday_countries() -> dict[str, list[str]]:
    """The country codes of the `holidays` library, each with its subdivision codes."""
    return holidays.list_supported_countries()


DEFAULT_RULES = Rules()


@dataclass(slots=True)
class InterviewFacts:
    """An interview and what was said about timing.

    A single date given is `decision_by`; a range is `decision_from`..`decision_by`.
    `timing` is the phrase they used, a `timing.Timing` value ("by the end of this week"),
    when the dates came from their words; "" otherwise. `contacts` are opaque hashable
    keys (ids, refs) of the people who took part. `recorded` orders interviews of one
    date: the one recorded later (the higher) counts as the later one.
    """

    date: date
    decision_from: date | None = None
    decision_by: date | None = None
    contacts: tuple = ()
    timing: str = ""
    recorded: int = 0


@dataclass(slots=True)
class FollowUpFacts:
    """A touchpoint: `kind` is thank_you, check_in or response.

    `contact` (a thank-you's addressee) is an opaque key comparable with
    `InterviewFacts.contacts`; `new_decision_by` and `outcome` ("", next_round, offer,
    rejected, offer_coming, courtesy) only mean something on a response. `recorded`
    orders follow-ups of one date: the one recorded later (the higher) counts as later.
    """

    date: date
    kind: str
    contact: object = None
    new_decision_by: date | None = None
    outcome: str = ""
    recorded: int = 0


@dataclass(slots=True)
class ApplicationFacts:
    """Everything the engine needs about one application.

    `interviews` and `follow_ups` may come in any order. `outcome` is the user's own
    closing of the application: "", offer, rejected or withdrawn.
    """

    applied_on: date
    interviews: tuple = ()
    follow_ups: tuple = ()
    outcome: str = ""
    snoozed_until: date | None = None


# --- output -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an application has its status: one of the SENTENCES, and the values it names.

    The engine decides; the words are written when the reason is read (`str()`), in the
    active language: an evaluation costs no translation, and a page pays only for the
    sentences it shows. `values` are (name, value) pairs: dates are written as the
    reasons write them ("Dec 3", with the year outside as_of's), `words` is a timing
    phrase, `weeks_ago` and `span` are numbers of weeks and days, and `count` picks the
    plural form.
    """

    sentence: str
    as_of: date
    values: tuple = ()
    count: int = 0

    def __str__(self) -> str:
        words = {name: _in_words(name, value, self.as_of) for name, value in self.values}
        return SENTENCES[self.sentence](self.count) % {"count": self.count, **words}


@dataclass(frozen=True, slots=True)
class Status:
    """The engine's answer for one application on one date.

    `next_action_date`: for waiting, the date the status changes if nothing new happens;
    for follow_up_now, the date the follow-up fell due; None otherwise.
    `why` says which sentence explains it, with the dates it names (a `Reason`, or a
    plain text); `reason` is that sentence in words.
    The coaching signals sit beside the status and never change it; a closed application
    needs no action, so its signals are left empty.
    """

    code: str  # one of the six status values: waiting, follow_up_now, ..., withdrawn
    next_action_date: date | None
    why: Reason | str
    early_check_ins: tuple = ()  # dates of counted check-ins sent before they were due
    thank_you_owed: tuple = ()  # contact keys; (None,) for an interview without contacts
    no_timeline: bool = False  # latest interview so far said to give no decision date

    @property
    def reason(self) -> str:
        """One plain sentence saying why, naming the dates it used, in the active language."""
        return str(self.why)

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def is_active(self) -> bool:
        return self.code in ACTIVE_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.code in CLOSED_STATUSES


# --- the rules ----------------------------------------------------------------------

# What a response may say; a courtesy reply is left out of every rule (rule 0).
_RESPONSE_OUTCOMES = frozenset(("", NEXT_ROUND, OFFER, REJECTED, OFFER_COMING, COURTESY))
# Events of one date recorded alike (the same `recorded`, as in hand-made facts) must not
# depend on the order the caller passed them in: among such responses the most decisive
# wins, then the one carrying the latest new date; among interviews, the one that says
# the most about timing.
_RESPONSE_OUTCOME_RANK = {"": 0, OFFER_COMING: 1, NEXT_ROUND: 2, REJECTED: 3, OFFER: 4}


def _response_order(response: FollowUpFacts) -> tuple:
    return (
        response.date,
        response.recorded,
        _RESPONSE_OUTCOME_RANK[response.outcome or ""],
        response.new_decision_by or date.min,
    )


def _interview_order(interview: InterviewFacts) -> tuple:
    return (
        interview.date,
        interview.recorded,
        interview.decision_by or date.min,
        interview.decision_from or date.min,
    )


def _follow_up_day(day: date, rules: Rules) -> date:
    """Rule 8: a follow-up date on a day off moves to the next day that is none."""
    if rules.weekdays_only:
        while rules.is_day_off(day):
            day += timedelta(days=1)
    return day


@dataclass(slots=True)
class _SoFar:
    """What happened up to `as_of` (the rules look at nothing later but rule 2's
    interviews ahead): the latest response that is not a courtesy reply, the check-in
    dates, the thank-yous, the latest interview and the date of the next one ahead."""

    response: FollowUpFacts | None
    check_ins: list
    thank_yous: list
    interview: InterviewFacts | None
    next_interview_on: date | None


@dataclass(slots=True)
class _Anchor:
    """Rules 3 and 4: what the follow-up window counts from.

    `phase` is "response", "interview" or "applied": the kind of the anchor event.
    `kept` says the expected date is the interview's, kept through a response that gave
    none (an update never brings the follow-up before the date they gave).
    """

    phase: str
    day: date
    expected: date | None  # the decision date expected from the anchor, if any
    kept: bool = False


@dataclass(slots=True)
class _Pending:
    """An open application's answer before the snooze: its status, its next date, why,
    and what that date is: "follow_up" (a follow-up falls due), "closes" (it turns
    likely closed), "interview" (rule 2), or "" (no date)."""

    code: str
    next_action: date | None
    why: Reason
    waits_for: str = ""


def evaluate(facts: ApplicationFacts, rules: Rules, as_of: date) -> Status:
    """Apply the rules of docs/status-rules.md to `facts` as of `as_of`.

    Only events dated on or before `as_of` count, except that rule 2 looks ahead at
    scheduled interviews. Raises ValueError on an unknown outcome or follow-up kind.
    """
    so_far = _events_so_far(facts, as_of)
    closed = _closed(facts, so_far.response, as_of)
    if closed is not None:
        return closed
    anchor = _anchor(facts, so_far)
    window = _window(anchor, rules)
    counted = sorted(day for day in so_far.check_ins if day > anchor.day)  # rule 6
    if so_far.next_interview_on is not None:
        ahead = so_far.next_interview_on
        pending = _Pending(
            WAITING, ahead, Reason("interview_ahead", as_of, (("interview", ahead),)), "interview"
        )
    else:
        pending = _by_check_ins(so_far, anchor, window, counted, rules, as_of)
        if anchor.phase == "applied":
            pending = _gone_quiet(facts, pending, rules, as_of)
    pending = _snoozed(facts, anchor, pending, rules, as_of)
    early = _early_check_ins(counted, window, rules) if counted else ()
    interview = so_far.interview
    if interview is None:
        return Status(pending.code, pending.next_action, pending.why, early)
    return Status(
        pending.code,
        pending.next_action,
        pending.why,
        early,
        thank_you_owed=_thank_you_owed(facts.interviews, interview.date, so_far.thank_yous, as_of),
        # "Not asked yet" is no answer: the interview may still be ahead today, and past
        # its day the dashboard asks what they said; the advice waits for that answer.
        no_timeline=interview.decision_from is None
        and interview.decision_by is None
        and interview.timing != Timing.NOT_ASKED,
    )


def _events_so_far(facts: ApplicationFacts, as_of: date) -> _SoFar:
    """The events up to `as_of` the rules look at. Kinds and outcomes are checked on
    every event, whatever its date; courtesy replies are left out (rule 0)."""
    response = None
    check_ins, thank_yous = [], []
    for follow_up in facts.follow_ups:
        kind, day = follow_up.kind, follow_up.date
        if kind == RESPONSE:
            outcome = follow_up.outcome or ""
            if outcome not in _RESPONSE_OUTCOMES:
                raise ValueError(f"unknown response outcome {follow_up.outcome!r}")
            if (
                day <= as_of
                and outcome != COURTESY
                and (response is None or _response_order(follow_up) > _response_order(response))
            ):
                response = follow_up
        elif kind == CHECK_IN:
            if day <= as_of:
                check_ins.append(day)
        elif kind == THANK_YOU:
            if day <= as_of:
                thank_yous.append(follow_up)
        else:
            raise ValueError(f"unknown follow-up kind {kind!r}")

    interview, next_interview_on = None, None
    for candidate in facts.interviews:
        day = candidate.date
        if day > as_of:
            if next_interview_on is None or day < next_interview_on:
                next_interview_on = day
        elif interview is None or _interview_order(candidate) > _interview_order(interview):
            interview = candidate
    return _SoFar(response, check_ins, thank_yous, interview, next_interview_on)


def _closed(facts: ApplicationFacts, response: FollowUpFacts | None, as_of: date):
    """Rule 1: the user's own outcome, or an offer or a rejection in the latest
    response; None while the application is open (an offer on its way keeps it open)."""
    outcome = facts.outcome
    if outcome:
        if outcome not in CLOSED_STATUSES:
            raise ValueError(f"unknown application outcome {outcome!r}")
        return Status(outcome, None, Reason(outcome + "_marked", as_of))
    if response is not None and response.outcome in (OFFER, REJECTED):
        why = Reason(response.outcome + "_response", as_of, (("date", response.date),))
        return Status(response.outcome, None, why)
    return None


def _anchor(facts: ApplicationFacts, so_far: _SoFar) -> _Anchor:
    """Rules 3 and 4: the latest interview or response, and the date it leads to expect."""
    response, interview = so_far.response, so_far.interview
    if response is not None and (interview is None or response.date >= interview.date):
        if response.new_decision_by is not None:
            return _Anchor("response", response.date, response.new_decision_by)
        if (
            interview is not None
            and interview.decision_by is not None
            and interview.decision_by > response.date
        ):
            return _Anchor("response", response.date, interview.decision_by, kept=True)
        return _Anchor("response", response.date, None)
    if interview is not None:
        return _Anchor("interview", interview.date, interview.decision_by)
    return _Anchor("applied", facts.applied_on, None)


def _window(anchor: _Anchor, rules: Rules) -> date:
    """Rule 5 (with rule 8): the day the follow-up window opens."""
    if anchor.expected is not None:
        opens = anchor.expected + timedelta(days=rules.grace_days)
    elif anchor.phase != "applied":
        opens = anchor.day + timedelta(days=rules.no_date_wait_days)
    else:
        opens = anchor.day + timedelta(days=rules.applied_wait_days)
    return _follow_up_day(opens, rules)


def _next_check_in_due(last: date, window: date, rules: Rules) -> date:
    """Rule 7: a check-in after `last` is due a spacing later, never before the window."""
    due = last + timedelta(days=rules.check_in_spacing_days)
    return window if due < window else _follow_up_day(due, rules)


def _early_check_ins(counted: list, window: date, rules: Rules) -> tuple:
    """The counted check-ins sent before they were due: the first was due when the
    window opened, each later one a spacing after the one before."""
    early = []
    due = window
    for previous, day in zip([None, *counted], counted, strict=False):
        if previous is not None:
            due = _next_check_in_due(previous, window, rules)
        if day < due:
            early.append(day)
    return tuple(early)


def _last_try_from(window: date, rules: Rules) -> date | None:
    """Rule 7, the last try: a check-in on or after this day is the last one."""
    if not rules.last_try_after_days:
        return None
    return window + timedelta(days=rules.last_try_after_days)


def _by_check_ins(so_far, anchor, window, counted, rules, as_of) -> _Pending:
    """Rule 7: the answer from the check-ins that count, and the last try."""
    last_try_from = _last_try_from(window, rules)
    last = counted[-1] if counted else None
    last_try_sent = last_try_from is not None and last is not None and last >= last_try_from
    if len(counted) >= rules.max_check_ins or last_try_sent:
        return _closing(anchor, window, counted, last_try_sent, rules, as_of)
    if last is None:
        due = window
        why = _window_reason(so_far, anchor, window, as_of)
    else:
        due = _next_check_in_due(last, window, rules)
        why = Reason("check_in_again", as_of, (("last", last), ("due", due)))
    if as_of < due:
        return _Pending(WAITING, due, why, "follow_up")
    if last_try_from is not None and as_of >= last_try_from:
        weeks = (as_of - due).days // 7
        why = Reason("last_try_due", as_of, (("due", due), ("weeks_ago", weeks)))
    return _Pending(FOLLOW_UP_NOW, due, why, "follow_up")


def _closing(anchor, window, counted, last_try_sent, rules, as_of) -> _Pending:
    """Rule 7, enough check-ins (or the last try) sent: likely closed a spacing after the
    last, never before the window. Rule 8 leaves this date alone: it asks nothing."""
    count, last = len(counted), counted[-1]
    closes_on = max(last + timedelta(days=rules.check_in_spacing_days), window)
    if as_of >= closes_on:
        if last_try_sent:
            why = Reason("last_try_unanswered", as_of, (("last", last),))
        else:
            why = Reason("likely_closed_" + anchor.phase, as_of, (("anchor", anchor.day),), count)
        return _Pending(LIKELY_CLOSED, None, why)
    values = (("last", last), ("closes", closes_on))
    sentence = "last_try_sent" if last_try_sent else "closes_soon"
    return _Pending(WAITING, closes_on, Reason(sentence, as_of, values, count), "closes")


def _quiet_on(facts: ApplicationFacts, rules: Rules) -> date | None:
    """Rule 7a: the day an application with no interview and no news goes quiet."""
    if not rules.applied_gives_up_days:
        return None
    return facts.applied_on + timedelta(days=rules.applied_gives_up_days)


def _gone_quiet(facts: ApplicationFacts, pending: _Pending, rules: Rules, as_of) -> _Pending:
    """Rule 7a, in the applied phase: likely closed from the day it goes quiet, whatever
    the check-ins; before it, a waiting date on or after that day becomes that day."""
    quiet_on = _quiet_on(facts, rules)
    if quiet_on is None or pending.code == LIKELY_CLOSED:
        return pending
    if as_of >= quiet_on:
        values = (("applied", facts.applied_on), ("span", rules.applied_gives_up_days))
        return _Pending(LIKELY_CLOSED, None, Reason("gone_quiet", as_of, values))
    if pending.code == WAITING and pending.next_action >= quiet_on:
        return _going_quiet(facts, quiet_on, as_of)
    return pending


def _going_quiet(facts: ApplicationFacts, quiet_on: date, as_of: date) -> _Pending:
    values = (("applied", facts.applied_on), ("quiet", quiet_on))
    return _Pending(WAITING, quiet_on, Reason("goes_quiet_on", as_of, values), "closes")


def _snoozed(facts: ApplicationFacts, anchor: _Anchor, pending: _Pending, rules, as_of):
    """Rule 9: a snooze postpones a follow-up (due now, or due before the snooze ends),
    never an interview or a likely-closed date; the day the application goes quiet
    (rule 7a) still comes first."""
    until = facts.snoozed_until
    if until is None or until <= as_of:
        return pending
    follow_up_before = pending.waits_for == "follow_up" and pending.next_action < until
    if pending.code != FOLLOW_UP_NOW and not (pending.code == WAITING and follow_up_before):
        return pending
    quiet_on = _quiet_on(facts, rules) if anchor.phase == "applied" else None
    if quiet_on is not None and quiet_on < until:
        return _going_quiet(facts, quiet_on, as_of)
    return _Pending(WAITING, until, Reason("snoozed", as_of, (("until", until),)), "follow_up")


def _window_reason(so_far: _SoFar, anchor: _Anchor, window: date, as_of: date) -> Reason:
    """Why the follow-up window opens when it does (rule 5), naming the dates used."""
    if anchor.phase == "response":
        return _response_reason(so_far.response, anchor, window, as_of)
    if anchor.phase == "interview":
        return _interview_reason(so_far.interview, window, as_of)
    return Reason("applied", as_of, (("applied", anchor.day), ("window", window)))


def _response_reason(response: FollowUpFacts, anchor: _Anchor, window: date, as_of) -> Reason:
    """After a response: an update, a next round or an offer on its way, with a new
    date, with the interview's date kept, or with no date."""
    if anchor.kept:
        dated = "kept_date"
    elif anchor.expected is not None:
        dated = "new_date"
    else:
        dated = "no_date"
    values = (("response", response.date), ("window", window))
    if anchor.expected is not None:
        values += (("decision_by", anchor.expected),)
    return Reason(f"{response.outcome or 'update'}_{dated}", as_of, values)


def _interview_reason(interview: InterviewFacts, window: date, as_of: date) -> Reason:
    """After an interview: what they said about timing, in their words when recorded."""
    decision_by, decision_from = interview.decision_by, interview.decision_from
    ranged = decision_from is not None and decision_by is not None and decision_from != decision_by
    if decision_by is not None and interview.timing in TIMING_WORDS:
        said = ("words", interview.timing)
        if ranged:
            values = (said, ("start", decision_from), ("end", decision_by), ("window", window))
            return Reason("said_span", as_of, values)
        values = (said, ("day", Weekday.of(decision_by)), ("window", window))
        return Reason("said_day", as_of, values)
    if decision_by is None:
        sentence = "decision_from_only" if decision_from is not None else "no_decision_date"
        return Reason(sentence, as_of, (("interview", interview.date), ("window", window)))
    if ranged:
        values = (("decision_from", decision_from), ("decision_by", decision_by))
        return Reason("decision_range", as_of, (*values, ("window", window)))
    return Reason("decision_by", as_of, (("decision_by", decision_by), ("window", window)))


def _thank_you_owed(interviews, interview_on: date, thank_yous, as_of: date) -> tuple:
    """Who is owed a thank-you for the latest interview, if it is at most a week old."""
    if interview_on < as_of - timedelta(days=THANK_YOU_DAYS):
        return ()
    same_day = [interview for interview in interviews if interview.date == interview_on]
    if len(same_day) > 1:
        # Several interviews that day: take their contacts in an order that does not
        # depend on the order the caller passed the interviews in.
        same_day.sort(key=lambda interview: repr(interview.contacts))
        contacts = {contact: None for interview in same_day for contact in interview.contacts}
    else:
        contacts = dict.fromkeys(same_day[0].contacts)
    thanked = {thank_you.contact for thank_you in thank_yous if thank_you.date >= interview_on}
    if not contacts:
        # Nobody was named: one thank-you is owed until any thank-you is sent.
        return () if thanked else (None,)
    return tuple(contact for contact in contacts if contact not in thanked)


def is_early_check_in(facts: ApplicationFacts, rules: Rules, on: date) -> bool:
    """Would a check-in on `on` come too early? True when the application is waiting then.

    The page that records a check-in calls this before saving, to warn and ask. A snooze
    is the user's own reminder, not the company's timeline: it never makes a check-in early.
    """
    if facts.snoozed_until is not None:
        facts = replace(facts, snoozed_until=None)
    return evaluate(facts, rules, on).code == WAITING


def keep_searching(*, active_count: int, applied_dates: Iterable[date], as_of: date) -> bool:
    """The dashboard's nudge: fewer than 3 active applications, or none sent this week."""
    if active_count < KEEP_SEARCHING_MIN_ACTIVE:
        return True
    since = as_of - timedelta(days=KEEP_SEARCHING_DAYS)
    return not any(since <= applied_on <= as_of for applied_on in applied_dates)


_URGENCY_RANK = {status: rank for rank, status in enumerate(ACTIVE_STATUSES + CLOSED_STATUSES)}


def urgency_key(status: Status, company: str) -> tuple:
    """Sort key, most urgent first.

    follow_up_now (longest overdue first), waiting (soonest next date first),
    likely_closed, then offer, rejected, withdrawn; ties by company, ignoring case.
    """
    next_action = status.next_action_date
    return (
        _URGENCY_RANK[status.code],
        next_action.toordinal() if next_action is not None else 0,
        company.casefold(),
        company,
    )


# --- reason sentences ---------------------------------------------------------------


class Weekday(date):
    """A date a reason writes with its weekday: "Fri, Dec 4"."""

    @classmethod
    def of(cls, day: date) -> Weekday:
        return cls(day.year, day.month, day.day)


def _in_words(name: str, value, as_of: date):
    """A value of a Reason as its sentence writes it."""
    if name == "words":
        return TIMING_WORDS[value]
    if name == "weeks_ago":
        return ngettext("%(count)d week ago", "%(count)d weeks ago", value) % {"count": value}
    if name == "span":
        if value % 7 == 0:
            weeks = value // 7
            return ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
        return ngettext("%(count)d day", "%(count)d days", value) % {"count": value}
    if isinstance(value, Weekday):
        return date_in_words(value, today=as_of)
    if isinstance(value, date):
        return date_in_words(value, today=as_of, style="short")  # "Dec 3"
    return value


# Every sentence the engine says, by name; each takes the count that picks its plural
# form. Each is a literal gettext/ngettext call, so makemessages finds it. Plural forms
# keep %(count)d in both, as msgfmt's format check asks of translations.
SENTENCES = {
    # Rule 1: closed.
    "offer_marked": lambda n: gettext("You have an offer for this one, congratulations!"),
    "rejected_marked": lambda n: gettext("This one didn't work out; keep your search moving."),
    "withdrawn_marked": lambda n: gettext("You withdrew from this one."),
    "offer_response": lambda n: gettext("They made you an offer on %(date)s."),
    "rejected_response": lambda n: gettext(
        "They let you know on %(date)s that they won't be moving forward."
    ),
    # Rule 2: an interview ahead.
    "interview_ahead": lambda n: gettext("Your interview is on %(interview)s."),
    # Rule 5: why the window opens when it does.
    "applied": lambda n: gettext(
        "You applied on %(applied)s; nudge them from %(window)s if you haven't heard back."
    ),
    "decision_by": lambda n: gettext(
        "They said they would decide by %(decision_by)s; follow up from %(window)s."
    ),
    "decision_range": lambda n: gettext(
        "They said they would decide between %(decision_from)s and %(decision_by)s; "
        "follow up from %(window)s."
    ),
    "said_day": lambda n: gettext("They said “%(words)s” (%(day)s); follow up from %(window)s."),
    "said_span": lambda n: gettext(
        "They said “%(words)s” (%(start)s to %(end)s); follow up from %(window)s."
    ),
    "decision_from_only": lambda n: gettext(
        "They gave no decide-by date at your %(interview)s interview; follow up from %(window)s."
    ),
    "no_decision_date": lambda n: gettext(
        "No decision date was given at your %(interview)s interview; follow up from %(window)s."
    ),
    # ... after a response: an update, a next round, an offer on its way; with a new
    # date, with none while the interview's date is still ahead (kept), or with none.
    "update_new_date": lambda n: gettext(
        "On %(response)s they said they would get back to you by %(decision_by)s; "
        "follow up from %(window)s."
    ),
    "update_kept_date": lambda n: gettext(
        "On %(response)s they said they are still deciding, and gave no new date; they "
        "had said %(decision_by)s, so follow up from %(window)s."
    ),
    "update_no_date": lambda n: gettext(
        "They got back to you on %(response)s without a new date; follow up from %(window)s."
    ),
    "next_round_new_date": lambda n: gettext(
        "On %(response)s they moved you to the next round and said they would be in touch "
        "by %(decision_by)s; follow up from %(window)s."
    ),
    "next_round_kept_date": lambda n: gettext(
        "They moved you to the next round on %(response)s; they had said %(decision_by)s, "
        "so if nothing gets scheduled, follow up from %(window)s."
    ),
    "next_round_no_date": lambda n: gettext(
        "They moved you to the next round on %(response)s; if nothing gets scheduled, "
        "follow up from %(window)s."
    ),
    "offer_coming_new_date": lambda n: gettext(
        "They said an offer is on its way by %(decision_by)s; check in from %(window)s."
    ),
    "offer_coming_kept_date": lambda n: gettext(
        "On %(response)s they said an offer is on its way; they had said %(decision_by)s, "
        "so check in from %(window)s."
    ),
    "offer_coming_no_date": lambda n: gettext(
        "On %(response)s they said an offer is on its way; check in from %(window)s if it "
        "hasn't come."
    ),
    # Rule 7: check-ins, and the last try.
    "check_in_again": lambda n: gettext(
        "You checked in on %(last)s; check in again from %(due)s if you hear nothing."
    ),
    "closes_soon": lambda n: ngettext(
        "No reply yet after %(count)d check-in, the last on %(last)s; if you hear nothing "
        "before %(closes)s, it's likely closed.",
        "No reply yet after %(count)d check-ins, the last on %(last)s; if you hear nothing "
        "before %(closes)s, it's likely closed.",
        n,
    ),
    "likely_closed_interview": lambda n: ngettext(
        "No reply after %(count)d check-in since your %(anchor)s interview; it's likely "
        "closed, so keep your search moving.",
        "No reply after %(count)d check-ins since your %(anchor)s interview; it's likely "
        "closed, so keep your search moving.",
        n,
    ),
    "likely_closed_response": lambda n: ngettext(
        "No reply after %(count)d check-in since they last wrote on %(anchor)s; it's likely "
        "closed, so keep your search moving.",
        "No reply after %(count)d check-ins since they last wrote on %(anchor)s; it's likely "
        "closed, so keep your search moving.",
        n,
    ),
    "likely_closed_applied": lambda n: ngettext(
        "No reply after %(count)d check-in since you applied on %(anchor)s; it's likely "
        "closed, so keep your search moving.",
        "No reply after %(count)d check-ins since you applied on %(anchor)s; it's likely "
        "closed, so keep your search moving.",
        n,
    ),
    "last_try_due": lambda n: gettext(
        "Your follow-up has been due since %(due)s, %(weeks_ago)s: send one last check-in, "
        "then move on."
    ),
    "last_try_sent": lambda n: gettext(
        "That was your last check-in, on %(last)s: if you hear nothing before %(closes)s, "
        "it's likely closed, so move on."
    ),
    "last_try_unanswered": lambda n: gettext(
        "No reply to your last check-in on %(last)s; it's likely closed, so keep your "
        "search moving."
    ),
    # Rule 7a: gone quiet.
    "gone_quiet": lambda n: gettext(
        "You applied on %(applied)s and heard nothing in %(span)s; it's likely closed, so "
        "keep your search moving."
    ),
    "goes_quiet_on": lambda n: gettext(
        "You applied on %(applied)s and haven't heard back; if nothing comes before "
        "%(quiet)s, it's likely closed."
    ),
    # Rule 9.
    "snoozed": lambda n: gettext("Snoozed until %(until)s."),
}
