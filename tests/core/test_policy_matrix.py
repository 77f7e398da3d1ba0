"""The access policy as a table: who may do what, by role, own or other organisation, and listing status.

Each row lists the subjects in the order of SUBJECTS; "Y" means allowed, "." refused. A new action in
policy.py fails `test_every_action_has_a_matrix_row` until it gets rows here.
"""
import re
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin
from werkzeug.exceptions import HTTPException

from marketplace.core.policy import authorize, can, known_actions

SUBJECTS = (
    "visitor",       # not signed in
    "owner_member",  # member of the organisation that owns the listing
    "owner_admin",   # admin (org_role) of that organisation
    "other_org",     # admin of another enterprise
    "broker",
    "department",
    "admin",         # site administrator
)
PASSWORD = "mat-khau-ma-tran-123"  # set per user here, so the file needs nothing imported from conftest
STATUSES = ("draft", "submitted", "rejected", "published", "withdrawn", "closed", "expired")

LISTING_MATRIX = {
    #                        vis  own  own  oth  bro  dep  adm
    #                             mbr  adm  org
    "listing.view": {
        "draft":            " .    Y    Y    .    .    .    Y ",
        "submitted":        " .    Y    Y    .    .    Y    Y ",
        "rejected":         " .    Y    Y    .    .    Y    Y ",
        "published":        " Y    Y    Y    Y    Y    Y    Y ",
        "withdrawn":        " .    Y    Y    .    .    Y    Y ",
        "closed":           " Y    Y    Y    Y    Y    Y    Y ",
        "expired":          " Y    Y    Y    Y    Y    Y    Y ",
    },
    # the confidential detail: owner, brokers, department
    "listing.view_detail": {
        "draft":            " .    Y    Y    .    .    .    Y ",
        "submitted":        " .    Y    Y    .    .    Y    Y ",
        "rejected":         " .    Y    Y    .    .    Y    Y ",
        "published":        " .    Y    Y    .    Y    Y    Y ",
        "withdrawn":        " .    Y    Y    .    .    Y    Y ",
        "closed":           " .    Y    Y    .    Y    Y    Y ",
        "expired":          " .    Y    Y    .    Y    Y    Y ",
    },
    # suggested matches: owner, brokers, department, while the listing is on the exchange
    "matching.view": {
        "draft":            " .    .    .    .    .    .    . ",
        "submitted":        " .    .    .    .    .    .    . ",
        "rejected":         " .    .    .    .    .    .    . ",
        "published":        " .    Y    Y    .    Y    Y    Y ",
        "withdrawn":        " .    .    .    .    .    .    . ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    .    .    .    .    .    . ",
    },
    "listing.edit": {
        "draft":            " .    Y    Y    .    .    .    Y ",
        "submitted":        " .    Y    Y    .    .    .    Y ",
        "rejected":         " .    Y    Y    .    .    .    Y ",
        "published":        " .    Y    Y    .    .    .    Y ",
        "withdrawn":        " .    Y    Y    .    .    .    Y ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    Y    Y    .    .    .    Y ",
    },
    "listing.attach": {
        "draft":            " .    Y    Y    .    .    .    Y ",
        "submitted":        " .    Y    Y    .    .    .    Y ",
        "rejected":         " .    Y    Y    .    .    .    Y ",
        "published":        " .    Y    Y    .    .    .    Y ",
        "withdrawn":        " .    Y    Y    .    .    .    Y ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    Y    Y    .    .    .    Y ",
    },
    "listing.submit": {
        "draft":            " .    Y    Y    .    .    .    . ",
        "submitted":        " .    .    .    .    .    .    . ",
        "rejected":         " .    Y    Y    .    .    .    . ",
        "published":        " .    .    .    .    .    .    . ",
        "withdrawn":        " .    Y    Y    .    .    .    . ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    .    .    .    .    .    . ",
    },
    "listing.withdraw": {
        "draft":            " .    .    .    .    .    .    . ",
        "submitted":        " .    Y    Y    .    .    .    Y ",
        "rejected":         " .    .    .    .    .    .    . ",
        "published":        " .    Y    Y    .    .    .    Y ",
        "withdrawn":        " .    .    .    .    .    .    . ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    Y    Y    .    .    .    Y ",
    },
    "listing.close": {
        "draft":            " .    .    .    .    .    .    . ",
        "submitted":        " .    .    .    .    .    .    . ",
        "rejected":         " .    .    .    .    .    .    . ",
        "published":        " .    Y    Y    .    .    .    . ",
        "withdrawn":        " .    .    .    .    .    .    . ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    .    .    .    .    .    . ",
    },
    "listing.renew": {
        "draft":            " .    .    .    .    .    .    . ",
        "submitted":        " .    .    .    .    .    .    . ",
        "rejected":         " .    .    .    .    .    .    . ",
        "published":        " .    Y    Y    .    .    .    . ",
        "withdrawn":        " .    .    .    .    .    .    . ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    Y    Y    .    .    .    . ",
    },
    "listing.delete": {
        "draft":            " .    Y    Y    .    .    .    . ",
        "submitted":        " .    .    .    .    .    .    . ",
        "rejected":         " .    Y    Y    .    .    .    . ",
        "published":        " .    .    .    .    .    .    . ",
        "withdrawn":        " .    .    .    .    .    .    . ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    .    .    .    .    .    . ",
    },
    "listing.moderate": {
        "draft":            " .    .    .    .    .    .    . ",
        "submitted":        " .    .    .    .    .    Y    Y ",
        "rejected":         " .    .    .    .    .    .    . ",
        "published":        " .    .    .    .    .    .    . ",
        "withdrawn":        " .    .    .    .    .    .    . ",
        "closed":           " .    .    .    .    .    .    . ",
        "expired":          " .    .    .    .    .    .    . ",
    },
}

