"""`flask demo load [--if-empty]` fills an empty database with demo data; `flask demo accounts` lists the
accounts to sign in with."""
import click
from flask.cli import AppGroup

from marketplace.demo import data, services

demo_cli = AppGroup("demo", help="Demo data.")

WARNING = ("WARNING: these accounts and their password are for demonstration only. Do not load demo data into a "
           "real exchange, or change the passwords first.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True,
              help="When the database already holds data, print a note and succeed instead of failing.")
def load_command(if_empty):
    """Fill an empty database with Vietnamese demo data: organisations, offers, needs, IP assets, accounts."""
    try:
        counts = services.load_demo()
    except services.DatabaseNotEmpty:
        if if_empty:
            click.echo("The database already holds organisations or listings; demo data not loaded.")
            return
        raise click.ClickException(
            "The database is not empty: demo data is loaded only into an empty database "
            "(use --if-empty to skip quietly).")
    click.echo(
        f"Demo data loaded: {counts['org']} organisations, {counts['offer']} offers, {counts['need']} needs, "
        f"{counts['ip']} IP assets, {counts.get('deal', 0)} deals, {counts['account']} demo accounts.")
    click.echo("See the accounts with: flask demo accounts")


@demo_cli.command("accounts")
def accounts_command():
    """Print the demo accounts (role, e-mail, password, organisation) as a table."""
    accounts = services.demo_accounts()
    if not accounts:
        click.echo("No demo accounts in this database (`flask demo load` adds them to an empty database).")
        return
    rows = [("ROLE", "E-MAIL", "PASSWORD", "NAME", "ORGANISATION")]
    for account in accounts:
        role = account.role if account.role != "member" else f"member ({account.org_kind})"
        password = data.DEMO_PASSWORD if account.password_works else "(changed)"
        rows.append((role, account.email, password, account.full_name, account.org_name))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    click.echo("Demo accounts — sign in at /login:")
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]
        click.echo("  " + "  ".join(cells).rstrip())
    click.echo(WARNING)
