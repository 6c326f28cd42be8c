"""Drafted notes: a thank-you, a check-in, and a question about their timeline.

Pure composition from plain values (`DraftFacts`): no database, no clock. The view
gathers the facts (which interview, which person, which dates they gave) and this module
only writes the words, so every draft reads the same wherever it is offered.

Each draft is short on purpose: the job seeker edits it and sends it from their own
mailbox. It greets the person by their first name and is signed with the name the user
gave in Settings. Sentences about a decision date or an offer on its way appear only
when the user recorded them, so a draft never invents a promise the company did not
make. What they said about timing is quoted in their words ("next week"), with the dates
those words meant, since "next week" said a fortnight ago is not next week any more; and a
decision date that has gone by is written as passed ("you hoped to decide by ...; is there
any update on the timeline?"), never as still ahead.
Nothing the user wrote for themselves ever goes into a draft (an application's notes,
what they noted about the next steps, the note on a follow-up): only what the facts
below carry. A check-in after an earlier one says so, and so does a thank-you sent days
after the interview.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext as _

from applications.humanize import date_in_words
from applications.timing import WORDS

THANK_YOU = "thank_you"
CHECK_IN = "check_in"
TIMELINE = "timeline"
KINDS = (THANK_YOU, CHECK_IN, TIMELINE)

# A thank-you drafted this many days or more after the interview says it comes late.
LATE_THANK_YOU_DAYS = 3
# Titles a greeting keeps, with the family name: "Hello Dr. Reyes," not "Hello Dr.,".
TITLES = frozenset(("dr", "mr", "mrs", "ms", "mx", "prof", "miss"))


@dataclass(frozen=True, slots=True)
class DraftFacts:
    """What a draft may mention, as plain values.

    `person` is the name of the person written to ("" for a neutral greeting); the
    greeting takes their first name. `interview_on` is the interview the note is about
    (None before any interview: the note is about the application).
    `decision_from`/`decision_by` are the latest date (or range) they gave for a
    decision, if any, and `timing` the words those dates came from (a `timing.Timing`
    value; a phrase is quoted). `offer_said_on` is the day they said an
    offer is on its way, when that is the latest thing they said, and `offer_by` when
    they expected the written offer. `as_of` is the user's local today: it decides
    whether a date needs its year and whether the decision date has passed (a decision
    due today has not). `sender` signs the note ("" leaves the signature to
    the user). `check_ins_before` counts the check-ins already sent about it (since the
    interview, or since applying), the latest on `last_check_in_on`.
    """

    company: str
    role: str
    applied_on: datetime.date
    as_of: datetime.date
    person: str = ""
    interview_on: datetime.date | None = None
    decision_from: datetime.date | None = None
    decision_by: datetime.date | None = None
    timing: str = ""
    offer_said_on: datetime.date | None = None
    offer_by: datetime.date | None = None
    sender: str = ""
    check_ins_before: int = 0
    last_check_in_on: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    kind: str
    subject: str
    body: str


def draft_compose(*, kind: str, facts: DraftFacts) -> Draft:
    """The draft of `kind` (one of KINDS) filled with `facts`; ValueError otherwise."""
    try:
        compose = _COMPOSERS[kind]
    except KeyError:
        raise ValueError(f"unknown draft kind {kind!r}") from None
    subject, paragraphs, closing = compose(facts)
    name = greeting_name(facts.person)
    greeting = _("Hello %(name)s,") % {"name": name} if name else _("Hello,")
    signature = closing + ("\n" + facts.sender.strip() if facts.sender.strip() else "")
    body = "\n\n".join([greeting, *(p for p in paragraphs if p), signature]) + "\n"
    return Draft(kind=kind, subject=subject, body=body)


def greeting_name(person: str) -> str:
    """How a note greets `person`: their first name ("Dana Reyes": "Dana"), or a title
    with the family name ("Dr. Dana Reyes": "Dr. Reyes"); "" for nobody."""
    words = person.split()
    if len(words) > 1 and words[0].rstrip(".").casefold() in TITLES:
        return f"{words[0]} {words[-1]}"
    return words[0] if words else ""


def mailto_url(*, email: str, subject: str = "", body: str = "") -> str:
    """A `mailto:` link (RFC 6068) to `email`, with the subject and body filled in when
    given: the one place such a link is made (templates use the `mailto` filter, of
    `applications/templatetags/mailto.py`).

    Everything is percent-encoded (`urllib.parse.quote`, UTF-8), the address too, all but
    its "@": an address may hold "?", "&", "=", "%" or "," and still be valid (the
    validator takes `x?cc=evil%40attacker.example&body=hi@example.com`), and written as
    it is it would add recipients, a Cc or a body of its own to the link. Line breaks are
    sent as CRLF, as the RFC asks. With no email address the link still opens a new
    message with the subject and body filled in, for the user to address.
    """
    to = quote(email.strip(), safe="@")
    fields = []
    if subject:
        fields.append(f"subject={quote(subject, safe='')}")
    if body:
        body = body.replace("\r\n", "\n").replace("\n", "\r\n")
        fields.append(f"body={quote(body, safe='')}")
    return f"mailto:{to}" + ("?" + "&".join(fields) if fields else "")


# ----------------------------------------------------------------------------------------
# The words


def _day(day: datetime.date, as_of: datetime.date) -> str:
    """ "Tuesday, November 24", with the year when it is not this year's."""
    return date_in_words(day, today=as_of, style="long")


