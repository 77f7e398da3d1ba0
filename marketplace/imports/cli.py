"""`flask listings import FILE [--actor EMAIL] [--dry-run]`."""
import click

from marketplace.imports import services


def register_import_commands(group):
    """Attach the import command to the `listings` command group."""

    @group.command("import")
    @click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
    @click.option("--actor", metavar="EMAIL", help="The account the import is recorded under.")
    @click.option("--dry-run", is_flag=True, help="Check the file and report, without saving anything.")
    def import_command(path, actor, dry_run):
        """Import offers, needs and IP assets from a CSV, XLSX or JSON file (one row per listing).

        Rows whose kind and ref are already on the exchange update those listings. If any row is bad,
        nothing is saved and every bad row is listed.
        """
        from marketplace.accounts.services import find_user_by_email

        user = None
        if actor:
            user = find_user_by_email(actor)
            if user is None:
                raise click.ClickException(f"No account with the e-mail address {actor}.")
        report = services.import_listings(path, actor=user, dry_run=dry_run)
        if not report.ok:
            for row, message in report.errors:
                click.echo(f"row {row}: {message}" if row else message, err=True)
            summary = f"{report.filename}: nothing imported"
            if report.bad_rows:
                summary += f"; {report.bad_rows} of {report.rows} rows have problems"
            click.echo(summary + ".", err=True)
            raise SystemExit(1)
        verb = "would be" if dry_run else "were"
        click.echo(f"{report.filename}: {report.rows} rows read; {report.created} listings {verb} created, "
                   f"{report.updated} updated, {report.orgs_created} organisations {verb} created.")
        if dry_run:
            click.echo("Dry run: nothing was saved.")