# Actions checked without an object. The owner organisation is an institute, the other one an enterprise;
# brokers belong to a broker organisation, the department and the admin to the department's.
GLOBAL_MATRIX = {
    #                        vis  own  own  oth  bro  dep  adm
    #                             mbr  adm  org
    "listing.create":       " .    Y    Y    Y    .    .    . ",
    "listing.moderate":     " .    .    .    .    .    Y    Y ",
    "moderation.queue":     " .    .    .    .    .    Y    Y ",
    "listing.import":       " .    .    .    .    .    Y    Y ",
    "reference.manage":     " .    .    .    .    .    Y    Y ",
    "glossary.manage":      " .    .    .    .    .    Y    Y ",
    "user.manage":          " .    .    .    .    .    .    Y ",
    "account.profile":      " .    Y    Y    Y    Y    Y    Y ",
    "account.logout":       " .    Y    Y    Y    Y    Y    Y ",
    "notification.inbox":   " .    Y    Y    Y    Y    Y    Y ",
    "alert.manage":         " .    Y    Y    Y    Y    Y    Y ",
    "broker.queue":         " .    .    .    .    Y    .    . ",
    "broker.propose":       " .    .    .    .    Y    .    . ",
    "deal.list_mine":       " .    Y    Y    Y    Y    Y    Y ",
    "deal.overview":        " .    .    .    .    .    Y    Y ",
}

# Actions on the organisation that owns the listing.
ORG_MATRIX = {
    #                        vis  own  own  oth  bro  dep  adm
    #                             mbr  adm  org
    "org.view":             " Y    Y    Y    Y    Y    Y    Y ",
    "org.view_private":     " .    Y    Y    .    .    Y    Y ",
    "org.verify":           " .    .    .    .    .    Y    Y ",
    "org.edit":             " .    .    Y    .    .    .    Y ",
    "org.manage_members":   " .    .    Y    .    .    .    Y ",
}

# Attachments by (listing status, public or private file).
ATTACHMENT_MATRIX = {
    #                                       vis  own  own  oth  bro  dep  adm
    #                                            mbr  adm  org
    "attachment.download": {
        ("published", "public"):           " Y    Y    Y    Y    Y    Y    Y ",
        ("published", "private"):          " .    Y    Y    .    Y    Y    Y ",
        ("draft", "public"):               " .    Y    Y    .    .    .    Y ",
        ("draft", "private"):              " .    Y    Y    .    .    .    Y ",
        ("submitted", "private"):          " .    Y    Y    .    .    Y    Y ",
        ("withdrawn", "public"):           " .    Y    Y    .    .    Y    Y ",
        ("closed", "private"):             " .    Y    Y    .    Y    Y    Y ",
    },
    "attachment.delete": {
        ("draft", "private"):              " .    Y    Y    .    .    .    Y ",
        ("published", "public"):           " .    Y    Y    .    .    .    Y ",
        ("closed", "public"):              " .    .    .    .    .    .    . ",
        ("withdrawn", "private"):          " .    Y    Y    .    .    .    Y ",
    },
}

# Who may post listings, by the kind of their organisation.
CREATE_BY_ORG_KIND = {
    "enterprise": True,
    "university": True,
    "institute": True,
    "other": True,
    "broker": False,
    "department": False,
}


def _row(text):
    """Parse a matrix row into {subject: allowed}."""
    cells = text.split()
    assert len(cells) == len(SUBJECTS), f"row {text!r} needs {len(SUBJECTS)} cells"
    assert set(cells) <= {"Y", "."}, f"row {text!r} has cells other than Y and ."
    return {subject: cell == "Y" for subject, cell in zip(SUBJECTS, cells)}


@pytest.fixture
def owner_org(make_org):
    """The organisation (an institute) that owns the listings under test."""
    return make_org("institute")


