"""Fixtures for the accounts tests: an English-reading client, apps with other settings, form-error lookup."""
import html
import re
from contextlib import contextmanager

import pytest

from marketplace import create_app
from marketplace.config import TESTING
from marketplace.extensions import db as _db


@pytest.fixture
def client(app):
    """A test client reading the pages in English, so tests can quote the source strings."""
    client = app.test_client()
    client.get("/lang/en")
    return client


@pytest.fixture
def other_app(tmp_path):
    """Context manager factory: `with other_app(SETTING=value) as app:` gives an app with its own tables."""

    @contextmanager
    def build(**settings):
        app = create_app({**TESTING, "INSTANCE_PATH": str(tmp_path / "other-instance"), **settings})
        with app.app_context():
            _db.create_all()
            try:
                yield app
            finally:
                _db.session.remove()
                _db.drop_all()

    return build


@pytest.fixture
def field_errors():
    """field_errors(page, field_id) -> the error messages shown right under that form field."""

    def find(page, field_id):
        match = re.search(r'<(?:input|select|textarea)[^>]*\bid="%s"' % re.escape(field_id), page)
        assert match, f"no field {field_id} on the page"
        rest = page[match.end():]
        # a field's block ends where the next field's wrapper or the form ends
        end = min(i for i in (rest.find('<div class="mb-3'), rest.find("</form>"), len(rest)) if i >= 0)
        return [html.unescape(m).strip() for m in re.findall(r'class="invalid-feedback[^"]*">(.*?)</div>', rest[:end])]

    return find
