"""Hearback's data: what the job seeker recorded, and the rules they chose.

Data and constraints only. What the data *means* (the status of an application) is
derived by `applications.status`; writes that span rows live in `applications.services`.
Every row belongs to one user: an Application through `owner`, everything else through
its application, so one owner-scoped query on Application reaches all of it.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import holiday_regions
from applications.timing import WORDS, Timing

# Text limits shared by the forms, the admin and the hearback/v1 import validator.
SHORT_TEXT = 200
URL_TEXT = 2000
LONG_TEXT = 10_000
EMAIL_TEXT = 254
PHONE_TEXT = 50

# How many people one application may have, and how many of them one interview may have
# met: shared by the forms, the services, the admin and the hearback/v1 import. A long
# search meets a few dozen people for one job (recruiters, a panel, a few rounds), so
# these leave a wide margin; they are what keeps an application's page, its interview
# form (a box per person) and the dashboard's reading of it small. An application of
# 50,000 people, two interviews meeting all of them, took 28 s to show its page.
MAX_PEOPLE = 100
MAX_PEOPLE_MET = 50


# The dates Hearback works with: wide enough for any job search, and far enough from the
# calendar's end that the rules can add their days to any of them.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


def validate_plausible_date(value):
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


class Outcome(models.TextChoices):
    """How an application ended, as the user recorded it."""

    OFFER = "offer", _("Offer")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InterviewFormat(models.TextChoices):
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    ONSITE = "onsite", _("On site")
    OTHER = "other", _("Other")


class FollowUpKind(models.TextChoices):
    THANK_YOU = "thank_you", _("Thank-you note")
    CHECK_IN = "check_in", _("Check-in")
    RESPONSE = "response", _("Response from them")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    LINKEDIN = "linkedin", _("LinkedIn")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Other")


class ResponseOutcome(models.TextChoices):
    """What a response from the company said, when it was more than an update ("" is an
    update: news without a decision). An offer on its way keeps the application open; a
    courtesy reply is no news at all (docs/status-rules.md)."""

    NEXT_ROUND = "next_round", _("Next round")
    OFFER = "offer", _("Offer")
    REJECTED = "rejected", _("Rejected")
    OFFER_COMING = "offer_coming", _("An offer is on its way")
    COURTESY = "courtesy", _("Just a courtesy reply (no news)")


def _in_choices(field, choices, *, blank=False):
    """A check constraint keeping `field` to `choices` (and "" when `blank`)."""
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


SUBMISSION_TEXT = 32


def submission_field():
    """The one-time token of the form that recorded a row (see services.application_record):
    a form sent twice, by a double click or a resubmit, finds its row instead of adding
    another. Not the user's data: no form, export or import shows it."""
    return models.CharField(
        _("form submission"),
        max_length=SUBMISSION_TEXT,
        blank=True,
        default="",
        editable=False,
        help_text=_("Set once by the form that recorded this; empty for rows from elsewhere."),
    )


class ApplicationQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def open(self):
        """Applications the user has not closed with an outcome of their own."""
        return self.filter(outcome="")


class Source(models.TextChoices):
    """Where the user found the job, or who brought them to it."""

    REFERRAL = "referral", _("Referral")
    LINKEDIN = "linkedin", _("LinkedIn")
    COMPANY_SITE = "company_site", _("Company site")
    JOB_BOARD = "job_board", _("Job board")
    RECRUITER = "recruiter", _("Recruiter")
    OTHER = "other", _("Other")


# The most a salary field holds: far above any salary, in any currency people write.
SALARY_LIMIT = 1_000_000_000


