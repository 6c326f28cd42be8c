"""How fast a hearback/v1 file imports and exports.

Run it as a script (`make bench`, or `python bench/bench_import.py [--applications N]`).
It migrates a throwaway SQLite file database (the default engine, with the project's
own settings: WAL, synchronous=NORMAL) and imports a document of N applications
(default 2,000), each with 2 contacts, 2 interviews and 3 follow-ups: the size of a
busy job search, and 22 rows per application. The import is timed from the file's bytes
to the committed transaction (parse, validate, write) into a fresh account each round;
the export from the query to the text. The figures are the best of several rounds, to
keep a background process from lowering them.

Goal: >= 2,000 applications/s imported. A row-by-row import manages about 600/s.
"""

import argparse
import contextlib
import itertools
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database_path: Path):
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # The bench signs nothing and serves nothing: a throwaway key is enough.
    # A throwaway key strong enough for the production checks; plain HTTP on loopback.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("HEARBACK_PLAIN_HTTP", "on")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def document(count: int) -> dict:
    """`count` applications, each with 2 contacts, 2 interviews and 3 follow-ups."""
    applications = []
    start = date(2026, 1, 1)
    for n in range(count):
        applied = start + timedelta(days=n % 300)

        def day(offset, applied=applied):
            return (applied + timedelta(days=offset)).isoformat()

        applications.append(
            {
                "company": f"Company {n:05d}",
                "role": "Backend Engineer",
                "applied_on": applied.isoformat(),
                "posting_url": f"https://jobs.example.com/postings/{n}",
                "notes": "Referred by a friend; ask about the on-call rota.",
                "outcome": None,
                "snoozed_until": None,
                "contacts": [
                    {
                        "ref": "dana",
                        "name": "Dana Reyes",
                        "email": f"dana{n}@example.com",
                        "phone": "+1 555 0100",
                        "title": "Hiring manager",
                    },
                    {
                        "ref": "lee",
                        "name": "Lee Park",
                        "email": f"lee{n}@example.com",
                        "phone": "",
                        "title": "Staff engineer",
                    },
                ],
                "interviews": [
                    {
                        "date": day(7),
                        "format": "phone",
                        "contacts": ["dana"],
                        "next_steps": "A technical round next",
                        "decision_from": None,
                        "decision_by": None,
                    },
                    {
                        "date": day(14),
                        "format": "video",
                        "contacts": ["dana", "lee"],
                        "next_steps": "Team decides after the last candidates",
                        "decision_from": day(18),
                        "decision_by": day(21),
                    },
                ],
                "follow_ups": [
                    {
                        "date": day(14),
                        "kind": "thank_you",
                        "channel": "email",
                        "contact": "dana",
                        "note": "",
                        "new_decision_by": None,
                        "outcome": None,
                    },
                    {
                        "date": day(24),
                        "kind": "check_in",
                        "channel": "email",
                        "contact": "lee",
                        "note": "Short and friendly",
                        "new_decision_by": None,
                        "outcome": None,
                    },
                    {
                        "date": day(26),
                        "kind": "response",
                        "channel": "phone",
                        "contact": None,
                        "note": "",
                        "new_decision_by": day(33),
                        "outcome": "next_round",
                    },
                ],
            }
        )
    return {"format": "hearback/v1", "applications": applications}


def import_row_by_row(user, valid):
    """The same rows written one `create()` at a time, in one transaction: the yardstick
    the bulk import is measured against on the same machine."""
    from django.db import transaction

    from applications.models import Application, Contact, FollowUp, Interview

    with transaction.atomic():
        for app in valid.applications:
            application = Application.objects.create(
                owner=user,
                company=app.company,
                role=app.role,
                applied_on=app.applied_on,
                posting_url=app.posting_url,
                notes=app.notes,
                outcome=app.outcome,
                snoozed_until=app.snoozed_until,
            )
            contacts = [
                Contact.objects.create(
                    application=application,
                    name=c.name,
                    title=c.title,
                    email=c.email,
                    phone=c.phone,
                )
                for c in app.contacts
            ]
            for interview in app.interviews:
                saved = Interview.objects.create(
                    application=application,
                    date=interview.date,
                    format=interview.format,
                    next_steps=interview.next_steps,
                    decision_from=interview.decision_from,
                    decision_by=interview.decision_by,
                )
                saved.contacts.set([contacts[position] for position in interview.contacts])
            for f in app.follow_ups:
                FollowUp.objects.create(
                    application=application,
                    date=f.date,
                    kind=f.kind,
                    channel=f.channel,
                    contact=None if f.contact is None else contacts[f.contact],
                    note=f.note,
                    new_decision_by=f.new_decision_by,
                    outcome=f.outcome,
                )


