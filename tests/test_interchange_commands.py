"""`manage.py export_applications` and `import_applications` (docs/commands.md)."""

import datetime
import io
import json
import sys
from unittest import mock

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections

from applications import interchange, selectors
from applications.models import Application, Contact, FollowUp, Interview
from tests.factories import full_application
from tests.test_interchange import spec_example

pytestmark = pytest.mark.django_db


def export(*args):
    out = io.StringIO()
    call_command("export_applications", *args, stdout=out)
    return out.getvalue()


def import_(*args, stdin=None):
    out = io.StringIO()
    extra = {"stdin": stdin} if stdin is not None else {}
    call_command("import_applications", *args, stdout=out, **extra)
    return out.getvalue()


def run_from_command_line(capsys, *argv):
    """The command as a shell runs it: its exit status, standard output and error.

    A command run from the command line closes the database connections when it ends,
    which on PostgreSQL would end the test's own transaction: that one step is skipped.
    """
    with pytest.raises(SystemExit) as exited, mock.patch.object(connections, "close_all"):
        execute_from_command_line(["manage.py", *argv])
        sys.exit(0)
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


def counts():
    return (
        Application.objects.count(),
        Contact.objects.count(),
        Interview.objects.count(),
        FollowUp.objects.count(),
    )


# ----------------------------------------------------------------------------------------
# export_applications


def test_export_writes_the_users_document_to_stdout(owner, stranger):
    full_application(owner, company="Mine")
    full_application(stranger, company="Theirs")

    text = export("--user", "owner", "--as-of", "2026-12-10")

    document = json.loads(text)
    expected = interchange.export_document(user=owner, as_of=datetime.date(2026, 12, 10))
    document.pop("exported_at"), expected.pop("exported_at")
    assert document == expected
    assert [app["company"] for app in document["applications"]] == ["Mine"]
    assert document["applications"][0]["status"]["as_of"] == "2026-12-10"
    assert text == interchange.dumps(json.loads(text))  # the stable layout


def test_export_as_of_defaults_to_the_users_today(owner):
    full_application(owner)
    today = selectors.local_today(prefs=selectors.preferences_get(user=owner))
    document = json.loads(export("--user", "owner"))
    assert document["applications"][0]["status"]["as_of"] == today.isoformat()


def test_export_refuses_an_unknown_user():
    with pytest.raises(CommandError, match='--user: there is no user named "nobody"'):
        export("--user", "nobody")


@pytest.mark.parametrize("as_of", ["2026-1-5", "12/10/2026", "2026-12-10T00:00", "tomorrow"])
def test_export_refuses_a_date_not_written_yyyy_mm_dd(owner, as_of):
    with pytest.raises(CommandError, match=f'--as-of: "{as_of}" is not a date'):
        export("--user", "owner", "--as-of", as_of)


def test_export_failures_exit_non_zero_with_every_error_on_stderr(capsys):
    status, out, err = run_from_command_line(
        capsys, "export_applications", "--user", "nobody", "--as-of", "soon"
    )
    assert status != 0
    assert out == ""
    assert '--user: there is no user named "nobody"' in err
    assert '--as-of: "soon" is not a date' in err


def test_export_from_the_command_line_exits_zero(capsys, owner):
    full_application(owner, company="Mine")
    status, out, err = run_from_command_line(capsys, "export_applications", "--user", "owner")
    assert (status, err) == (0, "")
    assert json.loads(out)["applications"][0]["company"] == "Mine"


# ----------------------------------------------------------------------------------------
# import_applications


def test_import_reads_a_file(owner, tmp_path):
    path = tmp_path / "hearback.json"
    path.write_text(json.dumps(spec_example()), encoding="utf-8")

    out = import_(str(path), "--user", "owner")

    assert out == (
        'Imported 1 applications (1 contacts, 1 interviews, 1 follow-ups) for "owner".\n'
    )
    app = Application.objects.get(owner=owner)
    assert app.company == "Acme"
    assert list(app.interviews.get().contacts.values_list("name", flat=True)) == ["Dana Reyes"]


