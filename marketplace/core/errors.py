"""The error a service raises when input breaks a rule, and the app's error pages."""
from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _


class ValidationError(Exception):
    """Input that breaks a rule; `errors` maps a field name (or None) to messages."""

    def __init__(self, message=None, field=None, errors=None):
        self.errors = dict(errors or {})
        if message:
            self.errors.setdefault(field, []).append(str(message))
        super().__init__("; ".join(m for msgs in self.errors.values() for m in msgs))

    def apply_to(self, form):
        """Copy the messages onto a WTForms form's fields; returns messages that fit no field."""
        leftovers = []
        for name, messages in self.errors.items():
            field = getattr(form, name, None) if name else None
            if field is not None and hasattr(field, "errors"):
                field.errors = list(field.errors or []) + list(messages)
            else:
                leftovers.extend(messages)
        return leftovers


def answers_json(view):
    """Mark a view outside the API that answers JSON (the navigation badge's count): its errors, and the
    "sign in first" a visitor gets, come as JSON too, in the API's error body."""
    view.answers_json = True
    return view


def wants_json():
    """True when this request's answer is JSON: the API, the health check, a view marked `answers_json`."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, "answers_json", False))


def register_error_pages(app):
    """Render 400/401/403/404/405/413/429/500 as pages, or JSON under /api/ (and from views answering JSON)."""
    messages = {
        400: lambda: _("The request could not be understood."),
        401: lambda: _("Please sign in to continue."),
        403: lambda: _("You are not allowed to do that."),
        404: lambda: _("This page does not exist or is not available to you."),
        405: lambda: _("This action is not allowed here."),
        413: lambda: _("The file is too large (10 MB at most)."),
        429: lambda: _("Too many attempts. Please wait a minute and try again."),
        500: lambda: _("Something went wrong on our side. Your data is safe; please try again."),
    }

    def handler(code):
        def handle(error):
            if code == 500:
                from marketplace.extensions import db

                db.session.rollback()
            message = messages[code]()
            description = getattr(error, "description", None)
            if wants_json():
                payload = {"error": {"code": code, "message": message}}
                if code == 400 and isinstance(description, str):
                    payload["error"]["message"] = description
                return jsonify(payload), code
            return render_template("errors/error.html", code=code, message=message), code

        return handle

    for code in messages:
        app.register_error_handler(code, handler(code))
