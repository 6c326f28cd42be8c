"""How many people one application has, and one interview met (docs/data-format.md,
"Limits"): at most MAX_PEOPLE and MAX_PEOPLE_MET, in a hearback/v1 file, on the pages
and in the admin alike. Past them the user is told which limit, and nothing is saved.

QA's file: one application of 50,000 people and two interviews meeting all of them (a
5.8 MB file within the upload's limits) took 28 s to check, and once saved its page 28 s
and its interview form 50,000 boxes.
"""

import pytest
from django.urls import reverse

from applications import interchange
from applications.models import MAX_PEOPLE, MAX_PEOPLE_MET, Contact, Interview
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, UserFactory
from tests.helpers import days, people_data
from tests.test_transfer_views import counts, upload


def application(*, people, met):
    """One valid application with `people` people and two interviews meeting the first
    `met` of them."""
    return {
        "company": "Acme",
        "role": "Engineer",
        "applied_on": "2026-11-02",
        "contacts": [{"ref": f"p{n}", "name": f"Person {n}"} for n in range(people)],
        "interviews": [
            {"date": "2026-11-10", "contacts": [f"p{n}" for n in range(met)]},
            {"date": "2026-11-17", "contacts": [f"p{n}" for n in range(met)]},
        ],
    }


def check(app):
    """`app` checked as the command checks a file: no upload limits, the format's own."""
    return interchange.validate_document({"format": "hearback/v1", "applications": [app]})


# ----------------------------------------------------------------------------------------
# hearback/v1


def test_an_application_at_both_limits_is_accepted():
    clean, errors = check(application(people=MAX_PEOPLE, met=MAX_PEOPLE_MET))

    assert errors == []
    (saved,) = clean.applications
    assert len(saved.contacts) == 100
    assert [len(interview.contacts) for interview in saved.interviews] == [50, 50]


def test_one_person_more_in_an_application_is_refused_at_its_path():
    clean, errors = check(application(people=MAX_PEOPLE + 1, met=1))

    assert clean is None
    assert errors == ["applications[0].contacts: holds 101 people; one application has at most 100"]


def test_one_person_more_met_at_an_interview_is_refused_at_its_path():
    clean, errors = check(application(people=MAX_PEOPLE, met=MAX_PEOPLE_MET + 1))

    assert clean is None
    assert errors == [
        "applications[0].interviews[0].contacts: lists 51 people; one interview has met at most 50",
        "applications[0].interviews[1].contacts: lists 51 people; one interview has met at most 50",
    ]


def test_qas_file_is_refused_with_each_limit_it_passes():
    # Before, each ref was looked for among those listed before it: 28 s to check.
    clean, errors = check(application(people=50_000, met=50_000))

    assert clean is None
    assert errors == [
        "applications[0].contacts: holds 50,000 people; one application has at most 100",
        "applications[0].interviews[0].contacts: lists 50,000 people; one interview has met "
        "at most 50",
        "applications[0].interviews[1].contacts: lists 50,000 people; one interview has met "
        "at most 50",
    ]


def test_a_person_listed_twice_at_an_interview_is_still_found():
    app = application(people=3, met=3)
    app["interviews"][1]["contacts"] = ["p0", "p1", "p0"]

    _clean, errors = check(app)

    assert errors == [
        'applications[0].interviews[1].contacts[2]: "p0" is already listed for this interview'
    ]


@pytest.mark.django_db
def test_the_import_page_refuses_them_and_saves_nothing(owner_client):
    response = upload(
        owner_client, {"format": "hearback/v1", "applications": [application(people=101, met=0)]}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "applications[0].contacts: holds 101 people; one application has at most 100"
    ]
    assert counts() == (0, 0, 0, 0)


# ----------------------------------------------------------------------------------------
# The pages


@pytest.fixture
def full(owner, today):
    """An application of as many people as one may have."""
    app = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -20))
    Contact.objects.bulk_create(
        Contact(application=app, name=f"Person {n}") for n in range(MAX_PEOPLE)
    )
    return app


def interview_data(today, **overrides):
    return {
        "interview-date": days(today, -1).isoformat(),
        "interview-format": "video",
        "interview-next_steps": "",
        "interview-timeline": "none",
        "interview-range_from": "",
        "interview-range_to": "",
        **people_data(),
        **overrides,
    }


@pytest.mark.django_db
def test_a_person_past_the_limit_is_not_added_and_the_page_says_why(owner_client, full):
    response = owner_client.post(
        reverse("person_new", args=[full.pk]),
        {"name": "One Too Many", "title": "", "email": "", "phone": ""},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "This application has 100 people; one application has at most 100. Remove someone "
        "who is no longer part of it first."
    ]
    assert full.contacts.count() == MAX_PEOPLE


