"""The dashboard (/) and the closed list (/closed/): what to do next, most urgent first.

Dates are relative to the user's local today (the engine's `as_of`), so these tests
describe the same situation whatever day they run on. Week-end moves are switched off
where a test names exact dates (the engine's own tests cover them).
"""

import datetime
import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import selectors
from applications.models import Application, Contact, FollowUp, Interview
from applications.views import pages
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    full_application,
)
from tests.helpers import days, messages_of, short, submissions

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
CLOSED = reverse("closed_list")
BULK = reverse("applications_bulk")


def human(day, today):
    """A date as the rows show it: "Mon, Dec 7 (in 3 days)"."""
    text = f"{day:%a}, {day:%b} {day.day}" + ("" if day.year == today.year else f", {day.year}")
    delta = (day - today).days
    relative = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(delta) or (
        f"in {delta} days" if delta > 0 else f"{-delta} days ago"
    )
    return f"{text} ({relative})"


def page(client, url=DASHBOARD):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


ROW = re.compile(
    r'<li class="row status-(?P<status>\w+)">\s*<input type="checkbox" name="selected" '
    r'value="(?P<id>\d+)"(?P<body>.*?)</li>',
    re.DOTALL,
)


def rows(html):
    """(application id, status) of every row, in page order."""
    return [(int(match["id"]), match["status"]) for match in ROW.finditer(html)]


def row_html(html, application):
    (match,) = [m for m in ROW.finditer(html) if int(m["id"]) == application.pk]
    return match.group(0)


def today_list(html):
    """The Today list at the top of the dashboard."""
    start = html.index('id="heading-today"')
    return html[start : html.index("</section>", start)]


def side_card(html, heading):
    """The sidebar card under the heading `heading`."""
    start = html.index(f"<h2>{heading}</h2>")
    return html[start : html.index("</section>", start)]


def follow_up_now(owner, today, company, *, overdue_days=3):
    """An application whose follow-up fell due `overdue_days` ago: they said they would
    decide two days before that (the default grace)."""
    application = ApplicationFactory(owner=owner, company=company, applied_on=days(today, -30))
    InterviewFactory(
        application=application,
        date=days(today, -overdue_days - 7),
        decision_by=days(today, -overdue_days - 2),
    )
    return application


def waiting(owner, today, company, *, opens_in=4):
    application = ApplicationFactory(owner=owner, company=company, applied_on=days(today, -20))
    InterviewFactory(
        application=application, date=days(today, -1), decision_by=days(today, opens_in - 2)
    )
    return application


def likely_closed(owner, today, company):
    application = ApplicationFactory(owner=owner, company=company, applied_on=days(today, -60))
    InterviewFactory(application=application, date=days(today, -40))
    FollowUpFactory(application=application, date=days(today, -30), kind="check_in")
    FollowUpFactory(application=application, date=days(today, -20), kind="check_in")
    return application


# ----------------------------------------------------------------------------------------
# A new user


def test_an_empty_dashboard_tells_a_new_user_what_to_do_first(owner_client, today):
    html = page(owner_client)

    assert "Welcome to Hearback" in html
    assert f'<a href="{reverse("application_new")}">Add your first application</a>' in html
    assert f'href="{reverse("import_upload")}"' in html
    assert 'id="bulk"' not in html
    assert rows(html) == []


def test_a_user_with_only_closed_applications_sees_the_link_to_them_not_the_welcome(
    owner, owner_client, today
):
    ApplicationFactory(owner=owner, outcome="offer")

    html = page(owner_client)

    assert "Welcome to Hearback" not in html
    assert f'<a href="{CLOSED}">1 closed application</a>' in html


# ----------------------------------------------------------------------------------------
# The rows, most urgent first


