"""An application with a huge history still answers: its page, its whole history, its
admin page and the admin's lists (issue 10, item 4).

400,000 follow-ups (a script posting check-ins, an old import) made the application page
list every one, and its admin change page a form for every one: both ran past the
server's 30 s. The rows here are made with bulk_create, a few thousand of them: enough
that a page listing them all is caught by counting what it lists, not by timing it.
"""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import selectors
from applications.admin import INLINE_ROWS, OWNER_PARAMETER
from applications.models import Contact, FollowUp, FollowUpKind, Interview
from applications.timeline import ORDER
from tests.factories import ApplicationFactory, UserFactory
from tests.helpers import days

pytestmark = pytest.mark.django_db

KINDS = [FollowUpKind.THANK_YOU, FollowUpKind.CHECK_IN, FollowUpKind.RESPONSE]
ITEM = re.compile(r'<li class="tl-item tl-(\w+)">\s*<time datetime="([\d-]+)">')
ROW_KINDS = {"interview", *KINDS}


def long_history(owner, today, *, follow_ups, interviews=20, people=5):
    """An application of `owner` with that many rows, spread over the 400 days to
    `today` (several on a day, so the latest ones tie on dates), the last interview on
    `today` itself."""
    start = days(today, -400)
    application = ApplicationFactory(owner=owner, company="Long Ltd", applied_on=start)
    contacts = Contact.objects.bulk_create(
        Contact(application=application, name=f"Person {n}") for n in range(people)
    )
    saved = Interview.objects.bulk_create(
        Interview(application=application, date=days(start, (n + 1) * 400 // interviews))
        for n in range(interviews)
    )
    Interview.contacts.through.objects.bulk_create(
        Interview.contacts.through(interview_id=interview.pk, contact_id=contacts[n % people].pk)
        for n, interview in enumerate(saved)
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            application=application,
            date=days(start, 1 + n * 399 // follow_ups),
            kind=KINDS[n % 3],
            contact=contacts[n % people] if n % 2 else None,
        )
        for n in range(follow_ups)
    )
    return application


def keys_in_order(application) -> list[tuple[str, str]]:
    """(date, kind) of every interview and follow-up, in the timeline's order, read
    here apart from the selectors."""
    rows = [
        (day, ORDER["interview"], pk, "interview")
        for pk, day in application.interviews.values_list("pk", "date")
    ] + [
        (day, ORDER[kind], pk, kind)
        for pk, day, kind in application.follow_ups.values_list("pk", "date", "kind")
    ]
    return [(day.isoformat(), kind) for day, _rank, _pk, kind in sorted(rows)]


def listed_rows(html) -> list[tuple[str, str]]:
    """(date, kind) of each interview and follow-up the page lists, in its order."""
    return [(day, kind) for kind, day in ITEM.findall(html) if kind in ROW_KINDS]


def get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


# ----------------------------------------------------------------------------------------
# The application page


def test_the_page_lists_the_latest_rows_and_links_to_the_rest(owner, owner_client, today):
    application = long_history(owner, today, follow_ups=5_000)
    url = reverse("application_detail", args=[application.pk])

    html, _queries = get(owner_client, url)

    everything = keys_in_order(application)
    assert listed_rows(html) == everything[-selectors.TIMELINE_ROWS :]
    history = reverse("application_history", args=[application.pk])
    earlier = len(everything) - selectors.TIMELINE_ROWS
    assert (
        "These are the events of the latest interviews and follow-ups; "
        f'{earlier} earlier ones are in <a href="{history}">the whole history</a>.'
    ) in html
    assert "The list below gives each of these events." in html


def test_the_page_costs_the_same_however_long_the_history(owner, owner_client, today):
    # 1 session, 2 user, 3 the application, 4 preferences; 5-8 its status
    # (`application_rows`), 9 the latest rows' keys, 10 people, 11 those interviews,
    # 12 the people at each, 13 those follow-ups with their person, 14 the people the
    # thank-you form offers.
    short = long_history(owner, today, follow_ups=100)
    long = long_history(owner, today, follow_ups=5_000)

    short_html, short_queries = get(owner_client, reverse("application_detail", args=[short.pk]))
    long_html, long_queries = get(owner_client, reverse("application_detail", args=[long.pk]))

    assert short_queries == long_queries == 14
    assert len(listed_rows(short_html)) == len(listed_rows(long_html)) == selectors.TIMELINE_ROWS


@pytest.mark.parametrize("rows, earlier", [(50, 0), (51, 1)])
def test_up_to_the_limit_the_page_lists_everything(owner, owner_client, today, rows, earlier):
    application = long_history(owner, today, follow_ups=rows - 20, interviews=20)

    html, _queries = get(owner_client, reverse("application_detail", args=[application.pk]))

    assert listed_rows(html) == keys_in_order(application)[earlier:]
    assert ("the whole history" in html) == bool(earlier)
    if earlier:
        assert "1 earlier one is in" in html


# ----------------------------------------------------------------------------------------
# The whole history


def test_the_history_pages_through_every_row_oldest_first(owner, owner_client, today):
    application = long_history(owner, today, follow_ups=230, interviews=20)
    url = reverse("application_history", args=[application.pk])
    everything = keys_in_order(application)  # 250 rows: three pages
    size = selectors.HISTORY_PAGE_ROWS

    pages = [get(owner_client, url, page=n)[0] for n in (1, 2, 3)]

    assert [listed_rows(page) for page in pages] == [
        everything[:size],
        everything[size : 2 * size],
        everything[2 * size :],
    ]
    assert "Interviews and follow-ups 101 to 200 of 250, oldest first" in pages[1]
    assert "Page 2 of 3" in pages[1]
    assert 'href="?page=1">Oldest</a>' in pages[1] and 'href="?page=3">Latest</a>' in pages[1]
    # The application date opens the first page only; the next step closes the last.
    assert '<li class="tl-item tl-applied">' in pages[0]
    assert '<li class="tl-item tl-applied">' not in pages[1] + pages[2]
    assert '<li class="tl-item tl-next">' in pages[2]
    assert '<li class="tl-item tl-next">' not in pages[0] + pages[1]


@pytest.mark.parametrize("page, shown", [("x", 1), ("0", 3), ("-1", 3), ("9" * 30, 3), ("", 1)])
def test_any_page_number_answers_a_page(owner, owner_client, today, page, shown):
    application = long_history(owner, today, follow_ups=230, interviews=20)

    html, _queries = get(
        owner_client, reverse("application_history", args=[application.pk]), page=page
    )

    assert f"Page {shown} of 3" in html


def test_the_history_costs_at_most_so_many_queries_on_any_page_of_any_length(
    owner, owner_client, today
):
    short = long_history(owner, today, follow_ups=230)
    long = long_history(owner, today, follow_ups=5_000)

    counts = [
        get(owner_client, reverse("application_history", args=[app.pk]), page=page)[1]
        for app, page in ((short, 1), (short, 3), (long, 1), (long, 25), (long, 51))
    ]

    # 1 session, 2 user, 3 the application, 4 preferences; 5-8 its status
    # (`application_rows`), 9 the count, 10 the page's keys, 11 its interviews and 12 the
    # people at each (none when it has no interview), 13 its follow-ups.
    assert max(counts) == 13


def test_an_application_without_interviews_or_follow_ups_has_a_history_too(
    owner, owner_client, today
):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -3))

    html, _queries = get(owner_client, reverse("application_history", args=[application.pk]))

    assert "No interviews or follow-ups recorded yet." in html
    assert '<li class="tl-item tl-applied">' in html


