"""Vietnamese is the default language: every string the code and templates show has a Vietnamese translation."""
import os
import subprocess
import sys

from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PO = os.path.join(ROOT, "translations", "vi", "LC_MESSAGES", "messages.po")


def test_every_message_has_a_vietnamese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    pybabel = os.path.join(os.path.dirname(sys.executable), "pybabel")
    # Babel skips directories whose name starts with "_" unless told otherwise; templates/_macros holds strings.
    subprocess.run([pybabel, "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "--ignore-dirs", ".* __pycache__", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as fh:
        source = read_po(fh)
    with open(PO, "rb") as fh:
        catalogue = read_po(fh, locale="vi")
    missing = []
    for message in source:
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        if translated is None or not translated.string or (
                isinstance(translated.string, tuple) and not all(translated.string)) or translated.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not missing, f"{len(missing)} messages lack a Vietnamese translation, e.g. {missing[:10]}"


def test_pages_are_in_vietnamese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page  # "Sign in"
    client.get("/lang/en")
    assert "Sign in" in client.get("/").get_data(as_text=True)


def test_form_errors_show_next_to_the_field_in_vietnamese(client):
    """Our messages and WTForms' own ("Not a valid choice") both read in Vietnamese by default."""
    import re

    response = client.post("/register", data={
        "full_name": "Nguyễn Văn A", "email": "a@example.vn", "password": "mat-khau-dai", "password2": "khac-han",
        "org_name": "HTX Nhân Hậu", "org_kind": "khong-co", "tax_code": "12345",
    })
    page = response.get_data(as_text=True)
    errors = re.findall(r'class="invalid-feedback[^"]*">(.*?)</div>', page, re.S)
    assert len(errors) >= 3
    assert "Not a valid choice" not in page and "differ" not in page
    assert any("Mã số thuế" in e or "mã số thuế" in e for e in errors), errors
    assert all(re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", e, re.I)
               for e in errors), errors


def test_too_long_input_gets_a_length_message_not_an_error_page(client):
    """WTForms' Length message has a plural form; it must be filled in, in Vietnamese, not crash."""
    response = client.post("/login", data={"email": "a" * 300 + "@example.vn", "password": "x" * 10})
    assert response.status_code == 200
    assert "255" in response.get_data(as_text=True)