def test_follow_up_now_first_then_waiting_by_date_then_likely_closed_and_closed_out_of_the_way(
    owner, owner_client, today
):
    less_overdue = follow_up_now(owner, today, "Alpha Overdue", overdue_days=3)
    most_overdue = follow_up_now(owner, today, "Zulu Overdue", overdue_days=6)
    later = waiting(owner, today, "Charlie Waiting", opens_in=4)
    applied_only = ApplicationFactory(
        owner=owner, company="Delta Applied", applied_on=days(today, -3)
    )
    interview_tomorrow = ApplicationFactory(
        owner=owner, company="Echo Interview", applied_on=days(today, -9)
    )
    InterviewFactory(application=interview_tomorrow, date=days(today, 1))
    gone_quiet = likely_closed(owner, today, "Foxtrot Quiet")
    ApplicationFactory(owner=owner, company="Golf Rejected", outcome="rejected")
    offered = ApplicationFactory(owner=owner, company="Hotel Offered", applied_on=days(today, -30))
    FollowUpFactory(application=offered, date=days(today, -1), kind="response", outcome="offer")

    html = page(owner_client)

    assert rows(html) == [
        (most_overdue.pk, "follow_up_now"),  # due 6 days ago
        (less_overdue.pk, "follow_up_now"),  # due 3 days ago
        (interview_tomorrow.pk, "waiting"),  # changes tomorrow
        (later.pk, "waiting"),  # in 4 days
        (applied_only.pk, "waiting"),  # 14 days after applying: in 11 days
        (gone_quiet.pk, "likely_closed"),
    ]
    # Today: the two follow-ups due, the thank-you owed for yesterday's interview, and
    # tomorrow's interview; then the three waiting.
    assert re.search(r">Today <span class=\"count\">\(4\)</span>", html)
    assert rows(today_list(html)) == [
        (most_overdue.pk, "follow_up_now"),
        (less_overdue.pk, "follow_up_now"),
    ]
    assert re.search(r">Waiting <span class=\"count\">\(3\)</span>", html)
    # Likely closed ones are collapsed, with their count in the summary.
    details = html[html.index("<details") : html.index("</details>")]
    assert re.search(
        r"<summary>.*Likely closed <span class=\"count\">\(1\)</span>.*</summary>",
        details,
        re.DOTALL,
    )
    assert rows(details) == [(gone_quiet.pk, "likely_closed")]
    # Closed ones: only a link with their count.
    assert f'<a href="{CLOSED}">2 closed applications</a>' in html
    assert "Golf Rejected" not in html and "Hotel Offered" not in html


def test_each_row_shows_company_role_status_in_words_the_reason_and_the_next_date(
    owner, owner_client, today
):
    application = follow_up_now(owner, today, "Acme", overdue_days=3)
    application.role = "Data Engineer"
    application.save()

    row = row_html(page(owner_client), application)

    assert f'<a href="{reverse("application_detail", args=[application.pk])}">Acme</a>' in row
    assert '<span class="role">Data Engineer</span>' in row
    # The status in words, not by colour alone.
    assert '<span class="badge badge-follow_up_now">Follow up now</span>' in row
    decided, due = days(today, -5), days(today, -3)
    assert (
        f"They said they would decide by {short(decided, today)}; "
        f"follow up from {short(due, today)}."
    ) in row
    assert f'<time datetime="{due.isoformat()}">{human(due, today)}</time>' in row


def test_a_waiting_row_names_the_day_it_changes(owner, owner_client, today):
    application = waiting(owner, today, "Acme", opens_in=3)

    row = row_html(page(owner_client), application)

    assert '<span class="badge badge-waiting">Waiting</span>' in row
    assert "(in 3 days)</time>" in row
    assert human(days(today, 3), today) in row


def test_a_row_shown_again_shows_what_changed_since(owner, owner_client, today):
    """Rows are kept once written (docs/architecture.md, "Speed"), under everything
    they show: a change made any way, even straight in the database, shows at once."""
    application = waiting(owner, today, "Acme", opens_in=3)
    before = row_html(page(owner_client), application)
    assert ">Acme</a>" in before and "(in 3 days)</time>" in before

    Application.objects.filter(pk=application.pk).update(company="Acme Robotics", role="SRE")
    Interview.objects.filter(application=application).update(decision_by=days(today, 3))
    after = row_html(page(owner_client), application)

    assert '>Acme Robotics</a> <span class="role">SRE</span>' in after
    assert "(in 5 days)</time>" in after
    assert f"decide by {short(days(today, 3), today)}" in after


def test_a_kept_row_is_the_row_written_afresh(owner, owner_client, today):
    follow_up_now(owner, today, "Due & Co")
    waiting(owner, today, "<Waiting>")
    likely_closed(owner, today, 'Quiet "Ltd"')
    shown_first = page(owner_client)
    kept = page(owner_client)  # every row from the kept ones

    pages.row_markup.cache_clear()
    afresh = page(owner_client)

    def all_rows(html):
        return [match.group(0) for match in ROW.finditer(html)]

    assert len(all_rows(afresh)) == 3
    assert all_rows(kept) == all_rows(afresh) == all_rows(shown_first)
    assert "Due &amp; Co" in afresh and "&lt;Waiting&gt;" in afresh


