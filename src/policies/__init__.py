"""Reactions to events, keyed by event type, run inside the command's unit of work.

Each handler is idempotent and records its events with the causing command's
actor, naming itself as the policy. A later policy is one more line below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shuniu.aggregates.designation_application import DesignationApplication
from shuniu.policies.base import Workspace
from shuniu.policies.designation import designate_hub

Handler = Callable[[Any, Workspace], None]

HANDLERS: dict[type[Any], tuple[Handler, ...]] = {
    DesignationApplication.Approved: (designate_hub,),
}


def handlers_for(event: object) -> tuple[Handler, ...]:
    return HANDLERS.get(type(event), ())


__all__ = ["HANDLERS", "Handler", "Workspace", "handlers_for"]
