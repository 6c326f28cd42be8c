"""Imports never lock others out, and stay all or nothing (services.applications_import).

On SQLite an import is written in batches of a few thousand rows, each its own short
transaction, so another user's save waits for one batch, not for the whole import; if a
batch fails, what the batches before it wrote is deleted. On PostgreSQL, which locks
only the rows written, it is one transaction. These tests force small batches on either
database to check the batching itself; tests/test_import_concurrency.py checks the lock.
"""

import copy

import pytest
from django.db import IntegrityError, connection, transaction

from applications import interchange, services
from applications.models import Application, Contact, FollowUp, Interview
from tests.factories import UserFactory, full_application
from tests.test_interchange import spec_example

pytestmark = pytest.mark.django_db(transaction=True)


def story_document():
    """Three applications of uneven sizes (the second with nothing under it), with
    people met, follow-ups naming people, and refs across the whole application: a
    batch boundary may fall anywhere inside one."""
    first = spec_example()["applications"][0]
    big = copy.deepcopy(first)
    big["company"] = "Globex"
    big["contacts"] = [
        {"ref": f"p{n}", "name": f"Person {n}", "email": f"p{n}@example.com"} for n in range(5)
    ]
    big["interviews"] = [
        {"date": f"2026-11-{10 + n}", "format": "video", "contacts": [f"p{n}", f"p{(n + 2) % 5}"]}
        for n in range(4)
    ]
    big["follow_ups"] = [
        {"date": f"2026-11-{20 + n}", "kind": "thank_you", "contact": f"p{n}"} for n in range(5)
    ]
    empty = {"company": "Initech", "role": "Analyst", "applied_on": "2026-10-01"}
    return {"format": "hearback/v1", "applications": [first, empty, big]}


def rows_of(document) -> int:
    """The rows an import of `document` writes."""
    return sum(
        1
        + len(app.get("contacts", []))
        + len(app.get("interviews", []))
        + sum(len(interview.get("contacts", [])) for interview in app.get("interviews", []))
        + len(app.get("follow_ups", []))
        for app in document["applications"]
    )


def exported(user):
    document = interchange.export_document(user=user)
    del document["exported_at"]
    return document


@pytest.fixture
def batches(monkeypatch):
    """Batches of `size` rows on whichever database runs the tests; the row count of each
    transaction the import writes (and whether it was one of its own) is noted."""
    written = []
    write = services._import_write

    def noted(runs, so_far):
        rows = sum(len(items) for kind in runs for _index, _position, items, _made in kind)
        written.append((rows, connection.in_atomic_block))
        return write(runs, so_far)

    monkeypatch.setattr(services, "_import_write", noted)

    def use(size):
        monkeypatch.setattr(services, "IMPORT_BATCH_ROWS", {connection.vendor: size})
        return written

    return use


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_whatever_the_batch_size_the_import_is_the_same(batches, size):
    document = story_document()
    one_go, in_batches = UserFactory(username="one_go"), UserFactory(username="in_batches")
    with transaction.atomic():  # inside a caller's transaction: one batch, part of it
        services.applications_import(user=one_go, document=copy.deepcopy(document))
    written = batches(size)
    written.clear()

    result = services.applications_import(user=in_batches, document=copy.deepcopy(document))

    total = rows_of(document)
    assert [rows for rows, _atomic in written] == [size] * (total // size) + (
        [total % size] if total % size else []
    )
    assert all(atomic for _rows, atomic in written)
    assert result == services.ImportResult(applications=3, contacts=6, interviews=5, follow_ups=6)
    assert exported(in_batches) == exported(one_go)


def test_on_postgresql_an_import_is_one_transaction_and_on_sqlite_batches_of_5000_rows():
    assert services.IMPORT_BATCH_ROWS == {"sqlite": 5_000}  # other databases: no batches


@pytest.mark.parametrize("error", [IntegrityError("the disk is full"), KeyboardInterrupt()])
def test_a_failing_batch_removes_what_the_batches_before_it_wrote(batches, monkeypatch, error):
    owner, other = UserFactory(username="owner"), UserFactory(username="other")
    full_application(other, company="Not touched")
    full_application(owner, company="Already there")
    before = exported(owner)
    batches(4)
    calls = []
    bulk_create = FollowUp.objects.bulk_create

    def fails_on_the_third(objs, *args, **kwargs):
        objs = list(objs)
        if objs:  # a batch with follow-ups
            calls.append(len(objs))
            if len(calls) == 3:
                raise error
        return bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(FollowUp.objects, "bulk_create", fails_on_the_third)

    with pytest.raises(type(error)):
        services.applications_import(user=owner, document=story_document())

    assert len(calls) == 3  # two batches committed before the failure
    assert exported(owner) == before
    assert Application.objects.filter(owner=other).count() == 1
    assert Contact.objects.filter(application__owner=other).count() == 2
    assert Interview.objects.filter(application__owner=other).count() == 2
    assert FollowUp.objects.filter(application__owner=other).count() == 3


def test_an_undo_deletes_only_what_the_import_committed(batches, monkeypatch):
    # The failing batch's own rows were rolled back with its transaction: their ids may
    # be given again (SQLite reuses them), so only committed ones are undone.
    owner = UserFactory(username="owner")
    batches(5)
    undone = []
    undo = services._import_undo

    def noted(user, application_ids):
        undone.append(list(application_ids))
        return undo(user, application_ids)

    monkeypatch.setattr(services, "_import_undo", noted)
    write, calls = services._import_write, []

    def fails_on_the_third(runs, so_far):
        calls.append(1)
        if len(calls) == 3:
            write(runs, so_far)  # written in the batch's transaction, then rolled back
            raise IntegrityError("the disk is full")
        return write(runs, so_far)

    monkeypatch.setattr(services, "_import_write", fails_on_the_third)

    with pytest.raises(IntegrityError):
        services.applications_import(user=owner, document=story_document())

    (ids,) = undone
    assert len(ids) == 3  # Acme in the first batch, Initech and Globex in the second
    assert not Application.objects.filter(owner=owner).exists()


def test_an_invalid_document_saves_nothing_whatever_the_batches(batches):
    owner = UserFactory(username="owner")
    batches(1)
    document = story_document()
    document["applications"][2]["follow_ups"][4]["date"] = "someday"

    with pytest.raises(interchange.InvalidDocument):
        services.applications_import(user=owner, document=document)

    assert not Application.objects.filter(owner=owner).exists()