def test_a_row_due_for_follow_up_offers_check_in_snooze_response_and_close(
    owner, owner_client, today
):
    due = follow_up_now(owner, today, "Due Co")
    later = waiting(owner, today, "Later Co")

    html = page(owner_client)

    # Its two buttons send the page's one quick-actions form, each to its own address.
    sent = submissions(html)
    check_in = sent[reverse("check_in", args=[due.pk])]
    assert check_in.pop("csrfmiddlewaretoken")
    assert check_in == {
        "date": today.isoformat(),
        "channel": "email",
        "next": DASHBOARD,
    }
    snooze = sent[reverse("snooze", args=[due.pk])]
    assert snooze.pop("csrfmiddlewaretoken")
    assert snooze == {**check_in, "week": "1"}
    due_row = row_html(html, due)
    assert (
        f'<button type="submit" form="quick-actions" '
        f'formaction="{reverse("check_in", args=[due.pk])}">I checked in</button>'
    ) in due_row
    assert (
        f'<button type="submit" form="quick-actions" '
        f'formaction="{reverse("snooze", args=[due.pk])}" '
        'name="week" value="1" class="secondary">Snooze a week</button>'
    ) in due_row
    assert f'href="{reverse("response", args=[due.pk])}"' in due_row
    # Close asks how it ended on its own page, then comes back here.
    assert f'href="{reverse("close", args=[due.pk])}?next=/">Close…</a>' in due_row
    # Nothing is due on a waiting one: no check-in or snooze button, but close and response.
    later_row = row_html(html, later)
    assert "<button" not in later_row
    assert not {reverse("check_in", args=[later.pk]), reverse("snooze", args=[later.pk])} & set(
        sent
    )
    assert f'href="{reverse("response", args=[later.pk])}"' in later_row
    assert f'href="{reverse("close", args=[later.pk])}?next=/"' in later_row


def test_every_form_on_the_dashboard_carries_a_csrf_token(owner, owner_client, today):
    due = follow_up_now(owner, today, "Due Co")
    interviewed = ApplicationFactory(owner=owner, applied_on=days(today, -5))
    InterviewFactory(application=interviewed, date=days(today, -1))

    found = submissions(page(owner_client))

    assert {
        reverse("check_in", args=[due.pk]),
        reverse("thank_you", args=[interviewed.pk]),
    } <= set(found)
    assert all(fields.get("csrfmiddlewaretoken") for fields in found.values())


def test_the_one_click_check_in_records_it_and_the_row_stops_asking(owner, owner_client, today):
    application = follow_up_now(owner, today, "Acme")
    action = reverse("check_in", args=[application.pk])
    fields = submissions(page(owner_client))[action]

    response = owner_client.post(action, fields)

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert list(application.follow_ups.values_list("kind", "date", "channel")) == [
        ("check_in", today, "email")
    ]
    # One check-in of two: wait a week before the next.
    assert rows(page(owner_client)) == [(application.pk, "waiting")]
    assert human(days(today, 7), today) in row_html(page(owner_client), application)


def test_the_one_click_snooze_holds_the_row_for_a_week(owner, owner_client, today):
    application = follow_up_now(owner, today, "Acme")
    action = reverse("snooze", args=[application.pk])
    fields = submissions(page(owner_client))[action]

    response = owner_client.post(action, fields)

    assert response["Location"] == DASHBOARD
    application.refresh_from_db()
    assert application.snoozed_until == days(today, 7)
    assert not application.follow_ups.exists()  # the check-in fields alone record nothing
    html = page(owner_client)
    assert rows(html) == [(application.pk, "waiting")]
    assert human(days(today, 7), today) in row_html(html, application)


def test_close_asks_how_it_ended_then_takes_the_row_off_the_dashboard(owner, owner_client, today):
    application = waiting(owner, today, "Acme")
    other = waiting(owner, today, "Other")
    (close_url,) = re.findall(
        r'href="([^"]+)">Close…</a>', row_html(page(owner_client), application)
    )
    close_url = html_lib.unescape(close_url)

    asked = page(owner_client, close_url)
    close_action = reverse("close", args=[application.pk])
    action, fields = close_action, submissions(asked)[close_action]
    assert fields["next"] == DASHBOARD
    response = owner_client.post(action, {**fields, "outcome": "withdrawn"})

    assert response["Location"] == DASHBOARD
    assert Application.objects.get(pk=application.pk).outcome == "withdrawn"
    html = page(owner_client)
    assert rows(html) == [(other.pk, "waiting")]
    assert f'<a href="{CLOSED}">1 closed application</a>' in html


def test_interviews_today_and_tomorrow_are_on_the_today_list(owner, owner_client, today):
    for company, offset in (("Today Co", 0), ("Tomorrow Co", 1), ("Later Co", 2)):
        application = ApplicationFactory(owner=owner, company=company, applied_on=days(today, -5))
        InterviewFactory(application=application, date=days(today, offset), format="video")

    listed = today_list(page(owner_client))

    # The two interviews, and the thank-you owed once today's is over.
    assert re.search(r">Today <span class=\"count\">\(3\)</span>", listed)
    for company, offset in (("Today Co", 0), ("Tomorrow Co", 1)):
        day = days(today, offset)
        assert re.search(
            rf">{company}</a> <span class=\"role\">[^<]*</span> · "
            rf'<time datetime="{day.isoformat()}">{re.escape(human(day, today))}</time> · Video',
            listed,
        )
    assert "Later Co" not in listed


