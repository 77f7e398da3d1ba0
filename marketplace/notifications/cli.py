"""`flask notifications digest` (from cron at scale) and `flask notifications announce` (missed alerts)."""
import click
from flask.cli import with_appcontext

from marketplace.notifications import alerts, delivery


@click.group("notifications")
def notifications_cli():
    """Notification e-mail and new-listing alerts."""


@notifications_cli.command("digest")
@with_appcontext
def digest_command():
    """Send today's digests: one e-mail per person with what they have neither read nor been e-mailed."""
    sent = delivery.send_digests()
    click.echo(f"{sent} digests sent.")


@notifications_cli.command("announce")
@with_appcontext
def announce_command():
    """Announce listings published lately that no alert has announced yet (the index must hold them)."""
    made = alerts.announce_missed()
    click.echo(f"{made} notifications made.")
