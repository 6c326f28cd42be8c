"""The status engine: should the job seeker follow up now, keep waiting, or move on?

`evaluate()` applies the rules of docs/status-rules.md to one application: a pure
function of its dates, the user's rule settings and the date it is evaluated on. It never
reads the clock and never touches the database: callers build the `*Facts` values (the
one read path, `selectors.application_rows`, does) and pass `as_of`, the user's local
date. Pages, the API, exports, the admin, the digest and the calendar all call it, so no
template or query re-implements a rule.

`evaluate()` reads as the rules do, one named step per rule: the events so far, closed (1), an interview ahead (2), the anchor and expected date (3, 4), the
follow-up window (5, 8), the check-ins (6, 7), the snooze (9).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils.translation import gettext, gettext_lazy, ngettext

from applications.humanize import date_in_words

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
        if type(self.weekdays_only) is not bool:
            raise ValueError(f"weekdays_only must be True or False, not {self.weekdays_only!r}")


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
class Status:
    """The engine's answer for one application on one date.

    `next_action_date`: for waiting, the date the status changes if nothing new happens;
    for follow_up_now, the date the follow-up fell due; None otherwise.
    The coaching signals sit beside the status and never change it; a closed application
    needs no action, so its signals are left empty.
    """

    code: str  # one of the six status values: waiting, follow_up_now, ..., withdrawn
    next_action_date: date | None
    reason: str
    early_check_ins: tuple = ()  # dates of counted check-ins sent before they were due
    thank_you_owed: tuple = ()  # contact keys; (None,) for an interview without contacts
    no_timeline: bool = False  # latest interview so far gave no decision date at all

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

# Ties between events on the same date must not depend on the order the caller passed
# them in. Among responses of one day the most decisive wins (an offer or a rejection
# over a next round over a plain reply), then the one carrying the latest new date.
_RESPONSE_OUTCOME_RANK = {"": 0, None: 0, NEXT_ROUND: 1, REJECTED: 2, OFFER: 3}


def _response_rank(response: FollowUpFacts) -> tuple:
    return (_RESPONSE_OUTCOME_RANK[response.outcome], response.new_decision_by or date.min)


# Among interviews of one day, the one that says the most about timing wins.
def _interview_rank(interview: InterviewFacts) -> tuple:
    return (interview.decision_by or date.min, interview.decision_from or date.min)


def _to_weekday(day: date) -> date:
    """Rule 8: a follow-up date on a Saturday or Sunday moves to the next Monday."""
    weekday = day.weekday()
    if weekday >= 5:
        return day + timedelta(days=7 - weekday)
    return day


def _follow_up_day(day: date, rules: Rules) -> date:
    """A computed follow-up date, moved off the weekend when the user asks (rule 8)."""
    return _to_weekday(day) if rules.weekdays_only else day


@dataclass(slots=True)
class _SoFar:
    """What happened up to `as_of` (the rules look at nothing later): the latest response,
    the check-in dates, the thank-yous, the latest interview and the next one ahead."""

    response: FollowUpFacts | None
    check_ins: list
    thank_yous: list
    interview: InterviewFacts | None
    next_interview_on: date | None


@dataclass(slots=True)
class _Anchor:
    """Rules 3 and 4: what the follow-up window counts from.

    `phase` is "response", "interview" or "applied": the kind of the anchor event.
    """

    phase: str
    day: date
    expected: date | None  # the decision date expected from the anchor, if any


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
    early = _early_check_ins(counted, window, rules)
    if so_far.next_interview_on is not None:
        code, next_action = WAITING, so_far.next_interview_on
        reason = gettext("Your interview is on %(interview)s.") % {
            "interview": _day(so_far.next_interview_on, as_of)
        }
    else:
        code, next_action, reason = _by_check_ins(
            facts, so_far, anchor, window, counted, rules, as_of
        )
    code, next_action, reason = _snoozed(facts, code, next_action, reason, as_of)
    interview = so_far.interview
    if interview is None:
        return Status(code, next_action, reason, early)
    return Status(
        code,
        next_action,
        reason,
        early,
        thank_you_owed=_thank_you_owed(facts.interviews, interview.date, so_far.thank_yous, as_of),
        no_timeline=interview.decision_from is None and interview.decision_by is None,
    )


def _events_so_far(facts: ApplicationFacts, as_of: date) -> _SoFar:
    """The events up to `as_of` the rules look at. Kinds and outcomes are checked on
    every event, whatever its date."""
    response = None
    check_ins, thank_yous = [], []
    for follow_up in facts.follow_ups:
        kind, day = follow_up.kind, follow_up.date
        if kind == RESPONSE:
            if follow_up.outcome not in _RESPONSE_OUTCOME_RANK:
                raise ValueError(f"unknown response outcome {follow_up.outcome!r}")
            if day <= as_of and (
                response is None
                or day > response.date
                or (day == response.date and _response_rank(follow_up) > _response_rank(response))
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
        elif (
            interview is None
            or day > interview.date
            or (day == interview.date and _interview_rank(candidate) > _interview_rank(interview))
        ):
            interview = candidate
    return _SoFar(response, check_ins, thank_yous, interview, next_interview_on)


def _closed(facts: ApplicationFacts, response: FollowUpFacts | None, as_of: date):
    """Rule 1: the user's own outcome, or an offer or rejection in the latest response;
    None while the application is open."""
    outcome = facts.outcome
    if outcome:
        if outcome not in CLOSED_STATUSES:
            raise ValueError(f"unknown application outcome {outcome!r}")
        return Status(outcome, None, _CLOSED_REASONS[outcome]())
    if response is not None and response.outcome in (OFFER, REJECTED):
        if response.outcome == OFFER:
            text = gettext("They made you an offer on %(date)s.")
        else:
            text = gettext("They let you know on %(date)s that they won't be moving forward.")
        return Status(response.outcome, None, text % {"date": _day(response.date, as_of)})
    return None


_CLOSED_REASONS = {
    OFFER: lambda: gettext("You have an offer for this one, congratulations!"),
    REJECTED: lambda: gettext("This one didn't work out; keep your search moving."),
    WITHDRAWN: lambda: gettext("You withdrew from this one."),
}


def _anchor(facts: ApplicationFacts, so_far: _SoFar) -> _Anchor:
    """Rules 3 and 4: the latest interview or response, and the date it leads to expect."""
    response, interview = so_far.response, so_far.interview
    if response is not None and (interview is None or response.date >= interview.date):
        return _Anchor("response", response.date, response.new_decision_by)
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


def _by_check_ins(facts, so_far, anchor, window, counted, rules, as_of) -> tuple:
    """Rule 7: (code, next action date, reason) from the check-ins that count."""
    count = len(counted)
    if count == 0:
        code = FOLLOW_UP_NOW if as_of >= window else WAITING
        return code, window, _window_reason(facts, so_far, anchor, window, as_of)
    last = counted[-1]
    if count < rules.max_check_ins:
        due = _next_check_in_due(last, window, rules)
        code = FOLLOW_UP_NOW if as_of >= due else WAITING
        reason = gettext(
            "You checked in on %(last)s; check in again from %(due)s if you hear nothing."
        ) % {"last": _day(last, as_of), "due": _day(due, as_of)}
        return code, due, reason
    # Rule 8 leaves this date alone: it only says "likely closed", asks nothing.
    closes_on = max(last + timedelta(days=rules.check_in_spacing_days), window)
    if as_of >= closes_on:
        reason = _LIKELY_CLOSED_REASONS[anchor.phase](count) % {
            "count": count,
            "anchor": _day(anchor.day, as_of),
        }
        return LIKELY_CLOSED, None, reason
    # Plural forms keep %(count)d in both, as msgfmt's format check asks of translations.
    reason = ngettext(
        "No reply yet after %(count)d check-in, the last on %(last)s; if you hear nothing "
        "before %(closes)s, it's likely closed.",
        "No reply yet after %(count)d check-ins, the last on %(last)s; if you hear nothing "
        "before %(closes)s, it's likely closed.",
        count,
    ) % {"count": count, "last": _day(last, as_of), "closes": _day(closes_on, as_of)}
    return WAITING, closes_on, reason


_LIKELY_CLOSED_REASONS = {
    "interview": lambda n: ngettext(
        "No reply after %(count)d check-in since your %(anchor)s interview; it's likely "
        "closed, so keep your search moving.",
        "No reply after %(count)d check-ins since your %(anchor)s interview; it's likely "
        "closed, so keep your search moving.",
        n,
    ),
    "response": lambda n: ngettext(
        "No reply after %(count)d check-in since they last wrote on %(anchor)s; it's likely "
        "closed, so keep your search moving.",
        "No reply after %(count)d check-ins since they last wrote on %(anchor)s; it's likely "
        "closed, so keep your search moving.",
        n,
    ),
    "applied": lambda n: ngettext(
        "No reply after %(count)d check-in since you applied on %(anchor)s; it's likely "
        "closed, so keep your search moving.",
        "No reply after %(count)d check-ins since you applied on %(anchor)s; it's likely "
        "closed, so keep your search moving.",
        n,
    ),
}


def _snoozed(facts: ApplicationFacts, code, next_action, reason, as_of: date) -> tuple:
    """Rule 9: a snooze postpones a due follow-up, nothing else."""
    until = facts.snoozed_until
    if code == FOLLOW_UP_NOW and until is not None and until > as_of:
        return WAITING, until, gettext("Snoozed until %(snoozed_until)s.") % {
            "snoozed_until": _day(until, as_of)
        }
    return code, next_action, reason


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


def _day(day: date, as_of: date) -> str:
    """A date as the reasons write it: "Dec 3", or "Dec 3, 2027" outside as_of's year."""
    return date_in_words(day, today=as_of, style="short")


