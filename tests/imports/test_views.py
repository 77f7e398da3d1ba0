"""The department's import page: access, upload, report, dry run, template, CSRF, size."""
import io

import pytest

from marketplace.listings.models import Listing

from .conftest import csv_bytes, json_bytes, need_row, offer_row


@pytest.fixture
def client(app):
    """A test client reading the pages in English, so tests can quote the source strings."""
    client = app.test_client()
    client.get("/lang/en")
    return client


def count(db):
    return db.session.scalar(db.select(db.func.count(Listing.id)))


def upload(client, data, name="tin.csv", dry_run=False, **extra):
    form = {"file": (io.BytesIO(data), name), **extra}
    if dry_run:
        form["dry_run"] = "y"
    return client.post("/import", data=form, content_type="multipart/form-data")


@pytest.mark.parametrize("path", ["/import", "/import/template.csv"])
def test_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["member", "broker"])
def test_members_and_brokers_are_forbidden(client, login, make_user, db, role):
    login(make_user(role=role))

    assert client.get("/import").status_code == 403
    assert upload(client, csv_bytes([offer_row()])).status_code == 403
    assert client.get("/import/template.csv").status_code == 403
    assert count(db) == 0


def test_department_imports_a_file_and_sees_the_counts(client, login, make_user, db):
    login(make_user(role="department"))
    page = client.get("/import")
    assert page.status_code == 200 and b'type="file"' in page.data

    response = upload(client, csv_bytes([offer_row(), need_row()]))

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 listings created, 0 updated, 2 organisations created." in text
    assert 'href="/browse"' in text
    assert count(db) == 2


def test_bad_rows_are_shown_in_a_table_and_nothing_is_saved(client, login, make_user, db):
    login(make_user(role="admin"))

    response = upload(client, csv_bytes([offer_row(), need_row(sector_code="999")]))

    text = response.get_data(as_text=True)
    assert "Nothing was imported from tin.csv" in text
    assert '<td class="text-nowrap">3</td><td>sector_code: Unknown sector code 999.</td>' in text
    assert count(db) == 0


def test_a_file_level_problem_is_shown(client, login, make_user, db):
    login(make_user(role="department"))

    text = upload(client, b"garbage", name="tin.xlsx").get_data(as_text=True)

    assert "whole file" in text and "not an Excel workbook" in text


def test_check_only_writes_nothing(client, login, make_user, db):
    login(make_user(role="department"))

    text = upload(client, csv_bytes([offer_row(), need_row()]), dry_run=True).get_data(as_text=True)

    assert "No problems found" in text and "would create 2 listings" in text
    assert count(db) == 0


def test_posting_without_a_file_asks_for_one(client, login, make_user):
    login(make_user(role="department"))

    response = client.post("/import", data={}, content_type="multipart/form-data")

    assert response.status_code == 200 and "Choose a file to import." in response.get_data(as_text=True)


def test_template_downloads_as_csv_with_every_column(client, login, make_user):
    login(make_user(role="department"))

    response = client.get("/import/template.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header = response.data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("kind,ref,title,summary,description,sector_code")


@pytest.mark.parametrize("extra", [{}, {"csrf_token": "forged"}])
def test_csrf_token_is_required(app, client, login, make_user, db, extra):
    login(make_user(role="department"))
    app.config["WTF_CSRF_ENABLED"] = True

    response = upload(client, csv_bytes([offer_row()]), **extra)

    assert response.status_code == 400
    assert count(db) == 0


def test_csrf_token_from_the_page_is_accepted(app, client, login, make_user, db):
    login(make_user(role="department"))
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/import").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]

    response = upload(client, csv_bytes([offer_row()]), csrf_token=token)

    assert response.status_code == 200 and count(db) == 1


def test_a_file_over_the_limit_is_refused_with_a_message(app, client, login, make_user, db):
    login(make_user(role="department"))
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024

    response = upload(client, b"kind,title,owner_org\n" + b"offer,x,y\n" * 250_000)

    assert response.status_code == 200
    assert "larger than 1 MB" in response.get_data(as_text=True)
    assert count(db) == 0


@pytest.mark.parametrize("data, shown", [
    (json_bytes([offer_row(trl="@@")]).replace(b'"@@"', b"Infinity"),
     "<td>trl: Infinity, NaN and numbers too large to store are not accepted.</td>"),
    (b"[" * 100_000 + b"]" * 100_000, "The JSON file is nested too deeply to be read."),
])
def test_hostile_json_gets_a_report_not_an_error_page(client, login, make_user, db, data, shown):
    login(make_user(role="department"))

    response = upload(client, data, name="tin.json")

    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)
    assert count(db) == 0
