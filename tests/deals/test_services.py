"""Deal rules: opening, stages one step at a time, the contract's facts, confirmation, cancellation."""
from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from marketplace.core.errors import ValidationError
from marketplace.deals import services
from marketplace.deals.models import Deal
from marketplace.notifications.models import Notification


@pytest.fixture(autouse=True)
def english(app):
    """The messages below are quoted from the English source strings."""
    with force_locale("en"):
        yield


def test_open_deal_makes_a_ref_an_opened_event_and_tells_both_parties(db, parties):
    deal = services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need,
                              offer=parties.offer, origin="interest", actor=parties.buyer)
    db.session.commit()
    assert deal.stage == "contacted"
    assert deal.ref == f"GD-{deal.created_at.year}-{deal.id:04d}"
    assert [e.action for e in deal.events] == ["opened"]
    assert deal.events[0].actor == parties.buyer
    told = {n.user_id for n in db.session.scalars(db.select(Notification).where(Notification.kind == "deal_opened"))}
    assert told == {parties.seller.id}  # the buyer opened it: only the other side needs telling


def test_open_deal_does_not_commit(db, parties):
    services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, offer=parties.offer,
                       origin="interest", actor=parties.buyer)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Deal.id))) == 0


@pytest.mark.parametrize("change", [
    {"seller_org": "buyer_org"},     # same organisation on both sides
    {"need": "offer"},               # an offer passed as the need
    {"offer": "need"},               # the buyer's need passed as the offer
    {"origin": "gift"},
    {"broker_org": "buyer_org"},     # an enterprise cannot be the broker
])
def test_open_deal_refuses_inconsistent_requests(db, parties, change):
    args = dict(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need, offer=parties.offer,
                origin="proposal", actor=parties.broker)
    for key, value in change.items():
        args[key] = getattr(parties, value) if value in ("buyer_org", "offer", "need") else value
    with pytest.raises(ValidationError):
        services.open_deal(**args)
    assert db.session.scalar(db.select(db.func.count(Deal.id))) == 0


def test_an_ip_asset_can_be_the_sellers_listing(db, parties, make_listing):
    patent = make_listing("ip", org=parties.seller_org, title="Sáng chế buồng sấy")
    deal = services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, offer=patent,
                              origin="interest", actor=parties.seller)
    assert deal.offer == patent and deal.title == "Sáng chế buồng sấy"


def test_a_second_open_deal_on_the_same_listings_is_refused(db, parties, deal):
    with pytest.raises(ValidationError) as exc:
        services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need,
                           offer=parties.offer, origin="direct", actor=parties.buyer)
    assert deal.ref in str(exc.value)


# --- stages --------------------------------------------------------------------------------------------

# signed a month ago: always on or after 1 January of the year before the deal (opened today) was opened
SIGNED_ON = date.today() - timedelta(days=30)
CONTRACT = {"contract_value_vnd": "1.500.000.000", "transfer_form": "license",
            "transfer_methods": ["documents", "training"], "signed_on": SIGNED_ON.isoformat()}


def _walk(deal, actor, to):
    """Advance `deal` stage by stage up to `to`, entering the contract's facts on the way."""
    while deal.stage != to:
        nxt = deal.next_stage
        services.advance_deal(deal, actor, nxt, CONTRACT if nxt == "contract_signed" else None)


def test_parties_and_broker_move_the_deal_one_stage_at_a_time(db, parties, deal):
    services.advance_deal(deal, parties.buyer, "nda_signed")
    services.advance_deal(deal, parties.seller, "negotiating")
    services.advance_deal(deal, parties.broker, "mou")
    assert deal.stage == "mou"
    moves = [(e.actor, e.from_stage, e.to_stage) for e in deal.events if e.action == "stage"]
    assert moves == [(parties.buyer, "contacted", "nda_signed"), (parties.seller, "nda_signed", "negotiating"),
                     (parties.broker, "negotiating", "mou")]


def test_a_skipped_stage_is_refused_and_changes_nothing(db, parties, deal):
    with pytest.raises(ValidationError) as exc:
        services.advance_deal(deal, parties.buyer, "mou")
    assert "one stage at a time" in str(exc.value)
    db.session.expire_all()
    assert deal.stage == "contacted"
    assert [e.action for e in deal.events] == ["opened"]


def test_the_same_step_sent_twice_moves_the_deal_once(db, parties, deal):
    services.advance_deal(deal, parties.buyer, "nda_signed")
    with pytest.raises(ValidationError) as exc:
        services.advance_deal(deal, parties.seller, "nda_signed")
    assert "already" in str(exc.value)
    assert deal.stage == "nda_signed"


