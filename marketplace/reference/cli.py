"""`flask reference load [--sectors FILE] [--localities FILE]`: replace or update the reference tables."""
import click
from flask.cli import AppGroup

from marketplace.core.errors import ValidationError
from marketplace.reference import services

reference_cli = AppGroup("reference", help="Sectors and localities.")


@reference_cli.command("load")
@click.option("--sectors", "sectors_file", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--localities", "localities_file", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--if-empty", is_flag=True, help="Only load a table that is empty (keeps the department's edits).")
def load_command(sectors_file, localities_file, if_empty):
    """Load sectors and localities from CSV files (the shipped ones by default)."""
    if if_empty:
        services.ensure_reference_data()
        click.echo("Reference data present.")
        return
    try:
        n_sectors = services.load_sectors(sectors_file or services.SECTORS_FILE)
        n_localities = services.load_localities(localities_file or services.LOCALITIES_FILE)
    except ValidationError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{n_sectors} sectors, {n_localities} localities loaded.")
