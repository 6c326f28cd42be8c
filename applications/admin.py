"""Django's admin, for staff doing bulk edits across users.

The status columns and the status filter read through `selectors.application_rows`, with
each owner's own rules and local date; nothing here re-states a rule. The actions are
the services the pages call (`applications_close`, `applications_snooze`), so a close
made here is the close a user makes. Editing one application (its change page, the list's
editable columns) is Django's own model editing, for staff who mean to set each field.
"""

import datetime
import functools
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications import interchange, selectors, services
from applications import status as engine
from applications.models import (
    MAX_PEOPLE,
    MAX_PEOPLE_MET,
    Application,
    Contact,
    FollowUp,
    Interview,
    Outcome,
    Preferences,
)
from applications.views.accounts import AdminSignInForm

# The admin's sign-in checks the username's length as the site's does (see the form).
admin.site.login_form = AdminSignInForm


def _owner_context(owner):
    """The owner's rules and local today; defaults when they never saved preferences."""
    try:
        prefs = owner.preferences
    except Preferences.DoesNotExist:
        prefs = Preferences(user=owner)
    return selectors.rules_from(prefs), selectors.local_today(prefs=prefs)


def _by_owner(applications) -> list[tuple]:
    """(owner, [application ids]) for each owner among `applications` (fetched with
    `owner__preferences`)."""
    owners, ids = {}, defaultdict(list)
    for application in applications:
        owners[application.owner_id] = application.owner
        ids[application.owner_id].append(application.pk)
    return [(owners[owner_id], ids[owner_id]) for owner_id in owners]


def _statuses(applications) -> dict[int, engine.Status]:
    """The status of each of `applications`, by id: one `application_rows` call per
    owner, with that owner's rules and local today."""
    statuses = {}
    for owner, ids in _by_owner(applications):
        rules, as_of = _owner_context(owner)
        rows = selectors.application_rows(user=owner, as_of=as_of, rules=rules, ids=ids)
        statuses.update((row.id, row.status) for row in rows)
    return statuses


class _PageStatuses:
    """The statuses of one changelist page, worked out the first time a row of it shows
    one: at most `list_per_page` owners, so that many `application_rows` calls. A page
    whose rows are never shown (an action's) costs nothing."""

    def __init__(self, applications):
        self.applications = applications

    @functools.cached_property
    def by_id(self) -> dict[int, engine.Status]:
        return _statuses(self.applications)


def application_status(application) -> engine.Status | None:
    """The engine's verdict for a row of the changelist (None: deleted meanwhile)."""
    page = getattr(application, "_admin_page", None)
    if page is None:  # not a row of a changelist page: on its own
        page = application._admin_page = _PageStatuses([application])
    return page.by_id.get(application.pk)


class StatusFilter(admin.SimpleListFilter):
    """The engine's status, offered when the list is one person's: filtered to one owner,
    or on a server where one person has applications.

    The status is derived, not stored: filtering by it evaluates every candidate. One
    person's applications (what their own dashboard evaluates) bound that; across every
    user it would load all the server's applications into Python on each click.
    """

    title = _("status")
    parameter_name = "status"

    def __init__(self, request, params, model, model_admin):
        self.owner = _chosen_owner(request)
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        if self.owner is not None:
            return list(engine.LABELS.items())
        if self.value() is not None:
            messages.info(
                request,
                _(
                    "Filter by owner first: the status filter works within one person's "
                    "applications."
                ),
            )
        return []  # a filter without choices is not shown, and its value not applied

    def queryset(self, request, queryset):
        wanted = self.value()
        if self.owner is None or wanted not in engine.LABELS:
            return queryset
        return queryset.filter(pk__in=[pk for pk, code in self._codes if code == wanted])

    @functools.cached_property
    def _codes(self) -> list[tuple[int, str]]:
        """(id, status code) of each of the owner's applications; once per request, however
        many times the admin asks (it does once per choice to count them)."""
        rules, as_of = _owner_context(self.owner)
        rows = selectors.application_rows(user=self.owner, as_of=as_of, rules=rules)
        return [(row.id, row.status.code) for row in rows]


# What the owner filter (`list_filter` below) puts in the address.
OWNER_PARAMETER = "owner__id__exact"


def _chosen_owner(request):
    """The one owner the changelist is filtered to, else the only person with
    applications on this server, with their preferences; None otherwise."""
    values = request.GET.getlist(OWNER_PARAMETER)
    if values:
        if len(values) != 1 or not values[0].isdigit() or int(values[0]) > 2**63 - 1:
            return None
        owner_id = int(values[0])
    else:
        owners = Application.objects.order_by().values_list("owner", flat=True).distinct()
        owners = list(owners[:2])
        if len(owners) != 1:
            return None
        (owner_id,) = owners
    return get_user_model().objects.select_related("preferences").filter(pk=owner_id).first()


