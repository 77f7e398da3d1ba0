"""The demo exchange carries brokers and deals: the demo accounts see them where a real user would."""
import pytest

from marketplace.demo import data

EMAILS = {a["key"]: a["email"] for a in data.DEMO_ACCOUNTS}


@pytest.fixture
def demo(runner, db):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def _as(app, key):
    client = app.test_client()
    assert client.post("/login", data={"email": EMAILS[key], "password": data.DEMO_PASSWORD}).status_code == 302
    client.get("/lang/en")
    return client


def test_demo_deals_show_to_their_people_and_in_the_departments_figures(app, demo):
    from marketplace.deals.models import Deal

    deals = Deal.query.order_by(Deal.id).all()
    assert [d.stage for d in deals] == ["contract_signed", "negotiating"]
    assert all(d.ref.startswith("GD-") and d.events[0].action == "opened" for d in deals)
    enterprise = _as(app, "enterprise").get("/deals/").get_data(as_text=True)
    assert deals[0].ref in enterprise and 'id="awaiting"' in enterprise  # and a proposal to answer
    assert deals[1].ref in _as(app, "provider").get("/deals/").get_data(as_text=True)
    broker_page = _as(app, "broker").get(f"/deals/{deals[0].id}")
    assert broker_page.status_code == 200 and "1.250.000.000 ₫" in broker_page.get_data(as_text=True)
    overview = _as(app, "department").get("/deals/overview").get_data(as_text=True)
    assert 'id="signed-count" data-value="1"' in overview and 'data-value="1250000000"' in overview


def test_demo_brokers_have_profiles_and_the_verified_one_is_in_the_directory(app, demo, client):
    page = client.get("/brokers").get_data(as_text=True)
    assert "Trung tâm Xúc tiến và Chuyển giao Công nghệ Nam Hà" in page
    assert "Sông Đáy" not in page  # not verified yet
    assert 'data-service="promotion"' in page
