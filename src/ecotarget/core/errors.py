"""The one kind of error an action raises when it declines: every service's refusal derives from `Refusal`, and
its message is what the user is shown. Views catch `Refusal`; anything else is a fault and a server error."""

from collections.abc import Iterable, Mapping


class Refusal(Exception):
    """An action the system declines, with the reason in words the user can act on."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__doc__ or ""


def form_errors_in_words(errors: Mapping[str, Iterable[object]]) -> str:
    """A form's errors as one line for a message banner (a form posted from a list, with no page of its own)."""
    return "；".join(str(error) for field_errors in errors.values() for error in field_errors)
