"""Demo brokers and deals: the brokers' profiles, two deals at different stages and a proposal awaiting the demo
enterprise's answer. Rows are built as the broker and deal services would leave them (events included), inside
the demo loader's one transaction."""
from datetime import timedelta

from marketplace.brokers.models import BrokerProfile, MatchProposal
from marketplace.deals.models import Deal, DealEvent
from marketplace.deals.services import make_ref
from marketplace.extensions import db

PROFILES = {
    "tt-xuctien": {
        "summary": "Tìm và giới thiệu đối tác công nghệ cho doanh nghiệp nhỏ và hợp tác xã của tỉnh; tư vấn đàm phán, "
                   "soạn và đăng ký hợp đồng chuyển giao công nghệ; hỗ trợ hồ sơ xin hỗ trợ đổi mới công nghệ.",
        "services": ["brokerage", "consulting", "promotion"],
        "sectors": ["203", "207", "401", "405"],
    },
    "tv-songday": {
        "summary": "Thẩm định giá công nghệ và tài sản trí tuệ, tư vấn góp vốn bằng công nghệ.",
        "services": ["valuation", "assessment", "brokerage"],
        "sectors": ["102", "202", "203"],
    },
}

# (need ref, offer ref, days ago the broker proposed, the stage reached, contract facts or None)
DEALS = (
    ("DEMO-NC-001", "DEMO-CB-007", 75, "contract_signed",
     {"contract_value_vnd": 1_250_000_000, "transfer_form": "turnkey",
      "transfer_methods": ["documents", "training", "machinery"], "signed_days_ago": 12}),
    ("DEMO-NC-006", "DEMO-CB-013", 30, "negotiating", None),
)
# A proposal still waiting for both parties' answers (the demo enterprise sees it under My deals).
OPEN_PROPOSAL = ("DEMO-NC-014", "DEMO-CB-023", 3)
BROKER = "tt-xuctien"
STAGE_ORDER = ("contacted", "nda_signed", "negotiating", "mou", "contract_signed")


def add_brokers_and_deals(orgs, authors, by_ref, now):
    """Add the brokers' profiles, the demo deals and the open proposal; returns the number of deals."""
    for key, spec in PROFILES.items():
        profile = BrokerProfile(org=orgs[key], summary=spec["summary"])
        profile.services = spec["services"]
        profile.sector_codes = spec["sectors"]
        db.session.add(profile)
    broker_org, broker = orgs[BROKER], authors[BROKER]
    key_of = {org.id: key for key, org in orgs.items()}
    for need_ref, offer_ref, days, stage, contract in DEALS:
        need, offer = by_ref[need_ref], by_ref[offer_ref]
        buyer, seller = authors[key_of[need.owner.id]], authors[key_of[offer.owner.id]]
        proposed = now - timedelta(days=days)
        proposal = _proposal(broker_org, broker, need, offer, proposed)
        proposal.status = "accepted"
        for side, person, after in (("seller", seller, 1), ("buyer", buyer, 2)):
            setattr(proposal, f"{side}_decision", "accepted")
            setattr(proposal, f"{side}_decided_by", person)
            setattr(proposal, f"{side}_decided_at", proposed + timedelta(days=after))
        opened = proposed + timedelta(days=2)
        deal = Deal(buyer_org=need.owner, seller_org=offer.owner, need=need, offer=offer, broker_org=broker_org,
                    origin="proposal", stage="contacted", created_by=buyer, created_at=opened, updated_at=opened,
                    stage_changed_at=opened)
        deal.events.append(DealEvent(actor=buyer, action="opened", to_stage="contacted",
                                     data={"origin": "proposal"}, created_at=opened))
        proposal.deal = deal
        moment = opened
        movers = (broker, seller, buyer, seller)
        for index, target in enumerate(STAGE_ORDER[1:STAGE_ORDER.index(stage) + 1]):
            moment += timedelta(days=(days - 2) // (len(STAGE_ORDER) + 1) or 1)
            changes = {}
            if target == "contract_signed":
                deal.contract_value_vnd = contract["contract_value_vnd"]
                deal.transfer_form = contract["transfer_form"]
                deal.transfer_methods = contract["transfer_methods"]
                deal.signed_on = (now - timedelta(days=contract["signed_days_ago"])).date()
                moment = now - timedelta(days=contract["signed_days_ago"])
                changes = {"contract_value_vnd": [None, deal.contract_value_vnd],
                           "transfer_form": [None, deal.transfer_form],
                           "transfer_methods": [None, ",".join(deal.transfer_methods)],
                           "signed_on": [None, deal.signed_on.isoformat()]}
            deal.events.append(DealEvent(actor=movers[index % len(movers)], action="stage", from_stage=deal.stage,
                                         to_stage=target, data=changes, created_at=moment))
            deal.stage, deal.stage_changed_at, deal.updated_at = target, moment, moment
        deal.events.append(DealEvent(actor=broker, action="note", created_at=moment + timedelta(hours=3),
                                     message="Đã gửi hai bên mẫu hợp đồng chuyển giao công nghệ và danh mục hồ sơ."))
        db.session.add(deal)
        db.session.flush()
        deal.ref = make_ref(deal)
    need_ref, offer_ref, days = OPEN_PROPOSAL
    _proposal(broker_org, broker, by_ref[need_ref], by_ref[offer_ref], now - timedelta(days=days))
    return len(DEALS)


def _proposal(broker_org, broker, need, offer, when):
    proposal = MatchProposal(
        broker_org=broker_org, proposed_by=broker, need=need, offer=offer, buyer_org_id=need.owner.id,
        seller_org_id=offer.owner.id, status="open", created_at=when, updated_at=when,
        message=f"Nhu cầu “{need.title}” và công nghệ “{offer.title}” khớp về lĩnh vực, mức sẵn sàng và hình thức "
                "chuyển giao. Trung tâm đề nghị hai bên gặp trao đổi; chúng tôi hỗ trợ soạn thỏa thuận bảo mật.")
    db.session.add(proposal)
    return proposal
