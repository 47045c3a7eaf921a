"""Settings from BOOKING_* environment variables, with defaults that run a demo."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

DEFAULT_VAR = Path.cwd() / "var"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_WILDCARD_HOSTS = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 recognises a wildcard host, binds nothing (serve defaults to 127.0.0.1)


def base_url_for(host: str, port: int) -> str:
    """The address the server answers at when it listens on `host:port`: what QR codes, card links,
    feed URLs and e-mail links carry when BOOKING_BASE_URL is unset. A wildcard host (every
    interface) is reached on this machine at 127.0.0.1; other devices need BOOKING_BASE_URL."""
    host = host.strip()
    if host in _WILDCARD_HOSTS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal
    return f"http://{host}:{port}"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BOOKING_{name}", default)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(f"BOOKING_{name}")
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _log_format(environment: str) -> str:
    """BOOKING_LOG_FORMAT, by default json in production (for a log shipper) and text elsewhere."""
    value = _env("LOG_FORMAT", "json" if environment == "production" else "text").strip().lower()
    if value not in ("json", "text"):
        raise RuntimeError(f"BOOKING_LOG_FORMAT must be json or text, not {value!r}")
    return value


def _log_level() -> str:
    """BOOKING_LOG_LEVEL: INFO by default (one access line per request); WARNING keeps only trouble."""
    value = _env("LOG_LEVEL", "INFO").strip().upper()
    if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise RuntimeError(f"BOOKING_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {value!r}")
    return value


def _operator_key() -> str | None:
    """BOOKING_OPERATOR_KEY: unset, no municipality can be created through the API; set, long enough
    not to be guessed."""
    key = os.environ.get("BOOKING_OPERATOR_KEY") or None
    if key is not None and len(key) < 32:
        raise RuntimeError("BOOKING_OPERATOR_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)")
    return key


def _secret_key(var_dir: Path, environment: str) -> str:
    """BOOKING_SECRET_KEY, or in development a key generated once into var/secret_key."""
    key = os.environ.get("BOOKING_SECRET_KEY")
    if key:
        return key
    if environment == "production":
        raise RuntimeError("BOOKING_SECRET_KEY must be set in production")
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    environment: str = "development"  # development | test | production
    var_dir: Path = DEFAULT_VAR
    database_url: str = ""
    base_url: str = DEFAULT_BASE_URL
    secret_key: str = ""
    timezone: str = "Europe/Stockholm"
    default_municipality: str | None = None  # slug used by public pages when none is given
    session_idle_minutes: int = 12 * 60
    session_max_days: int = 14
    api_token_days: int = 90
    login_max_failures_per_account: int = 10  # per window
    login_max_failures_per_client: int = 50
    login_window_minutes: int = 15
    trust_proxy_headers: bool = False  # use X-Forwarded-For for the client address
    db_pool_size: int = 10
    db_lock_timeout_ms: int = 10_000  # PostgreSQL lock_timeout of the app's sessions (0: none); retried, then 503
    smtp_host: str | None = None  # unset: messages go to the log (development)
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_sender: str = "bokning@localhost"
    outbox_worker: bool = True  # deliver the outbox from the web process (one or more workers are safe)
    frontend_dir: Path = field(default_factory=lambda: Path(__file__).resolve().parent.parent / "frontend")
    log_sql: bool = False
    log_format: str = "text"  # text | json (one JSON object a line); from_env: json in production
    log_level: str = "INFO"  # the root level; WARNING drops the access lines
    lending_anonymise_after_months: int = 24  # borrowers inactive this long are anonymised (statistics stay)
    matching_anonymise_after_months: int = 12  # interest requests lose contact details, message and answer
    operator_key: str | None = None  # the installation operator's key for POST /api/municipalities (unset: 404)

    @property
    def cookie_secure(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls) -> Settings:
        environment = _env("ENV", "development")
        var_dir = Path(_env("VAR_DIR", str(DEFAULT_VAR))).resolve()
        database_url = _env("DATABASE_URL", f"sqlite+aiosqlite:///{var_dir / 'booking.db'}")
        if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
            database_url = "postgresql+asyncpg://" + database_url.split("://", 1)[1]
        return cls(
            environment=environment,
            var_dir=var_dir,
            database_url=database_url,
            base_url=_env("BASE_URL", DEFAULT_BASE_URL).rstrip("/"),
            secret_key=_secret_key(var_dir, environment),
            timezone=_env("TIMEZONE", "Europe/Stockholm"),
            default_municipality=os.environ.get("BOOKING_DEFAULT_MUNICIPALITY") or None,
            session_idle_minutes=int(_env("SESSION_IDLE_MINUTES", "720")),
            session_max_days=int(_env("SESSION_MAX_DAYS", "14")),
            api_token_days=int(_env("API_TOKEN_DAYS", "90")),
            login_max_failures_per_account=int(_env("LOGIN_MAX_FAILURES", "10")),
            login_max_failures_per_client=int(_env("LOGIN_MAX_FAILURES_PER_CLIENT", "50")),
            login_window_minutes=int(_env("LOGIN_WINDOW_MINUTES", "15")),
            trust_proxy_headers=_bool("TRUST_PROXY_HEADERS", False),
            db_pool_size=int(_env("DB_POOL_SIZE", "10")),
            db_lock_timeout_ms=int(_env("DB_LOCK_TIMEOUT_MS", "10000")),
            log_sql=_bool("LOG_SQL", False),
            log_format=_log_format(environment),
            log_level=_log_level(),
            smtp_host=os.environ.get("BOOKING_SMTP_HOST") or None,
            smtp_port=int(_env("SMTP_PORT", "587")),
            smtp_username=os.environ.get("BOOKING_SMTP_USERNAME") or None,
            smtp_password=os.environ.get("BOOKING_SMTP_PASSWORD") or None,
            mail_sender=_env("MAIL_SENDER", "bokning@localhost"),
            outbox_worker=_bool("OUTBOX_WORKER", True),
            lending_anonymise_after_months=int(_env("LENDING_ANONYMISE_AFTER_MONTHS", "24")),
            matching_anonymise_after_months=int(_env("MATCHING_ANONYMISE_AFTER_MONTHS", "12")),
            operator_key=_operator_key(),
        )

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    if not os.environ.get("BOOKING_VAR_DIR"):
        DEFAULT_VAR.mkdir(parents=True, exist_ok=True)
    return Settings.from_env()
