"""Sàn giao dịch công nghệ: the application factory."""
import logging
import os

from flask import Flask, has_request_context, session
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from marketplace.config import load_config
from marketplace.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config=None):
    """Build the app: settings from the environment, then `config` on top (tests pass theirs)."""
    config = dict(config or {})
    instance_path = os.path.abspath(
        config.pop("INSTANCE_PATH", None) or os.environ.get("INSTANCE_PATH") or os.path.join(ROOT, "instance")
    )
    os.makedirs(instance_path, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    app.config.update(load_config(instance_path))
    app.config.update(config)
    app.config["INSTANCE_PATH"] = instance_path
    app.url_map.converters["int"] = BoundedIntConverter
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)
    if app.config["ENV_NAME"] not in ("development", "dev") and not app.config.get("SECRET_KEY_FROM_ENV") \
            and "SECRET_KEY" not in config:
        logging.getLogger(__name__).warning(
            "SECRET_KEY is not set: using a key kept in %s. Set SECRET_KEY when several servers serve the exchange.",
            instance_path)
    if app.config["ENV_NAME"] not in ("development", "dev") and not app.config.get("PUBLIC_URL") \
            and "PUBLIC_URL" not in config:
        logging.getLogger(__name__).warning(
            "PUBLIC_URL is not set: links in e-mail (password reset, reminders) will point to http://127.0.0.1:5000.")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_template_helpers(app)

    from marketplace.core import daily, security
    from marketplace.core.errors import register_error_pages

    register_error_pages(app)
    security.init_app(app)
    daily.init_app(app)
    from marketplace.matching.services import register_hooks
    from marketplace.search.outbox import register_events

    register_events()
    register_hooks()
    from marketplace import notifications

    notifications.init_app(app)
    return app


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that only matches ids a database integer can hold: larger numbers answer 404, not 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def select_locale():
    """The interface language: the visitor's choice, then the account's, then Vietnamese."""
    if not has_request_context():  # CLI commands and jobs: messages in the default language
        return "vi"
    lang = session.get("lang")
    if lang in ("vi", "en"):
        return lang
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.locale if current_user.locale in ("vi", "en") else "vi"
    return "vi"


def _init_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=os.path.join(ROOT, "translations"))
    limiter.init_app(app)

    from marketplace.accounts.models import User
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    from marketplace.core.policy import sign_in_first

    login_manager.unauthorized_handler(sign_in_first)

    @login_manager.user_loader
    def load_user(session_id):
        user_id, _sep, key = str(session_id).partition(":")
        try:
            user = db.session.get(User, int(user_id))
        except (TypeError, ValueError, OverflowError):
            return None
        if user is None or key != user.session_key:
            return None  # the password changed since this session began
        return user

    # import every model so that metadata (and Alembic) see all tables
    import marketplace.accounts.models  # noqa: F401
    import marketplace.brokers.models  # noqa: F401
    import marketplace.deals.models  # noqa: F401
    import marketplace.interest.models  # noqa: F401
    import marketplace.listings.models  # noqa: F401
    import marketplace.matching.models  # noqa: F401
    import marketplace.notifications.models  # noqa: F401
    import marketplace.reference.models  # noqa: F401
    import marketplace.search.models  # noqa: F401


def _register_blueprints(app):
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.api.views import bp as api_bp
    from marketplace.brokers.views import bp as brokers_bp
    from marketplace.deals.views import bp as deals_bp
    from marketplace.imports.views import bp as imports_bp
    from marketplace.interest.views import bp as interest_bp
    from marketplace.listings.views import bp as listings_bp
    from marketplace.main.views import bp as main_bp
    from marketplace.notifications.views import bp as notifications_bp
    from marketplace.reference.views import bp as reference_bp
    from marketplace.search.views import bp as search_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(interest_bp)
    app.register_blueprint(reference_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(brokers_bp)
    app.register_blueprint(deals_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)


def _register_cli(app):
    from marketplace.accounts.cli import users_cli
    from marketplace.demo.cli import demo_cli
    from marketplace.imports.cli import register_import_commands
    from marketplace.listings.cli import listings_cli
    from marketplace.matching.cli import matching_cli
    from marketplace.notifications.cli import notifications_cli
    from marketplace.reference.cli import reference_cli
    from marketplace.search.cli import search_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(listings_cli)
    app.cli.add_command(matching_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(reference_cli)
    app.cli.add_command(search_cli)
    register_import_commands(listings_cli)


def _register_template_helpers(app):
    from marketplace.accounts.labels import ORG_KIND_LABELS, ROLE_LABELS
    from marketplace.accounts.models import ORG_KINDS
    from marketplace.core import templating
    from marketplace.listings import models as lm
    from marketplace.matching.services import match_reasons, reason_text

    templating.init_app(app)
    app.jinja_env.globals.update(
        KIND_LABELS=lm.KIND_LABELS,
        STATUS_LABELS=lm.STATUS_LABELS,
        TRANSFER_MODE_LABELS=lm.TRANSFER_MODE_LABELS,
        PRICE_TYPE_LABELS=lm.PRICE_TYPE_LABELS,
        IP_TYPE_LABELS=lm.IP_TYPE_LABELS,
        IP_STATUS_LABELS=lm.IP_STATUS_LABELS,
        REJECTION_REASON_LABELS=lm.REJECTION_REASON_LABELS,
        ORG_KIND_LABELS=ORG_KIND_LABELS,
        ROLE_LABELS=ROLE_LABELS,
        ORG_KINDS=ORG_KINDS,
        reason_text=reason_text,
        match_reasons=match_reasons,
    )