@pytest.mark.django_db
def test_a_new_person_at_an_interview_past_the_limit_saves_no_interview(owner_client, full, today):
    response = owner_client.post(
        reverse("interview_new", args=[full.pk]),
        interview_data(today, **people_data({"name": "Sam Patel", "title": "", "email": ""})),
    )

    assert response.status_code == 400
    assert (
        "one application has at most 100"
        in response.context["interview_form"].non_field_errors()[0]
    )
    assert (full.contacts.count(), full.interviews.count()) == (MAX_PEOPLE, 0)


@pytest.mark.django_db
def test_more_people_met_at_an_interview_than_one_has_is_refused(owner_client, full, today):
    everyone = [str(pk) for pk in full.contacts.values_list("pk", flat=True)[: MAX_PEOPLE_MET + 1]]

    response = owner_client.post(
        reverse("interview_new", args=[full.pk]),
        interview_data(today, **{"interview-existing_people": everyone}),
    )

    assert response.status_code == 400
    assert response.context["interview_form"].non_field_errors() == [
        "That is 51 people met at one interview; one interview has at most 50."
    ]
    assert full.interviews.count() == 0


@pytest.mark.django_db
def test_correcting_an_interview_to_more_people_met_than_one_has_changes_nothing(
    owner_client, full, today
):
    interview = InterviewFactory(application=full, date=days(today, -3))
    everyone = [str(pk) for pk in full.contacts.values_list("pk", flat=True)[:MAX_PEOPLE_MET]]

    response = owner_client.post(
        reverse("interview_edit", args=[full.pk, interview.pk]),
        interview_data(
            today,
            **{"interview-existing_people": everyone},
            **people_data({"name": "Sam Patel", "title": "", "email": ""}),
        ),
    )

    assert response.status_code == 400
    assert response.context["interview_form"].non_field_errors() == [
        "That is 51 people met at one interview; one interview has at most 50."
    ]
    interview.refresh_from_db()
    assert (interview.date, interview.contacts.count()) == (days(today, -3), 0)


@pytest.mark.django_db
def test_up_to_the_limit_people_are_met_and_added_as_before(owner_client, owner, today):
    app = ApplicationFactory(owner=owner, applied_on=days(today, -20))
    people = [ContactFactory(application=app) for _ in range(MAX_PEOPLE_MET - 1)]

    response = owner_client.post(
        reverse("interview_new", args=[app.pk]),
        interview_data(
            today,
            **{"interview-existing_people": [str(person.pk) for person in people]},
            **people_data({"name": "Sam Patel", "title": "", "email": ""}),
        ),
    )

    assert response.status_code == 302
    assert Interview.objects.get(application=app).contacts.count() == MAX_PEOPLE_MET


# ----------------------------------------------------------------------------------------
# The admin


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_the_admin_adds_no_person_past_the_limit(staff_client, full):
    response = staff_client.post(
        reverse("admin:applications_contact_add"),
        {
            "application": str(full.pk),
            "name": "One Too Many",
            "title": "",
            "email": "",
            "phone": "",
        },
    )

    assert response.status_code == 200  # the form again, with its error
    assert "as many as one may have" in response.content.decode()
    assert full.contacts.count() == MAX_PEOPLE


@pytest.mark.django_db
def test_the_admin_moves_no_person_to_an_application_at_the_limit(staff_client, full, owner):
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner), name="Lee Park")

    response = staff_client.post(
        reverse("admin:applications_contact_change", args=[elsewhere.pk]),
        {"application": str(full.pk), "name": "Lee Park", "title": "", "email": "", "phone": ""},
    )

    assert response.status_code == 200  # the form again, with its error
    assert "as many as one may have" in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.application_id != full.pk
    assert full.contacts.count() == MAX_PEOPLE


@pytest.mark.django_db
def test_the_admin_sets_no_more_people_met_than_one_interview_has(staff_client, full, today):
    interview = InterviewFactory(application=full, date=days(today, -3))
    everyone = ",".join(str(pk) for pk in full.contacts.values_list("pk", flat=True)[:51])

    response = staff_client.post(
        reverse("admin:applications_interview_change", args=[interview.pk]),
        {
            "application": str(full.pk),
            "date": interview.date.isoformat(),
            "format": "other",
            "contacts": everyone,
            "next_steps": "",
            "timing": "",
            "place": "",
        },
    )

    assert response.status_code == 200
    assert "One interview has met at most 50 people; these are 51." in response.content.decode()
    assert interview.contacts.count() == 0
