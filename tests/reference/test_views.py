"""The department replaces the reference tables from CSV files; nobody else may."""
import io

from marketplace.reference.models import Locality, Sector


def _upload(client, table, text):
    return client.post("/reference", data={"table": table, "file": (io.BytesIO(text.encode("utf-8")), "x.csv")},
                       content_type="multipart/form-data")


def test_department_adds_a_commune(client, login, make_user, db):
    login(make_user(role="department"))
    response = _upload(client, "localities", "code,name_vi,kind\nxa-nhan-hau,Xã Nhân Hậu,commune\n")
    assert response.status_code == 302
    assert db.session.get(Locality, "xa-nhan-hau").name_vi == "Xã Nhân Hậu"
    assert "Xã Nhân Hậu" in client.get("/reference").get_data(as_text=True)


def test_department_renames_a_sector(client, login, make_user, db):
    login(make_user(role="department"))
    assert _upload(client, "sectors", "code,parent,name_vi,name_en\n202,2,Kỹ thuật điện,Electrical\n").status_code == 302
    assert db.session.get(Sector, "202").name_vi == "Kỹ thuật điện"


def test_bad_file_is_refused_with_a_message_and_changes_nothing(client, login, make_user, db):
    login(make_user(role="department"))
    client.get("/lang/en")
    response = _upload(client, "sectors", "code,parent,name_vi,name_en\n999,77,Không cha,No parent\n")
    assert response.status_code == 200
    assert "unknown parent 77" in response.get_data(as_text=True)
    assert db.session.get(Sector, "999") is None
    response = _upload(client, "localities", "ma,ten\nx,y\n")
    assert "Missing columns" in response.get_data(as_text=True)
    response = client.post("/reference", data={"table": "localities", "file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "UTF-8" in response.get_data(as_text=True)


def test_only_staff_manage_reference_data(client, login, make_user):
    assert client.get("/reference").status_code == 302  # visitor: sign in first
    login(make_user(role="member"))
    assert client.get("/reference").status_code == 403
    assert _upload(client, "localities", "code,name_vi,kind\nx,Xã X,commune\n").status_code == 403


def test_a_code_twice_or_an_invisible_name_is_refused(client, login, make_user, db):
    login(make_user(role="department"))
    client.get("/lang/en")
    response = _upload(client, "localities", "code,name_vi,kind\nx1,Xã Một,commune\nx1,Xã Hai,commune\n")
    assert "appears twice" in response.get_data(as_text=True)
    response = _upload(client, "localities", "code,name_vi,kind\nx2,\u200b\u200b,commune\n")
    assert "code and name_vi are required" in response.get_data(as_text=True)
    assert db.session.get(Locality, "x1") is None and db.session.get(Locality, "x2") is None


def test_a_sector_under_a_sector_or_itself_is_refused(client, login, make_user, db):
    login(make_user(role="department"))
    client.get("/lang/en")
    response = _upload(client, "sectors", "code,parent,name_vi,name_en\n2021,202,Con của 202,Child\n777,777,Tự làm cha,Self\n")
    assert response.get_data(as_text=True).count("the parent must be a field") == 2
    assert db.session.get(Sector, "2021") is None