def _decision(facts: DraftFacts) -> str:
    """ "by Friday, November 27" or "between ... and ...", or "" when they gave no date.
    Their words, when the dates came from a phrase: "“next week” (Monday, December 7 to
    Friday, December 11)"."""
    if facts.decision_by is None:
        return ""
    end = _day(facts.decision_by, facts.as_of)
    ranged = facts.decision_from is not None and facts.decision_from != facts.decision_by
    if facts.timing in WORDS:
        dates = end
        if ranged:
            dates = _("%(start)s to %(end)s") % {
                "start": _day(facts.decision_from, facts.as_of),
                "end": end,
            }
        return _("“%(words)s” (%(dates)s)") % {"words": WORDS[facts.timing], "dates": dates}
    if ranged:
        return _("between %(start)s and %(end)s") % {
            "start": _day(facts.decision_from, facts.as_of),
            "end": end,
        }
    return _("by %(date)s") % {"date": end}


def _offer_coming(facts: DraftFacts) -> str:
    """ "On Tuesday, November 24 you let me know an offer is on its way (expected by ...)."
    or "" when that is not the latest thing they said."""
    if facts.offer_said_on is None:
        return ""
    day = _day(facts.offer_said_on, facts.as_of)
    if facts.offer_by is None:
        return _("On %(day)s you let me know an offer is on its way.") % {"day": day}
    return _("On %(day)s you let me know an offer is on its way, in writing by %(by)s.") % {
        "day": day,
        "by": _day(facts.offer_by, facts.as_of),
    }


def _decision_passed(facts: DraftFacts) -> bool:
    """Whether the last day they gave for a decision is before today."""
    return facts.decision_by is not None and facts.decision_by < facts.as_of


def _what_they_said(facts: DraftFacts, *, ask: bool) -> str:
    """The decision date they gave, or "". Ahead: "You mentioned a decision by ...".
    Passed: "You mentioned you hoped to decide by ...", and with `ask`, followed by a
    question about the timeline (left out where the note asks in its own words)."""
    decision = _decision(facts)
    if not decision:
        return ""
    if not _decision_passed(facts):
        return _("You mentioned a decision %(decision)s.") % {"decision": decision}
    if ask:
        return _(
            "You mentioned you hoped to decide %(decision)s; is there any update on the timeline?"
        ) % {"decision": decision}
    return _("You mentioned you hoped to decide %(decision)s.") % {"decision": decision}


def _thank_you(facts: DraftFacts):
    place = {"role": facts.role, "company": facts.company}
    if facts.interview_on is None:
        return (
            _("Thank you: %(role)s at %(company)s") % place,
            [
                _(
                    "Thank you for considering my application for the %(role)s role at "
                    "%(company)s, sent on %(applied)s. I am very interested in the position and "
                    "would welcome the chance to talk about it."
                )
                % {**place, "applied": _day(facts.applied_on, facts.as_of)},
                _("If anything else would help, I am happy to send it."),
            ],
            _("Best regards,"),
        )
    late = (facts.as_of - facts.interview_on).days >= LATE_THANK_YOU_DAYS
    if late:
        thanks = _(
            "I wanted to thank you, if a little late, for talking with me on %(day)s about "
            "the %(role)s role at %(company)s. I enjoyed learning more about the team and the "
            "work, and I am even more interested in joining."
        )
    else:
        thanks = _(
            "Thank you for talking with me on %(day)s about the %(role)s role at "
            "%(company)s. I enjoyed learning more about the team and the work, and I am "
            "even more interested in joining."
        )
    return (
        _("Thank you for the interview: %(role)s") % place,
        [
            thanks % {**place, "day": _day(facts.interview_on, facts.as_of)},
            " ".join(
                part
                for part in (
                    _what_they_said(facts, ask=True),
                    _("I look forward to hearing from you."),
                )
                if part
            ),
            _("If anything else would help, I am happy to send it."),
        ],
        _("Best regards,"),
    )


