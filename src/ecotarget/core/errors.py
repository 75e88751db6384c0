"""The one kind of error an action raises when it declines: every service's refusal derives from `Refusal`, and
its message is what the user is shown. Views catch `Refusal`; anything else is a fault and a server error."""


class Refusal(Exception):
    """An action the system declines, with the reason in words the user can act on."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__doc__ or ""