def test_with_nothing_due_the_today_list_says_so_and_what_comes_next(owner, owner_client, today):
    waiting(owner, today, "Acme", opens_in=4)
    waiting(owner, today, "Globex", opens_in=3)
    Application.objects.update(applied_on=days(today, -20))
    FollowUp.objects.all().delete()
    for application in Application.objects.all():  # thanked: nothing owed today
        FollowUpFactory(application=application, date=days(today, -1), kind="thank_you")

    listed = today_list(page(owner_client))

    due = days(today, 3)
    assert 'id="heading-today">Today</h2>' in listed
    assert (
        f"Nothing to do today. Next: {due:%a}, {due:%b} {due.day}"
        + ("" if due.year == today.year else f", {due.year}")
        + " — follow up with Globex."
    ) in listed


def test_with_only_an_interview_ahead_next_names_it(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, company="Initech", applied_on=days(today, -2))
    InterviewFactory(application=application, date=days(today, 5))

    listed = today_list(page(owner_client))

    assert "Nothing to do today. Next: " in listed
    assert "— your interview with Initech." in listed


# ----------------------------------------------------------------------------------------
# Beside the rows


def test_upcoming_interviews_are_listed_with_the_question_to_ask(owner, owner_client, today):
    soon = ApplicationFactory(owner=owner, company="Soon Co", applied_on=days(today, -5))
    InterviewFactory(application=soon, date=days(today, 3))
    past = ApplicationFactory(owner=owner, company="Past Co", applied_on=days(today, -5))
    InterviewFactory(application=past, date=days(today, -1))
    closed = ApplicationFactory(owner=owner, company="Closed Co", outcome="withdrawn")
    InterviewFactory(application=closed, date=days(today, 2))

    card = side_card(page(owner_client), "Upcoming interviews")

    assert f'<a href="{reverse("application_detail", args=[soon.pk])}">Soon Co</a>' in card
    assert (
        f'<time datetime="{days(today, 3).isoformat()}">{human(days(today, 3), today)}</time>'
        in card
    )
    assert "Past Co" not in card and "Closed Co" not in card
    assert "ask about the next steps and when they expect to decide" in card


def test_an_interview_ahead_of_an_application_they_turned_down_is_not_listed(
    owner, owner_client, today
):
    # Closed by their answer, not by the user: only the engine knows it is closed.
    turned_down = ApplicationFactory(owner=owner, company="No Co", applied_on=days(today, -9))
    InterviewFactory(application=turned_down, date=days(today, 2))
    FollowUpFactory(
        application=turned_down, date=days(today, -1), kind="response", outcome="rejected"
    )
    for n in range(12):  # more than the card shows, all later than the turned-down one
        InterviewFactory(
            application=ApplicationFactory(owner=owner, company=f"Co {n:02d}"),
            date=days(today, 3 + n),
        )

    card = side_card(page(owner_client), "Upcoming interviews")

    assert "No Co" not in card
    assert card.count("<li>") == 10 and "Co 00" in card and "Co 09" in card


def test_an_interview_of_today_with_its_timing_recorded_has_happened(owner, owner_client, today):
    """Seen at night: this morning's interviews, whose answers are recorded, are over;
    tonight's, not asked yet, is still to come."""
    for company, hour, timing, decision_by in (
        ("Dated Co", 10, "date", days(today, 5)),
        ("Silent Co", 11, "none", None),
        ("Tonight Co", 23, "not_asked", None),
    ):
        InterviewFactory(
            application=ApplicationFactory(
                owner=owner, company=company, applied_on=days(today, -9)
            ),
            date=today,
            time=datetime.time(hour, 0),
            timing=timing,
            decision_by=decision_by,
        )

    html = page(owner_client)

    upcoming = side_card(html, "Upcoming interviews")
    assert "Tonight Co" in upcoming
    assert "Dated Co" not in upcoming and "Silent Co" not in upcoming
    interviews_listed = re.findall(r'>([\w ]+)</a> <span class="role">', today_list(html))
    assert interviews_listed == ["Tonight Co"]
    # The advice is for the one that ended with nothing said; not for the one ahead.
    no_timeline = side_card(html, "No timeline yet")
    assert "Silent Co" in no_timeline
    assert "Dated Co" not in no_timeline and "Tonight Co" not in no_timeline


