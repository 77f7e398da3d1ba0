"""Strict checks of query-string parameters, for the JSON API and anything that must refuse what it ignores."""
import re

from flask_babel import gettext as _

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_params(args, allowed=()):
    """Errors (field -> messages) for parameters not in `allowed`, given twice, or holding control characters."""
    errors = {}
    for key in args.keys():
        values = args.getlist(key) if hasattr(args, "getlist") else [args.get(key)]
        if key not in allowed:
            errors.setdefault(key, []).append(_("Unknown parameter."))
        elif len(values) > 1:
            errors.setdefault(key, []).append(_("Give this parameter only once."))
        elif any(_CONTROL.search(str(v or "")) for v in values):
            errors.setdefault(key, []).append(_("The value contains control characters."))
    return errors