@pytest.fixture
def subjects(make_user, owner_org):
    """Each subject name mapped to the users who stand for it (visitors both as None and as Flask-Login's)."""
    return {
        "visitor": [None, AnonymousUserMixin()],
        "owner_member": [make_user(org=owner_org, org_role="member")],
        "owner_admin": [make_user(org=owner_org, org_role="admin")],
        "other_org": [make_user(org_kind="enterprise", org_role="admin")],
        "broker": [make_user(role="broker")],
        "department": [make_user(role="department")],
        "admin": [make_user(role="admin")],
    }


def _mismatches(subjects, action, obj, row, where):
    """Describe every subject for whom can() disagrees with the row."""
    wrong = []
    for subject, expected in _row(row).items():
        for user in subjects[subject]:
            got = can(user, action, obj)
            if got != expected:
                wrong.append(f"{subject} {action} {where}: expected {expected}, policy says {got}")
    return wrong


def test_every_action_has_a_matrix_row():
    covered = set(LISTING_MATRIX) | set(GLOBAL_MATRIX) | set(ORG_MATRIX) | set(ATTACHMENT_MATRIX)
    covered |= set(DEAL_MATRIX) | set(BROKER_ORG_MATRIX) | set(PROPOSAL_MATRIX)
    covered |= set(PERSONAL_MATRIX)
    covered |= set(LISTING_VARIANT_MATRIX) | set(INTEREST_MATRIX)
    missing = set(known_actions()) - covered
    assert missing == set(), f"actions without rows in the policy matrix: {sorted(missing)}"
    unknown = covered - set(known_actions())
    assert unknown == set(), f"matrix rows for actions the policy does not know: {sorted(unknown)}"


@pytest.mark.parametrize("action", sorted(LISTING_MATRIX))
def test_listing_actions_by_role_organisation_and_status(action, subjects, owner_org, make_listing):
    assert set(LISTING_MATRIX[action]) == set(STATUSES), f"{action} needs a row for every status"
    listing = make_listing(org=owner_org, status="draft")
    wrong = []
    for status, row in LISTING_MATRIX[action].items():
        listing.status = status
        wrong += _mismatches(subjects, action, listing, row, f"on a {status} listing")
    assert wrong == []


@pytest.mark.parametrize("action", sorted(GLOBAL_MATRIX))
def test_actions_without_an_object(action, subjects):
    assert _mismatches(subjects, action, None, GLOBAL_MATRIX[action], "") == []


@pytest.mark.parametrize("action", sorted(ORG_MATRIX))
def test_organisation_actions(action, subjects, owner_org):
    assert _mismatches(subjects, action, owner_org, ORG_MATRIX[action], "on the owner organisation") == []


@pytest.mark.parametrize("action", sorted(ATTACHMENT_MATRIX))
def test_attachment_actions(action, subjects, owner_org, make_listing, db):
    from marketplace.listings.attachments import add_attachment

    listing = make_listing(org=owner_org, status="published")
    files = {
        "public": add_attachment(listing, None, "brochure.pdf", b"%PDF-1.4 public", is_public=True),
        "private": add_attachment(listing, None, "drawings.pdf", b"%PDF-1.4 private", is_public=False),
    }
    wrong = []
    for (status, visibility), row in ATTACHMENT_MATRIX[action].items():
        listing.status = status
        wrong += _mismatches(subjects, action, files[visibility], row, f"on a {visibility} file of a {status} listing")
    assert wrong == []


@pytest.mark.parametrize("kind, allowed", sorted(CREATE_BY_ORG_KIND.items()))
def test_who_may_post_listings_by_organisation_kind(kind, allowed, make_user):
    assert can(make_user(org_kind=kind), "listing.create") is allowed


def test_a_person_without_an_organisation_cannot_post(make_user, db):
    user = make_user()
    user.org = None
    db.session.commit()
    assert not can(user, "listing.create")


def test_a_disabled_account_keeps_no_rights(make_user, make_listing, owner_org, db):
    user = make_user(org=owner_org, org_role="admin")
    draft = make_listing(org=owner_org, status="draft")
    user.active = False
    db.session.commit()
    for action in ("listing.view", "listing.edit", "listing.submit", "listing.delete"):
        assert not can(user, action, draft), action
    assert not can(user, "org.edit", owner_org)
    assert not can(user, "listing.create")
    assert not can(user, "account.profile")


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(LookupError):
        can(None, "listing.frobnicate")


# --- authorize(): what a refused request answers ------------------------------------------------------

def _answer(app, action, obj, user=None, path="/listings/1"):
    """The status code authorize() answers with (200 when it lets the request through)."""
    with app.test_request_context(path):
        try:
            authorize(action, obj, user=user)
        except HTTPException as exc:
            response = exc.get_response()
            return response.status_code, response.headers.get("Location", "")
    return 200, ""


