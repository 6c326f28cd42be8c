"""Forms: they parse and check what people type, with messages in plain words.

They hold no rules of the status engine; the services write what they cleaned.
"""

import datetime
import json
import re
import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from applications import holiday_regions, services, time_zones
from applications.humanize import date_in_words
from applications.models import (
    EMAIL_TEXT,
    SHORT_TEXT,
    SUBMISSION_TEXT,
    URL_TEXT,
    Application,
    Channel,
    Contact,
    FollowUpKind,
    InterviewFormat,
    Outcome,
    Preferences,
    ResponseOutcome,
    follow_up_date_problems,
    interview_date_problems,
    validate_plausible_date,
)
from applications.timing import SPANS, WORDS, Timing


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _day(value):
    return date_in_words(value, style="short")


class CalendarDateField(forms.DateField):
    """A date typed in a form: only within the dates Hearback works with."""

    default_validators = [validate_plausible_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)


class ApplicationForm(forms.ModelForm):
    posting_url = forms.URLField(
        label=_("Job posting URL"),
        max_length=URL_TEXT,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text=_("The job ad, so you can find it again."),
    )

    class Meta:
        model = Application
        fields = [
            "company",
            "role",
            "applied_on",
            "posting_url",
            "location",
            "remote",
            "salary_min",
            "salary_max",
            "source",
            "notes",
        ]
        widgets = {
            "applied_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "salary_min": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "salary_max": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, today, **kwargs):
        """`today`: the user's local today; an application is recorded once it is sent."""
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_applied_on(self):
        day = self.cleaned_data["applied_on"]
        if day > self.today:
            raise ValidationError(
                _("That date is in the future; record the application once you have sent it.")
            )
        return day

    def full_clean(self):
        super().full_clean()
        # The database's check of the salary range (models.Application's constraints)
        # reaches a form as an error of the whole form; it is about the salary, so it is
        # shown by the salary fields, and opens the section they are folded in.
        errors = self.errors.get(NON_FIELD_ERRORS)
        if not errors:
            return
        salary = [e for e in errors.as_data() if e.code == "salary_out_of_order"]
        if salary:
            others = [e for e in errors.as_data() if e.code != "salary_out_of_order"]
            if others:
                self.errors[NON_FIELD_ERRORS] = self.error_class(
                    others, error_class="nonfield", renderer=self.renderer
                )
            else:
                del self.errors[NON_FIELD_ERRORS]
            self.add_error("salary_max", salary)

    def to_details(self) -> services.JobDetails:
        return services.JobDetails.from_fields(self.cleaned_data)


SUBMISSION_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{1,{SUBMISSION_TEXT}}}")


def new_submission_token() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits in 22 of SUBMISSION_TOKEN's characters


class SubmissionField(forms.CharField):
    """A hidden one-time token: a new one in each page, the posted one when the page is
    shown again with errors (its next post is still the same submission).

    Anything that is not a token of ours (missing: a page from before tokens; hostile:
    a hand-made post) cleans to "", no token: the form still saves, once per post, and
    is never refused for it.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=new_submission_token, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value if SUBMISSION_TOKEN.fullmatch(value) else ""

    def bound_data(self, data, initial):
        return self.to_python(data) or initial


class SubmissionForm(forms.Form):
    """The token of a record form (a new application, a later round): with it the
    services save the same page, sent twice by a double click, once."""

    submission = SubmissionField()


def _timing_hints() -> dict[str, str]:
    """What the rules take each phrase to mean, shown beside it: the spans in days come
    from the table itself (`timing.SPANS`), the two calendar phrases in words."""
    hints = {
        Timing.END_OF_WEEK: _("we count that week's Friday"),
        Timing.NEXT_WEEK: _("we count Monday to Friday of the week after"),
    }
    for phrase, span in SPANS.items():
        if span.last == 0:
            hints[phrase] = _("we count the interview's day")
        else:
            hints[phrase] = _("we count %(first)d to %(last)d days after") % {
                "first": span.first,
                "last": span.last,
            }
    hints[Timing.NOT_ASKED] = _("for an interview still ahead")
    return hints


class TimingSelect(forms.RadioSelect):
    """The answers to "what did they say about timing?", each with what the rules take
    it to mean (`hint`), and the date inputs of "a date" and "a range" right under them
    (the template `partials/interview_fields.html` places them: no script needed)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = _timing_hints().get(value, "")
        return option