def test_with_no_interview_ahead_the_card_says_none_is_scheduled(owner, owner_client, today):
    waiting(owner, today, "Acme")

    card = side_card(page(owner_client), "Upcoming interviews")

    assert "None scheduled." in card
    assert "ask about the next steps" not in card


def test_thank_you_notes_owed_are_on_the_today_list_per_person_and_marked_sent_in_one_click(
    owner, owner_client, today
):
    application = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -10))
    dana = ContactFactory(application=application, name="Dana Reyes")
    lee = ContactFactory(application=application, name="Lee Chen")
    InterviewFactory(application=application, date=days(today, -2), contacts=[dana, lee])
    FollowUpFactory(application=application, date=days(today, -1), kind="thank_you", contact=dana)
    nameless = ApplicationFactory(owner=owner, company="Beta", applied_on=days(today, -10))
    InterviewFactory(application=nameless, date=days(today, -1))

    listed = today_list(page(owner_client))

    assert "Send a thank-you note to Lee Chen at Acme" in listed
    assert "Dana Reyes" not in listed  # already thanked
    assert "Send a thank-you note to your interviewers at Beta" in listed
    action = reverse("thank_you", args=[application.pk])
    sent_for_lee = submissions(listed)[action]
    assert (sent_for_lee["contact"], sent_for_lee["date"]) == (str(lee.pk), today.isoformat())
    assert '<button type="submit" class="small">Mark thank-you sent</button>' in listed
    assert (
        f'href="{reverse("draft", args=[application.pk, "thank_you"])}?contact={lee.pk}"' in listed
    )

    response = owner_client.post(action, sent_for_lee)

    assert response["Location"] == DASHBOARD
    assert messages_of(response) == ["Thank-you to Lee Chen at Acme recorded."]
    assert FollowUp.objects.filter(
        application=application, contact=lee, kind="thank_you", date=today
    ).exists()
    listed = today_list(page(owner_client))
    assert "Lee Chen" not in listed
    assert "your interviewers at Beta" in listed


def test_with_every_note_sent_none_is_on_the_today_list(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -10))
    InterviewFactory(application=application, date=days(today, -2))
    FollowUpFactory(application=application, date=days(today, -2), kind="thank_you")

    listed = today_list(page(owner_client))

    assert "thank-you" not in listed.lower()
    assert "Nothing to do today." in listed


def test_interviews_that_ended_without_a_decision_date_are_listed_to_ask_next_time(
    owner, owner_client, today
):
    no_date = ApplicationFactory(owner=owner, company="No Date Co", applied_on=days(today, -10))
    InterviewFactory(application=no_date, date=days(today, -2))
    with_date = waiting(owner, today, "Dated Co")
    likely_closed(owner, today, "Quiet Co")  # past asking

    html = page(owner_client)
    card = side_card(html, "No timeline yet")

    assert f'<a href="{reverse("application_detail", args=[no_date.pk])}">No Date Co</a>' in card
    assert "ask when they expect to decide" in card
    assert "Dated Co" not in card and "Quiet Co" not in card
    assert with_date.company in html


def test_no_timeline_card_is_absent_when_every_interview_gave_a_date(owner, owner_client, today):
    waiting(owner, today, "Dated Co")

    assert "No timeline yet" not in page(owner_client)


@pytest.mark.parametrize(
    "applied_days_ago, count, nudged",
    [
        ([0, 0], 2, True),  # fewer than 3 active applications
        ([0, 20, 20], 3, False),
        ([7, 20, 20], 3, False),  # one sent exactly a week ago still counts
        ([8, 20, 20], 3, True),  # nothing sent in the last 7 days
        ([8, 8, 8, 8], 4, True),
    ],
)
def test_the_keep_searching_nudge_follows_the_spec(
    owner, owner_client, today, applied_days_ago, count, nudged
):
    for ago in applied_days_ago:
        ApplicationFactory(owner=owner, applied_on=days(today, -ago))
    assert len(applied_days_ago) == count

    html = page(owner_client)

    assert ("Keep your search moving" in html) is nudged
    if nudged:
        nudge = side_card(html, "Keep your search moving")
        assert f'href="{reverse("application_new")}"' in nudge


def test_closed_applications_do_not_count_as_active_for_the_nudge(owner, owner_client, today):
    ApplicationFactory.create_batch(2, owner=owner, applied_on=today)
    ApplicationFactory(owner=owner, applied_on=today, outcome="rejected")

    assert "Keep your search moving" in page(owner_client)


# ----------------------------------------------------------------------------------------
# Bulk actions


def bulk(client, action, *ids):
    return client.post(BULK, {"action": action, "selected": [str(pk) for pk in ids]})


