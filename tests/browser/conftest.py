"""Browser fixtures: the app served on a free local port, and Debian's Chromium driven by Playwright."""
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.config import TESTING
from marketplace.extensions import db

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def live_app(tmp_path):
    """An app with a file SQLite database (shared by the server thread) and CSRF on, as in production."""
    instance = tmp_path / "instance"
    app = create_app({
        **TESTING,
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/browser.db",
        "WTF_CSRF_ENABLED": True,
        "SERVER_NAME": None,
    })
    with app.app_context():
        db.create_all()
        from marketplace.reference.services import ensure_reference_data

        ensure_reference_data()
    return app


@pytest.fixture
def live_server(live_app):
    """Serve live_app on 127.0.0.1 in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium, headless (Playwright's own browser download is not used)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium (.ci/run does this)")
    return {**browser_type_launch_args, "executable_path": executable, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def new_page(browser):
    """new_page() opens a page in a fresh browser context (its own cookies: one person)."""
    contexts = []

    def make():
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
