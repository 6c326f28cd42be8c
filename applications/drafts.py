"""Drafted notes: a thank-you, a check-in, and a question about their timeline.

Pure composition from plain values (`DraftFacts`): no database, no clock. The view
gathers the facts (which interview, which person, which dates they gave) and this module
only writes the words, so every draft reads the same wherever it is offered.

Each draft is short on purpose: the job seeker edits it, signs it, and sends it from
their own mailbox. Sentences about next steps, a decision date or an offer on its way
appear only when the user recorded them, so a draft never invents a promise the company
did not make. What they said about timing is quoted in their words ("next week"), with
the dates those words meant, since "next week" said a fortnight ago is not next week
any more. Nothing the user wrote for themselves (an application's notes, the note on a
follow-up) ever goes into a draft: only what the facts below carry.
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

# A 10,000-character note pasted into an email would bury the question; past this the
# next steps are cut at a word and marked with an ellipsis.
NEXT_STEPS_SHOWN = 300


@dataclass(frozen=True, slots=True)
class DraftFacts:
    """What a draft may mention, as plain values.

    `person` is the name to greet ("" for a neutral greeting). `interview_on` is the
    interview the note is about (None before any interview: the note is about the
    application). `decision_from`/`decision_by` are the latest date (or range) they gave
    for a decision, if any, and `timing` the words those dates came from (a
    `timing.Timing` value; a phrase is quoted). `offer_said_on` is the day they said an
    offer is on its way, when that is the latest thing they said, and `offer_by` when
    they expected the written offer. `as_of` is the user's local today: it only decides
    whether a date needs its year. `sender` signs the note ("" leaves the signature to
    the user).
    """

    company: str
    role: str
    applied_on: datetime.date
    as_of: datetime.date
    person: str = ""
    interview_on: datetime.date | None = None
    next_steps: str = ""
    decision_from: datetime.date | None = None
    decision_by: datetime.date | None = None
    timing: str = ""
    offer_said_on: datetime.date | None = None
    offer_by: datetime.date | None = None
    sender: str = ""


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
    greeting = (
        _("Hello %(name)s,") % {"name": facts.person.strip()}
        if facts.person.strip()
        else _("Hello,")
    )
    signature = closing + ("\n" + facts.sender.strip() if facts.sender.strip() else "")
    body = "\n\n".join([greeting, *(p for p in paragraphs if p), signature]) + "\n"
    return Draft(kind=kind, subject=subject, body=body)


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


def _next_steps(text: str) -> str:
    """What the user noted about next steps, on one line, trimmed for quoting."""
    text = " ".join(text.split()).strip("\"“”'‘’ ").rstrip(".;:, ")
    if len(text) > NEXT_STEPS_SHOWN:
        cut = text[:NEXT_STEPS_SHOWN].rsplit(" ", 1)[0] or text[:NEXT_STEPS_SHOWN]
        text = cut.rstrip(".;:, ") + "…"
    return text


def _what_they_said(facts: DraftFacts) -> str:
    """One sentence with the next steps and the decision date they gave, or ""."""
    steps = _next_steps(facts.next_steps)
    decision = _decision(facts)
    if steps and decision:
        return _("You mentioned the next steps (“%(steps)s”) and a decision %(decision)s.") % {
            "steps": steps,
            "decision": decision,
        }
    if steps:
        return _("You mentioned the next steps: “%(steps)s”.") % {"steps": steps}
    if decision:
        return _("You mentioned a decision %(decision)s.") % {"decision": decision}
    return ""


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
    return (
        _("Thank you for the interview: %(role)s") % place,
        [
            _(
                "Thank you for talking with me on %(day)s about the %(role)s role at "
                "%(company)s. I enjoyed learning more about the team and the work, and I am "
                "even more interested in joining."
            )
            % {**place, "day": _day(facts.interview_on, facts.as_of)},
            " ".join(
                part
                for part in (_what_they_said(facts), _("I look forward to hearing from you."))
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
        said = " ".join(
            part
            for part in (_what_they_said(facts), _("I wanted to check in on where things stand."))
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
        steps = ""
    else:
        opening = _(
            "Thank you again for our conversation on %(day)s about the %(role)s role at "
            "%(company)s."
        ) % {**place, "day": _day(facts.interview_on, facts.as_of)}
        steps = _next_steps(facts.next_steps)
        steps = _("You mentioned the next steps: “%(steps)s”.") % {"steps": steps} if steps else ""
    return (
        _("Timeline for the %(role)s role at %(company)s") % place,
        [
            " ".join(part for part in (opening, steps) if part),
            question,
            _("I remain very interested in the role and look forward to hearing from you."),
        ],
        _("Best regards,"),
    )


_COMPOSERS = {THANK_YOU: _thank_you, CHECK_IN: _check_in, TIMELINE: _timeline}