def test_each_row_can_be_selected_for_the_bulk_form(owner, owner_client, today):
    first, second = waiting(owner, today, "A"), waiting(owner, today, "B")

    html = page(owner_client)

    assert f'<form id="bulk" method="post" action="{BULK}"' in html
    for application in (first, second):
        assert re.search(
            rf'<input type="checkbox" name="selected" value="{application.pk}" form="bulk"',
            row_html(html, application),
        )
    assert re.findall(
        r'<option value="(\w+)">',
        html[html.index('id="bulk"') : html.index("</form>", html.index('id="bulk"'))],
    ) == [
        "snooze_week",
        "close_rejected",
        "close_withdrawn",
        "close_offer",
    ]


def test_bulk_close_closes_the_selected_rows_only(owner, owner_client, today):
    first, second, third = (waiting(owner, today, name) for name in ("A", "B", "C"))

    response = bulk(owner_client, "close_rejected", first.pk, second.pk)

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert messages_of(response) == ["Closed 2 applications."]
    assert dict(Application.objects.values_list("pk", "outcome")) == {
        first.pk: "rejected",
        second.pk: "rejected",
        third.pk: "",
    }
    assert rows(page(owner_client)) == [(third.pk, "waiting")]


def test_bulk_snooze_holds_the_selected_rows_for_a_week(owner, owner_client, today):
    first, second = follow_up_now(owner, today, "A"), follow_up_now(owner, today, "B")
    third = follow_up_now(owner, today, "C")

    response = bulk(owner_client, "snooze_week", first.pk, second.pk)

    assert messages_of(response) == ["Snoozed 2 applications for a week."]
    assert dict(Application.objects.values_list("pk", "snoozed_until")) == {
        first.pk: days(today, 7),
        second.pk: days(today, 7),
        third.pk: None,
    }
    assert sorted(rows(page(owner_client))) == sorted(
        [(first.pk, "waiting"), (second.pk, "waiting"), (third.pk, "follow_up_now")]
    )


def test_a_single_selected_row_is_reported_in_the_singular(owner, owner_client, today):
    application = waiting(owner, today, "A")

    assert messages_of(bulk(owner_client, "close_offer", application.pk)) == [
        "Closed 1 application."
    ]


def test_bulk_with_another_users_application_in_the_selection_is_refused_and_changes_nothing(
    owner, owner_client, stranger, today
):
    mine = waiting(owner, today, "Mine")
    theirs = ApplicationFactory(owner=stranger, company="Theirs")

    response = bulk(owner_client, "close_withdrawn", mine.pk, theirs.pk)

    assert response["Location"] == DASHBOARD
    assert messages_of(response) == [
        "One of the selected applications is not yours or no longer exists."
    ]
    assert set(Application.objects.values_list("outcome", "snoozed_until")) == {("", None)}


def test_bulk_with_nothing_selected_says_what_to_do(owner, owner_client, today):
    waiting(owner, today, "A")

    response = owner_client.post(BULK, {"action": "snooze_week"})

    assert messages_of(response) == ["Select at least one application first."]
    assert not Application.objects.exclude(snoozed_until=None).exists()


def test_bulk_answers_only_post(owner_client):
    assert owner_client.get(BULK).status_code == 405


# ----------------------------------------------------------------------------------------
# The closed list


def test_the_closed_list_shows_closed_applications_with_their_outcome_in_words(
    owner, owner_client, today
):
    rejected = ApplicationFactory(owner=owner, company="Rejected Co", outcome="rejected")
    offered = ApplicationFactory(owner=owner, company="Offered Co", applied_on=days(today, -30))
    FollowUpFactory(application=offered, date=days(today, -1), kind="response", outcome="offer")
    waiting(owner, today, "Still Open Co")

    html = page(owner_client, CLOSED)

    assert f'<a href="{reverse("application_detail", args=[rejected.pk])}">Rejected Co</a>' in html
    assert '<span class="badge badge-rejected">Rejected</span>' in html
    assert "This one didn&#x27;t work out; keep your search moving." in html
    assert '<span class="badge badge-offer">Offer</span>' in html
    assert f"They made you an offer on {short(days(today, -1), today)}." in html
    assert "Still Open Co" not in html


def test_the_closed_list_without_closed_applications_says_so(owner, owner_client, today):
    waiting(owner, today, "Open")

    assert "Nothing closed yet." in page(owner_client, CLOSED)


# ----------------------------------------------------------------------------------------
# Escaping and other users


SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_user_text_is_escaped_on_the_dashboard(owner, owner_client, today):
    application = ApplicationFactory(
        owner=owner, company=SCRIPT, role=f"Role {SCRIPT}", applied_on=days(today, -10)
    )
    person = ContactFactory(application=application, name=f"Dana {SCRIPT}")
    InterviewFactory(application=application, date=days(today, -2), contacts=[person])
    upcoming = ApplicationFactory(owner=owner, company=f"Next {SCRIPT}", applied_on=days(today, -3))
    InterviewFactory(application=upcoming, date=days(today, 2))

    html = page(owner_client)

    assert SCRIPT not in html
    assert f'<a href="{reverse("application_detail", args=[application.pk])}">{ESCAPED}</a>' in html
    assert f"Role {ESCAPED}" in html
    assert f"Send a thank-you note to Dana {ESCAPED} at {ESCAPED}" in today_list(html)
    assert f"Next {ESCAPED}" in side_card(html, "Upcoming interviews")
    assert f"Select {ESCAPED}" in html  # the checkbox's accessible name


def test_user_text_is_escaped_on_the_closed_list(owner, owner_client):
    ApplicationFactory(owner=owner, company=SCRIPT, role=SCRIPT, outcome="withdrawn")

    html = page(owner_client, CLOSED)

    assert SCRIPT not in html
    assert html.count(ESCAPED) == 2


def test_another_users_applications_never_appear(owner, owner_client, stranger, today):
    waiting(owner, today, "Mine")
    theirs = waiting(stranger, today, "Stranger Secret Co")
    InterviewFactory(application=theirs, date=days(today, 2))
    ApplicationFactory(owner=stranger, company="Stranger Closed Co", outcome="offer")

    html = page(owner_client)

    assert "Stranger" not in html
    assert "Stranger" not in page(owner_client, CLOSED)


def test_every_id_on_the_dashboard_is_unique(owner, owner_client, today):
    follow_up_now(owner, today, "A")
    follow_up_now(owner, today, "B")
    waiting(owner, today, "C")
    likely_closed(owner, today, "D")

    ids = re.findall(r'\bid="([^"]+)"', page(owner_client))

    assert len(ids) > 8
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_the_no_timeline_card_shows_ten_and_says_how_many_more_while_today_lists_each_note(
    owner, owner_client, today
):
    for n in range(12):
        application = ApplicationFactory(
            owner=owner, company=f"Quiet {n:02d}", applied_on=days(today, -5)
        )
        InterviewFactory(application=application, date=days(today, -1))

    html = page(owner_client)

    card = side_card(html, "No timeline yet")
    assert card.count("Quiet ") == 10
    assert "and 2 more" in card
    # Every note owed is something to do today: none is left out.
    assert today_list(html).count("Send a thank-you note to your interviewers at Quiet") == 12


def test_the_dashboard_answers_only_get(owner_client):
    assert owner_client.post(DASHBOARD).status_code == 405
    assert owner_client.post(CLOSED).status_code == 405


# ----------------------------------------------------------------------------------------
# Query count


def test_the_dashboard_costs_the_same_queries_for_3_and_for_300_applications(
    owner, owner_client, today
):
    def dashboard_queries():
        with CaptureQueriesContext(connection) as captured:
            html = page(owner_client)
        return len(captured), html

    # Applied 10 days ago: the first interview was 3 days ago (its thank-you is owed, so
    # the contact names are read), the second is in 4 days (an upcoming interview).
    applied_on = days(today, -10)
    for _ in range(3):
        full_application(owner, applied_on=applied_on)
    with_three, html = dashboard_queries()
    assert len(rows(html)) == 3

    _bulk_full_applications(owner, 297, applied_on=applied_on)
    with_three_hundred, html = dashboard_queries()
    assert len(rows(html)) == 300
    assert {status for _, status in rows(html)} == {"waiting"}  # all alike: interview ahead

    # 1 session, 2 user, 3 preferences, 4 applications, 5 the people at each interview,
    # 6 interviews, 7 follow-ups, 8 names of the people owed a thank-you,
    # 9 upcoming interviews.
    assert with_three == with_three_hundred == 9


def test_each_user_reads_their_own_applications_all_at_once_or_by_id(owner, stranger, today):
    mine = [full_application(owner).pk for _ in range(2)]
    theirs = [full_application(stranger).pk]

    def statuses(user, ids=None):
        rules = selectors.rules_from(selectors.preferences_get(user=user))
        rows = selectors.application_rows(user=user, as_of=today, rules=rules, ids=ids)
        return sorted((row.id, row.status) for row in rows)

    for user, ids in ((owner, mine), (stranger, theirs), (owner, mine)):
        assert [pk for pk, _ in statuses(user)] == sorted(ids)
        assert statuses(user) == statuses(user, ids)