def test_authorize_hides_what_a_user_may_not_see(app, make_user, make_listing, owner_org):
    draft = make_listing(org=owner_org, status="draft")
    submitted = make_listing(org=owner_org, status="submitted")
    outsider = make_user(org_kind="enterprise")
    broker = make_user(role="broker")
    assert _answer(app, "listing.view", draft)[0] == 404
    assert _answer(app, "listing.edit", draft)[0] == 404
    assert _answer(app, "listing.view", draft, outsider)[0] == 404
    assert _answer(app, "listing.delete", draft, outsider)[0] == 404
    assert _answer(app, "listing.moderate", submitted, broker)[0] == 404
    assert _answer(app, "listing.view", draft, make_user(role="department"))[0] == 404


def test_authorize_refuses_visible_things_with_login_or_403(app, make_user, make_listing, owner_org):
    published = make_listing(org=owner_org, status="published")
    closed = make_listing(org=owner_org, status="closed")
    status, location = _answer(app, "listing.edit", published)
    assert status == 302 and "/login" in location
    assert _answer(app, "listing.edit", published, path="/api/v1/offers/1")[0] == 401
    assert _answer(app, "listing.edit", published, make_user(org_kind="enterprise"))[0] == 403
    assert _answer(app, "listing.edit", closed, make_user(org=owner_org, org_role="member"))[0] == 403
    assert _answer(app, "org.edit", owner_org, make_user(org=owner_org, org_role="member"))[0] == 403
    assert _answer(app, "listing.view", published)[0] == 200


# --- the same rules seen through the pages -----------------------------------------------------------

def _signed_in(app, user):
    """A fresh test client signed in as `user`."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.data[:500]
    return client


@pytest.fixture
def viewers(app, make_user, owner_org):
    """Test clients for a visitor, an owner's member, another enterprise, a broker and the department."""
    return {
        "visitor": app.test_client(),
        "owner_member": _signed_in(app, make_user(org=owner_org, org_role="member", password=PASSWORD)),
        "other_org": _signed_in(app, make_user(org_kind="enterprise", password=PASSWORD)),
        "broker": _signed_in(app, make_user(role="broker", password=PASSWORD)),
        "department": _signed_in(app, make_user(role="department", password=PASSWORD)),
    }


@pytest.mark.parametrize("status, can_see", [
    ("draft", {"owner_member"}),
    ("submitted", {"owner_member", "department"}),
    ("rejected", {"owner_member", "department"}),
    ("withdrawn", {"owner_member", "department"}),
    ("published", {"visitor", "owner_member", "other_org", "broker", "department"}),
])
def test_listing_page_answers_404_to_those_who_may_not_see_it(viewers, make_listing, owner_org, status, can_see):
    listing = make_listing(org=owner_org, status=status, title=f"Máy sấy nông sản {status}")
    for name, client in viewers.items():
        response = client.get(f"/listings/{listing.id}")
        if name in can_see:
            assert response.status_code == 200, name
            assert listing.title in response.get_data(as_text=True), name
        else:
            assert response.status_code == 404, name
            assert listing.title not in response.get_data(as_text=True), name


def test_confidential_detail_shows_to_owner_brokers_and_department_only(viewers, make_listing, owner_org):
    listing = make_listing(org=owner_org, status="published", detail="Quy trình sấy ở 55 độ C, bí mật")
    for name, client in viewers.items():
        page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
        shown = "Quy trình sấy ở 55 độ C" in page
        assert shown is (name in {"owner_member", "broker", "department"}), name


def test_private_attachments_answer_404_to_those_who_may_not_see_them(viewers, make_listing, owner_org):
    from marketplace.listings.attachments import add_attachment

    published = make_listing(org=owner_org, status="published")
    draft = make_listing(org=owner_org, status="draft")
    brochure = add_attachment(published, None, "brochure.pdf", b"%PDF-1.4 brochure", is_public=True)
    drawings = add_attachment(published, None, "drawings.pdf", b"%PDF-1.4 drawings", is_public=False)
    draft_file = add_attachment(draft, None, "draft.pdf", b"%PDF-1.4 draft", is_public=True)
    expected = {
        brochure.id: {"visitor", "owner_member", "other_org", "broker", "department"},
        drawings.id: {"owner_member", "broker", "department"},
        draft_file.id: {"owner_member"},
    }
    for attachment_id, can_download in expected.items():
        for name, client in viewers.items():
            response = client.get(f"/attachments/{attachment_id}")
            if name in can_download:
                assert response.status_code == 200, (attachment_id, name)
                assert response.data.startswith(b"%PDF-1.4"), (attachment_id, name)
                assert re.search(r"attachment", response.headers.get("Content-Disposition", "")), name
            else:
                assert response.status_code == 404, (attachment_id, name)


