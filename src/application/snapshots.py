"""Snapshots of aggregates whose events are pydantic models.

eventsourcing 9.5's snapshot keeps ``vars(aggregate)`` and puts it back as it
comes out of the transcoder; through JSON that would turn value objects,
UUIDs and datetimes into dicts and strings. This snapshot stores the state
with type tags and restores every value to its type, for any aggregate,
without a state model per aggregate. Snapshots are caches, written after the
events: the chain of links covers events, not snapshots (README).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any, Self, cast
from uuid import UUID

from eventsourcing.domain import BaseAggregate, CanSnapshotAggregate
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel, ConfigDict, TypeAdapter

LIBRARY_ATTRIBUTES = ("_id", "_version", "_pending_events")


@cache
def _adapter(cls: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[cls])  # type: ignore[valid-type]


def encode(value: Any) -> Any:  # noqa: PLR0911 - one return per type
    """A JSON-able form of ``value`` that ``decode`` turns back into the same types."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, BaseModel):
        fields = {name: encode(getattr(value, name)) for name in type(value).model_fields}
        return {"$model": get_topic(type(value)), "fields": fields}
    if isinstance(value, list | tuple):
        kinds = {type(v) for v in value}
        if len(kinds) == 1 and issubclass(first := kinds.pop(), BaseModel):
            # A list of one model: dumped and validated as a whole, in pydantic's core.
            return {
                "$models": get_topic(first),
                "items": _adapter(first).dump_python(list(value), mode="json"),
            }
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    msg = f"cannot snapshot a {type(value).__name__}"
    raise TypeError(msg)


def decode(value: Any) -> Any:  # noqa: PLR0911 - one return per tag
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$uuid" in value:
        return UUID(value["$uuid"])
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$models" in value:
        return _adapter(resolve_topic(value["$models"])).validate_python(value["items"])
    if "$model" in value:
        cls = cast(type[BaseModel], resolve_topic(value["$model"]))
        return cls.model_validate({k: decode(v) for k, v in value["fields"].items()})
    return {decode(k): decode(v) for k, v in value["$dict"]}


class Snapshot(BaseModel, CanSnapshotAggregate[UUID]):
    model_config = ConfigDict(frozen=True, extra="forbid")

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    topic: str
    state: dict[str, Any]

    @classmethod
    def take(cls, aggregate: Any) -> Self:
        state = {k: encode(v) for k, v in vars(aggregate).items() if k not in LIBRARY_ATTRIBUTES}
        class_version = getattr(type(aggregate), "class_version", 1)
        if class_version > 1:  # as the library's snapshots record it
            state["class_version"] = class_version
        return cls(
            originator_id=aggregate.id,
            originator_version=aggregate.version,
            timestamp=cls.create_timestamp(),
            topic=get_topic(type(aggregate)),
            state=state,
        )

    def mutate(self, _: None) -> BaseAggregate[UUID]:
        cls = cast(type[BaseAggregate[UUID]], resolve_topic(self.topic))
        state = {k: decode(v) for k, v in self.state.items()}
        # The library's upcasting of snapshots: the aggregate class's
        # ``upcast_vN_vN+1`` from the version recorded up to its class_version.
        # An upcast may derive ids from the aggregate's own (``_id``).
        state["_id"] = self.originator_id
        from_version = state.pop("class_version", 1)
        while from_version < getattr(cls, "class_version", 1):
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        state["_id"] = self.originator_id
        state["_version"] = self.originator_version
        state["_pending_events"] = []
        aggregate = object.__new__(cls)
        object.__setattr__(aggregate, "__dict__", state)
        return aggregate
