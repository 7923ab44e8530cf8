"""The whole log out as NDJSON, and back into an empty store, byte for byte.

Each line is one event as ``AuditLog`` shows it, with its stored state (the
exact canonical JSON: its time, actor and data) and its chain link. Import
checks every link of the file before it writes anything, so a file changed
on the way is refused whole; it keeps ids, versions, times and actors.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from shuniu.aggregates.errors import InvalidCommand, StateConflict
from shuniu.application.audit import AuditLog
from shuniu.application.chain import GENESIS, link
from shuniu.application.service import Shuniu

BATCH = 500
Progress = Callable[[int], None]


def export_lines(app: Shuniu) -> Iterator[str]:
    for event in AuditLog(app).all_events():
        yield json.dumps(event.as_json(), ensure_ascii=False) + "\n"


def _events(lines: Iterable[str]) -> Iterator[tuple[StoredEvent, str]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record: dict[str, Any] = json.loads(line)
            event = StoredEvent(
                originator_id=UUID(record["aggregate_id"]),
                originator_version=int(record["version"]),
                topic=str(record["topic"]),
                state=str(record["state"]).encode(),
            )
            yield event, str(record["link"])
        except (ValueError, KeyError, TypeError) as e:
            msg = f"line {number} is not an exported event: {e}"
            raise InvalidCommand(msg) from None


def check_file(path: Path) -> int:
    """Every line's link follows from its stream's previous one: the number of events."""
    heads: dict[UUID, tuple[int, str]] = {}
    count = 0
    with path.open(encoding="utf-8") as lines:
        for event, stored_link in _events(lines):
            originator = UUID(str(event.originator_id))
            version, previous = heads.get(originator, (0, GENESIS))
            if event.originator_version != version + 1:
                msg = f"event {originator} v{event.originator_version} follows v{version}"
                raise InvalidCommand(msg)
            if link(previous, event) != stored_link:
                msg = f"event {originator} v{event.originator_version} does not match its link"
                raise InvalidCommand(msg)
            heads[originator] = (event.originator_version, stored_link)
            count += 1
    return count


def import_file(app: Shuniu, path: Path, progress: Progress | None = None) -> int:
    """Load an export into an empty store; the number of events loaded."""
    if app.last_position():
        msg = "the store already holds events: import only into an empty store"
        raise StateConflict(msg)
    check_file(path)
    loaded = 0
    batch: list[StoredEvent] = []
    with path.open(encoding="utf-8") as lines:
        for event, _ in _events(lines):
            batch.append(event)
            if len(batch) == BATCH:
                app.recorder.insert_events(batch)
                loaded += len(batch)
                batch = []
                if progress is not None:
                    progress(loaded)
    if batch:
        app.recorder.insert_events(batch)
        loaded += len(batch)
    if progress is not None:
        progress(loaded)
    return loaded