def test_organisation_page_lists_only_listings_the_viewer_may_open(viewers, make_listing, owner_org):
    titles = {status: make_listing(org=owner_org, status=status, title=f"Máy cấy lúa {status}").title
              for status in ("draft", "submitted", "published")}
    expected = {
        "visitor": {"published"},
        "owner_member": {"draft", "submitted", "published"},
        "other_org": {"published"},
        "broker": {"published"},
        "department": {"submitted", "published"},
    }
    for name, client in viewers.items():
        page = client.get(f"/orgs/{owner_org.id}").get_data(as_text=True)
        shown = {status for status, title in titles.items() if title in page}
        assert shown == expected[name], name


def test_broker_rights_need_a_verified_broker_organisation(app, make_org, make_user, make_listing):
    listing = make_listing("offer", status="published")
    broker_org = make_org("broker", verified=False)
    broker = make_user(role="broker", org=broker_org)
    assert not can(broker, "listing.view_detail", listing)
    broker_org.verified = True
    assert can(broker, "listing.view_detail", listing)


def test_department_verifies_an_organisation(client, login, make_org, make_user):
    org = make_org("broker", verified=False)
    login(make_user(role="department"))
    response = client.post(f"/orgs/{org.id}/verify", data={"verified": "1"})
    assert response.status_code == 302
    assert org.verified is True


def test_organisation_cannot_verify_itself(client, login, make_org, make_user):
    org = make_org("broker", verified=False)
    login(make_user(role="broker", org=org, org_role="admin"))
    assert client.post(f"/orgs/{org.id}/verify", data={"verified": "1"}).status_code == 403
    assert org.verified is False


def test_department_rights_go_with_the_seat_in_the_department(app, make_org, make_user):
    from marketplace.accounts.services import add_member, remove_member

    department = make_org("department")
    chief = make_user(role="department", org=department, org_role="admin")
    staff = add_member(department, "chuyenvien@so.example.vn", "Chuyên viên", "mat-khau-dai-123")
    assert can(staff, "moderation.queue")
    remove_member(department, staff, chief)
    assert not can(staff, "moderation.queue")
    stray = make_user(role="department", org=make_org("enterprise"))
    assert not can(stray, "moderation.queue")  # a role name without the department's organisation grants nothing


# --- deals, broker profiles and match proposals ------------------------------------------------------

DEAL_SUBJECTS = ("visitor", "buyer", "seller", "deal_broker", "other_broker", "other_org", "department", "admin")
DEAL_STAGES = ("contacted", "nda_signed", "negotiating", "mou", "contract_signed", "in_transfer", "completed",
               "cancelled")
DEAL_MATRIX = {
    #                         vis  buy  sel  dbr  obr  oth  dep  adm
    # parties, the deal's broker and the department see a deal; nobody else knows it exists
    "deal.view": {stage:     " .    Y    Y    Y    .    .    Y    Y " for stage in DEAL_STAGES},
    "deal.document_download": {stage: " .    Y    Y    Y    .    .    Y    Y " for stage in DEAL_STAGES},
    # one step forward at a time by the parties or the broker; completion only by both parties' confirmations
    "deal.advance": {
        **{stage:            " .    Y    Y    Y    .    .    .    . " for stage in DEAL_STAGES[:6]},
        "in_transfer":       " .    .    .    .    .    .    .    . ",
        "completed":         " .    .    .    .    .    .    .    . ",
        "cancelled":         " .    .    .    .    .    .    .    . ",
    },
    "deal.confirm": {
        **{stage:            " .    .    .    .    .    .    .    . " for stage in DEAL_STAGES},
        "in_transfer":       " .    Y    Y    .    .    .    .    . ",
    },
    "deal.cancel": {
        **{stage:            " .    Y    Y    Y    .    .    .    . " for stage in DEAL_STAGES[:6]},
        "completed":         " .    .    .    .    .    .    .    . ",
        "cancelled":         " .    .    .    .    .    .    .    . ",
    },
    "deal.edit": {
        **{stage:            " .    Y    Y    Y    .    .    .    . " for stage in DEAL_STAGES[:6]},
        "completed":         " .    .    .    .    .    .    .    . ",
        "cancelled":         " .    .    .    .    .    .    .    . ",
    },
    # notes and documents stay possible after the end (a signed acceptance report, a last word)
    "deal.note": {stage:     " .    Y    Y    Y    .    .    .    . " for stage in DEAL_STAGES},
    "deal.document_upload": {stage: " .    Y    Y    Y    .    .    .    . " for stage in DEAL_STAGES},
}

# A broker organisation's profile, verified or not, seen by its own admin, its member, another broker, ...
BROKER_SUBJECTS = ("visitor", "own_member", "own_admin", "other_broker", "other_org", "department", "admin")
BROKER_ORG_MATRIX = {
    #                          vis  own  own  obr  oth  dep  adm
    #                               mbr  adm
    "broker.profile_view": {
        "verified":          " Y    Y    Y    Y    Y    Y    Y ",
        "unverified":        " .    Y    Y    .    .    Y    Y ",
        "not_a_broker":      " .    .    .    .    .    .    . ",
    },
    "broker.profile_edit": {
        "verified":          " .    .    Y    .    .    .    Y ",
        "unverified":        " .    .    Y    .    .    .    Y ",
        "not_a_broker":      " .    .    .    .    .    .    . ",
    },
}

