"""Django settings for ecotarget, read from the environment.

Every setting that varies between machines comes from an environment variable through the small
helpers below, which fail loudly on a malformed value rather than guessing.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ecotarget.formats import ISO_DATE_INPUT_FORMATS

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ECOTARGET_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a key generated once into var/secret_key, readable by its owner only."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Written aside and linked into place: server workers starting at once all end up reading the same key.
        draft = VAR_DIR / f".secret_key.{secrets.token_hex(8)}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # The development server leaves static files to WhiteNoise, as the real server does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ecotarget.core",
    "ecotarget.organisation",
    "ecotarget.plans",
    "ecotarget.progress",
    "ecotarget.monitoring",
    "ecotarget.dashboard",
    "ecotarget.reports",
    "ecotarget.assessment",
    "ecotarget.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ecotarget.core.middleware.RequestSizeLimit",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Accounts (see the block at the end): idle timeout, no-store for members' pages, CSP, then axes last.
    "ecotarget.core.middleware.IdleSessionTimeout",
    # No region yet: everything goes to the set-up page; an initial password: to the password page first.
    "ecotarget.organisation.middleware.FirstRunAndInitialPassword",
    "ecotarget.core.middleware.PrivatePagesNotStored",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecotarget.urls"
WSGI_APPLICATION = "ecotarget.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecotarget.organisation.context_processors.membership",
                "ecotarget.plans.context_processors.plan_menu",
                "ecotarget.progress.context_processors.open_periods",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'ecotarget.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while an import writes; IMMEDIATE avoids lock upgrades failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for another's transaction to end (a queue of saves) before "database is locked".
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's hashers, and after them the cheaper one of generated initial passwords (organisation/hashers.py says why).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "ecotarget.organisation.hashers.InitialPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
# The site speaks one language: a browser asking for another must not switch Django's messages or date formats.
LANGUAGES = [("zh-hans", "简体中文")]
# Dates in form inputs render as YYYY-MM-DD (what <input type=date> needs); see ecotarget/formats.
FORMAT_MODULE_PATH = ["ecotarget.formats"]
DATE_INPUT_FORMATS = ISO_DATE_INPUT_FORMATS  # also where no language is active (commands, tasks)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `ecotarget serve` collects the static files here, hashed and compressed (gzip, brotli), served by WhiteNoise.
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Only the hashed copies are kept (and compressed, which halves the work): templates name static files through
# {% static %}, and no script or style sheet, ours or the admin's, asks for an unhashed name.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# npm packages installed by `make` at the project root, served under /static/vendor/ like our own files
# (`ecotarget serve` collects only the files pages use: see server.py).
NODE_MODULES = Path(os.environ.get("ECOTARGET_NODE_MODULES") or BASE_DIR.parent.parent / "node_modules").resolve()
STATICFILES_DIRS = [("vendor/echarts", NODE_MODULES / "echarts" / "dist")]

# The real server (`ecotarget serve`, gunicorn; see gunicorn_conf.py): where it listens and how many processes.
ECOTARGET_BIND = os.environ.get("ECOTARGET_BIND") or "127.0.0.1:8000"
ECOTARGET_WORKERS = env_int("ECOTARGET_WORKERS", 2 * len(os.sched_getaffinity(0)) + 1)

# Uploads: Django keeps a file of up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory and streams a larger one to a temporary
# file; a request whose Content-Length passes ECOTARGET_MAX_REQUEST_BYTES is refused before its body is read
# (core.middleware), and one carrying more than DATA_UPLOAD_MAX_NUMBER_FILES files is refused by Django.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("ECOTARGET_UPLOAD_MEMORY_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("ECOTARGET_FORM_DATA_BYTES", 2 * 1024 * 1024)  # the fields, files apart
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("ECOTARGET_MAX_FILES_PER_REQUEST", 10)
# A plan document (read and parsed, never stored).
ECOTARGET_MAX_UPLOAD_BYTES = env_int("ECOTARGET_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
# Monitoring data files (a year of hourly data of a county's stations is a few MB), and what one sheet may hold.
ECOTARGET_MAX_DATA_BYTES = env_int("ECOTARGET_MAX_DATA_BYTES", 50 * 1024 * 1024)
ECOTARGET_MAX_SHEET_ROWS = env_int("ECOTARGET_MAX_SHEET_ROWS", 300_000)
ECOTARGET_MAX_SHEET_CELLS = env_int("ECOTARGET_MAX_SHEET_CELLS", 5_000_000)
# Progress evidence: stored under MEDIA_ROOT with generated names, served only through a permission-checked view.
MEDIA_ROOT = Path(os.environ.get("ECOTARGET_MEDIA_ROOT") or VAR_DIR / "media").resolve()
ECOTARGET_MAX_EVIDENCE_BYTES = env_int("ECOTARGET_MAX_EVIDENCE_BYTES", 20 * 1024 * 1024)
# All the evidence one unit may keep (0: no quota).
ECOTARGET_EVIDENCE_QUOTA_BYTES = env_int("ECOTARGET_EVIDENCE_QUOTA_BYTES", 2 * 1024 * 1024 * 1024)
# One request as a whole: the largest single upload plus room for a few evidence files and the form.
ECOTARGET_MAX_REQUEST_BYTES = env_int(
    "ECOTARGET_MAX_REQUEST_BYTES", max(ECOTARGET_MAX_DATA_BYTES, 3 * ECOTARGET_MAX_EVIDENCE_BYTES) + 1024 * 1024
)
# Plan previews waiting for the coordinator's confirmation (files named by a random token kept in the session).
ECOTARGET_PREVIEW_DIR = VAR_DIR / "plan-previews"
ECOTARGET_PREVIEW_SECONDS = env_int("ECOTARGET_PREVIEW_SECONDS", 2 * 60 * 60)
ECOTARGET_WEBHOOK_RETRIES = env_int("ECOTARGET_WEBHOOK_RETRIES", 3)
ECOTARGET_WEBHOOK_BACKOFF_MS = env_int("ECOTARGET_WEBHOOK_BACKOFF_MS", 1000)
ECOTARGET_TODAY = os.environ.get("ECOTARGET_TODAY", "")  # YYYY-MM-DD: progress pages' "today", for demos only

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Plain http on a county's LAN works as it is; behind nginx with TLS, ECOTARGET_HTTPS=1 turns on secure cookies,
# the redirect to https and HSTS, and trusts nginx's X-Forwarded-Proto (nginx must set it on every request).
ECOTARGET_HTTPS = env_bool("ECOTARGET_HTTPS", False)
SESSION_COOKIE_SECURE = ECOTARGET_HTTPS
CSRF_COOKIE_SECURE = ECOTARGET_HTTPS
SECURE_SSL_REDIRECT = ECOTARGET_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ECOTARGET_HTTPS else None
SECURE_HSTS_SECONDS = env_int("ECOTARGET_HSTS_SECONDS", 365 * 24 * 3600) if ECOTARGET_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ECOTARGET_HTTPS
# HSTS preload (security.W021) is the domain owner's decision at hstspreload.org, not this application's.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Group robots (issue 10, access) --------------------------------------------------------------------------------
# Reminders post only over https to DingTalk's and WeCom's robot hosts, and to the hosts the administrator lists here
# (comma-separated names, e.g. a robot gateway inside a government network); never to a private or loopback address.
ECOTARGET_WEBHOOK_HOSTS = env_list("ECOTARGET_WEBHOOK_HOSTS", [])


# --- Accounts: login throttling, passwords, sessions, CSP -------------------------------------------------------
from datetime import timedelta  # noqa: E402  (kept with the settings that use it)

from csp.constants import SELF  # noqa: E402

# django-axes checks every authentication (the site's login; /admin/login/ redirects there): an account, and
# separately an address, is locked after ECOTARGET_LOGIN_FAILURE_LIMIT wrong passwords until
# ECOTARGET_LOGIN_COOLOFF_MINUTES pass without another failure. The login page says when to try again.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("ECOTARGET_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ECOTARGET_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "ecotarget.organisation.logins.locked_out"
# Failures are forgotten only by the cool-off, not by a success: logging into one's own account now and then must
# not reset an address that is trying others'.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# Behind a reverse proxy (nginx) set ECOTARGET_PROXY_COUNT to the number of proxies: the client's address is then
# read from X-Forwarded-For (that many entries from its right), not from the proxy's own address.
ECOTARGET_PROXY_COUNT = env_int("ECOTARGET_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "ecotarget.organisation.logins.client_address"

# A session ends after ECOTARGET_SESSION_IDLE_SECONDS without a request (core.middleware.IdleSessionTimeout) and
# when the browser closes.
ECOTARGET_SESSION_IDLE_SECONDS = env_int("ECOTARGET_SESSION_IDLE_SECONDS", 2 * 60 * 60)
SESSION_COOKIE_AGE = ECOTARGET_SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Password reset links (given by the coordinator, or mailed) are good for this long, and once.
PASSWORD_RESET_TIMEOUT = env_int("ECOTARGET_PASSWORD_RESET_SECONDS", 3 * 24 * 60 * 60)
# "Forgot password" by mail is offered only where mail is set up (a backend other than the console's).
ECOTARGET_PASSWORD_RESET_BY_MAIL = env_bool(
    "ECOTARGET_PASSWORD_RESET_BY_MAIL", EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Content-Security-Policy: scripts only from this site (no inline script or handler anywhere; htmx's eval off and
# its indicator styles in app.css). Styles allow 'unsafe-inline' because ECharts writes its tooltips as HTML with
# style attributes; no template needs it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [SELF],  # evidence PDFs previewed in the review page
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}


# --- Background jobs (core/jobs.py): django-tasks with its database backend, run by `ecotarget worker` -------------
# The queue is a table of this database: with PostgreSQL, workers on several machines take jobs from it, each row
# locked by the one worker that claims it (SELECT … FOR UPDATE SKIP LOCKED).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Files a job works on (an uploaded data file) and its progress, one folder per job, removed when it ends. Workers on
# other machines must see the same folder (a shared mount).
ECOTARGET_JOBS_DIR = Path(os.environ.get("ECOTARGET_JOBS_DIR") or VAR_DIR / "jobs").resolve()
# When the worker sends the day's reminders (HH:MM, the region's time); a worker started later that day sends them
# at once. How often, in seconds, each worker looks at the schedule.
ECOTARGET_REMINDERS_AT = os.environ.get("ECOTARGET_REMINDERS_AT", "08:00")
ECOTARGET_SCHEDULE_SECONDS = env_int("ECOTARGET_SCHEDULE_SECONDS", 60)