class InterviewForm(forms.Form):
    """An interview round and what they said about their timing, in their words.

    The field is still named `timeline` (what the pages have always posted); its values
    are `timing.Timing`'s, and `date`, `range` and `none` kept their meaning. The dates a
    phrase means are worked out when the interview is recorded
    (`services.interview_decision_dates`); this form only asks for the dates of "a date"
    and "a range".
    """

    date = CalendarDateField(label=_("Interview date"), widget=DateInput())
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In your time zone."),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=InterviewFormat.choices, initial=InterviewFormat.VIDEO
    )
    place = forms.CharField(
        label=_("Place or video link"),
        required=False,
        max_length=URL_TEXT,
        help_text=_("An address, a meeting room, or the link of the call."),
    )
    next_steps = forms.CharField(
        label=_("Next steps they described"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In your own words: who decides, what happens next."),
    )
    # Not asked of an interview still ahead: left empty, it is "not asked yet", and the
    # dashboard asks once its day has passed.
    timeline = forms.ChoiceField(
        label=_("What did they say about timing?"),
        choices=Timing.choices,
        required=False,
        widget=TimingSelect,
    )
    decision_by = CalendarDateField(
        label=_("They will decide by"), required=False, widget=DateInput()
    )
    range_from = CalendarDateField(label=_("Between"), required=False, widget=DateInput())
    range_to = CalendarDateField(label=_("and"), required=False, widget=DateInput())

    def __init__(self, *args, optional=False, today=None, **kwargs):
        """`optional`: the interview may be left out entirely (recording an application
        before any interview); then an empty date means no interview. `today`: the
        user's local today; "not asked yet" is only for an interview from it on."""
        super().__init__(*args, **kwargs)
        self.optional = optional
        self.today = today
        if optional:
            self.fields["date"].required = False
            self.fields["date"].help_text = _("Leave empty if you have not had one yet.")

    def has_interview(self):
        return bool(self.cleaned_data.get("date"))

    def _may_be_not_asked(self, day) -> bool:
        """Whether `day`'s interview may still be "not asked yet": from today on, an
        interview of today whatever its time (one is often recorded the morning before
        it). Only a past day's has surely happened."""
        return self.today is not None and day >= self.today

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if not day:
            said = cleaned.get("timeline")
            if said and said != Timing.NOT_ASKED and "date" not in self.errors:
                # What they said belongs to an interview: without its date there is none,
                # and it would be dropped unseen. A chosen answer cannot be unchosen in
                # the page, so "not asked yet" is the way to say there was no interview.
                self.add_error(
                    "date",
                    _(
                        "Enter the interview's date. If you have not had one yet, choose "
                        "“Not asked yet” under timing."
                    ),
                )
            return cleaned
        timing = cleaned.get("timeline")
        if not timing and "timeline" not in self.errors:
            if self._may_be_not_asked(day):
                timing = cleaned["timeline"] = Timing.NOT_ASKED
            else:
                self.add_error(
                    "timeline",
                    _(
                        "What did they say about timing? If they said nothing, choose "
                        "“They didn't say”."
                    ),
                )
        # Every date input is on the page whatever the answer (no script hides them):
        # those of another answer than the one chosen are not read, nor their errors.
        for name, used_by in (
            ("decision_by", Timing.DATE),
            ("range_from", Timing.RANGE),
            ("range_to", Timing.RANGE),
        ):
            if timing != used_by:
                self._errors.pop(name, None)
        decision_from = decision_by = None
        if timing == Timing.DATE:
            decision_by = cleaned.get("decision_by")
            if decision_by is None and "decision_by" not in self.errors:
                self.add_error(
                    "decision_by",
                    _("Enter the date they gave, or choose “They didn't say”."),
                )
        elif timing == Timing.RANGE:
            decision_from, decision_by = cleaned.get("range_from"), cleaned.get("range_to")
            if (decision_from is None or decision_by is None) and not (
                {"range_from", "range_to"} & set(self.errors)
            ):
                self.add_error("range_from", _("Enter both ends of the range they gave."))
        elif timing == Timing.NOT_ASKED and not self._may_be_not_asked(day):
            self.add_error(
                "timeline",
                _(
                    "“Not asked yet” is for an interview still ahead. For this one, choose "
                    "what they said, or “They didn't say”."
                ),
            )
        elif timing in WORDS:
            self._check_phrase_dates(timing, day)
        self._check_dates(timing, day, decision_from, decision_by)
        cleaned["decision_from"], cleaned["decision_by"] = decision_from, decision_by
        return cleaned

    def _check_phrase_dates(self, timing, day):
        """The dates a phrase means, counted from an interview at the calendar's far end,
        may fall past the dates Hearback works with."""
        _from, last = services.interview_decision_dates(timing=timing, date=day)
        try:
            validate_plausible_date(last)
        except ValidationError as error:
            self.add_error("timeline", error)

    def _check_dates(self, timing, day, decision_from, decision_by):
        """The models' date rule; only the first date given is held against the interview."""
        first = "decision_from" if decision_from is not None else "decision_by"
        field = "range_from" if timing == Timing.RANGE else "decision_by"
        for problem in interview_date_problems(
            date=day, decision_from=decision_from, decision_by=decision_by
        ):
            if problem.code == "range_out_of_order":
                self.add_error(
                    "range_to",
                    _("The range ends before it starts: %(end)s is before %(start)s.")
                    % {"end": _day(decision_by), "start": _day(decision_from)},
                )
            elif (
                problem.code == "decision_before_interview"
                and problem.field == first
                and field not in self.errors
            ):
                self.add_error(
                    field,
                    _("They can't decide before the interview (%(interview)s).")
                    % {"interview": _day(day)},
                )

    def to_new_interview(self, *, new_contacts=(), existing_contact_ids=()):
        data = self.cleaned_data
        return services.NewInterview(
            date=data["date"],
            time=data.get("time"),
            place=data.get("place", ""),
            format=data["format"],
            next_steps=data["next_steps"],
            timing=data["timeline"],
            decision_from=data["decision_from"],
            decision_by=data["decision_by"],
            new_contacts=tuple(new_contacts),
            existing_contact_ids=tuple(existing_contact_ids),
        )


class PersonForm(forms.Form):
    """Someone met at an interview. A row left empty is ignored."""

    name = forms.CharField(label=_("Name"), max_length=SHORT_TEXT, required=False)
    title = forms.CharField(label=_("Title"), max_length=SHORT_TEXT, required=False)
    email = forms.EmailField(label=_("Email"), required=False, max_length=EMAIL_TEXT)

    def clean(self):
        cleaned = super().clean()
        named = (cleaned.get("name") or "").strip()
        if (cleaned.get("title") or cleaned.get("email")) and not named:
            self.add_error("name", _("Add the person's name, or clear this row."))
        return cleaned

    def to_new_contact(self):
        data = self.cleaned_data
        if not (data.get("name") or "").strip():
            return None
        return services.NewContact(
            name=data["name"].strip(), title=data.get("title", ""), email=data.get("email", "")
        )


PeopleFormSet = forms.formset_factory(PersonForm, extra=3, max_num=20, absolute_max=20)


def new_contacts(formset):
    return [person for form in formset for person in [form.to_new_contact()] if person]


class ExistingPeopleField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # An id no database column can hold is simply not one of the choices (SQLite
        # would raise OverflowError on it in the lookup below).
        for pk in value:
            if not str(pk).isdigit() or int(pk) > 2**63 - 1:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class AddInterviewForm(InterviewForm):
    """A later round: the same questions, plus who of the people already met was there."""

    existing_people = ExistingPeopleField(
        label=_("People you met before who were there"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing_people"].queryset = application.contacts.all()
        if not application.contacts.exists():
            del self.fields["existing_people"]


class InterviewEditForm(AddInterviewForm):
    """Correcting an interview: the same questions, filled in with what was recorded, and
    who of the people recorded was there."""

    def __init__(self, *args, interview, **kwargs):
        kwargs.setdefault("initial", _interview_initial(interview))
        super().__init__(*args, application=interview.application, **kwargs)
        if "existing_people" in self.fields:
            self.fields["existing_people"].label = _("Who was there")


def _interview_initial(interview) -> dict:
    """The form's answers for a recorded interview: its words, or the dates given."""
    timing = interview.timing
    if not timing:  # recorded before the words were kept: the dates say which answer
        if interview.decision_by is None:
            timing = Timing.NONE
        elif interview.decision_from not in (None, interview.decision_by):
            timing = Timing.RANGE
        else:
            timing = Timing.DATE
    initial = {
        "date": interview.date,
        "time": interview.time,
        "place": interview.place,
        "format": interview.format,
        "next_steps": interview.next_steps,
        "timeline": timing,
        "existing_people": list(interview.contacts.all()),
    }
    if timing == Timing.DATE:
        initial["decision_by"] = interview.decision_by
    elif timing == Timing.RANGE:
        initial["range_from"], initial["range_to"] = interview.decision_from, interview.decision_by
    return initial


# The short question's answers: all but "not asked yet" and a range (whose two dates
# the interview's own page asks for).
SHORT_TIMING_CHOICES = [
    (value, label)
    for value, label in Timing.choices
    if value not in (Timing.NOT_ASKED, Timing.RANGE)
]


class InterviewTimingForm(InterviewForm):
    """The dashboard's one short question after an interview recorded ahead of time:
    what did they say about timing? The same answers and checks as the interview form,
    held against the interview's own date."""

    def __init__(self, *args, interview, **kwargs):
        super().__init__(*args, **kwargs)
        self.interview = interview
        for name in ("date", "time", "format", "place", "next_steps"):
            del self.fields[name]
        self.fields["timeline"].required = True
        self.fields["timeline"].choices = SHORT_TIMING_CHOICES

    def clean(self):
        self.cleaned_data["date"] = self.interview.date
        return super().clean()


class ContactForm(forms.ModelForm):
    """A person of the application: a recruiter, a referrer, someone met."""

    class Meta:
        model = Contact
        fields = ("name", "title", "email", "phone")

    def to_new_contact(self) -> services.NewContact:
        data = self.cleaned_data
        return services.NewContact(
            name=data["name"].strip(), title=data["title"], email=data["email"], phone=data["phone"]
        )


class FollowUpDateForm(forms.Form):
    date = CalendarDateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].initial = today

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError(_("That date is in the future; record it once it has happened."))
        return day


class CheckInForm(FollowUpDateForm):
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, initial=Channel.EMAIL)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_early = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ThankYouForm(FollowUpDateForm):
    contact = forms.ModelChoiceField(
        label=_("To"), queryset=None, required=False, empty_label=_("Everyone")
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = application.contacts.all()


class ResponseForm(FollowUpDateForm):
    """What they said, in one step: the kind of answer, and the date that came with an
    update (when they now expect to decide) or with an offer on its way (when the written
    offer should arrive)."""

    outcome = forms.ChoiceField(
        label=_("What did they say?"),
        choices=[
            ("", _("An update (maybe with a new date)")),
            (ResponseOutcome.NEXT_ROUND, _("Next round")),
            (ResponseOutcome.OFFER_COMING, _("An offer is on its way")),
            (ResponseOutcome.OFFER, _("An offer")),
            (ResponseOutcome.REJECTED, _("A rejection")),
            (ResponseOutcome.COURTESY, _("Just a courtesy reply (no news)")),
        ],
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    new_decision_by = CalendarDateField(
        label=_("The date they gave"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Optional. With an update: when they now expect to decide. With an offer on its "
            "way: when the written offer should arrive."
        ),
    )
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, initial=Channel.EMAIL)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        day, new_date = cleaned.get("date"), cleaned.get("new_decision_by")
        problems = follow_up_date_problems(
            date=day, new_decision_by=new_date, outcome=cleaned.get("outcome", "")
        )
        for problem in problems:
            if problem.code == "courtesy_with_date":
                self.add_error(
                    "new_decision_by",
                    _(
                        "A courtesy reply brings no news. If they gave a date, choose “An "
                        "update”; if not, leave the date empty."
                    ),
                )
            else:
                self.add_error(
                    "new_decision_by",
                    _("The new date can't be before their response (%(day)s).")
                    % {"day": _day(day)},
                )
        return cleaned


class FollowUpEditForm(ResponseForm):
    """Correcting a thank-you, a check-in or a response: every field. What they said and
    the date they gave belong to a response only (the page folds them under "If it was a
    response")."""

    kind = forms.ChoiceField(label=_("What it was"), choices=FollowUpKind.choices)
    contact = forms.ModelChoiceField(
        label=_("With"), queryset=None, required=False, empty_label=_("Nobody in particular")
    )
    field_order = ("kind", "date", "contact", "channel", "outcome", "new_decision_by", "note")

    def __init__(self, *args, follow_up, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "kind": follow_up.kind,
                "date": follow_up.date,
                "contact": follow_up.contact_id,
                "channel": follow_up.channel,
                "outcome": follow_up.outcome,
                "new_decision_by": follow_up.new_decision_by,
                "note": follow_up.note,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = follow_up.application.contacts.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != FollowUpKind.RESPONSE and (
            cleaned.get("outcome") or cleaned.get("new_decision_by")
        ):
            self.add_error(
                "kind",
                _(
                    "Only a response says what they said or gives a date. Choose “Response "
                    "from them”, or clear those two."
                ),
            )
        return cleaned


class CloseForm(forms.Form):
    # Nothing chosen beforehand: one click must not close an application the wrong way.
    outcome = forms.ChoiceField(
        label=_("How did it end?"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it ended: offer, rejected or withdrawn.")},
    )


class SnoozeForm(forms.Form):
    until = CalendarDateField(label=_("Remind me on"), widget=DateInput())

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["until"].initial = today + datetime.timedelta(days=7)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= self.today:
            raise ValidationError(_("Pick a day after today."))
        if until > self.today + datetime.timedelta(days=366):
            raise ValidationError(_("Pick a day within a year."))
        return until


class UploadForm(forms.Form):
    """One uploaded file, refused before it is read when it is larger than
    HEARBACK_MAX_IMPORT_BYTES. Subclasses declare `file` and `help_text` (with %(limit)s)."""

    help_text = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = settings.HEARBACK_MAX_IMPORT_BYTES
        self.fields["file"].help_text = self.help_text % {"limit": filesizeformat(self.max_bytes)}

    def read_upload(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("This file is %(size)s; the largest file we accept is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)}
            )
        return upload.read()


BULK_SNOOZE_WEEK = "snooze_week"


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("With the selected"),
        choices=[
            (BULK_SNOOZE_WEEK, _("Snooze for a week")),
            ("close_rejected", _("Close: rejected")),
            ("close_withdrawn", _("Close: withdrawn")),
            ("close_offer", _("Close: offer")),
        ],
    )
    selected = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, application_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(pk, pk) for pk in application_ids]
        self.fields["selected"].error_messages["required"] = _(
            "Select at least one application first."
        )
        self.fields["selected"].error_messages["invalid_choice"] = _(
            "One of the selected applications is not yours or no longer exists."
        )


class TimeZoneSelect(forms.Select):
    """The time zone drop-down (`time_zones.choices`): ~450 options written in one
    template loop, each with the country the zone is in (`data-country`), which
    static/js/time_zone.js reads to offer that country's public holidays."""

    template_name = "applications/widgets/time_zone_select.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["country"] = holiday_regions.country_for_time_zone(value)
        return option


class TimeZoneField(forms.ChoiceField):
    """A time zone from `time_zones.choices` (with `current`, a zone stored before)."""

    widget = TimeZoneSelect

    def __init__(self, *, current: str = "", **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("“%(value)s” is not a time zone we know: choose a city.")},
        )
        super().__init__(choices=time_zones.choices(current), **kwargs)

    def set_current(self, current: str) -> None:
        self.choices = time_zones.choices(current)

    def to_python(self, value):
        """An old name of a listed zone ("Asia/Calcutta", as browsers still say) is the
        zone it is now called; a zone offered as it is (`current`) stays as it is."""
        value = super().to_python(value)
        return value if self.valid_value(value) else time_zones.current(value)


def ask_the_browser(select: forms.Select) -> None:
    """Have static/js/time_zone.js pre-select the browser's own zone in `select`, with
    the old names browsers still report and the zones they now are (as JSON)."""
    select.attrs["data-browser-zone"] = ""
    select.attrs["data-zone-names"] = json.dumps(
        time_zones.old_names(), separators=(",", ":"), sort_keys=True
    )


class TimeZoneConfirmForm(forms.Form):
    """The dashboard's question to an account left on UTC: is that your zone? The
    browser's own zone is pre-selected (static/js/time_zone.js) when it says."""

    time_zone = TimeZoneField(initial="UTC")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ask_the_browser(self.fields["time_zone"].widget)


def holiday_country_choices():
    """Every country the holidays library knows, by name ("" first: none)."""
    return [("", _("None: weekends only")), *holiday_regions.countries().items()]


def holiday_subdivision_choices():
    """Every state or region the holidays library knows, grouped by country, each named
    "United States — California". The values are "US-CA" (country, a hyphen, the
    library's subdivision code), as in ISO 3166-2: the subdivision codes alone repeat
    from country to country."""
    # Short enough to be read whole in the drop-down on a phone (375 px).
    choices = [("", _("None: the whole country"))]
    subdivisions = holiday_regions.subdivisions()
    for country, name in holiday_regions.countries().items():
        if country in subdivisions:
            choices.append(
                (
                    name,
                    [
                        (f"{country}-{code}", f"{name} — {region}")
                        for code, region in subdivisions[country].items()
                    ],
                )
            )
    return choices


class LongSelect(forms.Select):
    """A drop-down of hundreds of options, written in one template loop (as the time
    zones are) rather than one template per option."""

    template_name = "applications/widgets/long_select.html"


class PreferencesForm(forms.ModelForm):
    # Interview times are stored as the clock time entered, in no zone of their own.
    time_zone = TimeZoneField(
        help_text=_(
            "Interview times stay the clock times you entered: after moving to another "
            "zone, check the times of your upcoming interviews."
        )
    )
    holiday_country = forms.ChoiceField(
        label=_("Public holidays of"),
        choices=holiday_country_choices,
        required=False,
        widget=LongSelect,
        error_messages={
            "invalid_choice": _("“%(value)s” is not a country whose public holidays we know.")
        },
        help_text=_("Its public holidays count as days off, like weekends."),
    )
    holiday_subdivision = forms.ChoiceField(
        label=_("State or region"),
        choices=holiday_subdivision_choices,
        required=False,
        widget=LongSelect,
        error_messages={
            "invalid_choice": _("“%(value)s” is not a state or region whose holidays we know.")
        },
        help_text=_("Its own public holidays count too, where it has some."),
    )

    class Meta:
        model = Preferences
        fields = services.PREFERENCE_SETTINGS

    # Settings added with rules v2. A page from before them (open in a tab during an
    # upgrade) posts none of them: each one not posted at all keeps its stored value,
    # where an emptied field is still an error.
    ADDED_LATER = (
        "applied_gives_up_days",
        "last_try_after_days",
        "holiday_country",
        "holiday_subdivision",
        "signature_name",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            for name in self.ADDED_LATER:
                if self.add_prefix(name) not in self.data:
                    self.fields[name].disabled = True
        prefs = self.instance
        # A zone chosen before, from an older list, is still a valid answer for its user.
        self.fields["time_zone"].set_current(prefs.time_zone)
        if prefs.holiday_subdivision:
            self.initial["holiday_subdivision"] = (
                f"{prefs.holiday_country}-{prefs.holiday_subdivision}"
            )

    def clean(self):
        """The region is stored as the library's code within its country: "US-CA" is
        "CA" of the country chosen, and a region of another country is refused."""
        cleaned = super().clean()
        country = cleaned.get("holiday_country", "")
        value = cleaned.get("holiday_subdivision", "")
        if value and "holiday_country" not in self.errors:
            region_country, _hyphen, code = value.partition("-")
            if region_country != country:
                region = holiday_regions.region_in_words(region_country, code)
                self.add_error(
                    "holiday_subdivision",
                    _(
                        "%(region)s is not in %(country)s: choose its country above, or "
                        "another region."
                    )
                    % {
                        "region": region,
                        "country": holiday_regions.countries().get(country, _("no country")),
                    }
                    if country
                    else _("%(region)s: choose its country above too.") % {"region": region},
                )
            else:
                cleaned["holiday_subdivision"] = code
        return cleaned
