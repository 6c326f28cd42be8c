"""The status engine: should the job seeker follow up now, keep waiting, or move on?

`evaluate()` implements `docs/status-rules.md` (rules v1) as a pure function of an
application's dates, the user's rule settings and the date it is evaluated on. It never
reads the clock and never touches the database: callers build the `*Facts` values from
their rows and pass `as_of` (the user's local date). Views, the API, the digest and the
calendar all call it, so no template or query re-implements a rule.

The only outside dependency is `django.utils.translation`, for the reason sentence.
Translating is by far the dearest step of an evaluation (every Django translation call
looks up the active language through a context-local), so each evaluation asks for the
active language once and serves sentence templates and formatted dates from small caches
keyed by it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils.translation import get_language, gettext, gettext_lazy, ngettext, pgettext_lazy

__all__ = [
    "ACTIVE_STATUSES",
    "LABELS",
    "CHECK_IN",
    "CLOSED_STATUSES",
    "DEFAULT_RULES",
    "FOLLOW_UP_NOW",
    "LIKELY_CLOSED",
    "NEXT_ROUND",
    "OFFER",
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
    "evaluate_all",
    "is_early_check_in",
    "keep_searching",
    "urgency_key",
]

WAITING, FOLLOW_UP_NOW, LIKELY_CLOSED = "waiting", "follow_up_now", "likely_closed"
OFFER, REJECTED, WITHDRAWN = "offer", "rejected", "withdrawn"
ACTIVE_STATUSES = (FOLLOW_UP_NOW, WAITING, LIKELY_CLOSED)  # in urgency order
CLOSED_STATUSES = (OFFER, REJECTED, WITHDRAWN)
THANK_YOU, CHECK_IN, RESPONSE = "thank_you", "check_in", "response"
NEXT_ROUND = "next_round"

# Each status in words, for people (the status values above are for scripts).
LABELS = {
    FOLLOW_UP_NOW: gettext_lazy("Follow up now"),
    WAITING: gettext_lazy("Waiting"),
    LIKELY_CLOSED: gettext_lazy("Likely closed"),
    OFFER: gettext_lazy("Offer"),
    REJECTED: gettext_lazy("Rejected"),
    WITHDRAWN: gettext_lazy("Withdrawn"),
}

# The spec's ranges for the rule settings ("0..90", "max_check_ins 1..5").
DAYS_RANGE = (0, 90)
MAX_CHECK_INS_RANGE = (1, 5)

THANK_YOU_DAYS = 7  # a thank-you is owed for an interview in [as_of - 7, as_of]
KEEP_SEARCHING_MIN_ACTIVE = 3  # fewer active applications than this: keep searching
KEEP_SEARCHING_DAYS = 7  # ... or nothing applied for in [as_of - 7, as_of]

# Every setting is 0..90 days, so adding a setting to a date never builds a timedelta.
_DAYS = tuple(timedelta(days=n) for n in range(DAYS_RANGE[1] + 1))
_ONE_DAY, _TWO_DAYS = _DAYS[1], _DAYS[2]
_THANK_YOU_SPAN = timedelta(days=THANK_YOU_DAYS)
_KEEP_SEARCHING_SPAN = timedelta(days=KEEP_SEARCHING_DAYS)


# --- inputs -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rules:
    """One user's rule settings; the defaults are the spec's.

    Out-of-range values raise ValueError: forms must reject them with a clear error
    (the spec forbids clamping), so reaching the engine with one is a bug.
    """

    grace_days: int = 2
    no_date_wait_days: int = 7
    applied_wait_days: int = 14
    check_in_spacing_days: int = 7
    max_check_ins: int = 2
    weekdays_only: bool = True

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


@dataclass(slots=True)  # not frozen: building thousands per page, frozen costs 2.5x
class InterviewFacts:
    """An interview and what was said about timing.

    A single date given is `decision_by`; a range is `decision_from`..`decision_by`.
    `contacts` are opaque hashable keys (ids, refs) of the people who took part.
    """

    date: date
    decision_from: date | None = None
    decision_by: date | None = None
    contacts: tuple = ()


@dataclass(slots=True)  # not frozen: building thousands per page, frozen costs 2.5x
class FollowUpFacts:
    """A touchpoint: `kind` is thank_you, check_in or response.

    `contact` (a thank-you's addressee) is an opaque key comparable with
    `InterviewFacts.contacts`; `new_decision_by` and `outcome` ("", next_round, offer,
    rejected) only mean something on a response.
    """

    date: date
    kind: str
    contact: object = None
    new_decision_by: date | None = None
    outcome: str = ""


@dataclass(slots=True)  # not frozen: building thousands per page, frozen costs 2.5x
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
    if weekday == 5:
        return day + _TWO_DAYS
    if weekday == 6:
        return day + _ONE_DAY
    return day


def evaluate(facts: ApplicationFacts, rules: Rules, as_of: date) -> Status:
    """Apply rules 1-9 of docs/status-rules.md to `facts` as of `as_of`.

    Only events dated on or before `as_of` count, except that rule 2 looks ahead at
    scheduled interviews. Raises ValueError on an unknown outcome or follow-up kind.
    """
    return _evaluate(facts, rules, as_of, get_language())


def evaluate_all(facts_list, rules: Rules, as_of: date) -> list[Status]:
    """`evaluate` for many applications of one user: the same results, with the active
    language (a context-local lookup, dear at hundreds of rows) looked up once."""
    language = get_language()
    return [_evaluate(facts, rules, as_of, language) for facts in facts_list]


def _evaluate(facts: ApplicationFacts, rules: Rules, as_of: date, language) -> Status:

    # One pass over the follow-ups: the latest response, the check-ins, the thank-yous.
    # Kinds and outcomes are checked on every follow-up, whatever its date.
    response = None
    check_ins = []
    thank_yous = []
    for follow_up in facts.follow_ups:
        kind = follow_up.kind
        day = follow_up.date
        if kind == CHECK_IN:
            if day <= as_of:
                check_ins.append(day)
        elif kind == RESPONSE:
            if follow_up.outcome not in _RESPONSE_OUTCOME_RANK:
                raise ValueError(f"unknown response outcome {follow_up.outcome!r}")
            if day <= as_of and (
                response is None
                or day > response.date
                or (day == response.date and _response_rank(follow_up) > _response_rank(response))
            ):
                response = follow_up
        elif kind == THANK_YOU:
            if day <= as_of:
                thank_yous.append(follow_up)
        else:
            raise ValueError(f"unknown follow-up kind {kind!r}")

    # Rule 1: closed.
    outcome = facts.outcome
    if outcome:
        if outcome not in CLOSED_STATUSES:
            raise ValueError(f"unknown application outcome {outcome!r}")
        return Status(outcome, None, _text(language, outcome + "_marked"))
    if response is not None and (response.outcome == OFFER or response.outcome == REJECTED):
        text = _text(
            language, "offer_response" if response.outcome == OFFER else "rejected_response"
        )
        return Status(response.outcome, None, text % {"date": _day(language, response.date, as_of)})

    # One pass over the interviews: the latest so far, and the earliest still ahead.
    interview = None
    next_interview_on = None
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

    # Rules 3 and 4: the anchor, and the decision date expected from it.
    if response is not None and (interview is None or response.date >= interview.date):
        phase, anchor, expected = "response", response.date, response.new_decision_by
    elif interview is not None:
        phase, anchor, expected = "interview", interview.date, interview.decision_by
    else:
        phase, anchor, expected = "applied", facts.applied_on, None

    # Rule 5 (with rule 8): the follow-up window.
    weekdays_only = rules.weekdays_only
    if expected is not None:
        window = expected + _DAYS[rules.grace_days]
    elif phase != "applied":
        window = anchor + _DAYS[rules.no_date_wait_days]
    else:
        window = anchor + _DAYS[rules.applied_wait_days]
    if weekdays_only:
        window = _to_weekday(window)

    # Rule 6: check-ins strictly after the anchor count; a response answers every
    # check-in up to and including its own day.
    counted = [day for day in check_ins if day > anchor] if check_ins else check_ins
    spacing = _DAYS[rules.check_in_spacing_days]

    # Early check-ins: the first was due when the window opened, each later one a
    # spacing after the one before (rule 7's "next check-in due" date).
    early = []
    due = window
    previous = None
    if counted:
        if len(counted) > 1:
            counted.sort()
        for day in counted:
            if previous is not None:
                due = previous + spacing
                if due < window:
                    due = window
                elif weekdays_only:
                    due = _to_weekday(due)
            if day < due:
                early.append(day)
            previous = day

    # Rules 2 and 7: the status.
    count = len(counted)
    if next_interview_on is not None:
        status, next_action = WAITING, next_interview_on
        text = _text(language, "interview_ahead") % {
            "interview": _day(language, next_interview_on, as_of)
        }
    elif count == 0:
        status = FOLLOW_UP_NOW if as_of >= window else WAITING
        next_action = window
        text = _window_reason(language, phase, facts, interview, response, window, as_of)
    elif count < rules.max_check_ins:
        due = previous + spacing
        if due < window:
            due = window
        elif weekdays_only:
            due = _to_weekday(due)
        status = FOLLOW_UP_NOW if as_of >= due else WAITING
        next_action = due
        text = _text(language, "check_in_again") % {
            "last": _day(language, previous, as_of),
            "due": _day(language, due, as_of),
        }
    else:
        # Rule 8 leaves this date alone: it only says "likely closed", asks nothing.
        closes_on = max(previous + spacing, window)
        if as_of >= closes_on:
            status, next_action = LIKELY_CLOSED, None
            text = _text(language, "likely_closed_" + phase, count) % {
                "count": count,
                "anchor": _day(language, anchor, as_of),
            }
        else:
            status, next_action = WAITING, closes_on
            text = _text(language, "closes_soon", count) % {
                "count": count,
                "last": _day(language, previous, as_of),
                "closes": _day(language, closes_on, as_of),
            }

    # Rule 9: snooze postpones a follow-up, nothing else.
    snoozed_until = facts.snoozed_until
    if status == FOLLOW_UP_NOW and snoozed_until is not None and snoozed_until > as_of:
        status, next_action = WAITING, snoozed_until
        text = _text(language, "snoozed") % {"snoozed_until": _day(language, snoozed_until, as_of)}

    early = tuple(early) if early else ()
    if interview is None:
        return Status(status, next_action, text, early)
    return Status(
        status,
        next_action,
        text,
        early,
        _thank_you_owed(facts.interviews, interview.date, thank_yous, as_of),
        interview.decision_from is None and interview.decision_by is None,
    )


def _thank_you_owed(interviews, interview_on: date, thank_yous, as_of: date) -> tuple:
    """Who is owed a thank-you for the latest interview, if it is at most a week old."""
    if interview_on < as_of - _THANK_YOU_SPAN:
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
    since = as_of - _KEEP_SEARCHING_SPAN
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

# Each template is fetched through a literal gettext/ngettext call (so makemessages
# finds it) but only once per language (and count): see `_text`. Every %(name)s but
# %(count)d is a short date such as "Dec 3".
_TEMPLATES = {
    "offer_marked": lambda n: gettext("You have an offer for this one, congratulations!"),
    "rejected_marked": lambda n: gettext("This one didn't work out; keep your search moving."),
    "withdrawn_marked": lambda n: gettext("You withdrew from this one."),
    "offer_response": lambda n: gettext("They made you an offer on %(date)s."),
    "rejected_response": lambda n: gettext(
        "They let you know on %(date)s that they won't be moving forward."
    ),
    "interview_ahead": lambda n: gettext("Your interview is on %(interview)s."),
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
    "decision_from_only": lambda n: gettext(
        "They gave no decide-by date at your %(interview)s interview; follow up from %(window)s."
    ),
    "no_decision_date": lambda n: gettext(
        "No decision date was given at your %(interview)s interview; follow up from %(window)s."
    ),
    "response_with_date": lambda n: gettext(
        "On %(response)s they said they would get back to you by %(decision_by)s; "
        "follow up from %(window)s."
    ),
    "response_without_date": lambda n: gettext(
        "They got back to you on %(response)s without a new date; follow up from %(window)s."
    ),
    "next_round_with_date": lambda n: gettext(
        "On %(response)s they moved you to the next round and said they would be in touch "
        "by %(decision_by)s; follow up from %(window)s."
    ),
    "next_round_without_date": lambda n: gettext(
        "They moved you to the next round on %(response)s; if nothing gets scheduled, "
        "follow up from %(window)s."
    ),
    "check_in_again": lambda n: gettext(
        "You checked in on %(last)s; check in again from %(due)s if you hear nothing."
    ),
    # Plural forms keep %(count)d in both, as msgfmt's format check asks of translations.
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
    "snoozed": lambda n: gettext("Snoozed until %(snoozed_until)s."),
}

_MONTHS = (
    None,
    pgettext_lazy("month abbreviation", "Jan"),
    pgettext_lazy("month abbreviation", "Feb"),
    pgettext_lazy("month abbreviation", "Mar"),
    pgettext_lazy("month abbreviation", "Apr"),
    pgettext_lazy("month abbreviation", "May"),
    pgettext_lazy("month abbreviation", "Jun"),
    pgettext_lazy("month abbreviation", "Jul"),
    pgettext_lazy("month abbreviation", "Aug"),
    pgettext_lazy("month abbreviation", "Sep"),
    pgettext_lazy("month abbreviation", "Oct"),
    pgettext_lazy("month abbreviation", "Nov"),
    pgettext_lazy("month abbreviation", "Dec"),
)
# Translators: a short date in this year, e.g. "Dec 3".
_SHORT_DATE = pgettext_lazy("short date", "%(month)s %(day)s")
# Translators: a short date in another year, e.g. "Dec 3, 2027".
_SHORT_DATE_WITH_YEAR = pgettext_lazy("short date with year", "%(month)s %(day)s, %(year)s")

# Translations of a language do not change while the process runs, so what they produce
# can be kept per language. Both are bounded: the least recently used go past a size no
# real use reaches (a few dozen templates, the dates of a few years).
_KEPT = 20_000


@functools.lru_cache(maxsize=_KEPT)
def _text(language, key: str, count: int = 0) -> str:
    return _TEMPLATES[key](count)  # in `language`, the active one: it is the cache key


def _day(language, day: date, as_of: date) -> str:
    """A date as people write it: "Dec 3", or "Dec 3, 2027" outside as_of's year."""
    return _short_date(language, day, day.year != as_of.year)


@functools.lru_cache(maxsize=_KEPT)
def _short_date(language, day: date, with_year: bool) -> str:
    template = _SHORT_DATE_WITH_YEAR if with_year else _SHORT_DATE
    return str(template) % {"month": _MONTHS[day.month], "day": day.day, "year": day.year}


def _window_reason(language, phase, facts, interview, response, window, as_of) -> str:
    """Why the follow-up window opens when it does (rule 5), naming the dates used."""
    if phase == "response":
        decision_by = response.new_decision_by
        next_round = response.outcome == NEXT_ROUND
        if decision_by is not None:
            key = "next_round_with_date" if next_round else "response_with_date"
        else:
            key = "next_round_without_date" if next_round else "response_without_date"
        return _text(language, key) % {
            "response": _day(language, response.date, as_of),
            "decision_by": _day(language, decision_by, as_of) if decision_by is not None else "",
            "window": _day(language, window, as_of),
        }
    if phase == "interview":
        decision_by = interview.decision_by
        decision_from = interview.decision_from
        if decision_by is not None:
            if decision_from is not None and decision_from != decision_by:
                return _text(language, "decision_range") % {
                    "decision_from": _day(language, decision_from, as_of),
                    "decision_by": _day(language, decision_by, as_of),
                    "window": _day(language, window, as_of),
                }
            return _text(language, "decision_by") % {
                "decision_by": _day(language, decision_by, as_of),
                "window": _day(language, window, as_of),
            }
        key = "decision_from_only" if decision_from is not None else "no_decision_date"
        return _text(language, key) % {
            "interview": _day(language, interview.date, as_of),
            "window": _day(language, window, as_of),
        }
    return _text(language, "applied") % {
        "applied": _day(language, facts.applied_on, as_of),
        "window": _day(language, window, as_of),
    }