def test_an_outsider_cannot_move_someone_elses_deal(db, parties, deal, make_user):
    for outsider in (make_user("member"), make_user("broker"), make_user("department")):
        with pytest.raises(ValidationError):
            services.advance_deal(deal, outsider, "nda_signed")
    db.session.expire_all()
    assert deal.stage == "contacted"


@pytest.mark.parametrize("bad, field", [
    ({"contract_value_vnd": "-5000000"}, "contract_value_vnd"),
    ({"contract_value_vnd": "0"}, "contract_value_vnd"),
    ({"contract_value_vnd": "1.5"}, "contract_value_vnd"),
    ({"contract_value_vnd": "nhiều tiền"}, "contract_value_vnd"),
    ({"contract_value_vnd": ""}, "contract_value_vnd"),
    ({"transfer_form": "gift"}, "transfer_form"),
    ({"transfer_methods": []}, "transfer_methods"),
    ({"transfer_methods": ["telepathy"]}, "transfer_methods"),
    ({"signed_on": "2999-01-01"}, "signed_on"),
    ({"signed_on": "15/01/2026x"}, "signed_on"),
    ({"signed_on": "01/01/1900"}, "signed_on"),
    ({"signed_on": "01/01/0001"}, "signed_on"),
    ({"signed_on": "0001-01-01"}, "signed_on"),
])
def test_contract_signed_needs_a_positive_value_form_method_and_a_past_date(db, parties, deal, bad, field):
    _walk(deal, parties.buyer, "mou")
    with pytest.raises(ValidationError) as exc:
        services.advance_deal(deal, parties.buyer, "contract_signed", {**CONTRACT, **bad})
    assert field in exc.value.errors
    db.session.expire_all()
    assert deal.stage == "mou"
    assert deal.contract_value_vnd is None


def test_contract_signed_records_the_contract(db, parties, deal):
    _walk(deal, parties.seller, "contract_signed")
    assert deal.contract_value_vnd == 1_500_000_000
    assert deal.transfer_form == "license"
    assert deal.transfer_methods == ["documents", "training"]
    assert deal.signed_on == SIGNED_ON
    event = [e for e in deal.events if e.to_stage == "contract_signed"][0]
    assert event.data["contract_value_vnd"] == [None, 1_500_000_000]


def test_completion_needs_both_parties(db, parties, deal):
    _walk(deal, parties.buyer, "in_transfer")
    with pytest.raises(ValidationError):
        services.advance_deal(deal, parties.buyer, "completed")
    with pytest.raises(ValidationError):
        services.confirm_completion(deal, parties.broker)  # the broker does not confirm for the parties
    services.confirm_completion(deal, parties.buyer)
    assert deal.stage == "in_transfer"
    with pytest.raises(ValidationError) as exc:
        services.confirm_completion(deal, parties.buyer)
    assert "already confirmed" in str(exc.value)
    services.confirm_completion(deal, parties.seller)
    assert deal.stage == "completed" and deal.completed_at is not None
    assert [e.action for e in deal.events][-3:] == ["confirmed", "confirmed", "stage"]


def test_confirmation_before_the_transfer_is_refused(db, parties, deal):
    with pytest.raises(ValidationError):
        services.confirm_completion(deal, parties.buyer)
    assert deal.buyer_confirmed_at is None


def test_cancel_needs_a_reason_and_a_message_and_ends_the_deal(db, parties, deal):
    _walk(deal, parties.buyer, "negotiating")
    with pytest.raises(ValidationError) as exc:
        services.cancel_deal(deal, parties.seller, "boredom", "")
    assert set(exc.value.errors) == {"reason", "message"}
    services.cancel_deal(deal, parties.seller, "price", "Giá vượt ngân sách.")
    assert deal.stage == "cancelled" and deal.cancelled_from == "negotiating"
    for attempt in (lambda: services.advance_deal(deal, parties.buyer, "mou"),
                    lambda: services.cancel_deal(deal, parties.buyer, "other", "lần nữa")):
        with pytest.raises(ValidationError):
            attempt()
    assert deal.events[-1].action == "cancelled" and deal.events[-1].actor == parties.seller


def test_a_completed_deal_cannot_be_cancelled(db, parties, deal):
    _walk(deal, parties.buyer, "in_transfer")
    services.confirm_completion(deal, parties.buyer)
    services.confirm_completion(deal, parties.seller)
    with pytest.raises(ValidationError):
        services.cancel_deal(deal, parties.broker, "other", "Huỷ")
    assert deal.stage == "completed"


# --- flags and fee -------------------------------------------------------------------------------------

