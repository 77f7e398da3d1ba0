"""`flask listings import FILE [--actor EMAIL] [--dry-run]`."""
from marketplace.listings.models import Listing, ListingEvent

from .conftest import csv_bytes, json_bytes, need_row, offer_row


def count(db):
    return db.session.scalar(db.select(db.func.count(Listing.id)))


def test_import_prints_counts_and_exits_zero(runner, db, write_file, make_user):
    staff = make_user(role="department", email="so.khcn@hanam.gov.vn")
    path = write_file("tin.csv", csv_bytes([offer_row(), need_row()]))

    result = runner.invoke(args=["listings", "import", path, "--actor", "so.khcn@hanam.gov.vn"])

    assert result.exit_code == 0, result.output
    assert "2 listings were created, 0 updated" in result.output
    assert count(db) == 2
    assert db.session.scalar(db.select(ListingEvent.actor_id).limit(1)) == staff.id

    again = runner.invoke(args=["listings", "import", path])
    assert again.exit_code == 0 and "0 listings were created, 2 updated" in again.output
    assert count(db) == 2


def test_bad_rows_are_listed_and_the_exit_code_is_not_zero(runner, db, write_file):
    path = write_file("tin.csv", csv_bytes([offer_row(), need_row(min_trl="12")]))

    result = runner.invoke(args=["listings", "import", path])

    assert result.exit_code == 1
    assert 'row 3: min_trl "12":' in result.output
    assert "1 of 2 rows have problems" in result.output
    assert count(db) == 0


def test_a_bad_file_is_reported_without_a_traceback(runner, db, write_file):
    result = runner.invoke(args=["listings", "import", write_file("tin.xlsx", b"garbage")])

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "xlsx" in result.output


def test_dry_run_saves_nothing(runner, db, write_file):
    result = runner.invoke(args=["listings", "import", write_file("tin.csv", csv_bytes([offer_row()])), "--dry-run"])

    assert result.exit_code == 0
    assert "1 listings would be created" in result.output and "nothing was saved" in result.output
    assert count(db) == 0


def test_unknown_actor_is_refused(runner, db, write_file):
    result = runner.invoke(args=["listings", "import", write_file("tin.csv", csv_bytes([offer_row()])),
                                 "--actor", "ai.do@example.vn"])

    assert result.exit_code != 0 and "ai.do@example.vn" in result.output
    assert count(db) == 0


def test_infinity_in_a_json_file_is_a_row_error_without_a_traceback(runner, db, write_file):
    data = json_bytes([offer_row(), need_row(budget_vnd_max="@@")]).replace(b'"@@"', b"1e400")

    result = runner.invoke(args=["listings", "import", write_file("tin.json", data)])

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "row 2: budget_vnd_max:" in result.output
    assert count(db) == 0
