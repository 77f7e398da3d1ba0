"""`flask matching rebuild`: recompute every suggestion from the database."""
import click
from flask.cli import with_appcontext

from marketplace.matching import services


@click.group("matching")
def matching_cli():
    """Matchmaking between needs and offers."""


@matching_cli.command("rebuild")
@with_appcontext
def rebuild_command():
    """Recompute every suggestion (needs' offers, offers' needs), with a progress bar."""
    bar = None

    def progress(done, total):
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Matching listings")
            bar.__enter__()
        bar.update(1)

    try:
        kept = services.rebuild(progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"{kept} suggestions kept.")
