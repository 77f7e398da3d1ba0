"""The department's import page and the CSV template."""
from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from marketplace.core.policy import requires
from marketplace.extensions import csrf
from marketplace.imports import services
from marketplace.imports.forms import ImportForm

bp = Blueprint("imports", __name__)
MAX_SHOWN_ERRORS = 500


@bp.route("/import", methods=["GET", "POST"])
@requires("listing.import")
def upload():
    """The import form; after a POST, the import's report (counts, or the bad rows)."""
    too_large = _parse_upload()
    form = ImportForm(formdata=None) if too_large else ImportForm()
    report = None
    if too_large:
        form.file.errors = [_("The file is larger than %(mb)s MB. Split it into smaller files.",
                              mb=services.max_bytes() // (1024 * 1024))]
    elif form.validate_on_submit():
        upload_file = form.file.data
        report = services.import_listings(upload_file.stream, upload_file.filename, actor=current_user,
                                          dry_run=form.dry_run.data)
    return render_template("imports/upload.html", form=form, report=report, columns=services.COLUMNS,
                           max_mb=services.max_bytes() // (1024 * 1024), max_rows=services.max_rows(),
                           max_shown=MAX_SHOWN_ERRORS, default_days=current_app.config.get("LISTING_DEFAULT_DAYS", 365))


# The app-wide request limit is sized for attachments; an import file may be larger. The limit must be raised
# before anything reads the body, so this view is exempt from the global CSRF hook and checks CSRF itself.
csrf.exempt(upload)


def _parse_upload():
    """Read the posted form under the import's own size limit, then check CSRF; True when the file is too large."""
    if request.method != "POST":
        return False
    request.max_content_length = services.max_bytes() + 1024 * 1024  # room for the form's other fields
    try:
        request.files  # noqa: B018 - parse the body now, under the limit set above
    except RequestEntityTooLarge:
        return True
    if current_app.config.get("WTF_CSRF_ENABLED", True) and current_app.config.get("WTF_CSRF_CHECK_DEFAULT", True):
        csrf.protect()
    return False


@bp.route("/import/template.csv")
@requires("listing.import")
def template():
    """A CSV file with every column and two example rows, to fill in."""
    return Response(services.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=import-template.csv"})
