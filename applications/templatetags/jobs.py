"""A job's details in words for templates: `{% load jobs %}`, then
`{{ application|salary }}` ("120,000–140,000", "from 90,000", "up to 60,000", "")."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _number(value: int) -> str:
    return f"{value:,}"


@register.filter
def salary(job) -> str:
    """The salary range of `job` (anything with salary_min and salary_max)."""
    low, high = job.salary_min, job.salary_max
    if low is not None and high is not None:
        return _number(low) if low == high else f"{_number(low)}–{_number(high)}"
    if low is not None:
        return _("from %(amount)s") % {"amount": _number(low)}
    if high is not None:
        return _("up to %(amount)s") % {"amount": _number(high)}
    return ""