PROPOSAL_SUBJECTS = ("visitor", "buyer", "seller", "proposing_broker", "other_broker", "other_org", "department",
                     "admin")
PROPOSAL_MATRIX = {
    #                         vis  buy  sel  pbr  obr  oth  dep  adm
    "proposal.view": {status: " .    Y    Y    Y    .    .    Y    Y " for status in ("open", "accepted", "declined")},
    "proposal.respond": {
        "open":              " .    Y    Y    .    .    .    .    . ",
        "accepted":          " .    .    .    .    .    .    .    . ",
        "declined":          " .    .    .    .    .    .    .    . ",
    },
}


def _cells(text, subjects):
    cells = text.split()
    assert len(cells) == len(subjects), f"row {text!r} needs {len(subjects)} cells"
    assert set(cells) <= {"Y", "."}
    return dict(zip(subjects, (cell == "Y" for cell in cells)))


def _wrong(users, action, obj, row, subjects, where):
    return [f"{name} {action} {where}: expected {expected}, policy says {not expected}"
            for name, expected in _cells(row, subjects).items() for user in users[name]
            if can(user, action, obj) != expected]


@pytest.fixture
def deal_world(make_org, make_user, make_listing):
    """A brokered deal between a buyer and a seller, and people in every relation to it."""
    from marketplace.deals.services import open_deal
    from marketplace.extensions import db

    buyer_org, seller_org = make_org("enterprise"), make_org("institute")
    broker_org = make_org("broker", verified=True)
    users = {
        "visitor": [None, AnonymousUserMixin()],
        "buyer": [make_user(org=buyer_org, org_role="member"), make_user(org=buyer_org, org_role="admin")],
        "seller": [make_user(org=seller_org, org_role="member")],
        "deal_broker": [make_user(role="broker", org=broker_org)],
        "other_broker": [make_user(role="broker")],
        "other_org": [make_user(org_kind="enterprise")],
        "department": [make_user(role="department")],
        "admin": [make_user(role="admin")],
    }
    deal = open_deal(buyer_org=buyer_org, seller_org=seller_org, need=make_listing("need", org=buyer_org),
                     offer=make_listing("offer", org=seller_org), broker_org=broker_org, origin="proposal",
                     actor=users["deal_broker"][0])
    db.session.commit()
    return users, deal


@pytest.mark.parametrize("action", sorted(DEAL_MATRIX))
def test_deal_actions_by_relation_and_stage(action, deal_world):
    users, deal = deal_world
    assert set(DEAL_MATRIX[action]) == set(DEAL_STAGES), f"{action} needs a row for every stage"
    wrong = []
    for stage, row in DEAL_MATRIX[action].items():
        deal.stage = stage
        # a document is judged by its deal
        obj = SimpleNamespace(deal=deal) if action == "deal.document_download" else deal
        wrong += _wrong(users, action, obj, row, DEAL_SUBJECTS, f"at {stage}")
    assert wrong == []


@pytest.mark.parametrize("action", sorted(BROKER_ORG_MATRIX))
def test_broker_profile_actions(action, make_org, make_user):
    wrong = []
    for case, row in BROKER_ORG_MATRIX[action].items():
        org = make_org("enterprise" if case == "not_a_broker" else "broker", verified=case != "unverified")
        users = {
            "visitor": [None],
            "own_member": [make_user(role="broker", org=org, org_role="member")],
            "own_admin": [make_user(role="broker", org=org, org_role="admin")],
            "other_broker": [make_user(role="broker")],
            "other_org": [make_user(org_kind="enterprise")],
            "department": [make_user(role="department")],
            "admin": [make_user(role="admin")],
        }
        wrong += _wrong(users, action, org, row, BROKER_SUBJECTS, f"on a {case} organisation")
    assert wrong == []


@pytest.mark.parametrize("action", sorted(PROPOSAL_MATRIX))
def test_proposal_actions(action, make_org, make_user, make_listing):
    from marketplace.brokers.models import MatchProposal

    buyer_org, seller_org = make_org("enterprise"), make_org("institute")
    broker = make_user(role="broker")
    proposal = MatchProposal(broker_org_id=broker.org_id, buyer_org_id=buyer_org.id, seller_org_id=seller_org.id,
                             need=make_listing("need", org=buyer_org), offer=make_listing("offer", org=seller_org))
    users = {
        "visitor": [None],
        "buyer": [make_user(org=buyer_org, org_role="member")],
        "seller": [make_user(org=seller_org)],
        "proposing_broker": [broker],
        "other_broker": [make_user(role="broker")],
        "other_org": [make_user(org_kind="enterprise")],
        "department": [make_user(role="department")],
        "admin": [make_user(role="admin")],
    }
    wrong = []
    for status, row in PROPOSAL_MATRIX[action].items():
        proposal.status = status
        wrong += _wrong(users, action, proposal, row, PROPOSAL_SUBJECTS, f"on an {status} proposal")
    assert wrong == []


