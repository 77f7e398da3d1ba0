"""`flask listings ...`: expiry and reminders, import."""
import click
from flask.cli import AppGroup

from marketplace.listings import services

listings_cli = AppGroup("listings", help="Offers, needs and IP assets.")


@listings_cli.command("expire")
def expire_command():
    """Expire listings past their date and remind owners of those expiring soon (run daily)."""
    expired, reminded = services.expire_and_remind()
    click.echo(f"{expired} listings expired, {reminded} owners reminded.")
