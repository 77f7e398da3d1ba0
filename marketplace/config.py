"""Settings, read from environment variables (documented in the README)."""
import os
import secrets


def _bool(name, default=False):
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path):
    """DATABASE_URL, or a SQLite file in the instance folder; postgres:// is rewritten for psycopg 3."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "marketplace.db")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_config(instance_path):
    """Build the configuration dictionary from the environment."""
    # Production unless told otherwise: Secure cookies fail closed. `make run` sets APP_ENV=development.
    env = os.environ.get("APP_ENV", "production")
    development = env in {"development", "dev"}
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        secret = _instance_secret(instance_path)
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "EXCHANGE_NAME": os.environ.get("EXCHANGE_NAME", "Sàn giao dịch công nghệ"),
        "PROVINCE": os.environ.get("PROVINCE", "Ninh Bình"),
        # The site's public address, for links in e-mail sent outside a web request (daily reminders).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ["vi", "en"],
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587") or 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@sangiaodich.local"),
        "MAIL_OUTBOX": os.path.join(instance_path, "outbox"),
        "UPLOAD_FOLDER": os.path.join(instance_path, "uploads"),
        "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
        "MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
        "LISTING_DEFAULT_DAYS": int(os.environ.get("LISTING_DEFAULT_DAYS", "365")),
        "EXPIRY_REMINDER_DAYS": int(os.environ.get("EXPIRY_REMINDER_DAYS", "14")),
        # Embedded default only: in production run `flask listings expire` from cron (see README).
        "DAILY_JOBS_INLINE": _bool("DAILY_JOBS_INLINE", development),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "PASSWORD_RESET_MAX_AGE": 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "JSON_SORT_KEYS": False,
        # Number of proxies in front of the app (X-Forwarded-For/-Proto), so rate limits see real client addresses.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0") or 0),
        "SECRET_KEY_FROM_ENV": bool(os.environ.get("SECRET_KEY")),
        # Search: whoosh (an index folder, the embedded default) or postgres (full-text search in the database).
        "SEARCH_BACKEND": os.environ.get("SEARCH_BACKEND", "whoosh"),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR") or os.path.join(instance_path, "search-index"),
        # How committed changes reach the index: thread (in the web process, the embedded default), sync (in the
        # committing thread), or worker (`flask search worker` processes, at scale).
        "SEARCH_APPLY": os.environ.get("SEARCH_APPLY", "thread"),
        "SEARCH_LOCK_TIMEOUT": float(os.environ.get("SEARCH_LOCK_TIMEOUT", "10") or 10),
    }


def _instance_secret(instance_path):
    """A random secret kept in the instance folder, so development sessions survive restarts."""
    path = os.path.join(instance_path, "secret_key")
    try:
        with open(path, encoding="ascii") as fh:
            value = fh.read().strip()
            if value:
                return value
    except OSError:
        pass
    value = secrets.token_hex(32)
    os.makedirs(instance_path, exist_ok=True)
    with open(path, "w", encoding="ascii") as fh:
        fh.write(value)
    return value


TESTING = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "RATELIMIT_ENABLED": False,
    "DAILY_JOBS_INLINE": False,
    "SEARCH_BACKEND": "whoosh",
    "SEARCH_APPLY": "sync",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SECURE": False,
}