def test_registration_is_required_for_state_funded_or_cross_border(db, parties, deal):
    assert not deal.registration_required
    services.update_deal(deal, parties.buyer, {"cross_border": "on"})
    assert deal.registration_required
    services.update_deal(deal, parties.buyer, {"cross_border": "", "state_funded": "1"})
    assert deal.registration_required and not deal.cross_border


def test_broker_fee_on_state_funded_results_is_capped_at_ten_percent_of_profit(db, parties, deal):
    services.update_deal(deal, parties.broker, {"state_funded": True, "declared_profit_vnd": "200000000"})
    with pytest.raises(ValidationError) as exc:
        services.update_deal(deal, parties.broker, {"broker_fee_vnd": "20000001"})
    assert "broker_fee_vnd" in exc.value.errors
    db.session.expire_all()
    assert deal.broker_fee_vnd is None
    services.update_deal(deal, parties.broker, {"broker_fee_vnd": "20.000.000"})
    assert deal.broker_fee_vnd == 20_000_000
    fields = [e for e in deal.events if e.action == "fields"]
    assert fields[-1].data == {"broker_fee_vnd": [None, 20_000_000]}


def test_a_fee_on_state_funded_results_needs_the_declared_profit(db, parties, deal):
    with pytest.raises(ValidationError) as exc:
        services.update_deal(deal, parties.broker, {"state_funded": True, "broker_fee_vnd": "1000"})
    assert "declared_profit_vnd" in exc.value.errors


def test_without_state_funding_the_fee_is_not_capped(db, parties, deal):
    services.update_deal(deal, parties.broker, {"declared_profit_vnd": "1000", "broker_fee_vnd": "900"})
    assert deal.broker_fee_vnd == 900


def test_signed_contract_facts_cannot_be_blanked(db, parties, deal):
    _walk(deal, parties.buyer, "contract_signed")
    with pytest.raises(ValidationError):
        services.update_deal(deal, parties.buyer, {"contract_value_vnd": ""})
    db.session.expire_all()
    assert deal.contract_value_vnd == 1_500_000_000


# --- notes, documents, figures -------------------------------------------------------------------------

def test_notes_are_events_and_empty_notes_are_refused(db, parties, deal, make_user):
    with pytest.raises(ValidationError):
        services.add_note(deal, parties.buyer, "   ")
    with pytest.raises(ValidationError):
        services.add_note(deal, make_user("department"), "Sở ghi chú")  # the department reads, does not write
    services.add_note(deal, parties.seller, "Gửi bản dự thảo hợp đồng")
    assert deal.events[-1].action == "note" and deal.events[-1].message == "Gửi bản dự thảo hợp đồng"


def test_documents_are_checked_by_content(db, parties, deal):
    with pytest.raises(ValidationError):
        services.add_document(deal, parties.buyer, "hop-dong.pdf", b"MZ\x90\x00 not a pdf")
    document = services.add_document(deal, parties.buyer, "../../hop-dong.pdf", b"%PDF-1.4 draft")
    assert document.original_name == "hop-dong.pdf"
    assert open(services.document_path(document), "rb").read() == b"%PDF-1.4 draft"
    assert deal.events[-1].action == "document"


def test_overview_counts_signed_contracts_and_their_value(db, parties, deal, make_org, make_listing):
    assert services.overview()["signed_count"] == 0
    _walk(deal, parties.buyer, "contract_signed")
    figures = services.overview()
    assert (figures["signed_count"], figures["signed_value"]) == (1, 1_500_000_000)
    assert figures["by_stage"]["contract_signed"] == 1
    other_buyer = make_org("enterprise")
    second = services.open_deal(buyer_org=other_buyer, seller_org=parties.seller_org, offer=parties.offer,
                                origin="direct", actor=parties.seller)
    db.session.commit()
    _walk(second, parties.seller, "contract_signed")
    services.cancel_deal(second, parties.seller, "withdrawn_by_party", "Bên mua rút lui")
    figures = services.overview()
    assert (figures["signed_count"], figures["signed_value"]) == (1, 1_500_000_000)  # a cancelled one drops out
    record = services.broker_record(parties.broker_org.id)
    assert record["signed_count"] == 1 and record["total"] == 1


def test_stage_changes_are_signalled_and_refusals_are_not(db, parties, deal):
    from marketplace.deals.signals import deal_stage_changed

    heard = []

    def listen(sender, **kw):
        heard.append((sender.ref, kw["from_stage"], kw["to_stage"], kw["actor"]))

    with deal_stage_changed.connected_to(listen):
        services.advance_deal(deal, parties.buyer, "nda_signed")
        with pytest.raises(ValidationError):
            services.advance_deal(deal, parties.buyer, "mou")
        services.cancel_deal(deal, parties.seller, "other", "Thôi")
    assert heard == [(deal.ref, "contacted", "nda_signed", parties.buyer),
                     (deal.ref, "nda_signed", "cancelled", parties.seller)]