def test_import_dash_reads_standard_input(owner):
    stdin = io.BytesIO(json.dumps(spec_example()).encode())
    import_("-", "--user", "owner", stdin=stdin)
    assert Application.objects.filter(owner=owner).count() == 1


def test_import_from_the_shells_standard_input(owner, capsys, monkeypatch):
    raw = json.dumps(spec_example(), ensure_ascii=False).replace("Acme", "Acmé").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))

    status, out, err = run_from_command_line(capsys, "import_applications", "-", "--user", "owner")

    assert (status, err) == (0, "")
    assert "Imported 1 applications" in out
    assert Application.objects.get(owner=owner).company == "Acmé"


def test_an_exported_file_imports_into_another_account(owner, stranger, tmp_path):
    for n in range(3):
        full_application(owner, company=f"Company {n}")
    path = tmp_path / "export.json"
    path.write_text(export("--user", "owner", "--as-of", "2026-12-10"), encoding="utf-8")

    import_(str(path), "--user", "stranger")

    theirs = json.loads(export("--user", "stranger", "--as-of", "2026-12-10"))
    mine = json.loads(export("--user", "owner", "--as-of", "2026-12-10"))
    theirs.pop("exported_at"), mine.pop("exported_at")
    assert theirs == mine
    assert Application.objects.filter(owner=stranger).count() == 3


def test_import_refuses_an_unknown_user_and_saves_nothing(tmp_path):
    path = tmp_path / "hearback.json"
    path.write_text(json.dumps(spec_example()), encoding="utf-8")
    with pytest.raises(CommandError, match='--user: there is no user named "nobody"'):
        import_(str(path), "--user", "nobody")
    assert counts() == (0, 0, 0, 0)


def test_import_lists_every_error_and_saves_nothing(owner, tmp_path):
    full_application(owner)
    before = counts()
    document = spec_example()
    document["applications"].append({"company": "", "role": "R", "applied_on": "2026-1-5"})
    document["applications"][0]["interviews"][0]["date"] = "2026-11-31"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        import_(str(path), "--user", "owner")

    lines = str(raised.value).splitlines()
    assert lines[0] == "Nothing was imported. Fix these problems and run the command again:"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "applications[0].interviews[0].date",
        "applications[1].company",
        "applications[1].applied_on",
    ]
    assert counts() == before


def test_import_reports_json_syntax_errors_with_line_and_column(owner, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "format": "hearback/v1",\n  "applications": [}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 3, column 20: this is not valid JSON"):
        import_(str(path), "--user", "owner")
    assert counts() == (0, 0, 0, 0)


def test_import_reports_a_missing_file(owner, tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(CommandError, match=f"{missing}: cannot read the file"):
        import_(str(missing), "--user", "owner")


def test_import_refuses_a_file_over_the_limit(owner, tmp_path, settings):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(spec_example()), encoding="utf-8")
    settings.HEARBACK_MAX_IMPORT_BYTES = 100
    with pytest.raises(CommandError, match="The file is larger than 100"):
        import_(str(path), "--user", "owner")
    assert counts() == (0, 0, 0, 0)


def test_import_reports_the_user_and_the_file_problems_together(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "hearback/v0"}', encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        import_(str(path), "--user", "nobody")
    assert '--user: there is no user named "nobody"' in str(raised.value)
    assert 'format: must be "hearback/v1"' in str(raised.value)


def test_import_failures_exit_non_zero_with_the_errors_on_stderr(owner, capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "hearback/v1", "applications": [{"company": "Acme"}]}')

    status, out, err = run_from_command_line(
        capsys, "import_applications", str(path), "--user", "owner"
    )

    assert status != 0
    assert out == ""
    assert "applications[0].role: is required" in err
    assert "applications[0].applied_on: is required" in err
    assert counts() == (0, 0, 0, 0)
