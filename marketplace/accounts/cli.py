"""`flask users create EMAIL --role ROLE --org NAME [--password-stdin]`."""
import sys

import click
from flask.cli import AppGroup

from marketplace.accounts import services
from marketplace.accounts.models import ORG_KINDS
from marketplace.core.errors import ValidationError
from marketplace.core.policy import ROLES

users_cli = AppGroup("users", help="Accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--org", "org_name", default=None, help="Organisation name; created when missing.")
@click.option("--org-kind", type=click.Choice(ORG_KINDS), default=None, help="Kind of a new organisation.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email, role, org_name, org_kind, password_stdin):
    """Create an account (the password is asked for, or read from standard input)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, password, role, org_name, org_kind)
    except ValidationError as exc:
        raise click.ClickException(str(exc))
    org = f" in {user.org.name}" if user.org else ""
    click.echo(f"Created {user.email} ({user.role}){org}.")
