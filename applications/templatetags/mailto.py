"""`mailto:` links for templates: `{% load mailto %}`, then
`<a href="{{ contact.email|mailto }}">`.

The filter wraps `applications.drafts.mailto_url`, the one place such a link is made, so
an address is encoded the same way on every page and in the drafts.
"""

from django import template

from applications.drafts import mailto_url

register = template.Library()


@register.filter
def mailto(email):
    """A `mailto:` link to `email`, percent-encoded ("" for no address)."""
    return mailto_url(email=email) if email else ""