# An application's change page edits its people, interviews and follow-ups inline, a
# form each (and each interview's and follow-up's form lists the application's people
# to choose from). With more than this many of any kind, it shows the latest this many
# of each, read-only, and the `recorded` line links to all of them in their own paged
# lists, where each opens on its own page: 400,000 follow-ups as forms were a page that
# never came (the server's 30 s ran out).
INLINE_ROWS = 100


def _recorded(application) -> dict[str, int]:
    """How many people, interviews and follow-ups `application` has: counted once per
    request (the inlines and the `recorded` line all ask)."""
    counts = getattr(application, "_admin_recorded", None)
    if counts is None:
        counts = application._admin_recorded = {
            "contacts": application.contacts.count(),
            "interviews": application.interviews.count(),
            "follow_ups": application.follow_ups.count(),
        }
    return counts


class _LatestRows(BaseInlineFormSet):
    """An inline's rows: all of them, or with `latest` set the latest that many, in
    `latest_order`."""

    latest: int | None = None
    latest_order: tuple[str, ...] = ("-id",)

    def get_queryset(self):
        if not hasattr(self, "_latest_rows"):
            rows = super().get_queryset()
            if self.latest is not None:
                rows = rows.order_by(*self.latest_order)[: self.latest]
            self._latest_rows = rows
        return self._latest_rows


def _too_many(application) -> bool:
    """Is `application` (None on the add page) past INLINE_ROWS of any kind?"""
    return (
        application is not None
        and application.pk is not None
        and max(_recorded(application).values()) > INLINE_ROWS
    )


