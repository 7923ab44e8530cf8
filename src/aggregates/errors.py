"""Domain errors: one base class, a subclass per kind of refusal.

The domain never raises HTTP errors; the API maps these classes onto status
codes in one place (``shuniu.api.problems``).
"""


class ShuniuError(Exception):
    """Base class of every refusal the domain or the application makes."""


class StateConflict(ShuniuError):
    """The command is not allowed in the aggregate's current state (409)."""


class UniquenessConflict(StateConflict):
    """The command would break a uniqueness rule, e.g. an occupied field seat (409)."""


class InvalidCommand(ShuniuError):
    """The command's content is unacceptable whatever the state (422)."""


class NotFound(ShuniuError):
    """No aggregate with that id (404)."""


class PreconditionFailed(ShuniuError):
    """``If-Match`` named a version the aggregate has moved on from (412)."""


class IdempotencyKeyReused(InvalidCommand):
    """The same Idempotency-Key came with a different request (422)."""