class Application(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    company = models.CharField(_("company"), max_length=SHORT_TEXT)
    role = models.CharField(_("role"), max_length=SHORT_TEXT)
    applied_on = models.DateField(_("applied on"), validators=[validate_plausible_date])
    posting_url = models.URLField(_("job posting URL"), max_length=URL_TEXT, blank=True)
    notes = models.TextField(_("notes"), max_length=LONG_TEXT, blank=True)
    location = models.CharField(
        _("location"), max_length=SHORT_TEXT, blank=True, help_text=_("A city, a region.")
    )
    remote = models.BooleanField(_("remote"), default=False)
    salary_min = models.PositiveIntegerField(
        _("salary from"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(SALARY_LIMIT)],
        help_text=_("A year's pay, in the currency you think in."),
    )
    salary_max = models.PositiveIntegerField(
        _("salary up to"), null=True, blank=True, validators=[MaxValueValidator(SALARY_LIMIT)]
    )
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=Source.choices,
        blank=True,
        help_text=_("Where you found it, or who brought you to it."),
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=Outcome.choices,
        blank=True,
        help_text=_("Set it when the application is over; it then leaves the dashboard."),
    )
    snoozed_until = models.DateField(
        _("snoozed until"),
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text=_("While a follow-up is due, hold the reminder until this date."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submission = submission_field()

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["company", "id"]
        indexes = [
            # Every page lists one owner's applications; most filter on open ones.
            models.Index(fields=["owner", "outcome"], name="application_owner_outcome"),
            models.Index(fields=["owner", "applied_on"], name="application_owner_applied"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(company=""), name="application_company_not_blank"),
            models.CheckConstraint(condition=~Q(role=""), name="application_role_not_blank"),
            models.CheckConstraint(
                condition=_in_choices("source", Source, blank=True),
                name="application_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="application_salary_range_in_order",
                violation_error_code="salary_out_of_order",
                violation_error_message=_("The salary range ends before it starts."),
            ),
            models.CheckConstraint(
                condition=_in_choices("outcome", Outcome, blank=True),
                name="application_outcome_valid",
            ),
            # The same new-application form, sent twice, saves one application.
            models.UniqueConstraint(
                fields=["owner", "submission"],
                condition=~Q(submission=""),
                name="application_submission_once",
            ),
        ]

    def __str__(self):
        return f"{self.company}: {self.role}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("application_detail", args=[self.pk])


class Contact(models.Model):
    """A person met during the process (interviewer, recruiter, hiring manager)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=SHORT_TEXT)
    title = models.CharField(_("title"), max_length=SHORT_TEXT, blank=True)
    email = models.EmailField(_("email"), max_length=EMAIL_TEXT, blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_TEXT, blank=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="contact_name_not_blank"),
        ]

    def __str__(self):
        return f"{self.name} ({self.title})" if self.title else self.name


# The answers to "what did they say about timing?" that give no date.
NO_DATE_SAID = [Timing.NONE, Timing.NOT_ASKED]


class Interview(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    time = models.TimeField(
        _("time"), null=True, blank=True, help_text=_("When it starts, in your time zone.")
    )
    place = models.CharField(
        _("place or video link"),
        max_length=URL_TEXT,
        blank=True,
        help_text=_("An address, a meeting room, or the link of the video call."),
    )
    format = models.CharField(
        _("format"), max_length=16, choices=InterviewFormat.choices, default=InterviewFormat.OTHER
    )
    contacts = models.ManyToManyField(
        Contact, related_name="interviews", blank=True, verbose_name=_("people met")
    )
    next_steps = models.TextField(_("next steps they described"), max_length=LONG_TEXT, blank=True)
    timing = models.CharField(
        _("what they said about timing"),
        max_length=32,
        choices=Timing.choices,
        blank=True,
        help_text=_(
            "Their words, kept for the reasons and drafts to quote. A phrase (“next week”) "
            "has the dates it means below; “they didn't say” and “not asked yet” have "
            "none. Empty for interviews recorded before the words were kept: the dates "
            "are read as they are."
        ),
    )
    decision_from = models.DateField(
        _("decision from"),
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text=_("Only for a range: the earliest day they said they would decide."),
    )
    decision_by = models.DateField(
        _("decision by"),
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text=_(
            "The date (or the end of the range) they said they would decide by. "
            "Leave empty when they gave no date."
        ),
    )
    submission = submission_field()

    class Meta:
        ordering = ["application", "date", "id"]
        indexes = [models.Index(fields=["application", "date"], name="interview_app_date")]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("format", InterviewFormat), name="interview_format_valid"
            ),
            # The decision dates: `interview_date_problems` below applies the same four
            # conditions in Python, so forms and the importer can say what is wrong first.
            # A range needs its end: "from Dec 1" alone tells the rules nothing.
            models.CheckConstraint(
                condition=Q(decision_from__isnull=True) | Q(decision_by__isnull=False),
                name="interview_range_has_end",
                violation_error_code="range_without_end",
                violation_error_message=_(
                    "A range of dates needs its end: fill in “decision by” too (a single "
                    "date goes there alone)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decision_from__isnull=True) | Q(decision_from__lte=F("decision_by")),
                name="interview_range_in_order",
                violation_error_code="range_out_of_order",
                violation_error_message=_(
                    "The range ends before it starts: “decision from” is after “decision by”."
                ),
            ),
            # They cannot decide before they have met you.
            models.CheckConstraint(
                condition=Q(decision_by__isnull=True) | Q(decision_by__gte=F("date")),
                name="interview_decision_not_before_interview",
                violation_error_code="decision_before_interview",
                violation_error_message=_(
                    "They can't decide before the interview: “decision by” is before its date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decision_from__isnull=True) | Q(decision_from__gte=F("date")),
                name="interview_range_not_before_interview",
                violation_error_code="decision_before_interview",
                violation_error_message=_(
                    "They can't decide before the interview: “decision from” is before its date."
                ),
            ),
            # What they said and the dates agree (`interview_date_problems` too): no date
            # when they said none, one for "a date", two for "a range", and the date a
            # phrase means for a phrase. Rows from before the words were kept have "".
            models.CheckConstraint(
                condition=_in_choices("timing", Timing, blank=True),
                name="interview_timing_valid",
            ),
            models.CheckConstraint(
                condition=~Q(timing__in=NO_DATE_SAID)
                | (Q(decision_from__isnull=True) & Q(decision_by__isnull=True)),
                name="interview_timing_none_without_dates",
                violation_error_code="dates_not_said",
                violation_error_message=_(
                    "They didn't give a date (or you have not asked yet): leave “decision "
                    "from” and “decision by” empty."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(timing=Timing.DATE)
                | (Q(decision_from__isnull=True) & Q(decision_by__isnull=False)),
                name="interview_timing_date_is_one_day",
                violation_error_code="date_is_one_day",
                violation_error_message=_("“A date” is one day: fill in “decision by” alone."),
            ),
            models.CheckConstraint(
                condition=~Q(timing=Timing.RANGE)
                | (Q(decision_from__isnull=False) & Q(decision_by__isnull=False)),
                name="interview_timing_range_has_both_ends",
                violation_error_code="range_needs_both",
                violation_error_message=_(
                    "“A range” needs both dates: “decision from” and “decision by”."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(timing__in=list(WORDS)) | Q(decision_by__isnull=False),
                name="interview_timing_phrase_has_its_date",
                violation_error_code="phrase_needs_date",
                violation_error_message=_(
                    "What they said stands for a date: fill in “decision by” (and “decision "
                    "from” for a span such as “next week”)."
                ),
            ),
            # The same later-round form, sent twice, saves one interview.
            models.UniqueConstraint(
                fields=["application", "submission"],
                condition=~Q(submission=""),
                name="interview_submission_once",
            ),
        ]

    def __str__(self):
        return f"{self.application.company}: {self.date:%Y-%m-%d}"


class FollowUp(models.Model):
    """A touchpoint: a thank-you or a check-in the user sent, or a response they got."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="follow_ups"
    )
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    kind = models.CharField(_("kind"), max_length=16, choices=FollowUpKind.choices)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.OTHER
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("person"),
    )
    note = models.TextField(_("note"), max_length=LONG_TEXT, blank=True)
    new_decision_by = models.DateField(
        _("new decision date"),
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text=_("Responses only: a new date they gave for their decision."),
    )
    outcome = models.CharField(
        _("what they said"),
        max_length=16,
        choices=ResponseOutcome.choices,
        blank=True,
        help_text=_(
            "Responses only: leave empty when they gave an update. “An offer is on its way” "
            "keeps the application open (its new date: when the written offer is expected); "
            "“just a courtesy reply” is no news and changes nothing."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "date", "id"]
        indexes = [models.Index(fields=["application", "date"], name="follow_up_app_date")]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("kind", FollowUpKind), name="follow_up_kind_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("channel", Channel), name="follow_up_channel_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("outcome", ResponseOutcome, blank=True),
                name="follow_up_outcome_valid",
            ),
            # A new date or a verdict is something the company says: responses only.
            models.CheckConstraint(
                condition=Q(kind=FollowUpKind.RESPONSE)
                | (Q(new_decision_by__isnull=True) & Q(outcome="")),
                name="follow_up_response_fields_only_on_responses",
            ),
            # `follow_up_date_problems` below applies these two in Python.
            models.CheckConstraint(
                condition=Q(new_decision_by__isnull=True) | Q(new_decision_by__gte=F("date")),
                name="follow_up_new_date_not_before_response",
                violation_error_code="new_date_before_response",
                violation_error_message=_("The new date can't be before their response."),
            ),
            # A courtesy reply is no news; a date they give is news (an update).
            models.CheckConstraint(
                condition=~Q(outcome=ResponseOutcome.COURTESY) | Q(new_decision_by__isnull=True),
                name="follow_up_courtesy_without_new_date",
                violation_error_code="courtesy_with_date",
                violation_error_message=_(
                    "A courtesy reply brings no news, so no new date: if they gave one, it "
                    "was an update."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


# ----------------------------------------------------------------------------------------
# The date constraints of interviews and follow-ups, applied in Python


@dataclass(frozen=True, slots=True)
class DateProblem:
    """A date check constraint that some values would break, and the field it is about.

    `code` and `message` are the constraint's own: what Django's model validation (the
    admin's forms) says. The app's forms and the importer name the dates themselves, in
    their own words, chosen by `code`.
    """

    constraint: models.CheckConstraint
    field: str

    @property
    def code(self) -> str:
        return self.constraint.violation_error_code

    @property
    def message(self) -> str:
        return self.constraint.get_violation_error_message()


def _is_day(value) -> bool:
    return isinstance(value, datetime.date)


def _problems(model, broken) -> list[DateProblem]:
    """(constraint name, field) pairs as problems citing `model`'s own constraints."""
    if not broken:
        return []
    constraints = {constraint.name: constraint for constraint in model._meta.constraints}
    return [DateProblem(constraints[name], field) for name, field in broken]


def interview_date_problems(
    *, date, decision_from, decision_by, timing: str = ""
) -> list[DateProblem]:
    """The Interview constraints on its decision dates that these values would break, in
    this order: a range needs its end, it goes from the earlier date, neither date is
    before the interview, then the dates agree with what they said (`timing`; "" agrees
    with any). [] when none.

    The constraints' own conditions, in Python (tests/test_models.py checks that the two
    agree), so that a form or the importer finds a problem before any write. None is a
    date not given; any other value that is not a date (one already refused as
    unreadable) counts as given, and is compared with nothing.
    """
    broken = []
    if decision_from is not None and decision_by is None:
        broken.append(("interview_range_has_end", "decision_from"))
    if _is_day(decision_from) and _is_day(decision_by) and decision_from > decision_by:
        broken.append(("interview_range_in_order", "decision_from"))
    if _is_day(date) and _is_day(decision_from) and decision_from < date:
        broken.append(("interview_range_not_before_interview", "decision_from"))
    if _is_day(date) and _is_day(decision_by) and decision_by < date:
        broken.append(("interview_decision_not_before_interview", "decision_by"))
    # Each problem of what they said names the date given that should not be, else the
    # date missing.
    if timing in NO_DATE_SAID and (decision_from is not None or decision_by is not None):
        field = "decision_by" if decision_by is not None else "decision_from"
        broken.append(("interview_timing_none_without_dates", field))
    if timing == Timing.DATE and (decision_from is not None or decision_by is None):
        field = "decision_from" if decision_from is not None else "decision_by"
        broken.append(("interview_timing_date_is_one_day", field))
    if timing == Timing.RANGE and (decision_from is None or decision_by is None):
        field = "decision_from" if decision_from is None else "decision_by"
        broken.append(("interview_timing_range_has_both_ends", field))
    if timing in WORDS and decision_by is None:
        broken.append(("interview_timing_phrase_has_its_date", "decision_by"))
    return _problems(Interview, broken)


def follow_up_date_problems(*, date, new_decision_by, outcome: str = "") -> list[DateProblem]:
    """The FollowUp constraints on a response's new decision date that these values would
    break: not before the response that gave it, and none on a courtesy reply; as
    `interview_date_problems`."""
    broken = []
    if _is_day(date) and _is_day(new_decision_by) and new_decision_by < date:
        broken.append(("follow_up_new_date_not_before_response", "new_decision_by"))
    if outcome == ResponseOutcome.COURTESY and new_decision_by is not None:
        broken.append(("follow_up_courtesy_without_new_date", "new_decision_by"))
    return _problems(FollowUp, broken)


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone we know. Try a name like Europe/Berlin."),
            params={"value": value},
        )


def validate_holiday_country(value):
    problem = holiday_regions.region_problem(value, "")
    if problem is not None:
        raise ValidationError(problem[1], code="unknown_country")


def _days(setting, low=0, high=90):
    return Q(**{f"{setting}__gte": low, f"{setting}__lte": high})


class Preferences(models.Model):
    """One user's time zone and rule settings (docs/status-rules.md, "Rule settings")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Your “today” follows this zone: follow-ups fall due at your midnight."),
    )
    # False until the user has seen their zone and kept or changed it (at sign-up, in
    # Settings, or from the banner that asks an account left on UTC).
    time_zone_confirmed = models.BooleanField(_("time zone confirmed"), default=False)
    grace_days = models.PositiveSmallIntegerField(
        _("days to wait after their date"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("Follow up this many days after the date they gave (0 to 90)."),
    )
    no_date_wait_days = models.PositiveSmallIntegerField(
        _("days to wait when no date was given"),
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("With no date from them, follow up this many days after (0 to 90)."),
    )
    applied_wait_days = models.PositiveSmallIntegerField(
        _("days to wait after applying"),
        default=14,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("Before any interview, nudge this many days after applying (0 to 90)."),
    )
    check_in_spacing_days = models.PositiveSmallIntegerField(
        _("days between check-ins"),
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("Leave at least this many days between two check-ins (0 to 90)."),
    )
    max_check_ins = models.PositiveSmallIntegerField(
        _("check-ins before moving on"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("After this many unanswered check-ins it is likely closed (1 to 5)."),
    )
    weekdays_only = models.BooleanField(
        _("follow up on working days only"),
        default=True,
        help_text=_(
            "A follow-up date on a Saturday, a Sunday or a public holiday (of the place "
            "below) moves to the next working day."
        ),
    )
    applied_gives_up_days = models.PositiveSmallIntegerField(
        _("days until an application goes quiet"),
        default=42,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=_(
            "An application with no interview and no news is likely closed this many days "
            "after you sent it, check-ins or not (0 to 365; 0: never)."
        ),
    )
    last_try_after_days = models.PositiveSmallIntegerField(
        _("days after which a check-in is the last try"),
        default=21,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=_(
            "A check-in sent this many days or more after the follow-up was due is the last "
            "one: if it goes unanswered, move on (0 to 365; 0: never)."
        ),
    )
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=2,
        blank=True,
        validators=[validate_holiday_country],
        help_text=_(
            "A country (its code in the holidays library: US, GB, DE...) whose public "
            "holidays count as days off, with weekends, when working days only is on. "
            "Empty: none."
        ),
    )
    holiday_subdivision = models.CharField(
        _("state or region"),
        max_length=64,
        blank=True,
        help_text=_(
            "Optional: a state or region of that country (its code in the holidays "
            "library: CA, BY...) whose own public holidays count too."
        ),
    )

    signature_name = models.CharField(
        _("your name, to sign drafted notes"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("Drafted thank-yous and check-ins end with it, as you would sign them."),
    )
    digest_opt_in = models.BooleanField(
        _("email me a daily digest"),
        default=False,
        help_text=_(
            "One short email on days something needs doing: follow-ups due, thank-yous owed."
        ),
    )
    calendar_token = models.CharField(
        _("calendar feed secret"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("The secret part of the calendar feed address; empty when the feed is off."),
    )

    class Meta:
        verbose_name_plural = _("preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_token"],
                condition=~Q(calendar_token=""),
                name="prefs_calendar_token_unique",
            ),
            models.CheckConstraint(condition=_days("grace_days"), name="prefs_grace_days_range"),
            models.CheckConstraint(
                condition=_days("no_date_wait_days"), name="prefs_no_date_wait_range"
            ),
            models.CheckConstraint(
                condition=_days("applied_wait_days"), name="prefs_applied_wait_range"
            ),
            models.CheckConstraint(
                condition=_days("check_in_spacing_days"), name="prefs_spacing_range"
            ),
            models.CheckConstraint(
                condition=_days("max_check_ins", 1, 5), name="prefs_max_check_ins_range"
            ),
            models.CheckConstraint(
                condition=_days("applied_gives_up_days", 0, 365),
                name="prefs_applied_gives_up_range",
                violation_error_code="out_of_range",
                violation_error_message=_("The days until an application goes quiet are 0 to 365."),
            ),
            models.CheckConstraint(
                condition=_days("last_try_after_days", 0, 365),
                name="prefs_last_try_range",
                violation_error_code="out_of_range",
                violation_error_message=_(
                    "The days after which a check-in is the last try are 0 to 365."
                ),
            ),
            # Which codes exist is the holidays library's to say (`clean` asks it); the
            # database keeps the one rule that does not change with the library.
            models.CheckConstraint(
                condition=Q(holiday_subdivision="") | ~Q(holiday_country=""),
                name="prefs_holiday_subdivision_has_country",
                violation_error_code="subdivision_without_country",
                violation_error_message=_(
                    "Choose the country too: a region's holidays are counted with its country's."
                ),
            ),
        ]

    def __str__(self):
        return f"Preferences of {self.user}"

    def clean(self):
        """The subdivision is one of the country's, in the holidays library's lists (the
        country alone is checked by its field's validator, a subdivision without a
        country by a constraint)."""
        if not self.holiday_country:
            return
        problem = holiday_regions.region_problem(self.holiday_country, self.holiday_subdivision)
        if problem is not None and problem[0] == "holiday_subdivision":
            raise ValidationError({"holiday_subdivision": problem[1]})

    @property
    def holiday_region(self) -> str:
        """Where the public holidays counted come from, in words ("" for nowhere)."""
        return holiday_regions.region_in_words(self.holiday_country, self.holiday_subdivision)


class DigestClaim(models.Model):
    """One row per user and local day a digest was claimed for: the unique constraint
    is the lock that lets `send_digests` run from cron on several hosts at once and
    still send each user one digest a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_claims"
    )
    day = models.DateField(_("day"))
    # Set by the run that claims (its `now`): a claim unsent for long belongs to a run
    # that died before sending, and a later run takes it over (services.digest_claim).
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_one_per_user_per_day"),
        ]

    def __str__(self):
        return f"Digest for {self.user} on {self.day:%Y-%m-%d}"


