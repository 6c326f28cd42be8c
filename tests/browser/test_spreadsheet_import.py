"""The spreadsheet import's preview and mapping step in a browser, at desktop and phone
widths: a tracker's export is recognised, a status word is changed, the preview updated,
and the import saves what was shown."""

import io

import openpyxl
import pytest

from tests.browser.conftest import check_page, login
from tests.factories import PreferencesFactory, UserFactory
from tests.test_tracker_imports import HUNTR


@pytest.fixture
def seeker(db):
    user = UserFactory(username="seeker", email="seeker@example.com")
    PreferencesFactory(user=user, weekdays_only=False)
    return user


def choose_file(page, name, content, mime="text/csv"):
    page.goto("/import/csv/")
    page.set_input_files(
        "input[type=file]", files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()


def test_a_huntr_export_through_the_mapping_step(page, live_server, seeker):
    login(page, live_server, seeker)
    choose_file(page, "huntr.csv", HUNTR.replace("Offer", "Ghosted").encode())

    check_page(page, "csv-import-mapping")
    assert page.get_by_text("This looks like an export from Huntr").is_visible()
    assert page.get_by_label("createdAt").input_value() == "added_on"
    assert page.get_by_label("Ghosted").input_value() == "open"

    # Ghosted means they never answered: the user says it is a rejection for them.
    page.get_by_label("Ghosted").select_option("rejected")
    page.get_by_role("button", name="Update the preview").click()
    page.wait_for_load_state()
    preview = page.locator("table.preview").first
    initech = preview.locator("tr", has=page.locator("th", has_text="Initech"))
    assert "rejected" in initech.inner_text()

    page.get_by_role("button", name="Import 3 applications").click()
    page.wait_for_load_state()
    assert page.get_by_text("Imported 3 applications from your spreadsheet.").is_visible()
    outcomes = dict(seeker.applications.values_list("company", "outcome"))
    assert outcomes == {"Samsung": "", "Yext": "rejected", "Initech": "rejected"}


def test_a_workbook_with_an_ambiguous_date_column_is_asked(page, live_server, seeker):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Company", "Role", "Applied", "Notes"])
    workbook.active.append(["Acme", "Engineer", "03/04/2026", "met Dana"])
    out = io.BytesIO()
    workbook.save(out)
    login(page, live_server, seeker)
    choose_file(
        page,
        "search.xlsx",
        out.getvalue(),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    check_page(page, "csv-import-question")
    assert page.get_by_text("Read from the sheet “Sheet” of your workbook.").is_visible()
    page.get_by_label("Day first (April 3, 2026)").check()
    page.get_by_role("button", name="Update the preview").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Import 1 application").click()
    page.wait_for_load_state()
    assert seeker.applications.get().applied_on.isoformat() == "2026-04-03"