class _BoundedInline:
    """An inline of one kind of an application's rows: as Django makes it, or, for an
    application `_too_many` of some kind, the latest INLINE_ROWS (in `latest_order`),
    read-only."""

    formset = _LatestRows
    latest_order = ("-id",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.latest = INLINE_ROWS if _too_many(obj) else None
        formset.latest_order = self.latest_order
        return formset

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _too_many(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _too_many(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _too_many(obj)


class ContactInline(_BoundedInline, admin.TabularInline):
    model = Contact
    extra = 0
    max_num = MAX_PEOPLE  # the people an application may have, saved ones included


class _PeopleMetForm(forms.ModelForm):
    """An interview as staff edit it: at most MAX_PEOPLE_MET people met, as everywhere."""

    def clean_contacts(self):
        people = self.cleaned_data["contacts"]
        if len(people) > MAX_PEOPLE_MET:
            raise forms.ValidationError(
                _("One interview has met at most %(limit)d people; these are %(count)d.")
                % {"limit": MAX_PEOPLE_MET, "count": len(people)}
            )
        return people


class _PersonForm(forms.ModelForm):
    """A person as staff add one, or move one to another application: not past the
    MAX_PEOPLE of the application they join."""

    def clean(self):
        cleaned = super().clean()
        application = cleaned.get("application")
        joining = application is not None and application.pk != self.instance.application_id
        if joining and application.contacts.count() >= MAX_PEOPLE:
            raise forms.ValidationError(
                _("This application has %(limit)d people, as many as one may have.")
                % {"limit": MAX_PEOPLE}
            )
        return cleaned


class _OwnContactsMixin:
    """Offer only the contacts of the application being edited, not every user's."""

    def get_formset(self, request, obj=None, **kwargs):
        self._parent = obj
        return super().get_formset(request, obj, **kwargs)

    def _own_contacts(self):
        parent = getattr(self, "_parent", None)
        return Contact.objects.filter(application=parent) if parent else Contact.objects.none()


class InterviewInline(_BoundedInline, _OwnContactsMixin, admin.StackedInline):
    model = Interview
    form = _PeopleMetForm
    extra = 0
    latest_order = ("-date", "-id")
    fields = [
        ("date", "format"),
        "contacts",
        "next_steps",
        "timing",
        ("decision_from", "decision_by"),
    ]

    def get_queryset(self, request):
        # Each row names its people, and its title its application's company.
        return (
            super().get_queryset(request).select_related("application").prefetch_related("contacts")
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "contacts":
            kwargs["queryset"] = self._own_contacts()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class FollowUpInline(_BoundedInline, _OwnContactsMixin, admin.TabularInline):
    model = FollowUp
    extra = 0
    latest_order = ("-date", "-id")
    fields = ["date", "kind", "channel", "contact", "note", "new_decision_by", "outcome"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact":
            kwargs["queryset"] = self._own_contacts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "company",
        "role",
        "owner",
        "status",
        "next_action_date",
        "applied_on",
        "outcome",
        "snoozed_until",
    ]
    list_display_links = ["company"]
    list_editable = ["outcome", "snoozed_until"]
    # The owner first: the status filter shows once the list is one person's.
    list_filter = [
        ("owner", admin.RelatedOnlyFieldListFilter),
        StatusFilter,
        "outcome",
        "applied_on",
    ]
    search_fields = ["company", "role", "contacts__name", "contacts__email"]
    date_hierarchy = "applied_on"
    raw_id_fields = ["owner"]
    readonly_fields = ["recorded"]
    inlines = [ContactInline, InterviewInline, FollowUpInline]
    actions = [
        "close_as_offer",
        "close_as_rejected",
        "close_as_withdrawn",
        "snooze_a_week",
        "export_hearback",
    ]
    list_per_page = 100
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        # The owner and their preferences come with each row: the owner column shows
        # one, and each owner's status needs their rules and local today.
        return super().get_queryset(request).select_related("owner__preferences")

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        page = _PageStatuses(changelist.result_list)
        for application in changelist.result_list:  # the rows the page will show
            application._admin_page = page
        return changelist

    @admin.display(description=_("recorded"))
    def recorded(self, application):
        """How many people, interviews and follow-ups, each a link to its own list (the
        inlines below stop at INLINE_ROWS of each)."""
        if application.pk is None:
            return ""
        counts = _recorded(application)
        links = [
            (
                reverse(f"admin:applications_{model}_changelist")
                + "?"
                + urlencode({"application__id__exact": application.pk}),
                label % {"count": counts[kind]},
            )
            for kind, model, label in (
                ("contacts", "contact", _("%(count)d people")),
                ("interviews", "interview", _("%(count)d interviews")),
                ("follow_ups", "followup", _("%(count)d follow-ups")),
            )
        ]
        listed = format_html_join(" · ", '<a href="{}">{}</a>', links)
        if not _too_many(application):
            return listed
        return format_html(
            "{}. {}",
            listed,
            _("Below, the latest %(rows)d of each, read-only: edit them from these lists.")
            % {"rows": INLINE_ROWS},
        )

    @admin.display(description=_("status"))
    def status(self, application):
        status = application_status(application)
        return engine.LABELS[status.code] if status else None

    @admin.display(description=_("next action"))
    def next_action_date(self, application):
        status = application_status(application)
        return status.next_action_date if status else None

    @admin.action(description=_("Close selected as offer"))
    def close_as_offer(self, request, queryset):
        self._close(request, queryset, Outcome.OFFER)

    @admin.action(description=_("Close selected as rejected"))
    def close_as_rejected(self, request, queryset):
        self._close(request, queryset, Outcome.REJECTED)

    @admin.action(description=_("Close selected as withdrawn"))
    def close_as_withdrawn(self, request, queryset):
        self._close(request, queryset, Outcome.WITHDRAWN)

    def _close(self, request, queryset, outcome):
        """The close users make (`services.applications_close`), owner by owner, all in
        one transaction."""
        with transaction.atomic():
            closed = sum(
                services.applications_close(user=owner, ids=ids, outcome=outcome)
                for owner, ids in _by_owner(queryset)
            )
        self.message_user(
            request,
            ngettext(
                "Closed %(count)d application as %(outcome)s.",
                "Closed %(count)d applications as %(outcome)s.",
                closed,
            )
            % {"count": closed, "outcome": Outcome(outcome).label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Snooze selected for a week"))
    def snooze_a_week(self, request, queryset):
        """The dashboard's "snooze for a week" (`services.applications_snooze`): a week
        from each owner's own today, not the server's."""
        snoozed = 0
        with transaction.atomic():
            for owner, ids in _by_owner(queryset):
                _rules, today = _owner_context(owner)
                snoozed += services.applications_snooze(
                    user=owner, ids=ids, until=today + datetime.timedelta(days=7)
                )
        self.message_user(
            request,
            ngettext(
                "Snoozed %(count)d application for a week.",
                "Snoozed %(count)d applications for a week.",
                snoozed,
            )
            % {"count": snoozed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export selected as hearback/v1 JSON"))
    def export_hearback(self, request, queryset):
        # Without order_by(), DISTINCT would also count the model's ordering columns.
        owners = list(queryset.order_by().values_list("owner", flat=True).distinct())
        if len(owners) != 1:
            self.message_user(
                request,
                _("An export holds one person's applications: select those of one owner."),
                messages.ERROR,
            )
            return None
        owner = queryset.first().owner
        document = interchange.export_document(
            user=owner, ids=list(queryset.values_list("pk", flat=True))
        )
        response = HttpResponse(
            interchange.dumps(document), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="hearback-{owner.username}-export.json"'
        )
        return response


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    form = _PersonForm
    list_display = ["name", "title", "email", "application"]
    list_select_related = ["application"]
    search_fields = ["name", "email", "application__company"]
    raw_id_fields = ["application"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    form = _PeopleMetForm
    list_display = ["application", "date", "format", "timing", "decision_from", "decision_by"]
    list_select_related = ["application"]
    list_filter = ["format", "timing", "date"]
    search_fields = ["application__company", "application__role"]
    raw_id_fields = ["application", "contacts"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["application", "date", "kind", "channel", "outcome"]
    list_select_related = ["application"]
    list_filter = ["kind", "channel", "outcome"]
    search_fields = ["application__company", "note"]
    raw_id_fields = ["application", "contact"]


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "time_zone",
        "grace_days",
        "no_date_wait_days",
        "max_check_ins",
        "holiday_country",
        "holiday_subdivision",
    ]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