def test_the_page_and_the_history_answer_for_a_history_of_the_reported_size(
    owner, owner_client, today
):
    application = long_history(owner, today, follow_ups=100_000)

    for name in ("application_detail", "application_history"):
        html, _queries = get(owner_client, reverse(name, args=[application.pk]))
        assert len(listed_rows(html)) <= selectors.HISTORY_PAGE_ROWS


# ----------------------------------------------------------------------------------------
# The admin


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def change_page(application):
    return reverse("admin:applications_application_change", args=[application.pk])


def inline_rows(html, prefix):
    """The rows an inline shows: its forms' ids (editable), or its read-only rows."""
    return len(re.findall(rf'id="{prefix}-\d+"', html))


def test_the_change_page_shows_the_latest_rows_read_only_and_links_to_all(
    staff_client, owner, today
):
    application = long_history(owner, today, follow_ups=5_000, interviews=150, people=120)

    html, _queries = get(staff_client, change_page(application))

    assert inline_rows(html, "follow_ups") == INLINE_ROWS
    assert inline_rows(html, "interviews") == INLINE_ROWS
    assert inline_rows(html, "contacts") == INLINE_ROWS
    assert 'name="follow_ups-0-date"' not in html  # read-only
    assert 'name="follow_ups-__prefix__-date"' not in html  # and none to add
    latest = application.follow_ups.order_by("-date", "-id").first()
    assert f"{latest.date:%b. %-d, %Y}" in html
    followups = reverse("admin:applications_followup_changelist")
    assert f'<a href="{followups}?application__id__exact={application.pk}">5000 follow-ups</a>' in (
        html
    )
    assert "Below, the latest 100 of each, read-only: edit them from these lists." in html