class MailSlot(models.Model):
    """One email sent on a visitor's request (a password-reset link, a link to confirm
    an address), taken from an hour's allowance. Each address, and each visitor's IP
    address, has a few numbered slots per kind of email (`services.MAIL_ALLOWANCES`); a
    slot is free again an hour after it was taken. The unique constraint is what keeps
    the count on any number of workers and hosts: two requests cannot take one slot.
    `key` is a keyed hash of the kind and the address, so the table keeps no address in
    the clear."""

    key = models.CharField(max_length=64)
    slot = models.PositiveSmallIntegerField()
    taken_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "slot"], name="mail_slot_taken_once"),
        ]

    def __str__(self):
        return f"Mail slot {self.slot} of {self.key[:8]}, taken {self.taken_at:%Y-%m-%d %H:%M}"


class VerifiedEmail(models.Model):
    """The address a user showed they read: they opened the link Hearback sent there and
    pressed its button. Their email counts as verified while it is this address, so a
    change anywhere (the settings page, the admin) leaves the new one unverified until
    its own link is opened; nothing has to remember to reset a flag."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="verified_email",
    )
    email = models.EmailField(_("verified address"), max_length=EMAIL_TEXT)
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    def __str__(self):
        return f"{self.email}, verified {self.verified_at:%Y-%m-%d}"
