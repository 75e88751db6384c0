"""How the system names a person: one rule for pages, logs, exports and messages."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def display_name(user: AbstractBaseUser | AnonymousUser | None, default: str = "") -> str:
    """The full name people read, else the account name; `default` when there is nobody (the system, a deleted
    account)."""
    if user is None or not user.is_authenticated:
        return default
    full_name = getattr(user, "get_full_name", lambda: "")()
    return full_name or user.get_username()
