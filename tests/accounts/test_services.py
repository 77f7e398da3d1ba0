"""Rules of accounts: registration, sign-in, reset tokens, profiles, organisations and their members."""
import pytest

from marketplace.accounts import services
from marketplace.accounts.models import Organization, User
from marketplace.core.errors import ValidationError
from marketplace.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "mat-khau-moi-456"


def register(**changes):
    """Call services.register with valid arguments, some changed."""
    args = {"email": "an@cokhiphuly.vn", "password": NEW_PASSWORD, "full_name": "Nguyễn Văn An",
            "org_name": "Công ty TNHH Cơ khí Phủ Lý", "org_kind": "enterprise", "tax_code": "0700123456",
            "locality_code": "phu-ly", "phone": "0912 345 678"}
    args.update(changes)
    return services.register(**args)


@pytest.mark.parametrize("raw, clean", [("0700123456", "0700123456"), ("0700123456-001", "0700123456-001"),
                                        (" 0700 123 456 ", "0700123456"), ("", None), (None, None)])
def test_check_tax_code_accepts(app, raw, clean):
    assert services.check_tax_code(raw) == clean


@pytest.mark.parametrize("raw", ["070012345", "07001234567", "07001234AB", "0700123456-01", "0700123456-0001",
                                 "0700123456/001", "-001"])
def test_check_tax_code_refuses(app, raw):
    with pytest.raises(ValidationError) as exc:
        services.check_tax_code(raw)
    assert "tax_code" in exc.value.errors


def test_register_makes_the_person_admin_of_a_new_organisation(app):
    user = register(email=" An@CoKhiPhuLy.VN ")

    assert user.email == "an@cokhiphuly.vn"
    assert user.org_role == "admin" and user.role == "member"
    assert user.org.kind == "enterprise" and user.org.email == ""  # a person's own e-mail is not made public
    assert user.org.slug
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_register_a_broker_gives_the_broker_role(app):
    assert register(org_kind="broker").role == "broker"


def test_register_collects_every_error_and_writes_nothing(app):
    with pytest.raises(ValidationError) as exc:
        register(email="not-an-email", password="short", full_name=" ", org_name="", org_kind="department",
                 tax_code="123")

    assert set(exc.value.errors) >= {"email", "password", "full_name", "org_name", "org_kind", "tax_code"}
    assert db.session.scalars(db.select(User)).all() == []
    assert db.session.scalars(db.select(Organization)).all() == []


def test_register_refuses_a_known_email_and_a_taken_tax_code(app, make_user, make_org):
    make_user(email="an@cokhiphuly.vn")
    make_org(tax_code="0700123456")

    with pytest.raises(ValidationError) as exc:
        register()

    assert set(exc.value.errors) == {"email", "tax_code"}


def test_a_second_organisation_cannot_take_an_existing_name(app):
    first = register(tax_code=None)
    with pytest.raises(ValidationError) as caught:
        register(email="binh@cokhiphuly.vn", tax_code=None, org_name=first.org.name.upper())
    assert "org_name" in caught.value.errors


def test_names_that_fold_alike_get_different_slugs(app):
    first = register(tax_code=None, org_name="Cơ khí Phủ Lý")
    second = register(email="binh@cokhiphuly.vn", tax_code=None, org_name="Co khi Phu Ly")
    assert first.org.slug != second.org.slug


def test_authenticate(app, make_user):
    user = make_user()

    assert services.authenticate(user.email.upper(), PASSWORD) == user
    assert services.authenticate(user.email, "sai-mat-khau") is None
    assert services.authenticate("nobody@example.vn", PASSWORD) is None
    assert services.authenticate(user.email, None) is None
    user.active = False
    db.session.commit()
    assert services.authenticate(user.email, PASSWORD) is None


def test_reset_token_names_its_user_until_the_password_changes(app, make_user):
    user = make_user()
    token = services.make_reset_token(user)

    assert services.user_from_reset_token(token) == user
    services.reset_password(user, NEW_PASSWORD)
    assert services.user_from_reset_token(token) is None


def test_reset_token_expires(app, make_user):
    user = make_user()
    token = services.make_reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1

    assert services.user_from_reset_token(token) is None


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", None])
def test_bad_reset_tokens_name_nobody(app, token):
    assert services.user_from_reset_token(token) is None