# --- interest, NDA, anonymous listings -----------------------------------------------------------------

# Subjects around a listing: its owner organisation, an "interested" organisation (two people: the one who
# expressed interest or accepted the NDA, and a colleague), another organisation, a broker, the department, admin.
LISTING_VARIANT_SUBJECTS = ("visitor", "owner", "interested", "other_org", "broker", "department", "admin")
# A listing set up in one way: flags, status, the interested organisation's interest, its NDA acceptance.
LISTING_VARIANTS = {
    "plain": {},
    "anonymous": {"anonymous": True},
    "anonymous, interest pending": {"anonymous": True, "interest": "pending"},
    "anonymous, interest declined": {"anonymous": True, "interest": "declined"},
    "anonymous, interest accepted": {"anonymous": True, "interest": "accepted"},
    "anonymous, interest accepted, closed": {"anonymous": True, "interest": "accepted", "status": "closed"},
    "anonymous draft": {"anonymous": True, "status": "draft"},
    "nda": {"nda": True},
    "nda, accepted": {"nda": True, "accepted": 1},
    "nda, earlier version accepted": {"nda": True, "accepted": 1, "nda_version": 2},
    "nda, accepted, expired": {"nda": True, "accepted": 1, "status": "expired"},
    "nda, accepted, withdrawn": {"nda": True, "accepted": 1, "status": "withdrawn"},
    "nda, interest accepted": {"nda": True, "interest": "accepted"},
    "nda dropped after acceptance": {"accepted": 1},
    "draft": {"status": "draft"},
    "closed": {"status": "closed"},
}
LISTING_VARIANT_MATRIX = {
    #                                        vis  own  int  oth  bro  dep  adm
    # who owns an anonymous listing: its organisation, the department, an organisation whose interest it accepted
    "listing.view_owner": {
        "plain":                            " Y    Y    Y    Y    Y    Y    Y ",
        "anonymous":                        " .    Y    .    .    .    Y    Y ",
        "anonymous, interest pending":      " .    Y    .    .    .    Y    Y ",
        "anonymous, interest declined":     " .    Y    .    .    .    Y    Y ",
        "anonymous, interest accepted":     " .    Y    Y    .    .    Y    Y ",
        "anonymous, interest accepted, closed": " .    Y    Y    .    .    Y    Y ",
        "anonymous draft":                  " .    Y    .    .    .    .    Y ",
    },
    # the confidential detail: owner, brokers, department, and those who accepted the current NDA version
    "listing.view_detail": {
        "nda":                              " .    Y    .    .    Y    Y    Y ",
        "nda, accepted":                    " .    Y    Y    .    Y    Y    Y ",
        "nda, earlier version accepted":    " .    Y    .    .    Y    Y    Y ",
        "nda, accepted, expired":           " .    Y    Y    .    Y    Y    Y ",
        "nda, accepted, withdrawn":         " .    Y    .    .    .    Y    Y ",
        "nda, interest accepted":           " .    Y    .    .    Y    Y    Y ",
        "nda dropped after acceptance":     " .    Y    .    .    Y    Y    Y ",
    },
    "nda.accept": {
        "plain":                            " .    .    .    .    .    .    . ",
        "nda":                              " .    .    Y    Y    .    .    . ",
        "nda, accepted":                    " .    .    Y    Y    .    .    . ",
        "nda, accepted, expired":           " .    .    Y    Y    .    .    . ",
        "nda, accepted, withdrawn":         " .    .    .    .    .    .    . ",
    },
    "nda.view_acceptances": {
        "nda":                              " .    Y    .    .    .    Y    Y ",
        "plain":                            " .    Y    .    .    .    Y    Y ",
    },
    "listing.view_interests": {
        "plain":                            " .    Y    .    .    .    Y    Y ",
        "anonymous, interest pending":      " .    Y    .    .    .    Y    Y ",
    },
    # organisations that trade (not the owner, a broker or the department) on a published listing
    "interest.express": {
        "plain":                            " .    .    Y    Y    .    .    . ",
        "anonymous":                        " .    .    Y    Y    .    .    . ",
        "draft":                            " .    .    .    .    .    .    . ",
        "closed":                           " .    .    .    .    .    .    . ",
    },
}