def _window_reason(facts, so_far: _SoFar, anchor: _Anchor, window: date, as_of: date) -> str:
    """Why the follow-up window opens when it does (rule 5), naming the dates used."""
    values = {"window": _day(window, as_of)}
    if anchor.phase == "response":
        response = so_far.response
        decision_by = response.new_decision_by
        values["response"] = _day(response.date, as_of)
        if response.outcome == NEXT_ROUND:
            if decision_by is None:
                text = gettext(
                    "They moved you to the next round on %(response)s; if nothing gets "
                    "scheduled, follow up from %(window)s."
                )
            else:
                text = gettext(
                    "On %(response)s they moved you to the next round and said they would "
                    "be in touch by %(decision_by)s; follow up from %(window)s."
                )
        elif decision_by is None:
            text = gettext(
                "They got back to you on %(response)s without a new date; follow up from "
                "%(window)s."
            )
        else:
            text = gettext(
                "On %(response)s they said they would get back to you by %(decision_by)s; "
                "follow up from %(window)s."
            )
        if decision_by is not None:
            values["decision_by"] = _day(decision_by, as_of)
        return text % values
    if anchor.phase == "interview":
        interview = so_far.interview
        decision_by, decision_from = interview.decision_by, interview.decision_from
        if decision_by is None:
            values["interview"] = _day(interview.date, as_of)
            if decision_from is not None:
                text = gettext(
                    "They gave no decide-by date at your %(interview)s interview; follow up "
                    "from %(window)s."
                )
            else:
                text = gettext(
                    "No decision date was given at your %(interview)s interview; follow up "
                    "from %(window)s."
                )
            return text % values
        values["decision_by"] = _day(decision_by, as_of)
        if decision_from is not None and decision_from != decision_by:
            values["decision_from"] = _day(decision_from, as_of)
            text = gettext(
                "They said they would decide between %(decision_from)s and %(decision_by)s; "
                "follow up from %(window)s."
            )
        else:
            text = gettext("They said they would decide by %(decision_by)s; follow up from %(window)s.")
        return text % values
    values["applied"] = _day(facts.applied_on, as_of)
    return gettext(
        "You applied on %(applied)s; nudge them from %(window)s if you haven't heard back."
    ) % values
