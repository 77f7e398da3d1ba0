"""The search page, and the department's glossary page."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.core.errors import ValidationError
from marketplace.core.policy import public, requires
from marketplace.search import bp, glossary, services
from marketplace.search.forms import GlossaryEntryForm, GlossaryFilterForm
from marketplace.search.models import GLOSSARY_KIND_LABELS


GLOSSARY_PAGE = 200  # entries listed at once; Find reaches the others


@bp.route("/search")
@public
def search():
    """One search box over published offers, needs, IP assets and organisations, with facets."""
    args = services.parse_search_args(request.args)
    results = services.search(args)
    return render_template("search/results.html", args=args, results=results,
                           panels=services.facet_panels(results))


@bp.route("/search/glossary", methods=["GET", "POST"])
@requires("glossary.manage")
def glossary_page():
    """The terms search also reads: English terms, symptoms, abbreviations; the department adds and removes."""
    form = GlossaryEntryForm()
    filter_form = GlossaryFilterForm(request.args, meta={"csrf": False})
    if form.validate_on_submit():
        try:
            glossary.add_entry(form.kind.data, form.term.data, form.expansion.data)
        except ValidationError as exc:
            for message in exc.apply_to(form):
                flash(message, "danger")
        else:
            flash(_("Added: %(term)s → %(expansion)s", term=form.term.data, expansion=form.expansion.data),
                  "success")
            return redirect(url_for("search.glossary_page"))
    entries = glossary.entries(filter_form.q.data or "", filter_form.kind.data or "")
    return render_template("search/glossary.html", form=form, filter_form=filter_form, entries=entries,
                           kind_labels=GLOSSARY_KIND_LABELS, shown=GLOSSARY_PAGE)


@bp.route("/search/glossary/<int:entry_id>/delete", methods=["POST"])
@requires("glossary.manage")
def glossary_delete(entry_id):
    """Remove a glossary entry."""
    entry = glossary.get_entry(entry_id)
    if entry is None:
        flash(_("That entry no longer exists."), "warning")
    else:
        glossary.delete_entry(entry)
        flash(_("Removed: %(term)s → %(expansion)s", term=entry.term, expansion=entry.expansion), "success")
    return redirect(url_for("search.glossary_page"))
