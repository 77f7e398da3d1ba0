"""`flask search …`: rebuild the index, apply waiting changes, run a worker, load the glossary."""
import time

import click
from flask.cli import AppGroup

from marketplace.search import glossary, services
from marketplace.search.outbox import apply_pending, pending_count

search_cli = AppGroup("search", help="Search index commands.")


@search_cli.command("reindex")
@click.option("--if-missing", is_flag=True, help="Only build the index when there is none yet.")
def reindex_command(if_missing):
    """Rebuild the search index from the database; the old index serves until the new one is ready."""
    backend = services.get_backend()
    if if_missing and backend.exists():
        click.echo("The search index exists; nothing to do.")
        return
    bar = None

    def progress(done, total):
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label="Indexing", show_pos=True)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        count = services.reindex(progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"Indexed {count} documents ({backend.name}).")


@search_cli.command("apply")
def apply_command():
    """Apply the changes waiting in the outbox (after a crash, or when no worker runs)."""
    click.echo(f"Applied {apply_pending()} changes; {pending_count()} waiting.")


@search_cli.command("worker")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between looks at the outbox.")
def worker_command(interval):
    """Keep applying the outbox (SEARCH_APPLY=worker, at scale). Stop with Ctrl-C."""
    click.echo("Search worker started.")
    while True:
        try:
            applied = apply_pending()
        except Exception as exc:  # a lock timeout or a database hiccup: the rows stay, try again
            click.echo(f"apply failed, retrying: {exc}", err=True)
            applied = 0
        if not applied:
            time.sleep(interval)


@search_cli.command("status")
def status_command():
    """Say whether the index answers and how many changes wait."""
    status, detail = services.health()
    click.echo(f"{status}: {detail}")


@search_cli.command("load-glossary")
@click.option("--replace", is_flag=True, help="Reload the shipped entries (the department's own stay).")
def load_glossary_command(replace):
    """Copy the shipped glossary and abbreviations into the database, where the department extends them."""
    click.echo(f"Added {glossary.load_shipped(replace=replace)} glossary entries.")