INTEREST_STATES = ("pending", "accepted", "declined", "withdrawn")
INTEREST_MATRIX = {
    #                         vis  own  int  oth  bro  dep  adm
    # the two organisations and the department; anyone else: 404
    "interest.view": {state: " .    Y    Y    .    .    Y    Y " for state in INTEREST_STATES},
    "interest.accept": {**{state: " .    .    .    .    .    .    . " for state in INTEREST_STATES},
                        "pending": " .    Y    .    .    .    .    . "},
    "interest.decline": {**{state: " .    .    .    .    .    .    . " for state in INTEREST_STATES},
                         "pending": " .    Y    .    .    .    .    . "},
    "interest.withdraw": {**{state: " .    .    .    .    .    .    . " for state in INTEREST_STATES},
                          "pending": " .    .    Y    .    .    .    . "},
}


@pytest.fixture
def interest_world(make_org, make_user):
    """An owner organisation, an interested one (two people) and everyone else, as matrix subjects."""
    owner_org, interested_org = make_org("institute"), make_org("enterprise")
    users = {
        "visitor": [None, AnonymousUserMixin()],
        "owner": [make_user(org=owner_org, org_role="member"), make_user(org=owner_org, org_role="admin")],
        "interested": [make_user(org=interested_org, org_role="member"), make_user(org=interested_org)],
        "other_org": [make_user(org_kind="enterprise")],
        "broker": [make_user(role="broker")],
        "department": [make_user(role="department")],
        "admin": [make_user(role="admin")],
    }
    return SimpleNamespace(owner_org=owner_org, interested_org=interested_org, users=users)


def _listing_variant(world, make_listing, name):
    """A fresh offer of the owner organisation set up as LISTING_VARIANTS[name] says."""
    from marketplace.extensions import db
    from marketplace.interest.models import Interest, NdaAcceptance

    setup = LISTING_VARIANTS[name]
    listing = make_listing("offer", org=world.owner_org, status="published", anonymous=setup.get("anonymous", False),
                           nda_required=setup.get("nda", False), nda_text="Thỏa thuận bảo mật")
    sender = world.users["interested"][0]
    if setup.get("interest"):
        db.session.add(Interest(listing=listing, org=world.interested_org, user=sender, message="Quan tâm",
                                state=setup["interest"]))
    if setup.get("accepted"):
        db.session.add(NdaAcceptance(listing=listing, user=sender, org_id=world.interested_org.id,
                                     version=setup["accepted"], text_digest="0" * 64))
    listing.nda_version = setup.get("nda_version", 1)
    listing.status = setup.get("status", "published")
    db.session.commit()
    return listing


@pytest.mark.parametrize("action", sorted(LISTING_VARIANT_MATRIX))
def test_interest_nda_and_anonymity_by_listing_variant(action, interest_world, make_listing):
    wrong = []
    for name, row in LISTING_VARIANT_MATRIX[action].items():
        listing = _listing_variant(interest_world, make_listing, name)
        wrong += _wrong(interest_world.users, action, listing, row, LISTING_VARIANT_SUBJECTS, f"on '{name}'")
    assert wrong == []


@pytest.mark.parametrize("action", sorted(INTEREST_MATRIX))
def test_interest_actions_by_state(action, interest_world, make_listing):
    from marketplace.extensions import db
    from marketplace.interest.models import Interest

    assert set(INTEREST_MATRIX[action]) == set(INTEREST_STATES), f"{action} needs a row for every state"
    listing = make_listing("offer", org=interest_world.owner_org)
    interest = Interest(listing=listing, org=interest_world.interested_org, user=interest_world.users["interested"][0],
                        message="Quan tâm")
    db.session.add(interest)
    wrong = []
    for state, row in INTEREST_MATRIX[action].items():
        interest.state = state
        db.session.commit()
        wrong += _wrong(interest_world.users, action, interest, row, LISTING_VARIANT_SUBJECTS, f"when {state}")
    assert wrong == []


# --- a person's own things: notifications, saved searches, followed sectors -----------------------------

# They belong to one person (here a member of the owner organisation): nobody else may open or delete them,
# not a colleague, not the department; anyone else is answered 404.
PERSONAL_MATRIX = {
    #                        vis  own  own  oth  bro  dep  adm
    #                             mbr  adm  org
    "notification.open":    " .    Y    .    .    .    .    . ",
    "alert.delete":         " .    Y    .    .    .    .    . ",
}


@pytest.mark.parametrize("action", sorted(PERSONAL_MATRIX))
def test_personal_actions(action, subjects, db):
    from marketplace.notifications.models import Notification, SavedSearch, SectorFollow

    owner = subjects["owner_member"][0]
    objects = {
        "notification.open": [Notification(user_id=owner.id, kind="test", params={}, url="/")],
        "alert.delete": [SavedSearch(user_id=owner.id, q="máy sấy", args={"q": "máy sấy"}, signature="q=m%C3%A1y"),
                         SectorFollow(user_id=owner.id, sector_code="202")],
    }[action]
    db.session.add_all(objects)
    db.session.commit()
    wrong = []
    for obj in objects:
        wrong += _mismatches(subjects, action, obj, PERSONAL_MATRIX[action], f"on a {type(obj).__name__}")
    assert wrong == []