def test_the_change_page_costs_the_same_however_long_the_history(staff_client, owner, today):
    bounded = long_history(owner, today, follow_ups=INLINE_ROWS + 1)
    long = long_history(owner, today, follow_ups=5_000)
    get(staff_client, change_page(bounded))  # the content types, read once and kept

    assert get(staff_client, change_page(bounded))[1] == get(staff_client, change_page(long))[1]


def test_a_small_application_is_edited_inline_as_before(staff_client, owner, today):
    application = long_history(owner, today, follow_ups=INLINE_ROWS, interviews=3)

    html, _queries = get(staff_client, change_page(application))

    assert inline_rows(html, "follow_ups") == INLINE_ROWS
    assert 'name="follow_ups-0-date"' in html
    assert "read-only" not in html


def test_saving_a_long_application_saves_its_fields_and_leaves_its_rows(staff_client, owner, today):
    application = long_history(owner, today, follow_ups=5_000)
    html, _queries = get(staff_client, change_page(application))
    management = dict(re.findall(r'name="(\w+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"'
                                 r' value="(\d*)"', html))  # fmt: skip

    response = staff_client.post(
        change_page(application),
        {
            "owner": owner.pk,
            "company": "Renamed",
            "role": application.role,
            "applied_on": application.applied_on.isoformat(),
            "posting_url": "",
            "notes": "",
            "outcome": "",
            "snoozed_until": "",
            **management,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.company == "Renamed"
    assert application.follow_ups.count() == 5_000


def test_the_list_of_an_applications_follow_ups_pages_them(staff_client, owner, today):
    application = long_history(owner, today, follow_ups=5_000)

    html, _queries = get(
        staff_client,
        reverse("admin:applications_followup_changelist"),
        application__id__exact=application.pk,
    )

    assert html.count('name="_selected_action"') == 100


def test_the_status_filter_with_a_long_history_evaluates_one_owner(staff_client, owner, today):
    someone = UserFactory(username="someone")
    long = long_history(owner, today, follow_ups=5_000)
    short = long_history(someone, today, follow_ups=60)
    ApplicationFactory(owner=someone, company="Elsewhere", outcome="rejected")
    (status,) = {row.status.code for row in selectors.application_rows(
        user=owner, as_of=today, rules=selectors.rules_from(selectors.preferences_get(user=owner))
    )}  # fmt: skip
    changelist = reverse("admin:applications_application_changelist")

    html, queries = get(staff_client, changelist, **{OWNER_PARAMETER: owner.pk, "status": status})
    short_html, short_queries = get(
        staff_client, changelist, **{OWNER_PARAMETER: someone.pk, "status": status}
    )

    assert f"/{long.pk}/change/" in html and f"/{short.pk}/change/" in short_html
    assert "Elsewhere" not in html + short_html
    assert queries == short_queries  # one owner's rows, however long their history


def test_the_readme_states_these_bounds():
    with open(settings.BASE_DIR / "README.md", encoding="utf-8") as readme:
        text = " ".join(readme.read().split())

    assert f"latest {selectors.TIMELINE_ROWS} interviews and follow-ups" in text
    assert f"{selectors.HISTORY_PAGE_ROWS} a page" in text
    assert f"more than {INLINE_ROWS} people, interviews or follow-ups" in text
