"""The department's page for the reference tables: see them, load a replacement file."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from marketplace.core.errors import ValidationError
from marketplace.core.policy import requires
from marketplace.reference import bp, services
from marketplace.reference.forms import ReferenceUploadForm


@bp.route("/reference", methods=["GET", "POST"])
@requires("reference.manage")
def manage():
    """Show sectors and localities; load a CSV that adds or updates rows."""
    form = ReferenceUploadForm()
    if form.validate_on_submit():
        try:
            count = services.load_table(form.table.data, form.file.data.read())
        except ValidationError as exc:
            for message in exc.apply_to(form):
                form.file.errors = list(form.file.errors) + [message]
        else:
            flash(_("%(n)s rows loaded.", n=count), "success")
            return redirect(url_for("reference.manage"))
    return render_template("reference/manage.html", form=form, groups=services.sector_groups(),
                           localities=services.all_localities())