def _check_in(facts: DraftFacts):
    place = {"role": facts.role, "company": facts.company}
    offer = _offer_coming(facts)
    if offer:
        return (
            _("Checking in: the offer for %(role)s at %(company)s") % place,
            [
                _("I hope you are well. I am following up about the %(role)s role at %(company)s.")
                % place,
                " ".join((offer, _("I wanted to check in on where things stand."))),
                _(
                    "I am very much looking forward to it. If you need anything else from "
                    "me, I would be glad to hear from you."
                ),
            ],
            _("Thank you for your time,"),
        )
    if facts.check_ins_before and facts.last_check_in_on is not None:
        # Not the first: it says so, and asks plainly, as a second note should.
        return (
            _("Following up again: %(role)s at %(company)s") % place,
            [
                _(
                    "I hope you are well. I wrote on %(day)s about the %(role)s role at "
                    "%(company)s, and I wanted to follow up once more."
                )
                % {**place, "day": _day(facts.last_check_in_on, facts.as_of)},
                # The next sentence asks either way, passed or not.
                _what_they_said(facts, ask=False),
                _(
                    "I am still interested in the role. If a decision has been made, or the "
                    "timing has changed, a short note either way would help me plan."
                ),
            ],
            _("Thank you for your time,"),
        )
    if facts.interview_on is None:
        opening = _(
            "I hope you are well. I applied for the %(role)s role at %(company)s on "
            "%(applied)s, and I wanted to check in on where things stand."
        ) % {**place, "applied": _day(facts.applied_on, facts.as_of)}
        said = ""
    else:
        opening = _(
            "I hope you are well. I am following up on my interview on %(day)s for the "
            "%(role)s role at %(company)s."
        ) % {**place, "day": _day(facts.interview_on, facts.as_of)}
        if _decision_passed(facts):
            # The sentence asks for an update itself.
            said = _what_they_said(facts, ask=True)
        else:
            said = " ".join(
                part
                for part in (
                    _what_they_said(facts, ask=True),
                    _("I wanted to check in on where things stand."),
                )
                if part
            )
    return (
        _("Checking in: %(role)s at %(company)s") % place,
        [
            opening,
            said,
            _(
                "I am still very interested in the role. If you can share an update, or "
                "need anything else from me, I would be glad to hear from you."
            ),
        ],
        _("Thank you for your time,"),
    )


def _timeline(facts: DraftFacts):
    place = {"role": facts.role, "company": facts.company}
    decision = _decision(facts)
    offer = _offer_coming(facts)
    if offer:
        question = " ".join(
            (
                offer,
                _(
                    "Could you share when I can expect the written offer? Knowing helps me "
                    "plan the rest of my search."
                ),
            )
        )
    elif decision and _decision_passed(facts):
        question = " ".join(
            (_what_they_said(facts, ask=True), _("Knowing helps me plan the rest of my search."))
        )
    elif decision:
        # They gave a date already: ask whether it still holds rather than asking again.
        question = _(
            "Are you still expecting to decide %(decision)s? Knowing helps me plan the rest "
            "of my search."
        ) % {"decision": decision}
    elif facts.interview_on is None:
        question = _(
            "Could you share the timeline you have in mind for the next steps? Even a rough "
            "date would help me plan."
        )
    else:
        question = _(
            "Could you share the timeline you have in mind for a decision? Even a rough "
            "date would help me plan."
        )
    if facts.interview_on is None:
        opening = _("I applied for the %(role)s role at %(company)s on %(applied)s.") % {
            **place,
            "applied": _day(facts.applied_on, facts.as_of),
        }
    else:
        opening = _(
            "Thank you again for our conversation on %(day)s about the %(role)s role at "
            "%(company)s."
        ) % {**place, "day": _day(facts.interview_on, facts.as_of)}
    return (
        _("Timeline for the %(role)s role at %(company)s") % place,
        [
            opening,
            question,
            _("I remain very interested in the role and look forward to hearing from you."),
        ],
        _("Best regards,"),
    )


_COMPOSERS = {THANK_YOU: _thank_you, CHECK_IN: _check_in, TIMELINE: _timeline}
