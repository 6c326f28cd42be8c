"""The filters of the applications table (`/applications/`), with django-filter.

What is stored is filtered in the database: the search (company, role, the people's
names), the location, remote or not, the source, the salary. The status is worked out,
never stored (docs/status-rules.md): its filter and the sort are read from the same form
here, and applied by `selectors.applications_table_get` to the rows the engine gives.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications import status as engine
from applications.models import Application, Contact, Source

# The status filter: every status, and the two groups people ask for.
OPEN, CLOSED = "open", "closed"
STATUS_CHOICES = [
    (OPEN, _("Open (any)")),
    (engine.FOLLOW_UP_NOW, engine.LABELS[engine.FOLLOW_UP_NOW]),
    (engine.WAITING, engine.LABELS[engine.WAITING]),
    (engine.LIKELY_CLOSED, engine.LABELS[engine.LIKELY_CLOSED]),
    (CLOSED, _("Closed (any)")),
    (engine.OFFER, engine.LABELS[engine.OFFER]),
    (engine.REJECTED, engine.LABELS[engine.REJECTED]),
    (engine.WITHDRAWN, engine.LABELS[engine.WITHDRAWN]),
]

NEXT_DATE, APPLIED_NEWEST, APPLIED_OLDEST, COMPANY = "next", "applied", "applied_oldest", "company"
SORT_CHOICES = [
    (NEXT_DATE, _("Next date")),
    (APPLIED_NEWEST, _("Newest applied")),
    (APPLIED_OLDEST, _("Oldest applied")),
    (COMPANY, _("Company, A–Z")),
]

SEARCH_LIMIT = 200  # characters of a search: a company's or a person's name fits


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", max_length=SEARCH_LIMIT, help_text=""
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=_("Any"), method="worked_out"
    )
    source = django_filters.ChoiceFilter(
        label=_("Found through"), choices=Source.choices, empty_label=_("Any")
    )
    remote = django_filters.BooleanFilter(
        label=_("Remote"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Remote")), ("false", _("Not remote"))]
        ),
    )
    location = django_filters.CharFilter(
        label=_("Location"), lookup_expr="icontains", max_length=SEARCH_LIMIT
    )
    salary = django_filters.NumberFilter(
        label=_("Salary at least"), method="salary_at_least", min_value=0
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, empty_label=None, method="worked_out"
    )

    class Meta:
        model = Application
        fields = []

    def search(self, queryset, name, value):
        """Company, role, or the name of someone at the application."""
        people = Contact.objects.filter(name__icontains=value).values("application_id")
        return queryset.filter(
            Q(company__icontains=value) | Q(role__icontains=value) | Q(pk__in=people)
        )

    def salary_at_least(self, queryset, name, value):
        """A range that reaches `value`: its top, or its start when it has no top."""
        return queryset.filter(
            Q(salary_max__gte=value) | Q(salary_max__isnull=True, salary_min__gte=value)
        )

    def worked_out(self, queryset, name, value):
        """Status and sort are applied to the engine's rows, not here."""
        return queryset