def best_of(rounds: int, run) -> float:
    """The fastest of `rounds` runs of `run(round_number)`, in seconds."""
    best = float("inf")
    for number in range(rounds):
        started = time.perf_counter()
        run(number)
        best = min(best, time.perf_counter() - started)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    count = options.applications

    with tempfile.TemporaryDirectory(prefix="hearback-bench-") as directory:
        setup_django(Path(directory) / "bench.sqlite3")
        from django.contrib.auth import get_user_model
        from django.db import connection

        from applications import interchange, services

        raw = json.dumps(document(count), ensure_ascii=False).encode()
        users = [
            get_user_model().objects.create(username=f"bench{n}") for n in range(options.rounds)
        ]

        def import_once(number):
            valid, errors = interchange.load_document(raw)
            if errors:
                sys.exit("\n".join(errors))
            services.applications_import(user=users[number], document=valid)

        def validate_once(number):
            interchange.load_document(raw)

        seconds = best_of(options.rounds, import_once)
        validate_seconds = best_of(options.rounds, validate_once)
        engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
            connection.vendor, connection.vendor
        )
        print(
            f"import: {count / seconds:,.0f} applications/s ({engine}); "
            f"{count:,} applications with 22 rows each in {seconds * 1000:,.0f} ms, of which "
            f"{validate_seconds * 1000:,.0f} ms parse and validate ({len(raw) / 1e6:.1f} MB)"
        )

        # The yardstick, on a tenth of the document to keep the bench short.
        sample = max(count // 10, 1)
        small_raw = json.dumps(document(sample)).encode()
        yardstick_users = [
            get_user_model().objects.create(username=f"row{n}") for n in range(options.rounds)
        ]

        def row_by_row_once(number):
            valid, _errors = interchange.load_document(small_raw)
            import_row_by_row(yardstick_users[number], valid)

        seconds = best_of(options.rounds, row_by_row_once)
        print(
            f"import row by row, for scale: {sample / seconds:,.0f} applications/s ({engine}); "
            f"{sample:,} applications in {seconds * 1000:,.0f} ms"
        )

        exported = {}

        def export_once(number):
            exported["text"] = interchange.dumps(interchange.export_document(user=users[0]))

        seconds = best_of(options.rounds, export_once)
        exported_count = len(json.loads(exported["text"])["applications"])
        assert exported_count == count, exported_count
        print(
            f"export: {count / seconds:,.0f} applications/s ({engine}); "
            f"{count:,} applications with their status in {seconds * 1000:,.0f} ms"
        )
        worst_uploads(users[0])
        connection.close()


def worst_uploads(user):
    """The slowest uploads a user can send: the largest file accepted, saved, and files of
    the largest size accepted that are wrong on every line. A request has 30 s (gunicorn's
    timeout); the limits keep each far inside it."""
    from django.conf import settings

    from applications import interchange, services, spreadsheet

    limit = interchange.MAX_UPLOAD_APPLICATIONS
    limits = {"max_applications": limit, "max_contents": interchange.MAX_UPLOAD_CONTENTS}
    raw = json.dumps(document(limit), ensure_ascii=False).encode()
    other = user_with_applications("someone-else", 20)
    with others_saving(other) as saves, batches_timed() as batches:
        started = time.perf_counter()
        valid, errors = interchange.load_document(raw, **limits)
        assert not errors, errors[:3]
        services.applications_import(user=user, document=valid)
        seconds = time.perf_counter() - started
    print(
        f"largest JSON upload: {limit:,} applications ({len(raw) / 1e6:.1f} MB) read and "
        f"saved in {seconds:.1f} s, in {len(batches)} transactions of at most "
        f"{max(batches, default=0) * 1000:,.0f} ms; another user's {len(saves)} saves "
        f"meanwhile waited {max(saves, default=0) * 1000:,.0f} ms at most"
    )

    lines = ["company,role,applied_on,interview date,decision_by,last check-in,notes"]
    lines += [
        f"Company {n},Engineer,2026-11-02,2026-11-20,2026-11-27,,Met Dana" for n in range(limit)
    ]
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    reading = spreadsheet.csv_read(text, max_applications=limit)  # the preview
    reading = spreadsheet.csv_read(text, max_applications=limit)  # the confirm button
    assert not reading.errors, reading.errors[:3]
    services.applications_import(user=user, document=reading.document)
    seconds = time.perf_counter() - started
    print(
        f"largest CSV upload: {limit:,} rows previewed, read again and saved in "
        f"{seconds:.1f} s ({limit / seconds:,.0f} applications/s)"
    )
    tracker_uploads(limit)

    size = settings.HEARBACK_MAX_IMPORT_BYTES
    bad_row = "Acme,Engineer,2026-13-45,notadate,2026-02-30,,call them\n"
    bad_csv = (lines[0] + "\n" + bad_row * (size // len(bad_row) - 2)).encode()
    started = time.perf_counter()
    reading = spreadsheet.csv_read(bad_csv, max_applications=limit)
    print(
        f"a {len(bad_csv) / 2**20:.0f} MiB CSV wrong on every row: refused in "
        f"{(time.perf_counter() - started) * 1000:,.0f} ms ({len(reading.errors)} lines of errors)"
    )
    bad_item = json.dumps({"company": "", "role": 7, "applied_on": "someday"}) + ","
    items = bad_item * ((size - 100) // len(bad_item))
    bad_json = ('{"format": "hearback/v1", "applications": [' + items[:-1] + "]}").encode()
    started = time.perf_counter()
    _valid, errors = interchange.load_document(
        bad_json
    )  # no limit on the count: the command's case
    print(
        f"a {len(bad_json) / 2**20:.0f} MiB JSON file wrong in every application: refused in "
        f"{(time.perf_counter() - started) * 1000:,.0f} ms ({len(errors)} lines of errors)"
    )
    hostile_uploads(limits)


def tracker_uploads(limit):
    """10,000 rows as trackers and spreadsheet programs write them, through the web flow's
    steps: read for the preview, read again with the mapping step's choices for the
    import, saved. Each into a fresh account (nothing is "already there")."""
    import io

    import openpyxl
    from django.contrib.auth import get_user_model

    from applications import services, spreadsheet

    linkedin = (
        "Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,Job Url,"
        "Resume Name,Question And Answers\n"
    ) + "".join(
        f'"{n % 12 + 1}/{n % 28 + 1}/26, 9:42 AM",me@example.com,,Company {n},Engineer,'
        f"http://www.linkedin.com/jobs/view/{n},cv.pdf,\n"
        for n in range(limit)
    )
    huntr = (
        "id,createdAt,title,salary,location,url,rootDomain,htmlDescription,deadline,color,"
        "lastMovedAt,boardId,boardName,listId,listName,companyId,companyName,companyDomain,"
        "creatorUserId,creatorUserFirstName,creatorUserLastName,creatorUserEmail\n"
    ) + "".join(
        f"{n:024x},2026-09-{n % 28 + 1:02} 19:17:05,Engineer,-,-,-,-,-,-,-,-,b,Search,l,"
        f"{('applied', 'rejected', 'Wishlist', 'interview')[n % 4]},c{n},Company {n},-,u,A,B,"
        "a@example.com\n"
        for n in range(limit)
    )
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Company", "Role", "Applied", "Status", "Notes"])
    for n in range(limit):
        sheet.append([f"Company {n}", "Engineer", f"2026-09-{n % 28 + 1:02}", "Applied", "hi"])
    out = io.BytesIO()
    workbook.save(out)
    for name, content in (
        ("LinkedIn CSV", linkedin.encode()),
        ("Huntr CSV", huntr.encode()),
        (".xlsx workbook", out.getvalue()),
    ):
        user = get_user_model().objects.create(username=f"tracker-{len(name)}-{name[:3]}")
        started = time.perf_counter()
        preview = spreadsheet.csv_read(content, max_applications=limit)
        confirm = spreadsheet.csv_read(
            preview.text, max_applications=limit, choices=spreadsheet.Choices()
        )
        assert not confirm.errors, confirm.errors[:3]
        result = services.applications_import(user=user, document=confirm.document)
        seconds = time.perf_counter() - started
        print(
            f"{name}: {limit:,} rows ({len(content) / 1e6:.1f} MB) previewed, read again and "
            f"{result.applications:,} saved in {seconds:.2f} s: {limit / seconds:,.0f} rows/s"
        )


def hostile_uploads(limits):
    """Small files that hold a lot: each is refused by what it holds, unsaved (before
    those limits, the first ran 30 s and 855 MB, the second was saved in 10 s, the third
    ran into the 30 s request timeout)."""
    from applications import interchange, spreadsheet

    people = ",".join(['{"name":"x"}'] * 1_500_000)
    many_people = (
        '{"format":"hearback/v1","applications":[{"company":"A","role":"B",'
        '"applied_on":"2026-01-01","contacts":[' + people + "]}]}"
    ).encode()
    refs = [f"p{n}" for n in range(700)]
    app = {
        "company": "A",
        "role": "B",
        "applied_on": "2026-01-01",
        "contacts": [{"ref": ref, "name": "x"} for ref in refs],
        "interviews": [{"date": "2026-01-02", "contacts": refs}] * 700,
    }
    many_met = json.dumps(
        {"format": "hearback/v1", "applications": [app]}, separators=(",", ":")
    ).encode()
    for name, raw in (
        ("1.5 million people in one application", many_people),
        ("700 people met at each of 700 interviews", many_met),
    ):
        started = time.perf_counter()
        valid, errors = interchange.load_document(raw, **limits)
        assert valid is None and errors
        print(
            f"{name} ({len(raw) / 1e6:.1f} MB): refused in "
            f"{(time.perf_counter() - started) * 1000:,.0f} ms"
        )
    rows = "".join(f"Company {n},Dev,2026-11-02\n" for n in range(limits["max_applications"]))
    wide = "company,role,applied" + "," * 1_000_000 + "\n" + rows
    started = time.perf_counter()
    reading = spreadsheet.csv_read(wide, max_applications=limits["max_applications"])
    assert reading.errors
    print(
        f"a CSV whose first row has a million empty columns, over 10,000 rows "
        f"({len(wide) / 1e6:.1f} MB): refused in {(time.perf_counter() - started) * 1000:,.0f} ms"
    )
    workbook_with_most_strings(limits)


def workbook_with_most_strings(limits):
    """The slowest workbook: a tiny upload whose table of shared strings unpacks to just
    under spreadsheet.files.MAX_WORKBOOK_STRINGS (openpyxl reads that table whole when it
    opens the workbook)."""
    import io
    import zipfile

    import openpyxl

    from applications import spreadsheet

    workbook = openpyxl.Workbook()
    workbook.active.append(["company", "role", "applied"])
    plain = io.BytesIO()
    workbook.save(plain)
    item = b"<si><t>padding padding padding padding</t></si>"
    count = (spreadsheet.files.MAX_WORKBOOK_STRINGS - 1024) // len(item)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed,
    ):
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            elif part.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            packed.writestr(part.filename, data)
        packed.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + item * count
            + b"</sst>",
        )
    raw = out.getvalue()
    started = time.perf_counter()
    spreadsheet.csv_read(raw, max_applications=limits["max_applications"])
    print(
        f"a {len(raw) / 1e3:,.0f} kB workbook whose strings unpack to "
        f"{len(item) * count / 2**20:.0f} MiB: read in {time.perf_counter() - started:.1f} s"
    )


def user_with_applications(name, count):
    from django.contrib.auth import get_user_model

    from applications import interchange, services

    other = get_user_model().objects.create(username=name)
    valid, _errors = interchange.load_document(json.dumps(document(count)))
    services.applications_import(user=other, document=valid)
    return other


@contextlib.contextmanager
def others_saving(other):
    """Another user snoozing their applications, in a thread, while the block runs (as a
    second worker process would, on the same database file): yields the list of how long
    each save took, in seconds, filled in as they go."""
    from django.db import connections

    from applications import services
    from applications.models import Application

    ids = list(Application.objects.filter(owner=other).values_list("pk", flat=True))
    saves, done = [], threading.Event()

    def snooze():
        try:
            for n in itertools.count():
                if done.is_set():
                    break
                application = Application.objects.get(pk=ids[n % len(ids)])
                started = time.perf_counter()
                until = date(2027, 1, 1) + timedelta(days=n % 300)
                services.application_snooze(application=application, until=until)
                saves.append(time.perf_counter() - started)
                time.sleep(0.02)
        finally:
            connections.close_all()

    thread = threading.Thread(target=snooze)
    thread.start()
    try:
        yield saves
    finally:
        done.set()
        thread.join()


@contextlib.contextmanager
def batches_timed():
    """Yields the list of how long each of an import's transactions wrote, in seconds."""
    from applications import services

    write, seconds = services._import_write, []

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return write(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - started)

    services._import_write = timed
    try:
        yield seconds
    finally:
        services._import_write = write


if __name__ == "__main__":
    main()
