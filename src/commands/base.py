"""What every command message shares.

A command is one pydantic model: the request body, plus the ids its path
names (``path``). The first of them, if any, is its ``target``: the aggregate
the path names, whose version ``If-Match`` checks and whose state the answer
shows. A command that creates its aggregate (``creates``) has none.

Handlers (``handler(command, work) -> aggregate``) are plain functions in the
modules beside this one, registered by command type in ``shuniu.commands``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shuniu.policies.base import Workspace


class Command(BaseModel):
    """A request to change the log; refused whole (422) if any field is unknown or malformed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: ClassVar[tuple[str, ...]] = ()
    """The fields that come from the request's path, not its body, in path order."""
    creates: ClassVar[bool] = False
    """True when the command creates the aggregate its answer shows (201 and Location)."""

    @property
    def target_id(self) -> UUID | None:
        """The id of the aggregate the path names: what If-Match and the answer refer to."""
        if not self.path:
            return None
        target: UUID = getattr(self, self.path[0])
        return target

    @classmethod
    def body_fields(cls) -> dict[str, Any]:
        """The fields a request body carries (every field but the path's)."""
        return {name: f for name, f in cls.model_fields.items() if name not in cls.path}


class Work(Workspace, Protocol):
    """What a handler sees: the unit of work of its command (policies see a Workspace)."""

    def reveal(self, name: str, value: str) -> None:
        """Put a value in this answer only, never in the log (a new principal's token)."""
        ...
