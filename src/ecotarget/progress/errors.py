"""The refusals of the progress services: the message is what the user sees."""

from ecotarget.core.errors import Refusal


class ProgressError(Refusal):
    """A refusal with a message meant for the user."""


class StaleReport(ProgressError):
    pass
