"""`flask users create`."""
import pytest
from flask_babel import gettext as _

from marketplace.accounts.models import Organization, User
from marketplace.extensions import db

NEW_PASSWORD = "mat-khau-moi-456"


def find_user(email):
    """The user with this e-mail address, or None."""
    return db.session.scalar(db.select(User).where(User.email == email))


def test_create_a_department_account_with_the_password_from_stdin(runner):
    result = runner.invoke(args=["users", "create", "a@b.vn", "--role", "department", "--org", "Sở KH&CN",
                                 "--password-stdin"], input="password\n")

    assert result.exit_code == 0, result.output
    assert "a@b.vn" in result.output
    user = find_user("a@b.vn")
    assert user.role == "department"
    assert user.org.name == "Sở KH&CN" and user.org.kind == "department"
    assert user.org_role == "admin"
    assert user.check_password("password")
    assert user.password_hash.startswith("scrypt:")


def test_created_account_can_sign_in(app, runner):
    runner.invoke(args=["users", "create", "an@vien.vn", "--org", "Viện Cơ điện", "--org-kind", "institute",
                        "--password-stdin"], input=NEW_PASSWORD + "\n")

    response = app.test_client().post("/login", data={"email": "an@vien.vn", "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert find_user("an@vien.vn").org.kind == "institute"


def test_password_is_asked_twice_without_stdin(runner):
    result = runner.invoke(args=["users", "create", "c@d.vn", "--role", "admin"],
                           input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    user = find_user("c@d.vn")
    assert user.role == "admin" and user.org is None


def test_the_account_joins_an_existing_organisation(runner, make_user):
    admin = make_user(role="broker", org_kind="broker")

    result = runner.invoke(args=["users", "create", "e@f.vn", "--role", "broker", "--org", admin.org.name.upper(),
                                 "--password-stdin"], input=NEW_PASSWORD + "\n")

    assert result.exit_code == 0, result.output
    user = find_user("e@f.vn")
    assert user.org_id == admin.org_id and user.org_role == "member"
    assert db.session.scalar(db.select(db.func.count()).select_from(Organization)) == 1


def test_an_unknown_role_is_refused(runner):
    result = runner.invoke(args=["users", "create", "a@b.vn", "--role", "king", "--password-stdin"],
                           input="password\n")

    assert result.exit_code != 0
    assert "king" in result.output and "member" in result.output
    assert find_user("a@b.vn") is None


def test_a_known_email_is_refused(runner, make_user):
    make_user(email="a@b.vn")

    result = runner.invoke(args=["users", "create", "A@B.vn", "--password-stdin"], input="password\n")

    assert result.exit_code != 0
    # the command speaks the default language; compare with the same message in it
    assert _("This e-mail address is already registered.") in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


@pytest.mark.parametrize("password", ["ngan", ""])
def test_a_short_password_is_refused(runner, password):
    result = runner.invoke(args=["users", "create", "a@b.vn", "--org", "Công ty Mới", "--password-stdin"],
                           input=password + "\n")

    assert result.exit_code != 0
    assert _("The password must have at least %(n)s characters.", n=8) in result.output
    assert find_user("a@b.vn") is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Organization)) == 0


def test_a_bad_email_is_refused(runner):
    result = runner.invoke(args=["users", "create", "not-an-email", "--password-stdin"], input="password\n")

    assert result.exit_code != 0
    assert _("Enter a valid e-mail address.") in result.output