def test_reset_token_of_another_secret_is_refused(app, make_user):
    user = make_user()
    token = services.make_reset_token(user)
    app.config["SECRET_KEY"] = "another-secret"

    assert services.user_from_reset_token(token) is None


def test_request_password_reset_sends_nothing_for_unknown_or_disabled_accounts(app, make_user):
    user = make_user()
    user.active = False
    db.session.commit()

    assert services.request_password_reset("nobody@example.vn") is None
    assert services.request_password_reset(user.email) is None


def test_reset_password_refuses_a_short_one(app, make_user):
    user = make_user()

    with pytest.raises(ValidationError):
        services.reset_password(user, "ngan")
    assert user.check_password(PASSWORD)


def test_change_password_checks_the_current_one(app, make_user):
    user = make_user()

    with pytest.raises(ValidationError) as exc:
        services.change_password(user, "sai-mat-khau", NEW_PASSWORD)
    assert "current_password" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.change_password(user, PASSWORD, "ngan")
    assert "new_password" in exc.value.errors

    services.change_password(user, PASSWORD, NEW_PASSWORD)
    assert user.check_password(NEW_PASSWORD)


def test_update_profile(app, make_user):
    user = make_user()

    services.update_profile(user, "  Trần   Thị Bình ", "0226 111", "fr")

    assert (user.full_name, user.phone, user.locale) == ("Trần Thị Bình", "0226 111", "vi")
    with pytest.raises(ValidationError):
        services.update_profile(user, " ", "", "en")


def test_update_org_checks_name_tax_code_and_website(app, make_org):
    org = make_org(tax_code="0700123456")
    make_org(tax_code="0700999888")

    with pytest.raises(ValidationError) as exc:
        services.update_org(org, {"name": "", "tax_code": "0700999888", "website": "vien.vn"})
    assert set(exc.value.errors) == {"name", "tax_code", "website"}
    with pytest.raises(ValidationError) as exc:
        services.update_org(org, {"name": "Viện", "tax_code": "12"})
    assert set(exc.value.errors) == {"tax_code"}

    services.update_org(org, {"name": "Viện Mới", "tax_code": "", "website": "https://vien.vn",
                              "locality_code": "", "description": "  Giới thiệu  "})
    assert (org.name, org.tax_code, org.website, org.locality_code, org.description) == (
        "Viện Mới", None, "https://vien.vn", None, "Giới thiệu")


def test_update_org_keeps_its_own_tax_code(app, make_org):
    org = make_org(tax_code="0700123456")

    services.update_org(org, {"name": org.name, "tax_code": "0700123456"})

    assert org.tax_code == "0700123456"


def test_add_member_takes_the_role_from_the_organisation(app, make_org):
    broker = make_org("broker")
    enterprise = make_org("enterprise")

    assert services.add_member(broker, "a@moigioi.vn", "A", NEW_PASSWORD).role == "broker"
    member = services.add_member(enterprise, "b@congty.vn", "B", NEW_PASSWORD, "admin")
    assert member.role == "member" and member.org_role == "admin" and member.org == enterprise


def test_add_member_refuses_bad_input(app, make_org, make_user):
    org = make_org()
    taken = make_user()

    with pytest.raises(ValidationError) as exc:
        services.add_member(org, taken.email, "X", "ngan", "owner")
    assert set(exc.value.errors) == {"email", "org_role"}
    with pytest.raises(ValidationError) as exc:
        services.add_member(org, "moi@example.vn", "\u200b", "ngan")
    assert set(exc.value.errors) == {"full_name", "password"}
    assert org.members == []


def test_a_removed_member_can_be_added_again_with_their_own_account(app, make_user):
    admin = make_user()
    member = services.add_member(admin.org, "lan@example.vn", "Lan", "mat-khau-cua-lan")
    services.remove_member(admin.org, member, admin)
    again = services.add_member(admin.org, "lan@example.vn", "", "", "member")
    assert again.id == member.id and again.org == admin.org
    assert again.check_password("mat-khau-cua-lan")


def test_an_organisation_keeps_one_admin(app, make_user):
    admin = make_user()
    org = admin.org
    member = make_user(org=org, org_role="member")

    with pytest.raises(ValidationError):
        services.set_member_role(org, admin, "member", admin)
    with pytest.raises(ValidationError):
        services.remove_member(org, admin, admin)

    services.set_member_role(org, member, "admin", admin)
    services.set_member_role(org, admin, "member", member)
    assert admin.org_role == "member" and member.org_role == "admin"