def test_the_closed_list_costs_the_same_queries_for_3_and_for_30_closed_applications(
    owner, owner_client, today
):
    def closed_queries():
        with CaptureQueriesContext(connection) as captured:
            html = page(owner_client, CLOSED)
        return len(captured), html.count('class="row"')

    for _ in range(3):
        Application.objects.filter(pk=full_application(owner).pk).update(outcome="rejected")
    with_three, listed = closed_queries()
    assert listed == 3
    for _ in range(27):
        Application.objects.filter(pk=full_application(owner).pk).update(outcome="offer")
    with_thirty, listed = closed_queries()
    assert listed == 30

    # 1 session, 2 user, 3 preferences, 4 applications, 5 the people at each interview,
    # 6 interviews, 7 follow-ups.
    assert with_three == with_thirty == 7


def _bulk_full_applications(owner, count, *, applied_on):
    """`count` applications shaped like `full_application` (2 people, 2 interviews with
    them, a thank-you, a check-in, a response), written with bulk_create to stay fast."""
    template = full_application(owner, applied_on=applied_on)
    applications = Application.objects.bulk_create(
        Application(owner=owner, company=f"Bulk {n:04d}", role=template.role, applied_on=applied_on)
        for n in range(count - 1)
    )
    contacts = Contact.objects.bulk_create(
        Contact(application=application, name=f"{application.company} person {k}")
        for application in applications
        for k in range(2)
    )
    interviews = Interview.objects.bulk_create(
        Interview(application=application, date=interview.date, decision_by=interview.decision_by)
        for application in applications
        for interview in template.interviews.all()
    )
    links = []
    for index, _ in enumerate(applications):
        dana, lee = contacts[2 * index], contacts[2 * index + 1]
        first, second = interviews[2 * index], interviews[2 * index + 1]
        links += [(first, dana), (second, dana), (second, lee)]
    Interview.contacts.through.objects.bulk_create(
        Interview.contacts.through(interview_id=interview.pk, contact_id=contact.pk)
        for interview, contact in links
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            application=application,
            date=follow_up.date,
            kind=follow_up.kind,
            contact=contacts[2 * index] if follow_up.contact_id else None,
            new_decision_by=follow_up.new_decision_by,
        )
        for index, application in enumerate(applications)
        for follow_up in template.follow_ups.all()
    )
    assert Application.objects.filter(owner=owner).count() == count + 3


def test_the_people_owed_a_thank_you_come_in_the_order_they_were_recorded(owner, today):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -10))
    dana = ContactFactory(application=application, name="Dana Reyes")
    lee = ContactFactory(application=application, name="Lee Park")
    interview = InterviewFactory(application=application, date=days(today, -1))
    # Linked in the other order: the database may hand the links back either way.
    interview.contacts.add(lee)
    interview.contacts.add(dana)
    rules = selectors.rules_from(selectors.preferences_get(user=owner))

    (row,) = selectors.application_rows(user=owner, as_of=today, rules=rules, ids=[application.pk])
    (everything,) = selectors.application_rows(user=owner, as_of=today, rules=rules)

    assert row.status.thank_you_owed == everything.status.thank_you_owed == (dana.pk, lee.pk)


def test_a_browser_asking_for_german_gets_one_page_all_in_english(owner, owner_client, today):
    # Until real translations exist the site speaks English only: no German weekday or
    # month from Django's own catalog beside an English reason.
    follow_up_now(owner, today, "Acme")
    waiting(owner, today, "Globex")

    response = owner_client.get(DASHBOARD, headers={"accept-language": "de-DE,de;q=0.9"})

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Follow up now" in html and "They said they would decide by" in html
    for german in ("Dez", "Mo,", "Di,", "Mi,", "Do,", "Fr,", "Sa,", "So,", "vor "):
        assert german not in html


@pytest.mark.parametrize(
    "name, label",
    [
        ("dashboard", "Dashboard"),
        ("applications_table", "All applications"),
        ("application_new", "Add application"),
        ("closed_list", "Closed"),
        ("insights", "Insights"),
        ("preferences", "Settings"),
    ],
)
def test_the_navigation_marks_the_page_the_user_is_on(owner_client, name, label):
    html = owner_client.get(reverse(name)).content.decode()

    nav = re.search(r'<nav aria-label="Main">.*?</nav>', html, re.S).group()
    assert f'<a href="{reverse(name)}" aria-current="page">{label}</a>' in nav
    assert nav.count('aria-current="page"') == 1


def test_the_navigation_marks_no_link_on_a_page_it_does_not_list(owner, owner_client):
    application = ApplicationFactory(owner=owner)

    html = owner_client.get(reverse("application_detail", args=[application.pk])).content.decode()

    assert 'aria-current="page"' not in html
