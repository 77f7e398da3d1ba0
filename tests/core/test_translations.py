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
