"""A user reaches only their own data: every URL with an object in it answers a
stranger 404, for GET and POST alike, and changes nothing."""

import pytest
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from applications import selectors
from applications.models import Application
from tests.factories import full_application

# URL parameters that name one of the owner's objects, and how to find its value.
OBJECT_PARAMETERS = {
    "pk": lambda application: application.pk,
    "application_pk": lambda application: application.pk,
    "interview_pk": lambda application: application.interviews.first().pk,
    "follow_up_pk": lambda application: application.follow_ups.first().pk,
    "contact_pk": lambda application: application.contacts.first().pk,
}


# Parameters that name no object, with a value that is valid for any application.
PLAIN_PARAMETERS = {"kind": lambda application: "thank_you"}


def _object_url_names(resolver=None, namespace=""):
    """Every named URL pattern of ours that takes an object's id."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # staff only; covered by Django's own permission checks
            yield from _object_url_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            parameters = set(entry.pattern.regex.groupindex)
            if parameters & set(OBJECT_PARAMETERS) and parameters <= set(OBJECT_PARAMETERS) | set(
                PLAIN_PARAMETERS
            ):
                yield entry.name, tuple(sorted(parameters))


OBJECT_URLS = sorted(set(_object_url_names()))


def test_the_walk_covers_the_application_page_and_its_drafts():
    assert ("application_detail", ("pk",)) in OBJECT_URLS
    assert ("draft", ("kind", "pk")) in OBJECT_URLS


@pytest.mark.django_db
@pytest.mark.parametrize("name, parameters", OBJECT_URLS, ids=[name for name, _ in OBJECT_URLS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_stranger_gets_404_for_every_url_with_the_owners_object(
    owner, stranger_client, name, parameters, method
):
    application = full_application(owner)
    before = _snapshot(owner)
    values = {**OBJECT_PARAMETERS, **PLAIN_PARAMETERS}
    url = reverse(name, kwargs={p: values[p](application) for p in parameters})

    response = getattr(stranger_client, method)(url, {"date": "2026-12-01", "outcome": "rejected"})

    assert response.status_code == 404
    assert _snapshot(owner) == before


@pytest.mark.django_db
def test_the_owner_reaches_their_own_application_page(owner, owner_client):
    application = full_application(owner)
    response = owner_client.get(reverse("application_detail", args=[application.pk]))
    assert response.status_code == 200
    assert application.company in response.content.decode()


@pytest.mark.django_db
def test_selectors_scope_every_read_to_the_user(owner, stranger):
    mine = full_application(owner)
    theirs = full_application(stranger)
    prefs = selectors.preferences_get(user=owner)
    rows = selectors.application_rows(
        user=owner, as_of=mine.applied_on, rules=selectors.rules_from(prefs)
    )
    assert [row.id for row in rows] == [mine.pk]
    # Asking for the stranger's id by name still returns nothing of theirs.
    assert (
        selectors.application_rows(
            user=owner, as_of=mine.applied_on, rules=selectors.rules_from(prefs), ids=[theirs.pk]
        )
        == []
    )
    with pytest.raises(Http404):
        selectors.application_get(user=owner, pk=theirs.pk)


def _snapshot(user):
    """Everything recorded under the user's applications, to show nothing changed."""
    applications = Application.objects.filter(owner=user)
    return (
        list(applications.values()),
        [list(app.interviews.values()) for app in applications],
        [list(app.follow_ups.values()) for app in applications],
        [list(app.contacts.values()) for app in applications],
    )


@pytest.mark.django_db
def test_the_reads_beside_the_rows_are_the_users_own(owner, stranger):
    mine = full_application(owner)
    Application.objects.filter(pk=mine.pk).update(notes="Mine")
    full_application(stranger)

    assert selectors.application_ids_get(user=owner) == [mine.pk]
    assert selectors.application_notes_get(user=owner) == {mine.pk: "Mine"}