def test_remove_member_leaves_the_account_without_an_organisation(app, make_user):
    admin = make_user(role="broker", org_kind="broker")
    broker = make_user(role="broker", org=admin.org, org_role="member")

    services.remove_member(admin.org, broker, admin)

    assert broker.org is None and broker.role == "member"
    assert services.authenticate(broker.email, PASSWORD) == broker


def test_members_of_other_organisations_are_refused(app, make_user):
    admin = make_user()
    stranger = make_user()

    with pytest.raises(ValidationError):
        services.set_member_role(admin.org, stranger, "admin", admin)
    with pytest.raises(ValidationError):
        services.remove_member(admin.org, stranger, admin)


def test_list_orgs_filters_by_kind_and_folded_name(app, make_org):
    make_org("university", name="Trường Đại học Hà Nam")
    make_org("enterprise", name="Công ty Đông Á")

    assert [o.name for o in services.list_orgs()] == ["Công ty Đông Á", "Trường Đại học Hà Nam"]
    assert [o.name for o in services.list_orgs(kind="university")] == ["Trường Đại học Hà Nam"]
    assert [o.name for o in services.list_orgs(q="DONG a")] == ["Công ty Đông Á"]
    assert services.list_orgs(q="không có") == []


def test_create_user_makes_the_organisation_when_missing(app, make_org):
    existing = make_org(name="Viện Cơ điện")

    first = services.create_user("a@b.vn", NEW_PASSWORD, "department", "Sở KH&CN")
    joined = services.create_user("c@d.vn", NEW_PASSWORD, "member", "viện cơ điện")

    assert first.org.kind == "department" and first.org_role == "admin"
    assert joined.org == existing and joined.org_role == "admin"
    assert services.create_user("e@f.vn", NEW_PASSWORD, "broker", "Sở KH&CN").org_role == "member"
    assert services.create_user("g@h.vn", NEW_PASSWORD, "admin", None).org is None


def test_tax_codes_take_ascii_digits_only(app):
    import pytest

    from marketplace.accounts.services import check_tax_code
    from marketplace.core.errors import ValidationError

    assert check_tax_code("0700123456-001") == "0700123456-001"
    for typed in ("０７００１２３４５６", "٠٧٠٠١٢٣٤٥٦"):
        with pytest.raises(ValidationError):
            check_tax_code(typed)


def test_renaming_a_verified_organisation_clears_the_mark(app, make_org):
    from marketplace.accounts.services import update_org

    org = make_org("broker", name="Trung tâm Xúc tiến", verified=True)
    update_org(org, {"name": "Trung tâm Xúc tiến", "description": "Mô tả mới"})
    assert org.verified  # same name and tax code: still verified
    update_org(org, {"name": "Sở Khoa học và Công nghệ (giả)"})
    assert not org.verified


def test_reset_link_uses_the_public_address_not_the_host_header(app, client, make_user):
    import email
    import email.policy
    import os

    app.config["PUBLIC_URL"] = "https://sangiaodich.example.vn"
    user = make_user()
    client.post("/password/forgot", data={"email": user.email}, headers={"Host": "evil.example"})
    outbox = app.config["MAIL_OUTBOX"]
    (name,) = os.listdir(outbox)
    with open(os.path.join(outbox, name), "rb") as fh:
        mail = email.message_from_bytes(fh.read(), policy=email.policy.default).get_content()
    assert "https://sangiaodich.example.vn/password/reset/" in mail
    assert "evil.example" not in mail


def test_organisation_names_match_whatever_the_case_of_vietnamese_letters(app, make_org):
    from marketplace.accounts.services import find_org_by_name

    org = make_org("university", name="Đại học Hà Nam")
    assert find_org_by_name("đại HỌC hà nam") == org
    assert find_org_by_name("Đại học Hà Nội") is None


def test_no_one_can_take_over_an_account_that_belongs_to_no_organisation(app, make_user, make_org):
    admin = make_user()
    member = services.add_member(admin.org, "lan2@example.vn", "Lan", "mat-khau-cua-lan")
    services.remove_member(admin.org, member, admin)
    stranger = make_user()  # admin of another organisation
    with pytest.raises(ValidationError):
        services.add_member(stranger.org, "lan2@example.vn", "", "", "admin")
    assert member.org is None