def test_a_contract_signed_today_in_vietnam_is_not_in_the_future(db, parties, deal, monkeypatch):
    """At 01:30 in Viet Nam the server's UTC date is still yesterday: today's signing date is accepted."""
    from datetime import date, datetime, time, timedelta, timezone

    from marketplace.core import models

    server_today = date.today()  # the server's own date, which the exchange must not use
    early_morning = datetime.combine(server_today, time(18, 30), tzinfo=timezone.utc)  # 01:30 next day in VN
    monkeypatch.setattr(models, "utcnow", lambda: early_morning)
    vietnam_today = server_today + timedelta(days=1)
    _walk(deal, parties.buyer, "mou")
    services.advance_deal(deal, parties.buyer, "contract_signed", {**CONTRACT, "signed_on": vietnam_today})
    assert deal.signed_on == vietnam_today
    with pytest.raises(ValidationError) as exc:
        services.update_deal(deal, parties.buyer, {"signed_on": vietnam_today + timedelta(days=1)})
    assert "cannot be in the future" in str(exc.value)


def test_a_contract_may_be_signed_from_the_year_before_the_deal_opened(db, parties, deal):
    """Contracts are often signed before the deal is recorded: back to 1 January of the year before, no further."""
    from datetime import datetime, timezone

    deal.created_at = datetime(2026, 3, 1, 20, 30, tzinfo=timezone.utc)
    db.session.commit()
    _walk(deal, parties.buyer, "mou")
    with pytest.raises(ValidationError) as exc:
        services.advance_deal(deal, parties.buyer, "contract_signed", {**CONTRACT, "signed_on": "31/12/2024"})
    assert exc.value.errors["signed_on"] == [
        "The signing date cannot be before 01/01/2025 (1 January of the year before the deal was opened)."]
    assert deal.stage == "mou"
    services.advance_deal(deal, parties.buyer, "contract_signed", {**CONTRACT, "signed_on": "01/01/2025"})
    assert deal.signed_on == date(2025, 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.update_deal(deal, parties.buyer, {"signed_on": "01/01/1900"})
    assert "cannot be before 01/01/2025" in str(exc.value)
    db.session.expire_all()
    assert deal.signed_on == date(2025, 1, 1)


def test_one_open_deal_per_buyer_seller_and_offer(db, parties, make_listing):
    """An interest in the offer opened a deal; a deal on a need and the same offer would be the same deal."""
    first = services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, offer=parties.offer,
                               origin="interest", actor=parties.seller)
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need,
                           offer=parties.offer, broker_org=parties.broker_org, origin="proposal",
                           actor=parties.broker)
    assert first.ref in str(exc.value)
    # another offer of the same seller for the same need is another deal
    other_offer = make_listing("offer", org=parties.seller_org, title="Máy sấy năng lượng mặt trời")
    services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need,
                       offer=other_offer, origin="proposal", actor=parties.broker)
    db.session.commit()
    # a deal on the need alone stands for any offer of that seller on it
    with pytest.raises(ValidationError):
        services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need,
                           origin="interest", actor=parties.buyer)
    assert db.session.scalar(db.select(db.func.count(Deal.id))) == 2


def test_a_broker_fee_above_the_contract_value_is_refused(db, parties, deal):
    _walk(deal, parties.buyer, "contract_signed")  # 1.500.000.000 ₫, not state-funded
    with pytest.raises(ValidationError) as exc:
        services.update_deal(deal, parties.broker, {"broker_fee_vnd": "2.000.000.000"})
    assert exc.value.errors["broker_fee_vnd"] == [
        "The broker's fee cannot be more than the contract value (1.500.000.000 ₫)."]
    db.session.expire_all()
    assert deal.broker_fee_vnd is None
    services.update_deal(deal, parties.broker, {"broker_fee_vnd": "45.000.000"})
    assert deal.broker_fee_vnd == 45_000_000


def test_a_deal_opened_on_new_years_morning_in_vietnam_has_the_new_years_number(db, deal):
    """At 03:00 on 1 January in Vietnam UTC is still in the old year: the reference takes Vietnam's."""
    from datetime import datetime, timezone

    deal.created_at = datetime(2026, 12, 31, 20, 0, tzinfo=timezone.utc)
    assert services.make_ref(deal) == f"GD-2027-{deal.id:04d}"
    deal.created_at = datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc)  # 23:00 in Vietnam
    assert services.make_ref(deal) == f"GD-2026-{deal.id:04d}"
